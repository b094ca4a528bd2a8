"""Source health: a source that usually yields articles and yields none today is flagged — in
the `source_health` view, the run summary, the email and the dashboard.

History (12 earlier digest days) goes through the pipeline's own steps (`start_run`, `store`,
`finish_run`) with articles and fetch-log records for each day; today is a real run against a
loopback server: one feed answers 500 (errors), one is empty (silent), one has a new story
(ok), and one that rarely yields is empty too (quiet: no alert)."""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import timedelta
from email import message_from_bytes, policy

import duckdb
import pytest

from dashboards.delivery.email import build_digest_emails
from dashboards.site import build_dashboard
from extractors.core.records import Article, FetchLogEntry
from flows import pipeline
from flows.config import load_config
from flows.summary import print_run_summary
from tests.real_world import ROOT, wire_page
from tests.webserver import WebServer, marsad_fetch_toml, rss

FEEDS = ("feed_a", "feed_b", "feed_c", "feed_d")


def _article(source, day, k):
    aid = hashlib.sha256(f"{source}{day}{k}".encode()).hexdigest()[:16]
    url = f"https://{source}.example/{day}/{k}"
    return Article(aid, url, url, source, f"خبر {k}", f"نص {source} {day} {k} عن ديب سيك والرقائق.", "ar", "h" + aid)


@pytest.fixture(scope="module")
def today_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("health")
    srv = WebServer().start()

    @srv.route("/feed-a.xml")
    async def broken(req, w):
        from tests.webserver import send
        await send(w, 500, b"down")

    srv.static("/feed-b.xml", rss([]), "application/rss+xml")
    srv.static("/feed-d.xml", rss([]), "application/rss+xml")
    srv.static("/c/new", wire_page("alhurra", "الحرة"))
    srv.static("/feed-c.xml", rss([("/c/new", "ديب سيك تهز أسواق الرقائق", "خبر")], base=srv.base()),
               "application/rss+xml")
    config_dir = tmp / "config"
    shutil.copytree(ROOT / "config", config_dir)
    with (config_dir / "marsad.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + marsad_fetch_toml())
    names = {"feed_a": '{ ar = "الجزيرة", en = "Al Jazeera" }'}
    (config_dir / "sources.toml").write_text("".join(
        f'[[source]]\nname = "{n}"\nkind = "rss"\nurl = "{srv.url("/feed-" + n[-1] + ".xml")}"\n'
        + (f"display_name = {names[n]}\n" if n in names else "") + "\n" for n in FEEDS), encoding="utf-8")
    env = {"MARSAD_CONFIG": str(config_dir), "MARSAD_DB": str(tmp / "w.duckdb"), "MARSAD_OUTBOX": str(tmp / "out"),
           "MARSAD_DASHBOARD": str(tmp / "dash"), "MARSAD_SEEDS": str(ROOT / "seeds")}
    config = load_config(env=env, offline=False)
    today = config.settings.digest_day(None)
    for back in range(12, 0, -1):  # twelve earlier days through the pipeline's own steps
        day = today - timedelta(days=back)
        ctx = pipeline.start_run(config, day)
        arts = [_article(s, day, k) for s, n in (("feed_a", 2), ("feed_b", 1), ("feed_c", 1)) for k in range(n)]
        arts += [_article("feed_d", day, 0)] if back % 4 == 0 else []  # yields on 3 of 12 days
        log = [FetchLogEntry(srv.url(f"/feed-{s[-1]}.xml"), s, "ok") for s in FEEDS]
        report = pipeline.store(ctx, pipeline.StepReport(articles=arts, log=log))
        pipeline.finish_run(ctx, report)
    ctx, summary = pipeline.run_daily(config)
    srv.stop()
    result = {"run_id": ctx.run_id, "digest_date": ctx.digest_date.isoformat(), "counts": dict(summary.counts),
              "notes": [], "info": summary.info, "skipped": summary.skipped}
    return config, today, result


def test_the_view_flags_the_sources_that_usually_yield_and_did_not(today_run):
    config, today, _ = today_run
    con = duckdb.connect(str(config.settings.db_path), read_only=True)
    try:
        rows = {r[0]: r[1:] for r in con.execute(
            "select source, status, alert, articles, yield_days, fetch_days, usually_yields, baseline "
            "from source_health where digest_date = ?", [today]).fetchall()}
    finally:
        con.close()
    assert rows["feed_a"][:3] == ("errors", True, 0) and rows["feed_a"][3:6] == (12, 12, True)
    assert rows["feed_a"][6] == 2.0
    assert rows["feed_b"][:3] == ("silent", True, 0)
    assert rows["feed_c"][:3] == ("ok", False, 1)
    assert rows["feed_d"][:3] == ("silent", False, 0) and rows["feed_d"][3] == 3 and not rows["feed_d"][5]


def test_the_run_summary_has_a_line_per_silent_source(today_run, capsys):
    config, _, result = today_run
    print_run_summary(result, config.settings)
    lines = [line for line in capsys.readouterr().out.splitlines() if "source health" in line]
    assert len(lines) == 2
    assert re.search(r"feed_a yielded no article \(every fetch failed.*\); usually 2\.0 a day, on 12 of the last 12", lines[0])
    assert "feed_b yielded no article (fetched, no new article)" in lines[1]


def test_the_email_has_a_source_health_block(today_run):
    config, today, _ = today_run
    con = duckdb.connect(str(config.settings.db_path), read_only=True)
    try:
        (_, msg), = build_digest_emails(con, config.settings, today, recipients=config.recipients)
    finally:
        con.close()
    msg = message_from_bytes(bytes(msg), policy=policy.default)
    text, html = msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()
    assert "صحة المصادر" in text and "صحة المصادر" in html
    assert "الجزيرة: أخطاء فقط · 0 مقالات اليوم · المعتاد 2 يومياً، في 12 من آخر 12 يوماً" in text
    assert "feed_b: صامت" in text and "feed_d" not in text and "feed_c:" not in text


def test_the_dashboard_has_a_source_health_panel(today_run, tmp_path):
    config, today, _ = today_run
    con = duckdb.connect(str(config.settings.db_path), read_only=True)
    try:
        page = build_dashboard(con, tmp_path, today=today, settings=config.settings).read_text(encoding="utf-8")
    finally:
        con.close()
    rows = re.findall(r'<tr class="([a-z_]+)" data-source="([a-z_]+)" data-status="([a-z_]+)"', page)
    assert rows[:2] == [("alert", "feed_a", "errors"), ("alert", "feed_b", "silent")]
    assert ("ok", "feed_c", "ok") in rows and ("silent", "feed_d", "silent") in rows
