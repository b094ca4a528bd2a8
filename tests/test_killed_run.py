"""A run killed at a random point loses nothing: the next run completes the work exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from flows.config import load_config
from flows.pipeline import run_daily
from warehouse.checks import run_checks
from warehouse.db import open_warehouse
from warehouse.runlock import is_held, peek
from warehouse.session import work_path

ROOT = Path(__file__).resolve().parents[1]
MARSAD = Path(sys.executable).with_name("marsad")
N = 300
pytestmark = pytest.mark.slow  # two killed runs of 300 seeds, then full re-runs


def make_seeds(folder: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    folder.mkdir()
    for i in range(N):
        (folder / f"{i:04d}.txt").write_text(texts[i % 5] + f"\nتحديث رقم {i}.", encoding="utf-8")


@pytest.mark.parametrize("kill_after", [1.5, 4.0])
def test_rerun_after_kill_completes_exactly_once(project_env, tmp_path, kill_after):
    seeds = tmp_path / "seeds"
    make_seeds(seeds)
    env = {**os.environ, **project_env, "MARSAD_SEEDS": str(seeds)}
    code = "from flows.config import load_config\nfrom flows.pipeline import run_daily\n" \
           "run_daily(load_config(offline=True))\n"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT)
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    config = load_config(env={**project_env, "MARSAD_SEEDS": str(seeds)}, offline=True)
    settings = config.settings
    run_daily(config)
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        assert con.execute("select count(*), count(distinct content_hash) from articles").fetchall() == [(N, N)]
        untagged = con.execute("select count(*) from articles a where not exists "
                               "(select 1 from tagging_log l where l.article_id = a.article_id)").fetchall()
        assert untagged == [(0,)]
        assert con.execute("select count(*) from digest_topics").fetchall() == [(4,)]
    finally:
        con.close()
    with open_warehouse(settings.db_path) as con:
        assert run_checks(con) == {}


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_kill_9_of_marsad_run_leaves_nothing_behind(project_env, tmp_path):
    """`kill -9` of a real `marsad run` mid-way: no process survives it (the temporary Prefect
    server dies with its parent), the run lock is free at once, the published warehouse has no
    row of the killed run; the next run records it `interrupted` and completes the work once."""
    config = load_config(env=project_env, offline=True)
    settings = config.settings
    run_daily(config)  # a published warehouse: 5 seed articles, one completed run
    seeds = tmp_path / "seeds"
    make_seeds(seeds)
    env = {**os.environ, **project_env, "MARSAD_SEEDS": str(seeds), "PREFECT_HOME": str(tmp_path / "ph")}
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen([str(MARSAD), "run", "--offline"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        deadline = time.monotonic() + 180
        while not (peek(settings.db_path).holder and peek(settings.db_path).holder.run_id
                   and work_path(settings.db_path).exists()):
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "the run never started its steps"
            time.sleep(0.05)
        time.sleep(1.0)  # into its steps
        survivors = _descendants(proc.pid)
        assert any("uvicorn" in " ".join(p.cmdline()) for p in survivors), "no temporary Prefect server?"
        killed_run = peek(settings.db_path).holder.run_id
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    gone, alive = psutil.wait_procs(survivors, timeout=15)
    assert alive == [], f"outlived the killed run: {[p.cmdline() for p in alive]}"
    assert not is_held(settings.db_path)

    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:  # the killed run's work never reached the published file
        assert con.execute("select count(*) from articles").fetchall() == [(5,)]
        assert con.execute("select status from runs").fetchall() == [("completed",)]
    finally:
        con.close()

    started = time.monotonic()
    _, summary = run_daily(load_config(env={**project_env, "MARSAD_SEEDS": str(seeds)}, offline=True))
    assert any(f"run {killed_run}" in n.message and "interrupted" in n.message for n in summary.notes)
    assert time.monotonic() - started < 120
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        runs = dict(con.execute("select run_id, status from runs").fetchall())
        assert runs.pop(killed_run) == "interrupted" and sorted(runs.values()) == ["completed", "completed"]
        assert con.execute("select count(*), count(distinct content_hash) from articles").fetchall() == [(N + 5, N + 5)]
        untagged = con.execute("select count(*) from articles a where not exists "
                               "(select 1 from tagging_log l where l.article_id = a.article_id)").fetchall()
        assert untagged == [(0,)]
    finally:
        con.close()
    assert not work_path(settings.db_path).exists()
