"""Plain functions that turn bytes into articles and articles into facts.

Nothing here imports Prefect or DuckDB: fetching, HTML→text, language, dates, topics,
entities, claims and clustering are all testable without an orchestrator or a database.
"""
