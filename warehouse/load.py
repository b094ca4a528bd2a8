"""Bulk loads: records → Arrow → one SQL statement per table, each batch in one transaction.

Never row by row: every loader builds a pyarrow Table from the batch, registers it as a
relation and lets DuckDB insert it in one statement. Every loader is idempotent: loading the
same batch twice leaves the tables as after the first load.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from extractors.core.records import Article, FetchLogEntry, RawPage, RunNote, TagResult
from warehouse.db import run_sql, sql_file

TS = pa.timestamp("us", tz="UTC")


def _register(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list[Any]], schema: pa.Schema) -> None:
    _stage(con, name, pa.table(columns, schema=schema))


def _stage(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Register an Arrow table as a relation (DuckDB 2 refuses while a result is half-read)."""
    con.abort()  # drop a caller's half-fetched result (e.g. after fetchone); not the transaction
    con.register(name, table)


class _Tx:
    """`with _Tx(con):` — one transaction per batch; rolled back whole on error."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.con.execute("begin transaction")
        return self.con

    def __exit__(self, exc_type, exc, tb) -> None:
        self.con.execute("rollback" if exc_type else "commit")


_ARTICLE_SCHEMA = pa.schema(
    [
        ("ord", pa.int64()),
        ("article_id", pa.string()),
        ("url", pa.string()),
        ("canonical_url", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("author", pa.string()),
        ("published_at", TS),
        ("lang", pa.string()),
        ("text", pa.string()),
        ("content_hash", pa.string()),
        ("site_name", pa.string()),
    ]
)
_URL_SCHEMA = pa.schema(
    [("url", pa.string()), ("content_hash", pa.string()), ("article_id", pa.string()), ("source", pa.string())]
)


def load_articles(
    con: duckdb.DuckDBPyConnection, articles: Sequence[Article], *, run_id: str, seen_at: datetime
) -> list[str]:
    """Insert the articles not stored yet (by id and by content hash); returns the new ids."""
    if not articles:
        return []
    cols: dict[str, list[Any]] = {f.name: [] for f in _ARTICLE_SCHEMA}
    urls: dict[str, list[Any]] = {f.name: [] for f in _URL_SCHEMA}
    for i, a in enumerate(articles):
        row = {
            "ord": i, "article_id": a.article_id, "url": a.url, "canonical_url": a.canonical_url,
            "source": a.source, "title": a.title, "author": a.author, "published_at": a.published_at,
            "lang": a.lang, "text": a.text, "content_hash": a.content_hash, "site_name": a.site_name,
        }
        for k, v in row.items():
            cols[k].append(v)
        for u in dict.fromkeys([a.url, a.canonical_url, *a.urls]):
            if u:
                for k, v in (("url", u), ("content_hash", a.content_hash), ("article_id", a.article_id), ("source", a.source)):
                    urls[k].append(v)
    _register(con, "staged_articles", cols, _ARTICLE_SCHEMA)
    _register(con, "staged_urls", urls, _URL_SCHEMA)
    try:
        with _Tx(con):
            before = {r[0] for r in con.execute(
                "select article_id from articles where article_id in (select article_id from staged_articles)"
            ).fetchall()}
            con.execute(sql_file("load_articles.sql"), [seen_at, run_id])
            con.execute(sql_file("load_article_urls.sql"), [seen_at])
            after = con.execute(
                "select article_id from articles where run_id = ? and article_id in "
                "(select article_id from staged_articles)", [run_id]
            ).fetchall()
    finally:
        con.unregister("staged_articles")
        con.unregister("staged_urls")
    return [r[0] for r in after if r[0] not in before]


def load_tags(
    con: duckdb.DuckDBPyConnection, results: Sequence[TagResult], *, taxonomy_version: str, topics_toml: str,
    entities_toml: str | None = None, model_sha256: str | None = None,
) -> int:
    """Replace the tags, entities and claims of these articles for this taxonomy version.

    Tags of other taxonomy versions are kept, so analysts can compare an old tagging with a
    new one after `marsad retag`. Returns the number of topic rows written.
    """
    con.execute(
        "insert into taxonomy_versions (taxonomy_version, topics_toml, entities_toml, model_sha256) "
        "select ?, ?, ?, ? where not exists (select 1 from taxonomy_versions where taxonomy_version = ?)",
        [taxonomy_version, topics_toml, entities_toml, model_sha256, taxonomy_version],
    )
    if not results:
        return 0
    topics: dict[str, list[Any]] = {"article_id": [], "topic": [], "score": [], "evidence": [], "sentences": [],
                                    "path": []}
    entities: dict[str, list[Any]] = {"article_id": [], "entity": [], "mentions": []}
    claims: dict[str, list[Any]] = {k: [] for k in ("article_id", "kind", "value", "value_max", "unit", "currency", "sentence")}
    ids: dict[str, list[Any]] = {"article_id": [], "topics": []}
    for r in results:
        ids["article_id"].append(r.id)
        ids["topics"].append(len(r.topics))
        for t in r.topics:
            topics["article_id"].append(r.id)
            topics["topic"].append(t.topic)
            topics["score"].append(float(t.score))
            topics["evidence"].append("\n".join(t.evidence))
            topics["sentences"].append(list(t.evidence))
            topics["path"].append(t.path or None)
        for name, n in r.entities.items():
            entities["article_id"].append(r.id)
            entities["entity"].append(name)
            entities["mentions"].append(int(n))
        for c in r.claims:
            for k in claims:
                claims[k].append(r.id if k == "article_id" else getattr(c, k))
    _stage(con, "staged_ids", pa.table(ids))
    _stage(con, "staged_topics", pa.table(topics, schema=pa.schema([
        ("article_id", pa.string()), ("topic", pa.string()), ("score", pa.float64()),
        ("evidence", pa.string()), ("sentences", pa.list_(pa.string())), ("path", pa.string())])))
    _stage(con, "staged_entities", pa.table(entities, schema=pa.schema([
        ("article_id", pa.string()), ("entity", pa.string()), ("mentions", pa.int32())])))
    _stage(con, "staged_claims", pa.table(claims, schema=pa.schema([
        ("article_id", pa.string()), ("kind", pa.string()), ("value", pa.float64()), ("value_max", pa.float64()),
        ("unit", pa.string()), ("currency", pa.string()), ("sentence", pa.string())])))
    try:
        with _Tx(con):
            run_sql(con, sql_file("load_tags.sql"), {"taxonomy_version": taxonomy_version})
    finally:
        for name in ("staged_ids", "staged_topics", "staged_entities", "staged_claims"):
            con.unregister(name)
    return len(topics["article_id"])


def load_raw_pages(con: duckdb.DuckDBPyConnection, pages: Iterable[RawPage]) -> int:
    """Keep each page's bytes (gzip) and headers, replacing an older copy of the same URL."""
    cols: dict[str, list[Any]] = {k: [] for k in (
        "url", "final_url", "source", "http_status", "content_type", "headers_json", "body_gzip",
        "body_bytes", "sha256", "fetched_at")}
    for p in pages:
        for k, v in (
            ("url", p.url), ("final_url", p.final_url), ("source", p.source), ("http_status", p.http_status),
            ("content_type", p.content_type), ("headers_json", json.dumps(p.headers, ensure_ascii=False)),
            ("body_gzip", gzip.compress(p.body, compresslevel=6)), ("body_bytes", len(p.body)),
            ("sha256", hashlib.sha256(p.body).hexdigest()), ("fetched_at", p.fetched_at),
        ):
            cols[k].append(v)
    if not cols["url"]:
        return 0
    tbl = pa.table(cols, schema=pa.schema([
        ("url", pa.string()), ("final_url", pa.string()), ("source", pa.string()), ("http_status", pa.int32()),
        ("content_type", pa.string()), ("headers_json", pa.string()), ("body_gzip", pa.binary()),
        ("body_bytes", pa.int64()), ("sha256", pa.string()), ("fetched_at", TS)]))
    _stage(con, "staged_pages", tbl)
    try:
        with _Tx(con):
            con.execute("insert or replace into raw_pages select * from staged_pages "
                        "qualify row_number() over (partition by url order by fetched_at desc) = 1")
    finally:
        con.unregister("staged_pages")
    return tbl.num_rows


def append_fetch_log(con: duckdb.DuckDBPyConnection, entries: Iterable[FetchLogEntry], *, run_id: str) -> int:
    """Append one row per fetched URL (a log: each attempt is its own fact)."""
    keys = ("url", "source", "status", "http_status", "error_class", "error", "bytes", "elapsed_ms",
            "queued_ms", "listed_by", "fetched_at")
    cols: dict[str, list[Any]] = {k: [] for k in keys}
    for e in entries:
        for k in keys:
            cols[k].append(getattr(e, k))
    if not cols["url"]:
        return 0
    tbl = pa.table(cols, schema=pa.schema([
        ("url", pa.string()), ("source", pa.string()), ("status", pa.string()), ("http_status", pa.int32()),
        ("error_class", pa.string()), ("error", pa.string()), ("bytes", pa.int64()), ("elapsed_ms", pa.int32()),
        ("queued_ms", pa.int32()), ("listed_by", pa.list_(pa.string())), ("fetched_at", TS)]))
    _stage(con, "staged_log", tbl)
    try:
        con.execute(sql_file("load_fetch_log.sql"), [run_id])
    finally:
        con.unregister("staged_log")
    return tbl.num_rows


def append_run_log(con: duckdb.DuckDBPyConnection, notes: Iterable[RunNote], *, run_id: str) -> int:
    """Append the run's notes (skipped seeds, failed sources) to `run_log`."""
    rows = [(n.level, n.stage, n.item, n.message) for n in notes]
    if not rows:
        return 0
    tbl = pa.table({k: [r[i] for r in rows] for i, k in enumerate(("level", "stage", "item", "message"))})
    _stage(con, "staged_notes", tbl)
    try:
        con.execute("insert into run_log (run_id, level, stage, item, message) "
                    "select ?, level, stage, item, message from staged_notes", [run_id])
    finally:
        con.unregister("staged_notes")
    return tbl.num_rows


def upsert_sources(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]]) -> int:
    """Record the configured sources and their conditional-GET state, one statement for all.

    Each row: source, kind, url, config_json, and (when the source was fetched this run) etag,
    last_modified, last_status. A source not fetched keeps its stored etag / last_modified.
    """
    keys = ("source", "kind", "url", "config_json", "etag", "last_modified", "last_status", "fetched")
    unique = {r["source"]: r for r in rows}  # one row per source: ON CONFLICT needs distinct keys
    if not unique:
        return 0
    cols = {k: [r.get(k) for r in unique.values()] for k in keys}
    cols["fetched"] = [bool(v) for v in cols["fetched"]]
    _stage(con, "staged_sources", pa.table(cols, schema=pa.schema(
        [(k, pa.bool_() if k == "fetched" else pa.string()) for k in keys])))
    try:
        con.execute(sql_file("upsert_sources.sql"))
    finally:
        con.unregister("staged_sources")
    return len(unique)
