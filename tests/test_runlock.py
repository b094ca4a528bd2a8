"""One writer at a time: the run lock between real processes (flock on a real file, real kills)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from extractors.core.errors import RunLockedError
from flows.config import load_config
from flows.pipeline import run_daily
from warehouse.runlock import acquire, is_held, lock_path, peek, run_lock

ROOT = Path(__file__).resolve().parents[1]
MARSAD = Path(sys.executable).with_name("marsad")

# A real writer process: takes the run lock, names its run, says so, then sleeps until killed
# (or for argv[3] seconds, then releases it cleanly).
HOLDER = """
import sys, time
from warehouse.runlock import run_lock
with run_lock(sys.argv[1], "marsad run") as lock:
    lock.update(run_id=sys.argv[2], digest_date="2026-11-30")
    print("held", flush=True)
    time.sleep(float(sys.argv[3]))
"""


def hold(db: Path, run_id: str = "holder-run", seconds: float = 600) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), run_id, str(seconds)], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=30)
    if proc.stdout:
        proc.stdout.close()


def with_lock_wait(project_env: dict[str, str], seconds: float) -> None:
    with (Path(project_env["MARSAD_CONFIG"]) / "marsad.toml").open("a", encoding="utf-8") as fh:
        fh.write(f"\n[run]\nlock_wait_seconds = {seconds}\n")


def test_a_second_run_exits_3_naming_the_run_that_holds_the_lock(project_env):
    """After its wait, a second `marsad run` exits 3 with one line naming the holder's run, PID
    and start time — before Prefect starts (no temporary server for nothing)."""
    with_lock_wait(project_env, 1)
    db = Path(project_env["MARSAD_DB"])
    holder = hold(db)
    try:
        started = time.monotonic()
        env = {**project_env, "PATH": "/usr/bin:/bin", "PREFECT_HOME": str(db.parent / "prefect-home")}
        proc = subprocess.run([str(MARSAD), "run", "--offline"], env=env, capture_output=True, text=True, timeout=60)
        elapsed = time.monotonic() - started
    finally:
        stop(holder)
    assert proc.returncode == 3, proc.stderr
    waiting, error = proc.stderr.splitlines()
    assert waiting.startswith("Waiting up to 1 s for the run lock, held by run holder-run")
    assert error.startswith("Error: another Marsad writer holds the run lock")
    for line in (waiting, error):
        assert f"PID {holder.pid}" in line and "started 20" in line and " UTC" in line
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert elapsed < 5, f"took {elapsed:.1f} s"
    assert not (db.parent / "prefect-home").exists(), "Prefect started although the run could not"


def test_a_waiting_writer_goes_on_when_the_holder_finishes(config, settings):
    holder = hold(settings.db_path, seconds=2)
    waited = []
    try:
        started = time.monotonic()
        with run_lock(settings.db_path, "marsad digest", wait=60, on_wait=lambda h, w: waited.append(h)) as lock:
            elapsed = time.monotonic() - started
            assert lock.holder.pid == os.getpid() and lock.dead == []  # a clean release is not a death
    finally:
        stop(holder)
    assert [h.pid for h in waited] == [holder.pid] and waited[0].run_id == "holder-run"  # told once
    assert elapsed > 1.0 and elapsed < 30  # waited for the holder, not for the whole wait


def test_a_killed_holder_frees_the_lock_at_once_and_its_run_is_marked_interrupted(config, settings):
    """kill -9: the kernel drops the flock; the next writer gets it without waiting, finds the
    dead run in the lock file and records it `interrupted` in the same run — not six hours later."""
    holder = hold(settings.db_path, run_id="killed-run")
    assert is_held(settings.db_path)
    holder.send_signal(signal.SIGKILL)
    stop(holder)
    assert not is_held(settings.db_path)
    assert peek(settings.db_path).holder.run_id == "killed-run"  # the file still says who died

    started = time.monotonic()
    _, summary = run_daily(config)
    assert time.monotonic() - started < 60
    assert any("run killed-run" in n.message and "marked interrupted" in n.message for n in summary.notes)
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        status = dict(con.execute("select run_id, status from runs").fetchall())
    finally:
        con.close()
    assert status.pop("killed-run") == "interrupted"
    assert list(status.values()) == ["completed"]
    state = peek(settings.db_path)
    assert state.holder is None and state.dead == []  # recorded and published: forgotten


def test_the_lock_is_reentrant_in_one_process_and_not_inherited_by_children(tmp_path):
    db = tmp_path / "w.duckdb"
    with run_lock(db, "marsad run") as outer:
        with run_lock(db, "marsad run") as inner:
            assert inner is outer
        assert is_held(db)  # the inner block did not release the outer lock
        child = subprocess.Popen(["sleep", "30"])  # a child (like a server) outlives the lock
        with pytest.raises(RunLockedError, match="another Marsad writer holds the run lock"):
            acquire(db, "other", wait=0)  # another open file description: refused
    try:
        assert not is_held(db)  # released although the child still runs: the fd was not inherited
        assert lock_path(db).read_text().startswith('{"holder": null')
    finally:
        child.kill()
        child.wait()


def test_lock_wait_seconds_is_validated(project_env):
    config = Path(project_env["MARSAD_CONFIG"]) / "marsad.toml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + "\n[run]\nlock_wait = 5\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"\[run\]: unknown key 'lock_wait' \(did you mean 'lock_wait_seconds'\?\)"):
        load_config(env=project_env)
    config.write_text(base + "\n[run]\nlock_wait_seconds = -1\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"'lock_wait_seconds' must be >= 0"):
        load_config(env=project_env)
    config.write_text(base + "\n[run]\nlock_wait_seconds = 30\n", encoding="utf-8")
    assert load_config(env=project_env).settings.lock_wait == 30.0
