"""SMTP delivery against a real aiosmtpd server on 127.0.0.1: once per recipient, retries, TLS."""

from __future__ import annotations

import email
import logging
import ssl
from email import policy

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from dashboards.delivery.smtp import send_digest
from extractors.core.errors import ConfigError, DeliveryError
from extractors.core.settings import load_settings
from tests.delivery_world import DIGEST_DAY, fill
from tests.loopback import free_port
from warehouse.db import open_warehouse

pytestmark = pytest.mark.network

RECIPIENTS = """
[[recipient]]
email = "one@example.com"
topics = ["pricing", "market_impact"]

[[recipient]]
email = "two@example.com"
lang = "en"
"""
PASSWORD = "s3cr3t-Pa55word!"


class Handler:
    """Collects messages; can refuse DATA with 4xx a few times or refuse a recipient with 5xx."""

    def __init__(self, refuse_data: int = 0, refuse_rcpt: str | None = None):
        self.messages: list[tuple[list[str], bytes, bool]] = []
        self.refuse_data = refuse_data
        self.refuse_rcpt = refuse_rcpt

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refuse_rcpt:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data > 0:
            self.refuse_data -= 1
            return "451 4.3.0 try again later"
        self.messages.append((list(envelope.rcpt_tos), envelope.content, session.ssl is not None))
        return "250 Message accepted"


@pytest.fixture()
def server():
    started = []

    def start(handler, **kwargs):
        c = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
        c.start()
        started.append(c)
        return c

    yield start
    for c in started:
        c.stop()


@pytest.fixture()
def make(tmp_path):
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "recipients.toml").write_text(RECIPIENTS, encoding="utf-8")
    (cfg / "marsad.toml").write_text("[smtp]\nretries = 2\nbackoff = [0.5, 1.5]\ntimeout = 5\n", encoding="utf-8")
    con_cm = open_warehouse(tmp_path / "w.duckdb")
    con = con_cm.__enter__()
    fill(con)

    def settings(port, tls="none", **extra):
        env = {"MARSAD_SMTP_HOST": "127.0.0.1", "MARSAD_SMTP_PORT": str(port), "MARSAD_SMTP_TLS": tls}
        env.update(extra)
        return load_settings(cfg, env=env)

    yield con, settings
    con_cm.__exit__(None, None, None)


def _parse(content: bytes):
    return email.message_from_bytes(content, policy=policy.default)


def test_delivers_once_per_recipient_and_not_again_on_rerun(server, make):
    con, settings = make
    h = Handler()
    c = server(h)
    report = send_digest(con, settings(c.port), DIGEST_DAY, sleep=lambda s: pytest.fail("no retry expected"))
    assert sorted(report.sent) == ["one@example.com", "two@example.com"] and report.ok
    assert sorted(r for rcpts, _, _ in h.messages for r in rcpts) == ["one@example.com", "two@example.com"]
    msg = _parse(next(m for rcpts, m, _ in h.messages if rcpts == ["one@example.com"]))
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "multipart/related"]
    html = msg.get_body(("html",)).get_content()
    assert '<html dir="rtl" lang="ar">' in html
    assert "خسرت أسهم إنفيديا نحو 17% من قيمتها" in html  # evidence
    pngs = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert len(pngs) == 2 and all(f"cid:{p['Content-ID'].strip('<>')}" in html for p in pngs)
    assert msg["X-Injected"] is None and msg["Bcc"] is None

    again = send_digest(con, settings(c.port), DIGEST_DAY)
    assert again.sent == [] and sorted(again.skipped) == ["one@example.com", "two@example.com"]
    assert str(again) == "digest 2026-11-26: 0 sent, 2 already sent, 0 failed"
    assert len(h.messages) == 2
    rows = con.execute("select status, attempts from emails order by recipient").fetchall()
    assert rows == [("sent", 1), ("sent", 1)]


def test_retries_after_a_4xx_refusal_with_backoff(server, make):
    con, settings = make
    h = Handler(refuse_data=2)
    c = server(h)
    slept = []
    report = send_digest(con, settings(c.port), DIGEST_DAY, sleep=slept.append)
    assert report.ok and len(report.sent) == 2
    assert slept == [0.5, 1.5]  # the configured backoff, in order
    assert report.attempts == 4
    assert len(h.messages) == 2


def test_permanent_refusal_is_not_retried_and_is_reported(server, make):
    con, settings = make
    h = Handler(refuse_rcpt="two@example.com")
    c = server(h)
    report = send_digest(con, settings(c.port), DIGEST_DAY, sleep=lambda s: pytest.fail("5xx must not be retried"))
    assert report.sent == ["one@example.com"]
    assert "550" in report.failed["two@example.com"]
    status = dict(con.execute("select recipient, status from emails").fetchall())
    assert status == {"one@example.com": "sent", "two@example.com": "failed"}
    h.refuse_rcpt = None  # the mailbox exists now: a re-run sends only the missing one
    report2 = send_digest(con, settings(c.port), DIGEST_DAY)
    assert report2.sent == ["two@example.com"] and report2.skipped == ["one@example.com"]
    assert len(h.messages) == 2


def test_nothing_sent_raises_delivery_error_with_report(make):
    con, settings = make
    slept = []
    with pytest.raises(DeliveryError) as err:
        send_digest(con, settings(free_port()), DIGEST_DAY, sleep=slept.append)  # nobody listens
    assert slept == [0.5, 1.5, 0.5, 1.5]  # two recipients, two retries each
    assert len(err.value.report.failed) == 2
    assert err.value.exit_code == 4
    assert con.execute("select count(*) from emails where status = 'failed' and attempts = 3").fetchone()[0] == 2


def _tls(tmp_path):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    return server_ctx, client_ctx


def _auth(seen):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
        seen.append(ok)
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd replies 535

    return authenticator


def test_starttls_with_login_and_the_password_never_logged(server, make, tmp_path, caplog):
    con, settings = make
    server_ctx, client_ctx = _tls(tmp_path)
    h, seen = Handler(refuse_data=1), []
    c = server(h, tls_context=server_ctx, require_starttls=True, authenticator=_auth(seen), auth_required=True)
    s = settings(c.port, "starttls", MARSAD_SMTP_USER="marsad", MARSAD_SMTP_PASSWORD=PASSWORD)
    with caplog.at_level(logging.DEBUG):
        report = send_digest(con, s, DIGEST_DAY, sleep=lambda _: None, ssl_context=client_ctx)
    assert report.ok and len(h.messages) == 2
    assert all(tls for _, _, tls in h.messages)  # delivered inside the TLS session
    assert seen and all(seen)
    assert PASSWORD not in caplog.text and PASSWORD not in report.summary() and PASSWORD not in repr(s)


def test_starttls_refuses_an_untrusted_certificate_without_retrying(server, make, tmp_path):
    con, settings = make
    server_ctx, _ = _tls(tmp_path)
    c = server(Handler(), tls_context=server_ctx, require_starttls=True)
    with pytest.raises(DeliveryError, match="SSLCertVerificationError|certificate"):
        # the default trust store does not know the test CA
        send_digest(con, settings(c.port, "starttls"), DIGEST_DAY, sleep=lambda s: pytest.fail("no retry on TLS errors"))


def test_implicit_tls(server, make, tmp_path):
    con, settings = make
    server_ctx, client_ctx = _tls(tmp_path)
    h = Handler()
    c = server(h, ssl_context=server_ctx)
    report = send_digest(con, settings(c.port, "ssl"), DIGEST_DAY, ssl_context=client_ctx)
    assert report.ok and len(h.messages) == 2


def test_wrong_password_is_reported_without_the_password(server, make, tmp_path):
    con, settings = make
    server_ctx, client_ctx = _tls(tmp_path)
    c = server(Handler(), tls_context=server_ctx, require_starttls=True, authenticator=_auth([]), auth_required=True)
    s = settings(c.port, "starttls", MARSAD_SMTP_USER="marsad", MARSAD_SMTP_PASSWORD="wrong-" + PASSWORD)
    with pytest.raises(DeliveryError) as err:
        send_digest(con, s, DIGEST_DAY, sleep=lambda s: pytest.fail("535 is permanent"), ssl_context=client_ctx)
    assert "535" in str(err.value) and "wrong-" + PASSWORD not in str(err.value)


def test_credentials_refused_over_cleartext_to_a_remote_host(make):
    con, settings = make
    s = settings(25, "none", MARSAD_SMTP_HOST="smtp.example.com", MARSAD_SMTP_USER="u", MARSAD_SMTP_PASSWORD="p")
    with pytest.raises(ConfigError, match="clear text"):
        send_digest(con, s, DIGEST_DAY)  # refused before any connection is attempted


def test_no_host_configured(make):
    con, settings = make
    s = settings(25, MARSAD_SMTP_HOST="")
    with pytest.raises(DeliveryError) as err:
        send_digest(con, s, DIGEST_DAY)
    assert "MARSAD_SMTP_HOST" in err.value.one_line()
