"""Export every table and view of the warehouse for BI tools (Power BI, Tableau, pandas, Superset).

Analysts who do not use DuckDB still want the data; Parquet keeps the types (timestamps with
zone, lists of evidence sentences, UTF-8 Arabic) and is read by every BI tool; CSV (`--csv`)
is there for spreadsheets. What is exported comes from the catalogue (`sql/catalogue.sql`:
every table and view Marsad created, internal ones aside), never from a hand-kept list, so a
new table or view is exported the day its migration lands. `raw_pages` is included: its
`body_gzip` column holds each page's gzip-compressed bytes (large; a BI tool can ignore it).

Each file is written through DuckDB's own COPY (no row-by-row Python) to a hidden temporary
name and renamed over the old one, so a dashboard refreshing from the folder never reads half
a file; all files are read in one transaction, so they are one consistent snapshot.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from extractors.core.errors import WarehouseError
from extractors.core.files import replacing
from warehouse.db import sql_file, sql_ident, sql_literal

# format → (file suffix, COPY options)
_FORMATS = {
    "parquet": ("parquet", "format parquet, compression zstd"),
    "csv": ("csv", "format csv, header true"),
}


@dataclass
class ExportReport:
    """What an export wrote: the relations (by kind) and the files."""

    out_dir: Path
    tables: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """The line `marsad export` prints."""
        parquet = sum(p.suffix == ".parquet" for p in self.files)
        csv = len(self.files) - parquet
        also = f" and {csv} CSV files" if csv else ""
        return (f"wrote {parquet} Parquet files{also} ({len(self.tables)} tables, {len(self.views)} views) "
                f"to {self.out_dir}")


def catalogue(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'table' | 'view') of every relation Marsad created in the warehouse, by name."""
    return [(name, kind) for name, kind in con.execute(sql_file("catalogue.sql")).fetchall()]


BOM = "\ufeff".encode()  # UTF-8 byte-order mark: how Excel knows a CSV is UTF-8 (Arabic text)


def _prepend_bom(path: Path) -> None:
    """Rewrite a file with the UTF-8 BOM in front (DuckDB's COPY has no option for it), streaming."""
    with replacing(path) as marked, path.open("rb") as src, marked.open("wb") as dst:
        dst.write(BOM)
        shutil.copyfileobj(src, dst, 1 << 20)


def export_warehouse(con: duckdb.DuckDBPyConnection, out_dir: Path, *, csv: bool = False,
                     bom: bool = False) -> ExportReport:
    """Write `<name>.parquet` (zstd) for every table and view, and `<name>.csv` with `csv`
    (starting with a UTF-8 byte-order mark with `bom`, for Excel)."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create the export folder {out_dir}: {exc}") from exc
    report = ExportReport(out_dir)
    formats = ["parquet", "csv"] if csv else ["parquet"]
    con.execute("begin transaction")  # one snapshot for every file
    try:
        for name, kind in catalogue(con):
            (report.tables if kind == "table" else report.views).append(name)
            for fmt in formats:
                suffix, options = _FORMATS[fmt]
                path = out_dir / f"{name}.{suffix}"
                try:
                    with replacing(path) as tmp:
                        # the name comes from the catalogue, quoted as an identifier
                        con.execute(f"copy (select * from {sql_ident(name)}) to {sql_literal(tmp)} ({options})")
                        if bom and fmt == "csv":
                            _prepend_bom(Path(tmp))
                except (duckdb.Error, OSError) as exc:
                    raise WarehouseError(f"cannot export {name} to {path}: {exc}") from exc
                report.files.append(path)
    finally:
        con.execute("rollback")  # nothing was written to the warehouse; just end the snapshot
    return report
