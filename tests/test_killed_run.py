"""A run killed at a random point loses nothing: the next run completes the work exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.config import load_config
from flows.pipeline import run_daily
from warehouse.checks import run_checks
from warehouse.db import open_warehouse

ROOT = Path(__file__).resolve().parents[1]
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
