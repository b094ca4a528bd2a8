"""`[compute]`: validated at load, and the choice of where a run's batches go."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.core.errors import ConfigError
from flows.compute import (
    DISTRIBUTE_FROM,
    POOL_FROM,
    BatchOutcome,
    check_reachable,
    choose_runner,
    recover,
    where,
)
from flows.config import ComputeSettings, load_config

MARSAD = Path(sys.executable).with_name("marsad")


def with_compute(project_env: dict[str, str], table: str) -> ComputeSettings:
    """The validated [compute] of the project's marsad.toml with `table` as its body."""
    path = Path(project_env["MARSAD_CONFIG"]) / "marsad.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\n[compute]\n")] + "\n[compute]\n" + table + "\n", encoding="utf-8")
    return load_config(env=project_env, offline=True).compute


def test_defaults_are_every_core_no_cluster_and_batches_of_300(project_env):
    compute = with_compute(project_env, "")
    assert (compute.workers, compute.scheduler, compute.batch_size) == (os.cpu_count() or 1, None, 300)


@pytest.mark.parametrize(("given", "expected"), [
    ('"tcp://10.0.0.5:8786"', "tcp://10.0.0.5:8786"), ('"10.0.0.5:8786"', "tcp://10.0.0.5:8786"),
    ('"tls://dask.example.org:8786"', "tls://dask.example.org:8786"), ('""', None)])
def test_scheduler_addresses(project_env, given, expected):
    assert with_compute(project_env, f"scheduler = {given}").scheduler == expected


@pytest.mark.parametrize(("table", "message"), [
    ("cores = 4", "unknown key 'cores'"),
    ("workers = 0", "'workers' must be >= 1, got 0"),
    ("workers = 513", "'workers' must be <= 512, got 513"),
    ('workers = "2"', "'workers' must be an integer, got '2'"),
    ("workers = true", "'workers' must be an integer, got True"),
    ("batch_size = 5", "'batch_size' must be >= 10, got 5"),
    ("batch_size = 6000", "'batch_size' must be <= 5000, got 6000"),
    ('scheduler = "http://10.0.0.5:8786/status"', "'scheduler' must be a scheduler address"),
    ('scheduler = "dask-host"', "'scheduler' must be a scheduler address"),
    ("scheduler = 8786", "'scheduler' must be a string, got 8786"),
])
def test_bad_values_are_one_clear_config_error(project_env, table, message):
    with pytest.raises(ConfigError) as raised:
        with_compute(project_env, table)
    line = raised.value.one_line()
    assert "marsad.toml [compute]: " in line and message in line, line


def test_marsad_run_refuses_a_bad_compute_table_before_starting(project_env):
    with pytest.raises(ConfigError):
        with_compute(project_env, "workers = -1")
    done = subprocess.run([str(MARSAD), "run", "--offline"], env={**os.environ, **project_env},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("Error: ")
    assert "marsad.toml [compute]: 'workers' must be >= 1, got -1" in done.stderr and "Traceback" not in done.stderr


def test_small_runs_stay_in_process_big_ones_go_to_a_pool_or_the_cluster(project_env):
    local = with_compute(project_env, "workers = 2")
    assert choose_runner(local, POOL_FROM["extract"] - 1) is None  # not worth the pool's start-up
    pool = choose_runner(local, POOL_FROM["extract"])
    assert type(pool).__name__ == "ProcessPoolTaskRunner" and pool._max_workers == 2
    assert choose_runner(local, POOL_FROM["tag"] - 1, "tag") is None
    assert choose_runner(local, POOL_FROM["tag"], "tag") is not None
    one = with_compute(project_env, "workers = 1")
    assert choose_runner(one, 10_000) is None and where(one) == "this process"
    cluster = with_compute(project_env, 'scheduler = "tcp://127.0.0.1:8786"')
    dask = choose_runner(cluster, DISTRIBUTE_FROM)
    assert type(dask).__name__ == "DaskTaskRunner" and dask.address == "tcp://127.0.0.1:8786"
    assert DISTRIBUTE_FROM == 100 and type(choose_runner(cluster, 100, "tag")).__name__ == "DaskTaskRunner"
    assert choose_runner(cluster, DISTRIBUTE_FROM - 1) is None  # a quiet day pays no cluster round trip
    assert where(cluster) == "the Dask cluster at tcp://127.0.0.1:8786"


def test_a_remote_cluster_needs_a_prefect_server_it_can_reach(project_env):
    remote = with_compute(project_env, 'scheduler = "tcp://10.0.0.5:8786"')
    with pytest.raises(ConfigError, match="only reachable here"):
        check_reachable(remote, "http://127.0.0.1:4200/api")
    with pytest.raises(ConfigError, match="a temporary server") as raised:
        check_reachable(remote, None)
    assert "PREFECT_API_URL" in raised.value.one_line()
    check_reachable(remote, "http://prefect.internal:4200/api")
    check_reachable(with_compute(project_env, 'scheduler = "127.0.0.1:8786"'), None)


def test_a_batch_that_failed_on_the_runner_is_computed_here_and_said():
    calls = [{"n": 1}, {"n": 2}, {"n": 3}]
    outcomes = [BatchOutcome(result=10), BatchOutcome(error="KilledWorker: worker died 3 times"), BatchOutcome(result=30)]
    results, notes = recover(outcomes, calls, lambda n: n * 10)
    assert results == [10, 20, 30]
    assert notes == ["batch 2 of 3 failed on the task runner (KilledWorker: worker died 3 times); "
                     "it was run again in the flow's process"]
