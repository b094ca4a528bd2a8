"""normalize_url / canonical_url: one stable key per story, however it was linked."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.article.urls import canonical_url, normalize_url, site_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://WWW.Example.COM:443/a/b/../c?utm_source=x&b=2&a=1&fbclid=z#comments",
         "https://www.example.com/a/c?a=1&b=2"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/x?gclid=1&utm_medium=rss", "http://example.com:8080/x"),
        ("https://elbaladtv.net/%d8%aa%d8%b1/", "https://elbaladtv.net/%D8%AA%D8%B1/"),
        ("https://example.com/تقنية/مقال", "https://example.com/%D8%AA%D9%82%D9%86%D9%8A%D8%A9/%D9%85%D9%82%D8%A7%D9%84"),
        ("https://example.com/%7Euser/a%2fb", "https://example.com/~user/a%2Fb"),
        ("https://www.google.com/url?rct=j&sa=t&url=http://www.example.com/news%3Fid%3D5%26utm_source%3Dg&ct=ga",
         "http://www.example.com/news?id=5"),
        ("https://news.example.com/story?id=7&page=2&gallery=1", "https://news.example.com/story?gallery=1&id=7&page=2"),
        ("  <![CDATA[https://example.com/a]]> ", "https://example.com/a"),
        ("https://xn--mgbh0fb.xn--kgbechtv/", "https://xn--mgbh0fb.xn--kgbechtv/"),
        ("https://مثال.إختبار/", "https://xn--mgbh0fb.xn--kgbechtv/"),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected
    assert normalize_url(expected) == expected  # idempotent


def test_relative_urls_need_a_base():
    assert normalize_url("../x?b=1#f", base="https://a.example/p/q/r") == "https://a.example/p/x?b=1"
    assert normalize_url("//cdn.example/a", base="https://a.example/") == "https://cdn.example/a"
    with pytest.raises(ValueError, match="not an absolute URL"):
        normalize_url("/news/1")


def test_google_alerts_links_from_the_real_feed_unwrap_to_the_article():
    feed = SHARED / "fixtures" / "feeds" / "en_google-alerts_atom_utf8.xml"
    if not feed.exists():
        pytest.skip(f"{feed} missing: ../shared is not beside the repo")
    import re
    from html import unescape

    links = [unescape(h) for h in re.findall(r'<link[^>]+href="([^"]+)"', feed.read_text("utf-8"))]
    wrapped = [h for h in links if "google.com/url" in h]
    assert wrapped, "the fixture should hold Google redirect links"
    for link in wrapped:
        out = normalize_url(link)
        assert "google.com" not in out and out.startswith("http"), out


def test_site_key():
    assert site_key("https://www.bbc.co.uk/arabic/x") == "bbc.co.uk"
    assert site_key("https://arabic.cnn.com/") == "cnn.com"
    assert site_key("https://www.ahram.org.eg/News/1.aspx") == "ahram.org.eg"


PAGE = "https://www.example.com/news/2025/02/deepseek-chips"


def test_canonical_link_on_same_site_is_used():
    html = '<html><head><link href="/news/2025/02/deepseek-chips?utm_source=tw&amp;p=1" rel="Canonical"></head><body></body></html>'
    assert canonical_url(html, PAGE + "?utm_campaign=x#top") == PAGE + "?p=1"


def test_og_url_when_no_canonical_and_canonical_first_when_both():
    og = '<head><meta property="og:url" content="https://example.com/n/2"></head>'
    assert canonical_url(og, "https://m.example.com/n/2?from=app") == "https://example.com/n/2"
    both = ('<head><meta property="og:url" content="https://example.com/og"/>'
            '<link rel="canonical" href="https://example.com/canon"/></head>')
    assert canonical_url(both, "https://example.com/x") == "https://example.com/canon"


def test_implausible_canonicals_are_ignored():
    other_site = '<head><link rel="canonical" href="https://aggregator.example.org/copy/1"></head>'
    assert canonical_url(other_site, PAGE) == PAGE
    home = '<head><link rel="canonical" href="https://www.example.com/"></head>'
    assert canonical_url(home, PAGE) == PAGE
    javascript = '<head><link rel="canonical" href="javascript:void(0)"></head>'
    assert canonical_url(javascript, PAGE) == PAGE


def test_amp_page_maps_to_its_canonical():
    amp = ('<html amp><head><link rel="canonical" href="https://www.example.com/news/1">'
           '<link rel="amphtml" href="https://www.example.com/news/1/amp"></head></html>')
    assert canonical_url(amp, "https://www.example.com/news/1/amp") == "https://www.example.com/news/1"
    # No canonical link at all: the AMP markers are dropped.
    assert canonical_url("<html></html>", "https://amp.example.com/news/1/amp/") == "https://example.com/news/1/"
    assert canonical_url("", "https://example.com/a?amp=1&id=3") == "https://example.com/a?id=3"
    assert canonical_url(None, "https://example.com/a.amp.html") == "https://example.com/a.html"
    # Google's AMP cache serves other sites' pages: their canonical is trusted.
    cache = "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/1"
    assert canonical_url(amp, cache) == "https://www.example.com/news/1"


def test_canonical_from_tree_bytes_and_text_agree_on_a_real_page():
    page = SHARED / "fixtures" / "html" / "ar_elbaladtv_2020-12-25.html"
    if not page.exists():
        pytest.skip(f"{page} missing: ../shared is not beside the repo")
    from lxml import html as lxml_html

    raw = page.read_bytes()
    url = "https://elbaladtv.net/some/other/path"
    from_bytes = canonical_url(raw, url)
    assert from_bytes == canonical_url(raw.decode("utf-8"), url) == canonical_url(lxml_html.fromstring(raw), url)
    assert from_bytes.startswith("https://elbaladtv.net/%D8%AA%D8%B1%D9%83%D9%89-")  # percent-encoded Arabic slug
    assert from_bytes == normalize_url(from_bytes)


def test_local_file_pages_trust_their_declared_canonical():
    html = '<head><link rel="canonical" href="https://www.example.com/a"></head>'
    assert canonical_url(html, "file:///tmp/page.html") == "https://www.example.com/a"
    assert canonical_url("<p>x</p>", "file:///tmp/page.html") == "file:///tmp/page.html"
