"""`marsad sql`: an analyst's query, run read-only on the warehouse, written as a table, CSV,
JSON Lines or Markdown.

Here in `warehouse/`, not in `dashboards/`, because it is the warehouse's read door: it
decides how the file is opened (read-only, closed before any output is written), which
statements are refused and what a DuckDB error becomes; its renderers need DuckDB and Arrow
only, not the dashboards' templates, so the CLI imports little. (The formats are DuckDB's own
value formatting, so the output matches what the DuckDB CLI shows.)

Never holding the file: the query's rows are fetched into one Arrow table and the connection
is closed *before* a line is written, so a slow reader (`marsad sql … | less`, a pipe into a
notebook) never keeps the warehouse open while the daily run wants it. Rendering then happens
on an in-memory DuckDB that holds only those rows.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb
import pyarrow as pa

from extractors.core.errors import QueryError
from warehouse.db import open_warehouse, sql_ident, sql_literal

FORMATS: tuple[str, ...] = ("table", "csv", "json", "markdown")
TABLE_ROWS = 40  # rows the box table shows (first and last halves), as the DuckDB CLI does

_WRITE = re.compile(r'statement of type "(\w+)"')


@dataclass(frozen=True)
class QueryResult:
    """The rows of one query, held in memory (the warehouse already closed)."""

    rows: pa.Table
    timezone: str  # the session's TimeZone after the query (a `set timezone` in it counts)

    @property
    def names(self) -> list[str]:
        """The column names, made unique (`a`, `a_2`) as JSON keys and DuckDB relations need."""
        return _unique(list(self.rows.schema.names))


def _one_line(exc: duckdb.Error) -> str:
    """DuckDB's message in one line: the error and its "did you mean", without the caret lines."""
    lines = [ln.strip() for ln in str(exc).splitlines()]
    kept = [ln for ln in lines if ln and not ln.startswith("LINE ") and set(ln) != {"^"}]
    return " ".join(kept) or type(exc).__name__


def run_query(db_path: str | Path, sql: str) -> QueryResult:
    """Run `sql` (one statement, or several: the last one's rows are returned) read-only.

    A statement that would change the warehouse is refused by the read-only connection and
    reported as such; any other DuckDB error is one line. Both raise QueryError (exit 2).
    """
    if not sql.strip():
        raise QueryError("no SQL to run", hint='give a query: marsad sql "select …", -f FILE, or on stdin')
    with open_warehouse(db_path, read_only=True) as con:
        try:
            rel = con.sql(sql)
            if rel is None:  # only comments
                raise QueryError("no SQL statement to run (only comments?)")
            rows = rel.to_arrow_table()
            (tz,) = con.execute("select current_setting('TimeZone')").fetchone() or ("UTC",)
        except duckdb.Error as exc:
            write = _WRITE.search(str(exc))
            if write and "read-only" in str(exc):
                raise QueryError(
                    f"marsad sql is read-only: {write.group(1)} statements are refused",
                    hint="the warehouse is opened read-only, so a query never changes it nor holds up "
                         "the daily run; only marsad run, digest, retag and reextract write it") from exc
            raise QueryError(f"SQL error: {_one_line(exc)}") from exc
    return QueryResult(rows=rows, timezone=str(tz))


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0) + 1
        seen[name] = n
        out.append(name if n == 1 else f"{name}_{n}")
    return out


@contextlib.contextmanager
def _rows_in_memory(result: QueryResult) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB holding the result as relation `result` (unique column names), in
    the query's time zone, so values are formatted as DuckDB formats them."""
    con = duckdb.connect()
    try:
        con.execute(f"set timezone = {sql_literal(result.timezone)}")
        con.register("result", result.rows.rename_columns(result.names))
        yield con
    finally:
        con.close()


def _as_text(con: duckdb.DuckDBPyConnection, names: list[str]) -> list[tuple[str | None, ...]]:
    """Every value as DuckDB's own text (timestamps with their offset, lists as [a, b])."""
    if not names:
        return []
    cols = ", ".join(f"cast({sql_ident(n)} as varchar)" for n in names)
    return con.execute(f"select {cols} from result").fetchall()


def write_csv(result: QueryResult, out: TextIO) -> None:
    """RFC 4180 CSV with a header line; NULL is an empty field."""
    with _rows_in_memory(result) as con:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.names)
        writer.writerows(["" if v is None else v for v in row] for row in _as_text(con, result.names))


def write_json(result: QueryResult, out: TextIO) -> None:
    """JSON Lines: one object per row (numbers stay numbers, lists arrays, NULL null).

    Lines rather than one array: a result of any size streams and appends, `jq`, pandas
    (`lines=True`) and DuckDB's own `read_json` read it as is, and Marsad's other JSON
    outputs (`marsad tag`, `marsad extract`) are JSON Lines too.
    """
    with _rows_in_memory(result) as con:
        for (line,) in con.execute("select to_json(r) from result as r").fetchall():
            out.write(line + "\n")


def _md_cell(value: str | None) -> str:
    if value is None:
        return ""
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def write_markdown(result: QueryResult, out: TextIO) -> None:
    """A GitHub-flavoured Markdown table (numbers right-aligned); `|` escaped, newlines as <br>."""
    types = result.rows.schema.types
    numeric = [pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t) for t in types]
    out.write("| " + " | ".join(_md_cell(n) for n in result.names) + " |\n")
    out.write("| " + " | ".join("---:" if num else "---" for num in numeric) + " |\n")
    with _rows_in_memory(result) as con:
        for row in _as_text(con, result.names):
            out.write("| " + " | ".join(_md_cell(v) for v in row) + " |\n")


def write_table(result: QueryResult, out: TextIO, *, width: int | None = None, max_rows: int = TABLE_ROWS) -> None:
    """DuckDB's box table, as its CLI draws it: types under the names, long values cut, at most
    `max_rows` rows (the first and last halves) and a footer with the full row count."""
    drawn = io.StringIO()
    with _rows_in_memory(result) as con, contextlib.redirect_stdout(drawn):
        # show() prints (DuckDB's public renderer); the redirect catches its one print
        con.table("result").show(max_width=width, max_rows=max_rows, null_value="NULL")
    out.write(drawn.getvalue().rstrip("\n") + "\n")


WRITERS: dict[str, Callable[[QueryResult, TextIO], None]] = {
    "csv": write_csv,
    "table": write_table,
    "json": write_json,
    "markdown": write_markdown,
}


def write_result(result: QueryResult, fmt: str, out: TextIO, *, width: int | None = None,
                 max_rows: int = TABLE_ROWS, bom: bool = False) -> None:
    """Write `result` to `out` in `fmt` (one of FORMATS); a CSV starts with the UTF-8
    byte-order mark with `bom` (Excel then reads Arabic as UTF-8, not the system code page)."""
    if bom and fmt == "csv":
        out.write("\ufeff")
    if fmt == "table":
        write_table(result, out, width=width, max_rows=max_rows)
    else:
        WRITERS[fmt](result, out)
