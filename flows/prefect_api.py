"""Which Prefect API a run talks to, and the two servers Marsad starts itself.

`marsad run` (and every command that needs the API) takes, in order:

1. `PREFECT_API_URL` when set: the user's server always wins;
2. the persistent local server of `marsad server` / `make server`, when it is up (its state
   file names a live process and `/api/health` answers within a second): the run history and
   the digest artifacts stay, and the summary prints the flow run's URL;
3. otherwise a temporary server for this one command.

The temporary server replaces Prefect's own ephemeral one (prefect/server/api/server.py:
`SubprocessASGIServer`, started by `get_client()` when no API URL is set and
`PREFECT_SERVER_EPHEMERAL_ENABLED`): that one is a plain `Popen` stopped by an `atexit` hook,
so a `kill -9` of the run left it alive, reparented to init. Ours runs the same app (`uvicorn
--factory prefect.server.api.server:create_app` on 127.0.0.1, UI off, the same database under
PREFECT_HOME) but is started through a tiny exec wrapper that sets `PR_SET_PDEATHSIG` to
SIGKILL: the kernel kills it the moment its parent dies, however the parent dies. (The signal
follows the parent *thread*, so it is started from the main thread, which lives as long as the
command.) Prefect is then pointed at it through `PREFECT_API_URL`, so Prefect never starts its
own.

The persistent server is `prefect server start --host 127.0.0.1` detached in its own session,
state under `data/prefect/` (PREFECT_HOME: its SQLite database and UI build), its PID and
port in `data/prefect/server.json`, its output in `data/prefect/server.log`; `marsad server
--stop` signals its process group.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from extractors.core.errors import ServerError
from extractors.core.settings import Settings
from flows.progress import NO_PROGRESS, Progress

DEFAULT_PORT = 4200
HEALTH_TIMEOUT = 1.0
PREFECT = Path(sys.executable).with_name("prefect")

# Run as `python -c WRAPPER <parent pid> <argv…>`: ask the kernel to SIGKILL us when the parent
# dies (prctl 1 = PR_SET_PDEATHSIG, kept across exec), give up if it already has, then exec.
PDEATHSIG_WRAPPER = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)\n"
    "os.getppid() == int(sys.argv[1]) or os._exit(1)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


@dataclass(frozen=True)
class Api:
    """The Prefect API a command uses: its URL, where it came from, and its UI (if it stays up)."""

    url: str
    kind: str  # "configured" (PREFECT_API_URL) | "local" (marsad server) | "temporary"

    def flow_run_url(self, flow_run_id: str | None) -> str | None:
        """The flow run's page in the UI; None for a temporary server (gone after the run)."""
        if not flow_run_id or self.kind == "temporary":
            return None
        return f"{self.url.removesuffix('/').removesuffix('/api')}/runs/flow-run/{flow_run_id}"


# ---- the persistent local server -------------------------------------------------------------

def state_dir(settings: Settings) -> Path:
    """`data/prefect/` beside the warehouse: the local server's home, state and log."""
    return settings.db_path.parent / "prefect"


@dataclass(frozen=True)
class LocalServer:
    pid: int
    port: int
    started_at: str

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"


def _state_file(settings: Settings) -> Path:
    return state_dir(settings) / "server.json"


def _is_prefect_server(pid: int) -> bool:
    """True when `pid` is alive and is a `prefect server` (a reused PID is something else)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"server" in cmdline and any(part.endswith(b"prefect") for part in cmdline)


def local_server(settings: Settings) -> LocalServer | None:
    """The local server the state file names, if that process is alive (health not checked)."""
    try:
        data = json.loads(_state_file(settings).read_text(encoding="utf-8"))
        server = LocalServer(int(data["pid"]), int(data["port"]), str(data["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return server if _is_prefect_server(server.pid) else None


def healthy(api_url: str, timeout: float = HEALTH_TIMEOUT) -> bool:
    """Does the Prefect API at `api_url` answer `/health` now? (Prefect's own client, no retries.)"""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.settings import PREFECT_CLIENT_MAX_RETRIES, temporary_settings

    with temporary_settings(updates={PREFECT_CLIENT_MAX_RETRIES: 0}), \
            SyncPrefectClient(api_url, httpx_settings={"timeout": timeout}) as client:
        return client.api_healthcheck() is None


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_local(settings: Settings, port: int = DEFAULT_PORT, timeout: float = 120.0) -> tuple[LocalServer, bool]:
    """Start the persistent server in the background (or find it up); (server, started now)."""
    running = local_server(settings)
    if running is not None and healthy(running.api_url):
        return running, False
    home = state_dir(settings).resolve()  # absolute: the server runs in it (cwd) and keeps it as PREFECT_HOME
    home.mkdir(parents=True, exist_ok=True)
    port = port if _port_free(port) else free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    with (home / "server.log").open("ab") as log:
        proc = subprocess.Popen([str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=home)
    server = LocalServer(proc.pid, port, datetime.now(UTC).isoformat(timespec="seconds"))
    _state_file(settings).write_text(json.dumps(server.__dict__) + "\n", encoding="utf-8")
    deadline = time.monotonic() + timeout
    while not healthy(server.api_url):
        if proc.poll() is not None or time.monotonic() > deadline:
            _stop_group(proc.pid)
            _state_file(settings).unlink(missing_ok=True)
            raise ServerError(f"the local Prefect server did not start (see {home / 'server.log'})")
        time.sleep(0.5)
    return server, True


def _stop_group(pid: int, timeout: float = 20.0) -> None:
    """SIGTERM the process group `pid` leads, then SIGKILL what is left after `timeout`."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(pid, 0)
            except ProcessLookupError:
                return
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
            time.sleep(0.1)


def stop_local(settings: Settings) -> str:
    """Stop the persistent server (its whole process group) and forget its state file."""
    server = local_server(settings)
    _state_file(settings).unlink(missing_ok=True)
    if server is None:
        return "no local Prefect server is running"
    _stop_group(server.pid)
    return f"stopped the local Prefect server (PID {server.pid}, port {server.port})"


# ---- the temporary server of one command -------------------------------------------------------

@contextmanager
def temporary_server(timeout: float = 120.0) -> Iterator[str]:
    """A Prefect API server for the block, killed by the kernel if this process dies first."""
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(_prefect_dir()).parent), "--factory",
            "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on", "--no-access-log"]
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    env.pop("PREFECT_API_URL", None)
    wrapper = [sys.executable, "-c", PDEATHSIG_WRAPPER, str(os.getpid())] if sys.platform == "linux" else []
    proc = subprocess.Popen([*wrapper, *argv], env=env, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not _accepts(port):  # uvicorn binds only after the app's startup (migrations) is done
            if proc.poll() is not None:
                raise ServerError(f"the temporary Prefect server exited with code {proc.returncode}")
            if time.monotonic() > deadline:
                raise ServerError(f"the temporary Prefect server did not start in {timeout:g} s",
                                  hint="start a persistent one with `marsad server`, or set PREFECT_API_URL")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/api"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _prefect_dir() -> str:
    import importlib.util

    spec = importlib.util.find_spec("prefect")
    assert spec is not None and spec.origin is not None
    return str(Path(spec.origin).parent)


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


# ---- choosing -------------------------------------------------------------------------------

def point_prefect_at(url: str) -> None:
    """Make `url` this process's Prefect API, also if Prefect was imported already."""
    os.environ["PREFECT_API_URL"] = url
    context = sys.modules.get("prefect.context")
    if context is not None:
        context.refresh_global_settings_context()


@contextmanager
def prefect_api(settings: Settings, timeout: float = 120.0, progress: Progress = NO_PROGRESS) -> Iterator[Api]:
    """The API for this command (see the module docstring), set as PREFECT_API_URL for the block;
    `progress` hears the temporary server's start (the slowest part of a short run)."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        yield Api(configured, "configured")
        return
    local = local_server(settings)
    if local is not None:
        point_prefect_at(local.api_url)  # before Prefect's import (in `healthy`): it reads the env once
        if healthy(local.api_url):
            try:
                yield Api(local.api_url, "local")
            finally:
                _forget_api()
            return
        _forget_api()
    progress.begin("prefect", {})
    with temporary_server(timeout) as url:
        progress.end("prefect", {})
        point_prefect_at(url)
        try:
            yield Api(url, "temporary")
        finally:
            _forget_api()


def _forget_api() -> None:
    """Drop the URL from the environment (child processes started later must not inherit a
    server that is gone). Prefect's own settings in this process are left as they are: a
    refresh costs ~50 ms at the end of every command, and the next `prefect_api` block
    refreshes them anyway."""
    os.environ.pop("PREFECT_API_URL", None)


__all__ = ["Api", "DEFAULT_PORT", "LocalServer", "free_port", "healthy", "local_server",
           "point_prefect_at", "prefect_api", "start_local", "state_dir", "stop_local", "temporary_server"]
