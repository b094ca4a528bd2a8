"""Open the warehouse, apply numbered migrations, and turn DuckDB's lock error into one line.

DuckDB lets one process write a file at a time. A second process (an analyst's notebook
during a run, or a second `marsad run`) gets an IOException about a lock; we turn that into
`WarehouseLockedError`, whose message says what to do, instead of a stack trace.

The storage format is chosen for the analysts, not for us: the duckdb Python package Marsad
runs on (2.x) writes by default a format no DuckDB 1.x client can open ("version number 69 …
can only read 64–68"), while analysts use whatever DuckDB CLI, notebook or BI driver they have.
So every file Marsad writes is created with `storage_compatibility_version` = STORAGE_VERSION,
which DuckDB >= 1.1 reads (it stays so after later writes, even by a DuckDB that does not set
it), and a warehouse already written in a newer format is converted once, the first time a
writer opens it (`convert_storage`).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from extractors.core.errors import WarehouseError, WarehouseLockedError

HERE = Path(__file__).resolve().parent
MIGRATIONS = HERE / "migrations"
VIEWS = HERE / "views"
SQL = HERE / "sql"
CHECKS = HERE / "checks"

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")

# The oldest storage format DuckDB offers that every client from 1.1 on reads (file header
# version 64). The cost is none of the newest compression schemes; the analysts' tools matter more.
STORAGE_VERSION = "v1.1.0"
# DuckDB tags an open database with the oldest release that reads it ("v1.0.0+" for the format
# above, "v2.0.0+" for 2.x's default); anything newer than STORAGE_VERSION gets converted.
_STORAGE_TAG = re.compile(r"^v(\d+)\.(\d+)\.(\d+)")


def sql_file(name: str, folder: Path = SQL) -> str:
    """Text of a SQL file shipped with the warehouse (e.g. `sql_file("digest_topics.sql")`)."""
    return (folder / name).read_text(encoding="utf-8")


def split_statements(sql: str) -> list[str]:
    """Split a SQL file into statements (DuckDB binds parameters on one statement at a time).

    Our SQL files end each statement with `;` at the end of a line and never put `;` inside
    string literals at a line end, so a line-based split is exact for them.
    """
    statements: list[str] = []
    current: list[str] = []
    for line in sql.splitlines():
        if line.lstrip().startswith("--"):
            continue  # full-line comments may name parameters the statement does not use
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).strip())
            current = []
    tail = "\n".join(current).strip()
    if tail:
        statements.append(tail)
    return statements


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None) -> None:
    """Run every statement of a SQL text, binding named parameters ($name) each statement uses."""
    params = params or {}
    for stmt in split_statements(sql):
        used = {k: v for k, v in params.items() if f"${k}" in stmt}
        con.execute(stmt, used) if used else con.execute(stmt)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration file, in order; a gap or duplicate is a bug."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            raise WarehouseError(f"migration file name must be NNN_name.sql: {path.name}")
        found.append((int(m.group(1)), path.stem, path.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise WarehouseError(f"migrations must be numbered 001, 002, … without gaps: {versions}")
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations, each in one transaction with its record; returns how many ran."""
    con.execute(
        "create table if not exists schema_version ("
        " version integer primary key, name varchar not null,"
        " applied_at timestamptz not null default now())"
    )
    done = {row[0] for row in con.execute("select version from schema_version").fetchall()}
    applied = 0
    for version, name, sql in migrations():
        if version in done:
            continue
        con.execute("begin transaction")
        try:
            con.execute(sql)
            con.execute("insert into schema_version (version, name) values (?, ?)", [version, name])
            con.execute("commit")
        except duckdb.Error as exc:
            con.execute("rollback")
            raise WarehouseError(f"migration {name} failed: {exc}") from exc
        applied += 1
    create_views(con)
    return applied


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the analyst views, one relation per file in `views/`, in name order."""
    for path in sorted(VIEWS.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def _version_tuple(text: str) -> tuple[int, ...] | None:
    m = _STORAGE_TAG.match(text or "")
    return tuple(int(g) for g in m.groups()) if m else None


def storage_version(con: duckdb.DuckDBPyConnection, database: str | None = None) -> str | None:
    """The oldest DuckDB release that reads this database's file (e.g. "v1.0.0+"), as DuckDB tags it."""
    row = con.execute(
        "select tags['storage_version'] from duckdb_databases()"
        " where database_name = coalesce(?, current_database())", [database]).fetchone()
    return row[0] if row else None


def is_compatible(tag: str | None) -> bool:
    """True when a file tagged `tag` is readable by every client STORAGE_VERSION promises.

    An unknown tag (none, or a shape DuckDB may adopt later) is left alone: converting what we
    cannot read the version of would be a guess."""
    found, wanted = _version_tuple(tag or ""), _version_tuple(STORAGE_VERSION)
    return found is None or wanted is None or found <= wanted


def sql_literal(text: str | Path) -> str:
    """A string (a path) as a SQL literal, for statements that take no parameter (ATTACH, COPY)."""
    return "'" + str(text).replace("'", "''") + "'"


def sql_ident(name: str) -> str:
    """A name from the catalogue as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def convert_storage(path: str | Path) -> Path:
    """Rewrite a warehouse in STORAGE_VERSION's format, whole or not at all; returns the path.

    `COPY FROM DATABASE` copies the schema (tables with their keys, views, comments) and every
    row into a new file created with the compatible format beside the old one; the row counts
    of every table are compared, then the new file is fsynced and renamed over the old one, so
    a reader sees the old file or the new one, never half of either. Nobody may be writing
    the file meanwhile: the caller is the writer (it holds DuckDB's lock until it closes).
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.convert")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)  # from a conversion killed half-way: never published
    con = duckdb.connect()
    try:
        con.execute(f"attach {sql_literal(path)} as old_format (read_only)")
        con.execute(f"attach {sql_literal(tmp)} as new_format (storage_version '{STORAGE_VERSION}')")
        con.execute("copy from database old_format to new_format")
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'old_format' order by 1").fetchall()]
        for table in tables:  # names from the catalogue, quoted
            old, new = (con.execute(f"select count(*) from {db}.{sql_ident(table)}").fetchone()[0]  # type: ignore[index]
                        for db in ("old_format", "new_format"))
            if old != new:
                raise WarehouseError(f"converting {path}: {table} has {new} rows in the copy, {old} in the file",
                                     hint="the file was left as it was; report this")
        con.execute("detach new_format")  # checkpoints: every row is in the file, no WAL left
        con.execute("detach old_format")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    _fsync(tmp)
    os.replace(tmp, path)
    _fsync(path.parent)
    return path


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set lock" in text)


def connect(
    path: str | Path, *, read_only: bool = False, migrate_schema: bool = True, wait: float = 0.0
) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the DuckDB file and bring its schema up to date.

    `wait` > 0 retries a locked file for that many seconds (backing off up to 2 s) before
    giving up: the unattended daily run waits out an analyst's short query instead of failing.
    """
    deadline = time.monotonic() + wait
    delay = 0.1
    while True:
        try:
            return _connect_once(path, read_only=read_only, migrate_schema=migrate_schema)
        except WarehouseLockedError:
            if time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def _connect_once(path: str | Path, *, read_only: bool, migrate_schema: bool) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise WarehouseError(f"no warehouse at {path}", hint="run `make run` (or `marsad run`) first")
    con = _open(path, read_only=read_only)
    if not read_only and not is_compatible(old := storage_version(con)):
        con.close()
        try:
            convert_storage(path)
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot convert the warehouse {path} to the {STORAGE_VERSION} format: {exc}") from exc
        # One line, once per warehouse: its format changes under the analysts' feet (for the better).
        print(f"marsad: converted {path} from DuckDB's {old} storage format to {STORAGE_VERSION}'s, "
              "which DuckDB >= 1.1 clients read", file=sys.stderr)
        con = _open(path, read_only=read_only)
    con.execute("set timezone = 'UTC'")
    if migrate_schema and not read_only:
        migrate(con)
    return con


def _open(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    # The setting chooses the format of a file DuckDB creates (and what a checkpoint may use);
    # a file that exists keeps its own format, hence the conversion in `_connect_once`.
    config: dict[str, str | bool | int | float | list[str]] = (
        {} if read_only else {"storage_compatibility_version": STORAGE_VERSION})
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        if _is_lock_error(exc):
            raise WarehouseLockedError(f"the warehouse {path} is locked") from exc
        raise WarehouseError(f"cannot open the warehouse {path}: {exc}") from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open the warehouse {path}: {exc}") from exc


@contextmanager
def open_warehouse(
    path: str | Path, *, read_only: bool = False, wait: float = 0.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """`with open_warehouse(path) as con:` — connect, migrate, and always close (releasing the lock)."""
    con = connect(path, read_only=read_only, wait=wait)
    try:
        yield con
    finally:
        con.close()
