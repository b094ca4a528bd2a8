"""The writer session on real DuckDB files: copy, publish by rename, leftovers, a WAL left behind."""

from __future__ import annotations

import subprocess
import sys

import duckdb

from warehouse.db import connect
from warehouse.session import work_path, writer_session


def count(db, table="articles") -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


def test_publish_replaces_the_file_in_one_rename_and_unpublished_work_is_dropped(tmp_path):
    db = tmp_path / "w.duckdb"
    connect(db).close()
    inode = db.stat().st_ino
    with writer_session(db, "test") as s:
        con = connect(s.work, migrate_schema=False)
        con.execute("insert into runs (run_id, digest_date, started_at, status) values ('a', current_date, now(), 'completed')")
        con.close()
        assert count(db, "runs") == 0  # the published file does not see work in progress
        s.publish()
    assert db.stat().st_ino != inode and count(db, "runs") == 1
    with writer_session(db, "test") as s:
        con = connect(s.work, migrate_schema=False)
        con.execute("insert into runs (run_id, digest_date, started_at, status) values ('b', current_date, now(), 'completed')")
        con.close()  # … and never published
    assert count(db, "runs") == 1 and not work_path(db).exists()


def test_a_killed_writers_work_file_is_removed_by_the_next_one(tmp_path):
    db = tmp_path / "w.duckdb"
    connect(db).close()
    work = work_path(db)
    work.write_bytes(b"half a warehouse")  # what a writer killed mid-copy leaves
    work.with_name(work.name + ".wal").write_bytes(b"and its WAL")
    with writer_session(db, "test") as s:
        assert count(s.work, "schema_version") >= 1  # a fresh copy, not the leftovers
        s.publish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.lock"]


KILLED_IN_PLACE_WRITER = """
import duckdb, os, sys
con = duckdb.connect(sys.argv[1])
con.execute("set checkpoint_threshold = '1TB'")
con.execute("insert into runs (run_id, digest_date, started_at, status) values ('old', current_date, now(), 'completed')")
os._exit(0)  # dies before any checkpoint: the row is only in the WAL
"""


def test_a_wal_left_beside_the_published_file_is_folded_in_not_lost(tmp_path):
    """An older, in-place Marsad (or an analyst's read-write connection) killed before a
    checkpoint leaves committed rows in `w.duckdb.wal`; a byte copy of the file alone would
    drop them."""
    db = tmp_path / "w.duckdb"
    connect(db).close()
    subprocess.run([sys.executable, "-c", KILLED_IN_PLACE_WRITER, str(db)], check=True, timeout=60)
    assert db.with_name("w.duckdb.wal").exists()
    with writer_session(db, "test") as s:
        s.publish()
    assert not db.with_name("w.duckdb.wal").exists()
    assert count(db, "runs") == 1
