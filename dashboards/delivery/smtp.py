"""Send the digest over SMTP, exactly once per recipient per day.

The `emails` table is the ledger: a recipient whose row for the day says `sent` is skipped, so
`marsad digest --send` can be re-run after a partial failure without anyone receiving the
digest twice. (The one unavoidable gap: a crash between the server accepting the message and
the ledger row being written means a re-run sends again — at-least-once, never silently
lost.) Transient failures — a 4xx reply, a dropped or refused connection — are retried with
backoff; a 5xx reply or a TLS/certificate failure is not, because repeating it cannot help.
The password is used only for `login()`: it is never logged, never put in the report, and
scrubbed from any error text the server echoes back. Credentials are refused over a
plain-text connection to anything but a loopback relay.
"""

from __future__ import annotations

import ipaddress
import logging
import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import parseaddr

import duckdb

from dashboards.delivery.email import build_digest_emails
from dashboards.delivery.recipients import Recipient
from extractors.core.errors import ConfigError, DeliveryError
from extractors.core.settings import (
    DEFAULT_SMTP_BACKOFF,
    DEFAULT_SMTP_RETRIES,
    Settings,
    SmtpSettings,
)
from warehouse.emails import record_email, sent_recipients

log = logging.getLogger("marsad.delivery")


@dataclass
class SendReport:
    """What one `send_digest` call did; the CLI prints it and the flow publishes it."""

    digest_date: date
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already sent by an earlier run
    failed: dict[str, str] = field(default_factory=dict)  # recipient → last error
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        text = f"digest {self.digest_date}: {len(self.sent)} sent, {len(self.skipped)} already sent, {len(self.failed)} failed"
        if self.failed:
            text += " (" + "; ".join(f"{r}: {e}" for r, e in self.failed.items()) + ")"
        return text

    __str__ = summary  # so f"{report}" at the CLI edge prints the one line


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = DEFAULT_SMTP_RETRIES
    backoff: tuple[float, ...] = DEFAULT_SMTP_BACKOFF

    def delay(self, retry: int) -> float:
        return self.backoff[min(retry, len(self.backoff) - 1)] if self.backoff else 0.0


def retry_policy(settings: Settings) -> RetryPolicy:
    """`[smtp] retries` and `[smtp] backoff` (validated with the rest of marsad.toml)."""
    return RetryPolicy(retries=settings.smtp.retries, backoff=settings.smtp.backoff)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _scrub(text: str, smtp: SmtpSettings) -> str:
    if smtp.password:
        text = text.replace(smtp.password, "***")
    return " ".join(text.split())[:300]


def _classify(exc: Exception) -> bool:
    """True when the failure is transient (retry), False when permanent."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, ssl.SSLError | smtplib.SMTPNotSupportedError):
        return False  # certificate or TLS mismatch: a configuration problem
    return isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError | OSError)


def _deliver(smtp: SmtpSettings, msg: EmailMessage, to: str, context: ssl.SSLContext) -> None:
    sender = parseaddr(smtp.sender)[1] or smtp.sender
    assert smtp.host is not None
    client: smtplib.SMTP
    if smtp.tls == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    with client:
        client.ehlo()
        if smtp.tls == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(msg, from_addr=sender, to_addrs=[to])


def _context(settings: Settings, given: ssl.SSLContext | None) -> ssl.SSLContext:
    if given is not None:
        return given
    cafile = settings.smtp.cafile
    return ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()


def send_digest(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    digest_date: date,
    *,
    sleep: Callable[[float], None] = time.sleep,
    ssl_context: ssl.SSLContext | None = None,
    recipients: Sequence[Recipient] | None = None,
) -> SendReport:
    """Send the day's digest to every recipient not yet marked `sent`; retry transient failures.

    Raises DeliveryError (carrying `.report`) when there was something to send and none of it
    could be sent; partial failures are returned in the report for the caller to show.
    """
    smtp = settings.smtp
    if not smtp.host:
        raise DeliveryError("no SMTP server configured", hint="set MARSAD_SMTP_HOST (and _PORT, _TLS, _USER, _PASSWORD)")
    if smtp.user and smtp.tls == "none" and not _is_loopback(smtp.host):
        raise ConfigError(
            f"refusing to send SMTP credentials in clear text to {smtp.host}",
            hint="set MARSAD_SMTP_TLS=starttls or ssl",
        )
    policy = retry_policy(settings)
    context = _context(settings, ssl_context)
    report = SendReport(digest_date)
    already = sent_recipients(con, digest_date)
    for recipient, msg in build_digest_emails(con, settings, digest_date, recipients=recipients):
        if recipient.email in already:
            report.skipped.append(recipient.email)
            continue
        error, attempts = None, 0
        for attempt in range(policy.retries + 1):
            attempts += 1
            try:
                _deliver(smtp, msg, recipient.email, context)
                error = None
                break
            except (smtplib.SMTPException, OSError) as exc:
                error = _scrub(f"{type(exc).__name__}: {exc}", smtp)
                transient = _classify(exc)
                log.warning("digest to %s failed (attempt %d, %s): %s", recipient.email, attempt + 1,
                            "will retry" if transient and attempt < policy.retries else "giving up", error)
                if not transient or attempt == policy.retries:
                    break
                sleep(policy.delay(attempt))
        report.attempts += attempts
        if error is None:
            record_email(con, digest_date, recipient.email, msg["Message-ID"], "sent", attempts=attempts)
            report.sent.append(recipient.email)
            log.info("digest %s sent to %s", digest_date, recipient.email)
        else:
            record_email(con, digest_date, recipient.email, msg["Message-ID"], "failed", attempts=attempts, error=error)
            report.failed[recipient.email] = error
    if report.failed and not report.sent and not report.skipped:
        err = DeliveryError(
            f"the digest for {digest_date} could not be sent via {smtp.host}:{smtp.port}: {next(iter(report.failed.values()))}",
            hint="check the MARSAD_SMTP_* settings and that the server is reachable; re-run to retry",
        )
        err.report = report  # type: ignore[attr-defined]
        raise err
    return report
