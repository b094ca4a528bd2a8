"""Build the daily digest tables for one date, atomically.

The digest for date D covers the articles whose `first_seen_at` falls on D in the configured
digest time zone (default Asia/Riyadh). The SQL lives in `sql/digest_topics.sql` and
`sql/digest_items.sql`; this module only computes the window and runs both files in one
transaction, so a rebuild replaces the date's rows whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb

from extractors.core.days import day_bounds
from warehouse.db import run_sql, sql_file

HISTORY_DAYS = 14


@dataclass(frozen=True)
class DigestWindow:
    digest_date: date
    start: datetime
    end: datetime
    history_start: datetime


def window(digest_date: date, tz: str) -> DigestWindow:
    """[start, end) of `digest_date` in time zone `tz` (DST-safe), and the baseline's start."""
    start, end = day_bounds(digest_date, tz)
    history_start, _ = day_bounds(digest_date - timedelta(days=HISTORY_DAYS), tz)
    return DigestWindow(digest_date, start, end, history_start)


def current_taxonomy(con: duckdb.DuckDBPyConnection) -> str | None:
    """The taxonomy version in force (`v_current_taxonomy`: what the views and digests use)."""
    row = con.execute("select taxonomy_version from v_current_taxonomy").fetchone()
    return row[0] if row else None


def build_digest(
    con: duckdb.DuckDBPyConnection,
    digest_date: date,
    *,
    tz: str,
    top_n: int,
    taxonomy_version: str | None = None,
) -> dict[str, int]:
    """Rebuild `digest_topics` and `digest_items` for one date; returns articles per topic."""
    version = taxonomy_version or current_taxonomy(con) or ""
    w = window(digest_date, tz)
    params = {
        "digest_date": digest_date,
        "day_start": w.start,
        "day_end": w.end,
        "history_start": w.history_start,
        "tz": tz,
        "taxonomy_version": version,
        "top_n": top_n,
    }
    con.execute("begin transaction")
    try:
        run_sql(con, sql_file("digest_topics.sql"), params)
        run_sql(con, sql_file("digest_items.sql"), params)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    rows = con.execute(
        "select topic, articles from digest_topics where digest_date = ? order by topic", [digest_date]
    ).fetchall()
    return dict(rows)
