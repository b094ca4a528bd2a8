"""The dashboard in headless Chromium (Debian's /usr/bin/chromium): charts, filters, no errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboards.site import build_dashboard
from extractors.core.settings import load_settings
from tests.delivery_world import DIGEST_DAY, fill

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.slow

if not CHROMIUM.exists() and not shutil.which("chromium"):
    pytest.skip("Debian chromium is not installed (scripts/install-test-deps.sh installs it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="python playwright is not installed")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")), args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def opened(fresh_db, browser, tmp_path):
    settings = load_settings(None, env={"MARSAD_TIMEZONE": "Asia/Riyadh"})
    con = fresh_db
    fill(con)
    path = build_dashboard(con, tmp_path / "site", today=DIGEST_DAY, settings=settings)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    events = {"console": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: events["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: events["console"].append(("pageerror", str(e))))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    yield page, events, tmp_path
    page.close()


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
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.topic)")) == {"pricing"}
    assert page.inner_text("#shown") == str(rows.count())
    # the hostile title is shown as text
    assert "<script>alert('x')</script>" in page.inner_text("#stories")

    page.select_option("#f-topic", "")
    page.select_option("#f-source", "aljazeera")
    assert set(_visible_rows(page).evaluate_all("rs => rs.map(r => r.dataset.source)")) == {"aljazeera"}

    page.select_option("#f-source", "")
    page.select_option("#f-entity", "إنفيديا")
    ents = _visible_rows(page).evaluate_all("rs => rs.map(r => r.dataset.entities)")
    assert ents and all("إنفيديا" in e.split("|") for e in ents)
    assert len(ents) < total

    page.select_option("#f-entity", "")
    page.click(".card[data-topic='market_impact']")
    assert set(_visible_rows(page).evaluate_all("rs => rs.map(r => r.dataset.topic)")) == {"market_impact"}
