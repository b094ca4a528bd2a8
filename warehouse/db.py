"""Open the warehouse, apply numbered migrations, and turn DuckDB's lock error into one line.

DuckDB lets one process write a file at a time. A second process (an analyst's notebook
during a run, or a second `marsad run`) gets an IOException about a lock; we turn that into
`WarehouseLockedError`, whose message says what to do, instead of a stack trace.
"""

from __future__ import annotations

import re
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
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if _is_lock_error(exc):
            raise WarehouseLockedError(f"the warehouse {path} is locked") from exc
        raise WarehouseError(f"cannot open the warehouse {path}: {exc}") from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open the warehouse {path}: {exc}") from exc
    con.execute("set timezone = 'UTC'")
    if migrate_schema and not read_only:
        migrate(con)
    return con


@contextmanager
def open_warehouse(
    path: str | Path, *, read_only: bool = False, wait: float = 0.0, migrate_schema: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """`with open_warehouse(path) as con:` — connect, migrate, and always close (releasing the lock).

    `migrate_schema=False` for a file already migrated in this session (a writer session's work
    file: `warehouse.session` migrates it once when the session begins)."""
    con = connect(path, read_only=read_only, wait=wait, migrate_schema=migrate_schema)
    try:
        yield con
    finally:
        con.close()
