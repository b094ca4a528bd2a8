"""Feed parsing on real feeds from ../shared/fixtures/feeds and on Arabic edge cases.

Real feeds cover RSS 2.0, Atom, RDF/RSS 0.90, legacy code pages, broken XML that feedparser
recovers, a leading newline before the XML declaration, Google Alerts redirect wrappers and
an HTML page served instead of a feed. Synthetic feeds cover what no licensed Arabic feed
file shows: windows-1256 with no declaration, a header that lies about the charset,
relative links.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from extractors.web.feeds import FeedError, parse_feed

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FEEDS = SHARED / "fixtures" / "feeds"
ARABIC_TITLE = "إنفيديا تخسر 600 مليار دولار بعد إطلاق ديب سيك"
NON_LATIN = re.compile(r"[\u0590-\u06ff\u0400-\u04ff\u4e00-\u9fff]")


def manifest() -> list[dict]:
    if not FEEDS.is_dir():
        return []
    with (SHARED / "fixtures" / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh, delimiter="\t") if row["path"].startswith("feeds/")]


@pytest.mark.parametrize("row", manifest() or [None], ids=lambda r: r["path"] if r else "no-shared")
def test_every_real_feed_parses_or_is_reported_as_not_a_feed(row):
    if row is None:
        pytest.skip(f"../shared/fixtures not found at {FEEDS}")
    body = (SHARED / "fixtures" / row["path"]).read_bytes()
    if "html-instead-of-feed" in row["path"]:
        with pytest.raises(FeedError, match="not a feed"):
            parse_feed(body, "https://feeds.example.org/x.xml")
        return
    parsed = parse_feed(body, "https://feeds.example.org/x.xml")
    assert parsed.items, row["path"]
    assert all(i.url.startswith(("http://", "https://")) for i in parsed.items)
    assert len({i.url for i in parsed.items}) == len(parsed.items)
    if row["language"] in ("ur", "ru", "bg", "he", "zh-TW"):  # non-Latin script decoded, not mojibake
        titles = " ".join(i.title or "" for i in parsed.items)
        assert len(NON_LATIN.findall(titles)) > len(titles) // 4, (row["path"], titles[:80])
    if "BROKEN" in row["path"]:
        assert parsed.warning and "malformed" in parsed.warning


def test_google_alerts_redirect_wrappers_are_unwrapped():
    if not FEEDS.is_dir():
        pytest.skip("no shared fixtures")
    parsed = parse_feed((FEEDS / "en_google-alerts_atom_utf8.xml").read_bytes(), "https://www.google.com/alerts/feeds/1")
    assert parsed.items and not any("google.com" in i.url for i in parsed.items)
    assert all("<b>" not in (i.title or "") for i in parsed.items)


def arabic_rss(encoding: str, *, declare: bool) -> bytes:
    decl = f'<?xml version="1.0" encoding="{encoding}"?>' if declare else ""
    more = "".join(f"<item><title>خبر رقم {i} عن الاقتصاد والأسواق العربية اليوم</title><link>https://news.example/a/{i}</link>"
                   f"<description>تراجعت أسواق الأسهم في المنطقة مع ترقب المستثمرين لقرارات البنوك المركزية</description></item>"
                   for i in range(2, 6))
    text = (f'{decl}<rss version="2.0"><channel><title>أخبار</title><item><title>{ARABIC_TITLE}</title>'
            f"<link>https://news.example/a/1</link><description>رقائق وقيود التصدير</description></item>{more}</channel></rss>")
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ["windows-1256", "iso-8859-6"])
def test_legacy_arabic_feed_without_any_declaration(encoding):
    parsed = parse_feed(arabic_rss(encoding, declare=False), "https://news.example/rss", "application/rss+xml")
    assert parsed.items[0].title == ARABIC_TITLE


def test_declared_windows_1256_feed():
    parsed = parse_feed(arabic_rss("windows-1256", declare=True), "https://news.example/rss", "text/xml")
    assert parsed.items[0].title == ARABIC_TITLE


def test_header_charset_that_lies_about_a_utf8_feed():
    body = arabic_rss("utf-8", declare=False)
    parsed = parse_feed(body, "https://news.example/rss", "application/xml; charset=iso-8859-1")
    assert parsed.items[0].title == ARABIC_TITLE


def test_relative_links_resolve_against_the_feed_url_and_tracking_is_stripped():
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>a</title><link>/news/1?utm_source=rss#top</link></item>"
            b"<item><title>b</title><link>story/2</link></item>"
            b"<item><title>c</title><link>https://other.example/3</link></item></channel></rss>")
    parsed = parse_feed(body, "https://site.example/feeds/main.xml")
    assert [i.url for i in parsed.items] == [
        "https://site.example/news/1", "https://site.example/feeds/story/2", "https://other.example/3"]


def test_atom_and_rdf_minimal():
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
            '<entry><title>ديب سيك</title><link rel="alternate" href="/e/1"/><summary>نص</summary>'
            "<updated>2025-01-27T10:00:00Z</updated></entry></feed>").encode()
    item = parse_feed(atom, "https://a.example/atom").items[0]
    assert item.url == "https://a.example/e/1" and item.title == "ديب سيك"
    assert item.published is not None and item.published.year == 2025
    rdf = ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>t</title></channel>'
           '<item rdf:about="https://r.example/1"><title>إنفيديا</title><link>https://r.example/1</link></item>'
           "</rdf:RDF>").encode()
    assert parse_feed(rdf, "https://r.example/rdf").items[0].title == "إنفيديا"


@pytest.mark.parametrize("body", [b"", b"<html><body>Object moved</body></html>", b"\x00\x01garbage", b"{\"json\": 1}"])
def test_non_feeds_raise_a_clear_feed_error(body):
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(body, "https://x.example/rss")


def test_filter_text_joins_title_and_summary():
    parsed = parse_feed(arabic_rss("utf-8", declare=True), "https://news.example/rss")
    assert "قيود التصدير" in parsed.items[0].filter_text() and ARABIC_TITLE in parsed.items[0].filter_text()
