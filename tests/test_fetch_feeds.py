"""Discovery end to end on a real loopback server: feeds, a news sitemap index (gzip), GDELT and
pasted URLs in one batch; then a re-run that must fetch nothing new and send conditional GETs.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from extractors.tagging.watchlist import WatchGroup, Watchlist
from extractors.web.batch import collect
from extractors.web.sources import Source, load_sources
from tests import webserver
from tests.webserver import (
    Request,
    article_html,
    loopback_fetch_settings,
    rss,
    send,
    write_sources_toml,
)

web_server = webserver.web_server
WATCH = Watchlist([WatchGroup("deepseek", ("ديب سيك",), ("DeepSeek",)), WatchGroup("nvidia", ("إنفيديا",), ("Nvidia",))])
PAGES = ["/story/deepseek", "/story/nvidia", "/amp/story", "/gdelt/story", "/sm/1", "/news/sport", "/sm/2"]


@pytest.fixture(scope="module")
def world(web_server):
    srv = web_server
    srv.static("/feeds/a.xml", rss([
        ("/story/deepseek?utm_source=rss", "ديب سيك تهز الأسواق", "تراجع أسهم التكنولوجيا"),
        ("/news/sport", "المنتخب يفوز بالكأس", "مباراة مثيرة"),
        ("../amp/story", "نسخة AMP", "ديب سيك في نسخة مسرعة"),
    ]), "application/rss+xml", etag='"feed-a-v1"')
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>B</title>'
            f'<entry><title>ديب سيك: القصة نفسها</title><link href="{srv.url("/story/deepseek")}?utm_medium=x#c"/></entry>'
            '<entry><title>إنفيديا تخسر</title><link href="/story/nvidia"/></entry></feed>')
    srv.static("/feeds/b.xml", atom, "application/atom+xml", last_modified="Mon, 27 Jan 2025 10:00:00 GMT")
    srv.static("/feeds/broken.xml", b"<<< this is < not & xml at all", "application/rss+xml")
    for path in ("/story/nvidia", "/gdelt/story", "/sm/1", "/news/sport", "/sm/2"):
        srv.static(path, article_html("إنفيديا و ديب سيك"))

    seen = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

    async def gdelt(req: Request, w: asyncio.StreamWriter) -> None:
        body = {"articles": [{"url": srv.url("/gdelt/story", 2), "title": "خبر من جدلت", "seendate": seen,
                              "language": "Arabic", "domain": "127.0.0.3"}]}
        await send(w, 200, json.dumps(body, ensure_ascii=False).encode(), {"Content-Type": "application/json"})

    srv.routes["/api/v2/doc/doc"] = gdelt
    child = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
             '<url><loc>/sm/1</loc><news:news><news:title>إنفيديا والرقائق</news:title></news:news></url>'
             '<url><loc>/sm/2</loc><news:news><news:title>طقس معتدل</news:title></news:news></url></urlset>')
    srv.static("/news-sitemap.xml.gz", gzip.compress(child.encode()), "application/x-gzip")
    srv.static("/sitemap_index.xml", '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
               "<loc>/news-sitemap.xml.gz</loc></sitemap></sitemapindex>", "application/xml", etag='"idx-1"')
    sources = [
        Source("feed_a", "rss", srv.url("/feeds/a.xml")),
        Source("feed_b", "rss", srv.url("/feeds/b.xml", 1)),
        Source("feed_broken", "rss", srv.url("/feeds/broken.xml", 2)),
        Source("feed_gone", "rss", srv.url("/feeds/missing.xml", 2)),
        Source("gdelt", "gdelt", srv.url("/api/v2/doc/doc", 2), watchlist_filter=False),
        Source("sitemap", "sitemap", srv.url("/sitemap_index.xml", 1)),
    ]
    first = collect(sources, settings=loopback_fetch_settings(), watchlist=WATCH, known_urls=set(), feed_state={})
    return srv, sources, first


def test_first_run_fetches_each_matching_story_once(world):
    srv, _, batch = world
    fetched = {urlsplit(p.url).path for p in batch.pages}
    assert fetched == {"/story/deepseek", "/story/nvidia", "/amp/story", "/gdelt/story", "/sm/1"}
    assert len(srv.requests_to("/story/deepseek")) == 1  # same story in two feeds → one request
    assert batch.items[srv.url("/story/deepseek")].sources == ["feed_a", "feed_b"]
    assert srv.requests_to("/news/sport") == [] and srv.requests_to("/sm/2") == []
    assert batch.skipped["feed_a"]["not_in_watchlist"] == 1
    assert batch.skipped["feed_b"]["duplicate_in_batch"] == 1
    assert batch.skipped["sitemap"]["not_in_watchlist"] == 1


def test_failed_sources_get_one_clear_note_and_a_log_row(world):
    srv, _, batch = world
    by_source: dict[str, list[str]] = {}
    for note in batch.notes:
        by_source.setdefault(note.item, []).append(note.message)
    assert len(by_source["feed_broken"]) == 1 and "not a feed" in by_source["feed_broken"][0]
    assert by_source["feed_gone"] == ["feed_gone: feed answered HTTP 404 Not Found — skipped"]
    broken = [e for e in batch.log if e.url == srv.url("/feeds/broken.xml", 2)]
    assert [(e.status, e.error_class) for e in broken] == [("error", "not_a_feed")]
    assert not {"feed_a", "feed_b", "gdelt", "sitemap"} & set(by_source)


def test_gdelt_request_is_an_arabic_artlist_query(world):
    srv, _, _ = world
    (req,) = srv.requests_to("/api/v2/doc/doc") or [r for r in srv.requests if r.path.startswith("/api/v2/doc/doc")]
    query = parse_qs(urlsplit(req.path).query)
    assert query["mode"] == ["ArtList"] and query["format"] == ["json"]
    assert "sourcelang:arabic" in query["query"][0] and "deepseek" in query["query"][0].lower()


def test_feed_state_records_validators(world):
    _, _, batch = world
    assert batch.feed_state["feed_a"]["etag"] == '"feed-a-v1"'
    assert batch.feed_state["feed_b"]["last_modified"] == "Mon, 27 Jan 2025 10:00:00 GMT"
    assert batch.feed_state["sitemap"]["etag"] == '"idx-1"'


def test_rerun_sends_conditional_requests_and_fetches_nothing_new(world):
    srv, sources, first = world
    page_hits = {p: len([r for r in srv.requests if r.path.split("?")[0] == p]) for p in PAGES}
    again = collect(sources, settings=loopback_fetch_settings(), watchlist=WATCH,
                    known_urls={p.url for p in first.pages}, feed_state=first.feed_state)
    assert again.pages == []
    assert page_hits == {p: len([r for r in srv.requests if r.path.split("?")[0] == p]) for p in PAGES}
    status = {e.source: e.status for e in again.log if not e.url.endswith("/robots.txt")}
    assert status["feed_a"] == status["feed_b"] == status["sitemap"] == "not_modified"
    assert srv.requests_to("/feeds/a.xml")[-1].headers["if-none-match"] == '"feed-a-v1"'
    assert srv.requests_to("/feeds/b.xml")[-1].headers["if-modified-since"] == "Mon, 27 Jan 2025 10:00:00 GMT"
    assert again.skipped["gdelt"] == {"already_stored": 1}
    assert again.feed_state["feed_a"]["etag"] == '"feed-a-v1"'  # kept across a 304


def test_robots_txt_fetched_once_per_host(world):
    srv, _, _ = world
    per_host = {}
    for r in srv.requests_to("/robots.txt"):
        per_host[r.host] = per_host.get(r.host, 0) + 1
    assert per_host and max(per_host.values()) <= 6  # ≤ 1 per collect() call per host (module runs a few)


def test_sources_toml_helper_round_trips(world, tmp_path):
    srv, _, _ = world
    path = write_sources_toml(tmp_path / "sources.toml", srv, {"feed_a": "/feeds/a.xml", "feed_b": "/feeds/b.xml"})
    loaded = load_sources(path)
    assert [(s.name, s.kind, s.url) for s in loaded] == [
        ("feed_a", "rss", srv.url("/feeds/a.xml")), ("feed_b", "rss", srv.url("/feeds/b.xml"))]
