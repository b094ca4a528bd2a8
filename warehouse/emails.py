"""The `emails` ledger: one row per (digest date, recipient), the warehouse's record of delivery.

`dashboards/delivery/` writes the outbox and talks SMTP; this module is where it records what it
did and reads back what was already sent. A row marked 'sent' is final (see
`sql/record_email.sql`), which is what lets `marsad digest --send` be re-run after a partial
failure without anyone receiving the digest twice.
"""

from __future__ import annotations

from datetime import date

import duckdb

from warehouse.db import sql_file


def record_email(
    con: duckdb.DuckDBPyConnection,
    digest_date: date,
    recipient: str,
    msg_id: str,
    status: str,
    *,
    path: str | None = None,
    attempts: int = 0,
    error: str | None = None,
) -> None:
    """Upsert the (digest_date, recipient) row; 'sent' is final and never downgraded."""
    con.execute(sql_file("record_email.sql"), {
        "digest_date": digest_date, "recipient": recipient, "message_id": msg_id, "status": status,
        "attempts": attempts, "path": path, "error": error,
    })


def sent_recipients(con: duckdb.DuckDBPyConnection, digest_date: date) -> set[str]:
    """Recipients whose digest for `digest_date` is already marked sent."""
    return {r for (r,) in con.execute(sql_file("sent_recipients.sql"), {"digest_date": digest_date}).fetchall()}
