"""A real `prefect server start` on 127.0.0.1 for the deployment and flow-run tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from flows.prefect_env import PREFECT_DEFAULTS
from tests.loopback import free_port

PREFECT = Path(sys.executable).with_name("prefect")




def quiet_env(home: Path) -> dict[str, str]:
    """Environment for server and clients: temp PREFECT_HOME, no telemetry, quiet logs."""
    env = dict(os.environ)
    env.update(PREFECT_DEFAULTS)  # forced, not defaulted: the tests' server must be quiet
    env.update(PREFECT_HOME=str(home), PREFECT_UI_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    return env


@contextmanager
def prefect_server(home: Path, timeout: float = 120.0):
    """Start a server, wait until /api/health answers, yield its API URL, stop it."""
    port = free_port()
    env = quiet_env(home)
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited early: {(home / 'server.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"prefect server not healthy after {timeout}s")
            time.sleep(0.5)
        yield api
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
