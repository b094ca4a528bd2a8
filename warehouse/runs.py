"""What a run reads and writes besides the bulk loads: its `runs` row and the state it starts from.

The daily steps (`flows/pipeline.py`) and the maintenance commands (`flows/commands.py`) ask
these functions instead of writing SQL against the warehouse's tables: a run's row opened and
closed (`runs`), the URLs already stored and each source's conditional-GET validators (what
fetching may skip), the articles a taxonomy has still to tag, and the raw pages `reextract`
reads back. Each statement is one file in `sql/`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import duckdb

from extractors.core.records import RawPage
from warehouse.db import sql_file
from warehouse.runlock import Holder

# The counts a `runs` row keeps in columns (all counts also go to summary_json).
RUN_COUNTS: tuple[str, ...] = ("seeds_loaded", "seeds_skipped", "pages_fetched", "fetch_errors",
                               "articles_new", "articles_total", "tags", "emails")

# (article_id, title, text) of an article to tag.
ToTag = tuple[str, str | None, str]


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, digest_date: date, started_at: datetime) -> None:
    """Open this run's row as 'running' (in the writer's work file: published when it ends)."""
    con.execute(sql_file("run_start.sql"),
                {"run_id": run_id, "digest_date": digest_date, "started_at": started_at})


def record_interrupted(con: duckdb.DuckDBPyConnection, dead: Sequence[Holder]) -> list[Holder]:
    """Record as 'interrupted' the runs that died holding the run lock, and any row still
    'running' (the caller holds the lock: no run is alive). Returns the dead runs recorded."""
    con.execute(sql_file("runs_interrupt_running.sql"))
    recorded = []
    for holder in dead:
        if not (holder.run_id and holder.digest_date):
            continue  # it died before its run began (or was not a run): no row to write
        con.execute(sql_file("run_interrupted.sql"), {
            "run_id": holder.run_id, "digest_date": date.fromisoformat(holder.digest_date),
            "started_at": datetime.fromisoformat(holder.started_at), "flow_run_id": holder.flow_run_id})
        recorded.append(holder)
    return recorded


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    status: str,
    flow_run_id: str | None,
    counts: Mapping[str, int],
    skipped: Mapping[str, Mapping[str, int]],
) -> None:
    """Close the run's row: its status, its counts, and a JSON summary of all counts and skips."""
    summary = json.dumps({"counts": dict(counts), "skipped": skipped}, ensure_ascii=False)
    con.execute(sql_file("run_finish.sql"), {
        "run_id": run_id, "status": status, "flow_run_id": flow_run_id, "summary_json": summary,
        **{name: counts.get(name, 0) for name in RUN_COUNTS},
    })


def known_urls(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every URL already stored (as an article URL or a raw page): fetching skips them."""
    return {url for (url,) in con.execute(sql_file("known_urls.sql")).fetchall()}


def source_state(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Per source, the ETag / Last-Modified of its last fetch, for conditional GETs."""
    return {source: {"etag": etag, "last_modified": modified}
            for source, etag, modified in con.execute(sql_file("source_state.sql")).fetchall()}


def seed_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The article ids of the seed files already stored."""
    return {aid for (aid,) in con.execute(sql_file("seed_ids.sql")).fetchall()}


def article_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many articles the warehouse holds."""
    (n,) = con.execute(sql_file("articles_count.sql")).fetchone() or (0,)
    return int(n)


def articles_to_tag(con: duckdb.DuckDBPyConnection, taxonomy_version: str) -> list[ToTag]:
    """(article_id, title, text) of every article this taxonomy version has not tagged yet."""
    return con.execute(sql_file("articles_to_tag.sql"), {"taxonomy_version": taxonomy_version}).fetchall()


def article_to_label(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, Any] | None:
    """{article_id, url, source, title, text, tagged} of the article with this id or seen at this
    URL, or None."""
    cur = con.execute(sql_file("article_to_label.sql"), {"key": key})
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def articles_to_retag(con: duckdb.DuckDBPyConnection, since: date | None = None) -> list[ToTag]:
    """(article_id, title, text) of every article, or of those first seen since `since`."""
    return con.execute(sql_file("articles_to_retag.sql"), {"since": since}).fetchall()


def raw_pages_since(con: duckdb.DuckDBPyConnection, since: date | None = None, *, after: str = "",
                    limit: int | None = None) -> list[RawPage]:
    """The stored raw pages (bytes decompressed), or those fetched since `since`, by URL.

    `after` and `limit` page through them: at most `limit` pages whose URL sorts after `after`
    (`marsad reextract` reads a big warehouse a chunk at a time)."""
    rows = con.execute(sql_file("raw_pages_since.sql"), {"since": since, "after": after, "limit": limit}).fetchall()
    return [RawPage(url=u, final_url=f or u, source=s, http_status=h or 0, content_type=ct,
                    headers=json.loads(hj or "{}"), body=gzip.decompress(b), fetched_at=fa)
            for u, f, s, h, ct, hj, b, fa in rows]
