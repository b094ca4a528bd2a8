"""News sitemaps: urlset with news: entries, sitemap index, gzip, hostile XML."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

import pytest

from extractors.core.errors import TooLargeError
from extractors.web.feeds import FeedError
from extractors.web.sitemaps import parse_date, parse_sitemap

NS = ('xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
      'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"')


def news_sitemap(entries: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<url><loc>{loc}</loc><news:news><news:publication><news:name>X</news:name><news:language>ar"
        f"</news:language></news:publication><news:publication_date>{date}</news:publication_date>"
        f"<news:title>{title}</news:title></news:news></url>" for loc, title, date in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{body}</urlset>'.encode()


def test_news_urlset_entries():
    now = datetime.now(UTC).replace(microsecond=0)
    data = news_sitemap([
        ("https://site.example/a/1?utm_source=sm", "ديب سيك تطلق نموذجا", now.isoformat()),
        ("/a/2", "خبر رياضي", "2025-01-27"),
        ("https://site.example/a/1", "duplicate", now.isoformat()),
    ])
    parsed = parse_sitemap(data, "https://site.example/news-sitemap.xml")
    assert parsed.children == []
    assert [i.url for i in parsed.items] == ["https://site.example/a/1", "https://site.example/a/2"]
    assert parsed.items[0].title == "ديب سيك تطلق نموذجا" and parsed.items[0].published == now
    assert parsed.items[1].published == datetime(2025, 1, 27, tzinfo=UTC)


def test_plain_urlset_uses_lastmod():
    data = (f'<urlset {NS}><url><loc>https://s.example/p</loc><lastmod>2025-02-01T08:00:00+03:00</lastmod></url>'
            "</urlset>").encode()
    (item,) = parse_sitemap(data, "https://s.example/sitemap.xml").items
    assert item.title is None and item.published == datetime(2025, 2, 1, 5, tzinfo=UTC)


def test_sitemap_index_and_gzip():
    recent = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    index = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>https://s.example/news-1.xml.gz</loc><lastmod>{recent}</lastmod></sitemap>"
             "<sitemap><loc>/news-0.xml</loc></sitemap></sitemapindex>").encode()
    parsed = parse_sitemap(gzip.compress(index), "https://s.example/sitemap_index.xml.gz")
    assert [c[0] for c in parsed.children] == ["https://s.example/news-1.xml.gz", "https://s.example/news-0.xml"]
    assert parsed.children[0][1] is not None and parsed.children[1][1] is None


def test_gzip_bomb_sitemap_is_capped():
    bomb = gzip.compress(b"<urlset>" + b" " * 30_000_000 + b"</urlset>")
    with pytest.raises(TooLargeError):
        parse_sitemap(bomb, "https://s.example/sitemap.xml.gz", max_bytes=1_000_000)


def test_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file://{secret}">]>'
            f'<urlset {NS}><url><loc>https://s.example/a</loc><news:news><news:title>&x;</news:title>'
            "</news:news></url></urlset>").encode()
    parsed = parse_sitemap(data, "https://s.example/sitemap.xml")
    assert all("TOP-SECRET" not in (i.title or "") for i in parsed.items)


@pytest.mark.parametrize("body,match", [
    (b"", "empty"),
    (b"<html><body>not found</body></html>", "root element"),
    (b'<rss version="2.0"><channel/></rss>', "expected <urlset>"),
])
def test_not_a_sitemap(body, match):
    with pytest.raises(FeedError, match=match):
        parse_sitemap(body, "https://s.example/sitemap.xml")


def test_parse_date_variants():
    assert parse_date("2025-01-27T10:00:00Z") == datetime(2025, 1, 27, 10, tzinfo=UTC)
    assert parse_date("2025-01-27") == datetime(2025, 1, 27, tzinfo=UTC)
    assert parse_date("yesterday") is None and parse_date(None) is None
