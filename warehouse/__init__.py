"""The DuckDB warehouse: schema migrations, bulk loads, digest SQL, analyst views.

Plain functions over a `duckdb.DuckDBPyConnection`; no Prefect here. SQL lives in `.sql`
files beside this module (`migrations/`, `views/`, `sql/`, `checks/`), and every SQL statement
against a warehouse table is run from here: loads (`load`), the digest (`digest`), story ids
(`stories`), a run's row and starting state (`runs`), the emails ledger (`emails`), checks
and the Parquet export. The other rooms call these functions or read the views.
"""
