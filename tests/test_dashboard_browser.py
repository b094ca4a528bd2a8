"""The dashboard in headless Chromium (Debian's /usr/bin/chromium): charts, filters, toggles, the
language switch, the CSV download, no console errors; screenshots of both chromes.

Two warehouses: the hostile test world (tests/delivery_world.py: three weeks of rows, hostile
titles) and a real run (tests/real_world.py: the seeds and a wire story in five outlets)."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest

from dashboards.site import build_dashboard
from extractors.core.settings import load_settings
from tests.delivery_world import DIGEST_DAY, fill
from tests.real_world import real_world, serve_wire
from tests.webserver import WebServer

pytestmark = pytest.mark.slow


def _watch(page):
    events = {"console": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: events["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: events["console"].append(("pageerror", str(e))))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    return events


@pytest.fixture()
def opened(fresh_db, browser, tmp_path):
    settings = load_settings(None, env={"MARSAD_TIMEZONE": "Asia/Riyadh"})
    con = fresh_db
    fill(con)
    path = build_dashboard(con, tmp_path / "site", today=DIGEST_DAY, settings=settings)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    events = _watch(page)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    yield page, events, tmp_path
    page.close()


@pytest.fixture(scope="module")
def real_page_path(tmp_path_factory):
    srv = WebServer().start()
    serve_wire(srv)
    try:
        world = real_world(tmp_path_factory.mktemp("world"), srv)
    finally:
        srv.stop()
    con = duckdb.connect(str(world.db), read_only=True)
    try:
        return build_dashboard(con, world.db.parent / "site", today=world.day, settings=world.config.settings)
    finally:
        con.close()


def _visible_rows(page):
    return page.locator("#stories tbody tr:visible")


def test_loads_offline_with_no_console_errors(opened):
    page, events, tmp_path = opened
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000
    assert [m for m in events["console"] if m[0] in ("error", "pageerror", "warning")] == []
    assert all(u.startswith("file://") for u in events["requests"]), events["requests"]
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert events["dialogs"] == []  # the hostile <script> title did not run


def test_charts_are_drawn_and_the_window_toggles(opened):
    page, _, _ = opened
    figures = page.locator("figure.w30:visible svg.trend")
    assert figures.count() == 4
    box = figures.first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 20
    heights = page.eval_on_selector_all("figure.w30 rect.bar", "els => els.map(e => e.getBBox().height)")
    assert len(heights) == 120 and max(heights) > 10
    assert page.locator("figure.w30 circle.spike-mark").count() >= 1
    assert page.locator("figure.w90:visible").count() == 0
    page.click("button[data-window='90']")
    assert page.locator("figure.w90:visible").count() == 4 and page.locator("figure.w30:visible").count() == 0


def test_filters_narrow_the_table(opened):
    page, _, _ = opened
    total = _visible_rows(page).count()
    assert total >= 10
    page.select_option("#f-topic", "pricing")
    rows = _visible_rows(page)
    assert 0 < rows.count() < total
    assert all("pricing" in t.split("|") for t in rows.evaluate_all("rs => rs.map(r => r.dataset.topics)"))
    assert page.inner_text("#shown") == str(rows.count())
    # the hostile title is shown as text
    assert "<script>alert('x')</script>" in page.inner_text("#stories")

    page.select_option("#f-topic", "")
    page.select_option("#f-outlet", "aljazeera")
    assert all("aljazeera" in o.split("|") for o in _visible_rows(page).evaluate_all("rs => rs.map(r => r.dataset.outlets)"))

    page.select_option("#f-outlet", "")
    page.select_option("#f-entity", "إنفيديا")
    ents = _visible_rows(page).evaluate_all("rs => rs.map(r => r.dataset.entities)")
    assert ents and all("إنفيديا" in e.split("|") for e in ents)
    assert len(ents) < total

    page.select_option("#f-entity", "")
    page.click(".card[data-topic='market_impact']")
    assert all("market_impact" in t.split("|") for t in _visible_rows(page).evaluate_all("rs => rs.map(r => r.dataset.topics)"))


def test_csv_download_holds_exactly_the_filtered_rows(opened):
    page, events, tmp_path = opened
    page.select_option("#f-topic", "pricing")
    shown = _visible_rows(page).count()
    with page.expect_download() as info:
        page.click("#csv")
    download = info.value
    assert download.suggested_filename == f"marsad-stories-{DIGEST_DAY.isoformat()}.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["date", "topics", "title"] and len(rows) == shown + 1
    assert all("pricing" in r[1] for r in rows[1:])
    assert any("<script>alert('x')</script>" in r[2] for r in rows[1:])  # text, as shown
    assert [m for m in events["console"] if m[0] in ("error", "pageerror", "warning")] == []


def test_the_evidence_toggle_opens_the_other_sentences(opened):
    page, _, _ = opened
    details = page.locator("#stories details").first
    assert not details.locator(".ev").first.is_visible()
    details.locator("summary").click()
    assert details.locator(".ev").first.is_visible()


def test_real_run_in_both_chromes(real_page_path, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    events = _watch(page)
    page.goto(real_page_path.as_uri())
    page.wait_for_load_state("load")
    assert _visible_rows(page).count() == 6        # one row per story: 5 seeds + the wire story
    wire = page.locator("#stories tbody tr", has_text="الجزيرة، العربية و3 أخرى")
    assert wire.count() == 1 and wire.locator(".chip").count() >= 2
    assert wire.locator("a[href='https://www.aljazeera.net/']").count() == 1
    assert page.locator("#stories mark").count() > 0 and page.locator("#volume svg.total").count() == 2
    assert page.locator("#top-outlets li").count() >= 4 and page.locator("#health tbody tr").count() == 5
    page.screenshot(path=str(tmp_path / "dashboard_ar.png"), full_page=True)
    page.click("#lang-toggle")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["en", "ltr"]
    assert "Top stories of the last 30 days" in page.inner_text("section.stories h2")
    assert page.locator("#stories tbody tr", has_text="Al Jazeera, Al Arabiya and 3 others").count() == 1
    assert page.locator("#stories td.evidence").first.get_attribute("dir") == "rtl"  # article text stays RTL
    page.screenshot(path=str(tmp_path / "dashboard_en.png"), full_page=True)
    for name in ("dashboard_ar.png", "dashboard_en.png"):
        assert (tmp_path / name).stat().st_size > 50_000
    page.click("#lang-toggle")
    assert page.evaluate("document.documentElement.dir") == "rtl" and "أبرز القصص" in page.inner_text("section.stories h2")
    assert [m for m in events["console"] if m[0] in ("error", "pageerror", "warning")] == []
    assert all(u.startswith("file://") for u in events["requests"]), events["requests"]
    page.close()
