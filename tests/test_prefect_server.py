"""Against a real `prefect server`: the daily flow runs end to end; the deployment has its cron.

Slow (a server start is ~15 s), so all tests of this file share one server.
"""

from __future__ import annotations

import email
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.loopback import free_port
from tests.prefect_server import prefect_server, quiet_env

pytestmark = pytest.mark.slow
MARSAD = Path(sys.executable).with_name("marsad")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    with prefect_server(home) as api:
        yield api, home


def marsad(args, env, timeout=300):
    return subprocess.run([str(MARSAD), *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_daily_flow_runs_on_the_server(server, project_env):
    api, home = server
    env = {**quiet_env(home), **project_env, "PREFECT_API_URL": api}
    proc = marsad(["run", "--offline"], env)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and "ERROR" not in out

    con = duckdb.connect(project_env["MARSAD_DB"], read_only=True)
    try:
        assert con.execute("select count(*), count(*) filter (lang = 'ar') from articles").fetchall() == [(5, 5)]
        run = con.execute("select status, flow_run_id, seeds_loaded from runs").fetchall()
        assert run[0][0] == "completed" and run[0][2] == 5
        flow_run_id = run[0][1]
        tagged = {t for (t,) in con.execute("select distinct topic from v_article_topics").fetchall()}
        assert tagged == {"export_controls", "pricing", "privacy_bans", "market_impact"}
    finally:
        con.close()

    # The server saw the flow run complete, with its tasks batched (never one per article).
    fr = httpx.get(f"{api}/flow_runs/{flow_run_id}", timeout=10).json()
    assert fr["state"]["type"] == "COMPLETED"
    tasks = httpx.post(f"{api}/task_runs/filter", json={"flow_runs": {"id": {"any_": [flow_run_id]}}}, timeout=10).json()
    assert 3 <= len(tasks) <= 12
    arts = httpx.post(f"{api}/artifacts/filter", json={"artifacts": {"key": {"any_": ["marsad-digest"]}}}, timeout=10).json()
    assert arts and "Marsad digest" in arts[0]["data"]

    emls = sorted(Path(project_env["MARSAD_OUTBOX"]).glob("*.eml"))
    assert emls
    msg = email.message_from_bytes(emls[0].read_bytes())
    assert msg.is_multipart()
    html = next(p for p in msg.walk() if p.get_content_type() == "text/html")
    assert 'dir="rtl"' in html.get_payload(decode=True).decode("utf-8")


def test_deployment_has_the_configured_cron(server, project_env):
    api, home = server
    env = {**quiet_env(home), **project_env, "PREFECT_API_URL": api}
    proc = subprocess.Popen([str(MARSAD), "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        dep = None
        while time.monotonic() < deadline and dep is None:
            r = httpx.get(f"{api}/deployments/name/marsad-daily/marsad-daily", timeout=5)
            if r.status_code == 200:
                dep = r.json()
            else:
                assert proc.poll() is None, proc.stdout.read().decode()[-2000:]
                time.sleep(1)
        assert dep is not None, "marsad serve did not register the deployment"
        schedules = [s["schedule"] for s in dep["schedules"]]
        assert schedules == [{"cron": "0 6 * * *", "timezone": "Asia/Riyadh", "day_or": True}]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        proc.stdout.close()


def test_smtp_password_from_a_prefect_secret_block(server, project_env):
    """`marsad digest --send` logs in with a password kept in a Prefect Secret block, never printed."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    from flows.config import load_config
    from flows.pipeline import run_daily

    api, home = server
    env = {**quiet_env(home), **project_env, "PREFECT_API_URL": api}
    secret = "Bl0ck-kept-pa55"
    subprocess.run([sys.executable, "-c", "from prefect.blocks.system import Secret; "
                    f"Secret(value={secret!r}).save('marsad-smtp', overwrite=True)"], env=env, check=True, timeout=120)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == secret.encode())

    class Inbox:
        messages: list[bytes] = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope.content)
            return "250 OK"

    port = free_port()
    ctl = Controller(Inbox(), hostname="127.0.0.1", port=port, authenticator=authenticator, auth_require_tls=False)
    ctl.start()
    try:
        run_daily(load_config(env=project_env, offline=True))
        proc = marsad(["digest", "--send"], {**env, "MARSAD_SMTP_HOST": "127.0.0.1", "MARSAD_SMTP_PORT": str(port),
                                              "MARSAD_SMTP_TLS": "none", "MARSAD_SMTP_USER": "analyst",
                                              "MARSAD_SMTP_SECRET_BLOCK": "marsad-smtp"})
    finally:
        ctl.stop()
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "1 sent" in proc.stdout
    assert logins == [(b"analyst", secret.encode())] and len(Inbox.messages) == 1
    assert secret not in proc.stdout + proc.stderr


RETRY_FLOW = """
import sys
from pathlib import Path

from prefect import flow, task

from extractors.core.errors import ConfigError
from flows.retries import retry_on_io

attempts = Path(sys.argv[1])


@task(retries=2, retry_delay_seconds=0, retry_condition_fn=retry_on_io)
def step(kind: str) -> None:
    with attempts.open("a") as fh:
        fh.write(kind + "\\n")
    raise ConfigError("[fetch] typo") if kind == "config" else ConnectionResetError("dropped")


@flow
def retries_demo() -> None:
    for kind in ("config", "io"):
        step(kind, return_state=True)


retries_demo()
"""


def test_prefect_retries_io_failures_but_not_config_errors(server, tmp_path):
    """A real flow run with the flow's retry condition: the ConfigError runs once, the dropped
    connection 1 + 2 retries."""
    api, home = server
    attempts = tmp_path / "attempts.txt"
    proc = subprocess.run([sys.executable, "-c", RETRY_FLOW, str(attempts)], env={**quiet_env(home), "PREFECT_API_URL": api},
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert attempts.read_text().splitlines() == ["config", "io", "io", "io"]
