"""Data checks: each `checks/*.sql` returns offending rows; none must return any.

Run after each load by the daily flow (violations become run-log errors) and in tests.
"""

from __future__ import annotations

import duckdb

from warehouse.db import CHECKS


def run_checks(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Number of offending rows per check (name → count); an empty dict means all passed."""
    failures: dict[str, int] = {}
    for path in sorted(CHECKS.glob("*.sql")):
        n = len(con.execute(path.read_text(encoding="utf-8")).fetchall())
        if n:
            failures[path.stem] = n
    return failures
