"""The static dashboard as HTML: offline, RTL, CSP-locked, hostile titles inert (no browser)."""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape

import pytest

from dashboards.site import build_dashboard
from extractors.core.settings import load_settings
from tests.delivery_world import DIGEST_DAY, fill


@pytest.fixture()
def page(fresh_db, tmp_path):
    settings = load_settings(None, env={"MARSAD_TIMEZONE": "Asia/Riyadh"})
    con = fresh_db
    fill(con)
    path = build_dashboard(con, tmp_path / "site", today=DIGEST_DAY, settings=settings)
    return path, path.read_text(encoding="utf-8")


def test_writes_one_self_contained_rtl_page(page):
    path, html = page
    assert path.name == "index.html" and path.exists()
    assert '<html dir="rtl" lang="ar">' in html
    # offline: no external scripts, styles, fonts or images
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html)
    assert "cdn" not in html.lower()
    assert not list(path.parent.glob("*.tmp"))


def test_csp_allows_exactly_the_inline_script_and_style(page):
    _, html = page
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)

    def h(text):
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"script-src '{h(script)}'" in csp and f"style-src '{h(style)}'" in csp
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert html.count("<script") == 1  # ours; an article's <script> was escaped


def test_trends_for_every_topic_over_30_and_90_days_with_spikes(page):
    _, html = page
    assert html.count('class="w30"') == 4 and html.count('class="w90"') == 4
    assert len(re.findall(r'<rect class="bar(?: spike)?"', html)) == 4 * (30 + 90)
    assert len(re.findall(r'<rect class="bar total"', html)) == 30 + 90  # the total volume
    assert 'class="bar spike"' in html and 'class="spike-mark"' in html
    assert "قفزة" in html


def test_stories_have_evidence_links_and_filter_data(page):
    _, html = page
    text = re.sub(r"<[^>]+>", "", html)  # evidence is split by <mark> around the matched terms
    assert "خسرت أسهم إنفيديا نحو 17% من قيمتها في جلسة واحدة." in text
    assert "<mark>" in html
    assert 'href="https://aljazeera.example/' in html
    rows = re.findall(r'<tr data-topics="([^"]+)" data-outlets="([^"]+)" data-entities="([^"]*)"', html)
    assert {t for ts, _, _ in rows for t in ts.split("|")} == {"export_controls", "pricing", "privacy_bans", "market_impact"}
    assert any("ديب سيك" in e for _, _, e in rows)


def test_hostile_titles_are_inert(page):
    _, html = page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "javascript:" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html  # the other evidence line, escaped, behind the toggle
    assert "\u202e" not in html and "\r" not in html
    assert "إنفيديا تخسر Bcc: victim@evil.example X-Injected: yes" in html


def test_empty_warehouse_still_builds(fresh_db, tmp_path):
    settings = load_settings(None, env={})
    con = fresh_db
    path = build_dashboard(con, tmp_path / "out", today=DIGEST_DAY, settings=settings)
    html = path.read_text(encoding="utf-8")
    assert "لا قصص في الموجزات" in html and html.count('class="w30"') == 4
