"""Run history that survives: `marsad server` keeps a real Prefect server up; runs use it.

One server for the module (a start is ~15 s): `marsad run` finds it through its state file and
health endpoint and prints the flow run's URL; `PREFECT_API_URL` still wins; after `marsad
server --stop` the server's processes are gone and a run falls back to a temporary server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import psutil
import pytest

from tests.loopback import free_port
from tests.prefect_server import prefect_server, quiet_env

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
MARSAD = Path(sys.executable).with_name("marsad")
FLOW_RUN_URL = re.compile(r"prefect:\s+(http://127\.0\.0\.1:(\d+))/runs/flow-run/([0-9a-f-]{36})$", re.M)


def marsad(args: list[str], env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MARSAD), *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    base = tmp_path_factory.mktemp("local-server")
    shutil.copytree(ROOT / "config", base / "config")
    env = {**quiet_env(base / "client-home"), "MARSAD_CONFIG": str(base / "config"),
           "MARSAD_DB": str(base / "data" / "marsad.duckdb"), "MARSAD_OUTBOX": str(base / "data" / "outbox"),
           "MARSAD_DASHBOARD": str(base / "data" / "dashboard"), "MARSAD_SEEDS": str(ROOT / "seeds")}
    port = free_port()
    started = marsad(["server", "--port", str(port)], env, timeout=180)
    assert started.returncode == 0, started.stderr[-2000:]
    assert f"local Prefect server started: http://127.0.0.1:{port}" in started.stdout
    state = json.loads((base / "data" / "prefect" / "server.json").read_text())
    try:
        yield env, port, state["pid"], base
    finally:
        marsad(["server", "--stop"], env)


def test_run_uses_the_local_server_and_prints_the_flow_run_url(local):
    env, port, pid, base = local
    again = marsad(["server", "--port", str(port)], env)
    assert again.returncode == 0 and "already running" in again.stdout and f"PID {pid}" in again.stdout
    assert (base / "data" / "prefect" / "server.log").exists() and (base / "data" / "prefect" / "prefect.db").exists()

    proc = marsad(["run", "--offline"], env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = FLOW_RUN_URL.search(proc.stdout)
    assert found and int(found.group(2)) == port, proc.stdout
    flow_run = httpx.get(f"{found.group(1)}/api/flow_runs/{found.group(3)}", timeout=10).json()
    assert flow_run["state"]["type"] == "COMPLETED"
    arts = httpx.post(f"{found.group(1)}/api/artifacts/filter", timeout=10,
                      json={"artifacts": {"flow_run_id": {"any_": [found.group(3)]}}}).json()
    assert {a["key"] for a in arts} >= {"marsad-digest", "marsad-digest-items"}  # kept with the history


def test_prefect_api_url_still_wins(local, tmp_path):
    env, port, _, _ = local
    with prefect_server(tmp_path) as other:
        proc = marsad(["run", "--offline"], {**env, "PREFECT_API_URL": other})
        assert proc.returncode == 0, proc.stderr[-2000:]
        found = FLOW_RUN_URL.search(proc.stdout)
        assert found and found.group(1) == other.removesuffix("/api") and int(found.group(2)) != port
        assert httpx.get(f"{other}/flow_runs/{found.group(3)}", timeout=10).json()["state"]["type"] == "COMPLETED"
    mine = httpx.get(f"http://127.0.0.1:{port}/api/flow_runs/{found.group(3)}", timeout=10)
    assert mine.status_code == 404  # not on the local server


def test_stop_leaves_no_process_and_runs_fall_back_to_a_temporary_server(local):
    env, _, pid, base = local
    group = [p for p in psutil.process_iter() if _pgid(p.pid) == pid]
    assert group, "the server's process group is empty before --stop?"
    stopped = marsad(["server", "--stop"], env)
    assert stopped.returncode == 0 and f"stopped the local Prefect server (PID {pid}" in stopped.stdout
    _, alive = psutil.wait_procs(group, timeout=30)
    assert alive == []
    assert not (base / "data" / "prefect" / "server.json").exists()
    assert "no local Prefect server is running" in marsad(["server", "--stop"], env).stdout

    proc = marsad(["run", "--offline"], env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "prefect:   a temporary server" in proc.stdout and not FLOW_RUN_URL.search(proc.stdout)


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None
