"""Analyst delivery: digest emails (outbox and SMTP), the static dashboard, the SQL cookbook.

Plain functions over a DuckDB connection and `Settings`; nothing here imports Prefect, so the
daily flow, the CLI and the tests all call the same code.
"""
