"""The DuckDB warehouse: schema migrations, bulk loads, digest SQL, analyst views.

Plain functions over a `duckdb.DuckDBPyConnection`; no Prefect here. SQL lives in `.sql`
files beside this module (`migrations/`, `views/`, `sql/`, `checks/`).
"""
