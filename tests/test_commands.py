"""Maintenance commands on a real warehouse: retag, reextract, digest --send, export."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from extractors.core.records import RawPage
from flows.commands import rebuild_digest, reextract_pages, retag_articles
from flows.config import load_config
from flows.pipeline import run_daily
from tests.loopback import free_port
from warehouse.db import open_warehouse
from warehouse.load import load_raw_pages

MARSAD = Path(sys.executable).with_name("marsad")
PAGE = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>ديب سيك تهز أسهم إنفيديا</title>
<link rel="canonical" href="https://news.example/tech/deepseek-nvidia"></head><body><nav>الرئيسية</nav><article>
<h1>ديب سيك تهز أسهم إنفيديا</h1>
<p>تراجعت أسهم شركة إنفيديا بنسبة 17 في المئة يوم الاثنين بعد أن كشفت شركة ديب سيك الصينية عن نموذج
ذكاء اصطناعي قالت إن تدريبه كلف أقل من ستة ملايين دولار، ما أدى إلى خسارة نحو 600 مليار دولار من قيمتها السوقية.</p>
<p>وقال محللون إن المستثمرين باعوا أسهم شركات الرقائق خوفاً من تراجع الطلب على المعالجات المتقدمة، فيما هبط مؤشر
ناسداك المركب بأكثر من ثلاثة في المئة في جلسة واحدة.</p>
<p>وتأتي هذه التطورات في وقت تفرض فيه الولايات المتحدة قيوداً على تصدير الرقائق المتقدمة إلى الصين.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"""


def topics_of(db: Path) -> set[tuple[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return set(con.execute("select taxonomy_version, topic from article_topics").fetchall())
    finally:
        con.close()


def test_retag_keeps_old_versions_and_views_follow_the_new(config, settings, project_env):
    run_daily(config)
    before = topics_of(settings.db_path)
    old_versions = {v for v, _ in before}
    topics = Path(project_env["MARSAD_CONFIG"]) / "topics.toml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n# analyst edit: a new taxonomy version\n",
                      encoding="utf-8")
    line = retag_articles(load_config(env=project_env, offline=True))
    assert "re-tagged 5 article(s)" in line
    after = topics_of(settings.db_path)
    new_versions = {v for v, _ in after} - old_versions
    assert len(new_versions) == 1 and before <= after  # old tags kept for comparison
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        assert {v for (v,) in con.execute("select distinct taxonomy_version from v_article_topics").fetchall()} == new_versions
    finally:
        con.close()


def test_reextract_from_raw_pages_without_network(config, settings):
    page = RawPage("https://news.example/amp/deepseek-nvidia", "https://news.example/amp/deepseek-nvidia", "feed_x", 200,
                   "text/html; charset=utf-8", {}, PAGE.encode("utf-8"), datetime.now(UTC))
    with open_warehouse(settings.db_path) as con:
        load_raw_pages(con, [page])
    first = reextract_pages(config)
    assert "1 article(s) kept, 1 new" in first
    assert "0 new" in reextract_pages(config)
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        row = con.execute("select canonical_url, lang, source from articles").fetchall()
        tags = {t for (t,) in con.execute("select topic from article_topics").fetchall()}
    finally:
        con.close()
    assert row == [("https://news.example/tech/deepseek-nvidia", "ar", "feed_x")]
    assert "market_impact" in tags


def test_digest_send_delivers_once_per_recipient(config, project_env):
    pytest.importorskip("aiosmtpd")
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    inbox = Inbox()
    port = free_port()  # a free loopback port for the real SMTP server
    ctl = Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        run_daily(config)
        env = {**project_env, "MARSAD_SMTP_HOST": "127.0.0.1", "MARSAD_SMTP_PORT": str(port),
               "MARSAD_SMTP_TLS": "none"}
        smtp_config = load_config(env=env, offline=True)
        first = rebuild_digest(smtp_config, send=True)
        second = rebuild_digest(smtp_config, send=True)
    finally:
        ctl.stop()
    assert "1 sent" in first and "0 sent, 1 already sent" in second
    assert len(inbox.messages) == 1
    msg = inbox.messages[0]
    assert msg["To"].endswith("analyst@example.com>") or "analyst@example.com" in msg["To"]
    html = next(p for p in msg.walk() if p.get_content_type() == "text/html").get_payload(decode=True).decode()
    assert 'dir="rtl"' in html


def test_export_writes_parquet(config, project_env, tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    run_daily(config)
    out = tmp_path / "export"
    result = CliRunner().invoke(app, ["export", "--out", str(out)], env=project_env)
    assert result.exit_code == 0, result.output
    articles = pq.read_table(out / "articles.parquet")
    assert articles.num_rows == 5 and "evidence" in pq.read_table(out / "article_topics.parquet").column_names
