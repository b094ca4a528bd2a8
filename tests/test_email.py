"""Digest email to the outbox: recipients config, message structure, RTL, inert hostile titles."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import pytest

from dashboards.delivery.email import build_digest_emails, message_id, write_outbox
from dashboards.delivery.recipients import load_recipients
from extractors.core.errors import ConfigError
from extractors.core.settings import load_settings
from tests.delivery_world import DIGEST_DAY, EVIL_HEADER, fill
from warehouse.emails import record_email

ROOT = Path(__file__).resolve().parents[1]

TWO_ANALYSTS = """
[[recipient]]
name = "محللة الأسواق"
email = "markets@example.com"
topics = ["market_impact", "pricing"]

[[recipient]]
name = "Policy analyst"
email = "Policy@Example.com"
topics = ["export_controls"]
lang = "en"
timezone = "Europe/London"
"""


@pytest.fixture()
def world(fresh_db, tmp_path):
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "recipients.toml").write_text(TWO_ANALYSTS, encoding="utf-8")
    settings = load_settings(cfg, env={"MARSAD_OUTBOX": str(tmp_path / "outbox"), "MARSAD_TIMEZONE": "Asia/Riyadh"})
    con = fresh_db
    fill(con)
    yield con, settings


def _parts(msg):
    parsed = email.message_from_bytes(bytes(msg), policy=policy.default)
    html = parsed.get_body(("html",)).get_content()
    text = parsed.get_body(("plain",)).get_content()
    return parsed, html, text


def test_default_recipients_file_loads():
    rs = load_recipients(ROOT / "config" / "recipients.toml")
    assert len(rs) >= 1
    assert rs[0].lang == "ar" and len(rs[0].topics) == 4


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('[[recipient]]\nemail = "a@example.com"\ntopics = ["weather"]\n', "'topics' has unknown topic(s) weather"),
        ('[[recipient]]\nemail = "a@example.com"\nlang = "fr"\n', "'lang' must be one of"),
        ('[[recipient]]\nemail = "a@example.com"\ntimezone = "Mars/Olympus"\n', "'timezone' must be an IANA name"),
        ('[[recipient]]\nemail = "a@example.com"\nname = "x\\r\\nBcc: b@evil.example"\n', "control"),
        ('[[recipient]]\nemail = "a@example.com\\nBcc: x@y.z"\n', "control"),
        ('[[recipient]]\nemail = "not-an-address"\n', "plain address"),
        ('[[recipient]]\nemail = "a@example.com"\ncolour = "red"\n', "unknown key 'colour'"),
        ('[[recipient]]\nemail = "a@example.com"\n[[recipient]]\nemail = "A@example.com"\n', "duplicate"),
        ("", "no [[recipient]]"),
        ("[[recipient\n", "invalid TOML"),
    ],
)
def test_bad_recipients_are_named(tmp_path, body, needle):
    path = tmp_path / "recipients.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_recipients(path)
    assert needle in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in err.value.one_line() and "\r" not in err.value.one_line()  # one line, even for CR/LF input


def test_one_multipart_message_per_recipient_with_their_topics(world):
    con, settings = world
    built = build_digest_emails(con, settings, DIGEST_DAY)
    assert [r.email for r, _ in built] == ["markets@example.com", "policy@example.com"]
    (r1, m1), (r2, m2) = built
    assert m1.get_content_type() == "multipart/alternative"
    parsed, html, text = _parts(m1)
    assert '<html dir="rtl" lang="ar">' in html
    assert "أثر الأسواق" in html and "الأسعار والتكلفة" in html
    assert "قيود التصدير" not in html and "قيود التصدير" not in text
    assert "خسرت أسهم إنفيديا نحو 17% من قيمتها" in html and "خسرت أسهم إنفيديا" in text
    assert "2026-11-26" in parsed["Subject"]
    assert re.search(r"\d", parsed["Subject"])
    # Spikes lead: pricing is the spike, so it comes before market_impact although the analyst
    # listed market_impact first.
    assert html.index("الأسعار والتكلفة") < html.index("أثر الأسواق")
    assert "قفزات اليوم" in html
    # "N outlets" is there, in Arabic.
    assert re.search(r"منفذ واحد|منفذان|\d+ منافذ", html)

    _, html2, _ = _parts(m2)
    assert '<html dir="ltr" lang="en">' in html2
    assert 'dir="rtl" lang="ar"' in html2  # Arabic article blocks stay RTL under English chrome
    assert "Export controls" in html2 and "Market impact" not in html2
    assert m2["Subject"].startswith("Marsad digest 2026-11-26")


def test_trend_chart_is_an_inline_png_referenced_by_the_html(world):
    con, settings = world
    _, msg = build_digest_emails(con, settings, DIGEST_DAY)[0]
    parsed, html, _ = _parts(msg)
    images = [p for p in parsed.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 2  # one per subscribed topic
    for img in images:
        data = img.get_content()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        cid = img["Content-ID"].strip("<>")
        assert f'src="cid:{cid}"' in html


def test_hostile_titles_are_inert(world):
    con, settings = world
    _, msg = build_digest_emails(con, settings, DIGEST_DAY)[0]
    raw = bytes(msg)
    parsed, html, text = _parts(msg)
    # No header injection: the title's CR/LF did not create headers.
    assert parsed["X-Injected"] is None and parsed["Bcc"] is None
    assert b"\nX-Injected:" not in raw and b"\nBcc:" not in raw
    # The title is still shown, as one line.
    assert "إنفيديا تخسر Bcc: victim@evil.example X-Injected: yes" in text
    assert EVIL_HEADER not in text
    # Markup from articles is escaped, not executed.
    assert "<script>" not in html and "&lt;script&gt;" in html
    # the hostile evidence line is not the best sentence: the email shows only the best one, and
    # nothing of it raw (the dashboard shows it escaped behind its toggle: test_dashboard.py)
    assert "<img src=x" not in html and "onerror=alert(2)>" not in html
    assert "javascript:" not in html
    # Direction overrides are removed everywhere.
    for ch in "\u202e\u202c\u2066\u2067":
        assert ch not in html and ch not in text
    assert "عنوان نيمأ مقلوب" in html


def test_message_id_is_deterministic_per_day_and_recipient(world):
    con, settings = world
    a = build_digest_emails(con, settings, DIGEST_DAY)
    b = build_digest_emails(con, settings, DIGEST_DAY)
    assert [m["Message-ID"] for _, m in a] == [m["Message-ID"] for _, m in b]
    assert a[0][1]["Message-ID"] != a[1][1]["Message-ID"]
    assert message_id(DIGEST_DAY, "x@example.com", "M <m@example.org>").endswith("@example.org>")
    assert message_id(DIGEST_DAY, "x@example.com", "m@a") != message_id(DIGEST_DAY.replace(day=25), "x@example.com", "m@a")


def test_outbox_files_overwrite_on_rerun_and_are_recorded(world):
    con, settings = world
    first = write_outbox(con, settings, DIGEST_DAY)
    second = write_outbox(con, settings, DIGEST_DAY)
    assert first == second
    files = sorted(settings.outbox.glob("*.eml"))
    assert files == sorted(first) and len(files) == 2
    assert all("2026-11-26" in f.name for f in files)
    for f in files:
        parsed = email.message_from_bytes(f.read_bytes(), policy=policy.default)
        assert parsed.is_multipart()
        assert 'dir="rtl"' in parsed.get_body(("html",)).get_content()
    rows = con.execute("select recipient, status, path from emails order by recipient").fetchall()
    assert [(r, s) for r, s, _ in rows] == [("markets@example.com", "written"), ("policy@example.com", "written")]
    assert {Path(p) for _, _, p in rows} == set(files)


def test_sent_status_is_never_downgraded(world):
    con, settings = world
    record_email(con, DIGEST_DAY, "markets@example.com", "<id@x>", "sent", attempts=1)
    write_outbox(con, settings, DIGEST_DAY)
    assert con.execute("select status from emails where recipient = 'markets@example.com'").fetchone()[0] == "sent"


def test_quiet_day_still_builds_an_email(fresh_db, tmp_path):
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "recipients.toml").write_text('[[recipient]]\nemail = "a@example.com"\n', encoding="utf-8")
    settings = load_settings(cfg, env={"MARSAD_OUTBOX": str(tmp_path / "o")})
    con = fresh_db
    (_, msg), = build_digest_emails(con, settings, DIGEST_DAY)
    _, html, text = _parts(msg)
    assert "لا مواد في هذا الموضوع اليوم" in text
    assert "0 مقالات" in msg["Subject"]


def test_digest_table_for_artifacts_puts_spikes_first_and_is_inert(world):
    from dashboards.queries import digest_table

    con, _ = world
    rows = digest_table(con, DIGEST_DAY)
    assert rows and rows[0]["topic"] == "pricing" and rows[0]["spike"] is True
    # then the other topics in contract order (the warehouse's `topics` table)
    assert list(dict.fromkeys(r["topic"] for r in rows)) == ["pricing", "export_controls", "privacy_bans", "market_impact"]
    assert [r["rank"] for r in rows if r["topic"] == "pricing"] == [1, 2, 3, 4, 5]
    assert not any("\r" in r["title"] or "\n" in r["title"] or "\u202e" in r["title"] for r in rows)
    assert not any(r["url"].startswith("javascript") for r in rows)
    assert {r["topic"] for r in rows} == {"export_controls", "pricing", "privacy_bans", "market_impact"}


def test_counts_use_the_current_taxonomy_only(world):
    from dashboards.queries import daily_counts, distinct_articles

    con, settings = world
    before = distinct_articles(con, settings.timezone, DIGEST_DAY, ["privacy_bans"])
    trend_before = daily_counts(con, settings.timezone, DIGEST_DAY.replace(day=20), DIGEST_DAY)
    # An older taxonomy tagged every article of the day as privacy_bans; it must not count.
    con.execute("insert into taxonomy_versions (taxonomy_version, created_at) values ('old', '2020-01-01')")
    con.execute(
        "insert into article_topics (article_id, topic, score, evidence, taxonomy_version) "
        "select article_id, 'privacy_bans', 1, 'x', 'old' from articles"
    )
    assert distinct_articles(con, settings.timezone, DIGEST_DAY, ["privacy_bans"]) == before
    assert daily_counts(con, settings.timezone, DIGEST_DAY.replace(day=20), DIGEST_DAY) == trend_before


def test_a_sender_with_a_line_break_is_a_config_error(world):
    con, settings = world
    bad = load_settings(settings.config_dir, env={"MARSAD_SMTP_FROM": "Marsad <m@example.com>\r\nBcc: x@evil.example"})
    with pytest.raises(ConfigError) as err:
        build_digest_emails(con, bad, DIGEST_DAY)
    assert "MARSAD_SMTP_FROM" in err.value.one_line()


