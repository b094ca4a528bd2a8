"""Parquet export of the analyst tables, for BI tools (Power BI, Tableau, pandas, Superset).

Analysts who do not use DuckDB still want the data; Parquet keeps the types (timestamps with
zone, lists of evidence sentences, UTF-8 Arabic) and is read by every BI tool. One file per
table, written through DuckDB's own COPY (no row-by-row Python) to a temporary name and then
renamed, so a dashboard refreshing from the folder never reads half a file. `raw_pages` is
left out on purpose: it holds compressed page bytes, large and of no use in a BI tool.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from extractors.core.errors import WarehouseError
from extractors.core.files import replacing

EXPORT_TABLES: tuple[str, ...] = (
    "articles",
    "article_topics",
    "article_entities",
    "article_claims",
    "digest_topics",
    "digest_items",
    "sources",
    "fetch_log",
    "runs",
    "emails",
    "topics",
)


def _quote_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    """Write `<table>.parquet` (zstd) for each analyst table present; returns the files written."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create the export folder {out_dir}: {exc}") from exc
    present = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    written = []
    for table in EXPORT_TABLES:
        if table not in present:
            continue
        path = out_dir / f"{table}.parquet"
        try:
            with replacing(path) as tmp:
                # table names come from the constant above, never from input
                con.execute(f"copy (select * from {table}) to {_quote_path(tmp)} (format parquet, compression zstd)")
        except (duckdb.Error, OSError) as exc:
            raise WarehouseError(f"cannot export {table} to {path}: {exc}") from exc
        written.append(path)
    return written
