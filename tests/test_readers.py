"""Readers never block the run: an analyst's read-only connection, held all through a real run.

The run writes a private copy and publishes it with one rename (warehouse/session.py): it
never waits for the reader, the reader keeps its snapshot until it reconnects, and a new
reader sees the whole new run. Before, the run waited 120 s for the reader and then failed
with "another Marsad process is writing to it".
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.commands import retag_articles
from flows.config import load_config
from flows.pipeline import run_daily
from warehouse.session import work_path

ROOT = Path(__file__).resolve().parents[1]
MARSAD = Path(sys.executable).with_name("marsad")

# An analyst's session: one read-only connection, a query, then (told through stdin) the same
# query again on the same connection. (A "new reader" is another process, or this one after
# closing every connection: DuckDB shares one open database per file within a process.)
READER = """
import sys, duckdb
query = "select count(*), (select count(*) from runs) from articles"
con = duckdb.connect(sys.argv[1], read_only=True)
print(*con.execute(query).fetchone(), flush=True)
sys.stdin.readline()
print(*con.execute(query).fetchone(), flush=True)
"""


class Reader:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.proc = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.first = self._line()

    def _line(self) -> tuple[int, int]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, self.proc.stderr.read() if self.proc.stderr else ""
        a, b = line.split()
        return int(a), int(b)

    def finish(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """(what this reader's open connection sees now, what a new reader sees)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        old = self._line()
        fresh = Reader(self.db)  # while this one still holds its connection
        fresh.close()
        self.close()
        return old, fresh.first

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()


def seeds_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def add_seeds(folder: Path, n: int) -> None:
    text = (ROOT / "seeds" / sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[0]).read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"new_{i}.txt").write_text(text + f"\nتحديث جديد رقم {i}.", encoding="utf-8")


def test_a_run_completes_while_a_reader_holds_the_file(project_env, tmp_path):
    seeds = seeds_folder(tmp_path)
    env = {**project_env, "MARSAD_SEEDS": str(seeds)}
    run_daily(load_config(env=env, offline=True))
    db = Path(project_env["MARSAD_DB"])
    reader = Reader(db)
    try:
        assert reader.first == (5, 1)
        add_seeds(seeds, 2)
        started = time.monotonic()
        _, summary = run_daily(load_config(env=env, offline=True))
        assert time.monotonic() - started < 60  # never waits for the reader
        assert summary.counts["articles_new"] == 2
        old, new = reader.finish()
    finally:
        reader.close()
    assert old == (5, 1)  # the open connection keeps its snapshot
    assert new == (7, 2)  # a new connection sees the whole new run
    assert not work_path(db).exists()


def test_maintenance_commands_do_not_wait_for_readers_either(config, settings, project_env):
    run_daily(config)
    reader = Reader(settings.db_path)
    try:
        topics = Path(project_env["MARSAD_CONFIG"]) / "topics.toml"
        topics.write_text(topics.read_text(encoding="utf-8") + "\n# a new taxonomy version\n", encoding="utf-8")
        started = time.monotonic()
        assert "re-tagged 5 article(s)" in retag_articles(load_config(env=project_env, offline=True))
        assert time.monotonic() - started < 60
        old, new = reader.finish()
    finally:
        reader.close()
    assert old == new == (5, 1)


def test_an_unpublished_session_leaves_the_published_file_untouched(config, settings, project_env):
    """A failed run discards its work: the published file gains only the run's `failed` row."""
    run_daily(config)
    before = settings.db_path.read_bytes()
    env = {**project_env, "MARSAD_SMTP_HOST": "smtp.example.org", "MARSAD_SMTP_USER": "u",
           "MARSAD_SMTP_PASSWORD": "p", "MARSAD_SMTP_TLS": "none"}  # a ConfigError inside the deliver step
    reader = Reader(settings.db_path)
    try:
        with pytest.raises(Exception, match="clear text"):
            run_daily(load_config(env=env, offline=True))
        old, new = reader.finish()
    finally:
        reader.close()
    assert old == (5, 1) and new == (5, 2)
    assert settings.db_path.read_bytes() != before and not work_path(settings.db_path).exists()


@pytest.mark.slow
def test_marsad_run_completes_while_a_reader_holds_the_file(project_env, tmp_path):
    """The issue's case with the real command: `marsad run` (Prefect flow, temporary server)."""
    seeds = seeds_folder(tmp_path)
    env = {**project_env, "MARSAD_SEEDS": str(seeds), "PATH": "/usr/bin:/bin"}
    run_daily(load_config(env=env, offline=True))
    reader = Reader(Path(project_env["MARSAD_DB"]))
    try:
        add_seeds(seeds, 3)
        proc = subprocess.run([str(MARSAD), "run", "--offline"], env=env, capture_output=True, text=True,
                              timeout=100)  # the old in-place writer waited 120 s, then failed
        assert proc.returncode == 0, proc.stderr[-2000:]
        old, new = reader.finish()
    finally:
        reader.close()
    assert (old, new) == ((5, 1), (8, 2))
    assert "is locked" not in proc.stderr and "Traceback" not in proc.stderr
    # Not a terminal: a quiet summary, no live progress lines or terminal control codes.
    assert "\x1b[" not in proc.stdout and "✓" not in proc.stdout
    assert proc.stdout.startswith("Marsad run ") and "8 stored" in proc.stdout
