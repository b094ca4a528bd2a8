"""Fetching as one polite whole (issue 12), against the real loopback server.

Every source group goes through ONE collect(): one per-host scheduler, one robots.txt cache.
These tests fail on the old design (a collect per group, redirects followed inside one gate
turn, elapsed time including the wait, dropped connections tripping the breaker).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.tagging.watchlist import WatchGroup, Watchlist
from extractors.web.batch import WebBatch, collect
from extractors.web.sources import Source
from tests.webserver import (
    Request,
    WebServer,
    article_html,
    close_connection,
    loopback_fetch_settings,
    marsad_fetch_toml,
    reset_connection,
    rss,
    send,
)

WATCH = Watchlist([WatchGroup("deepseek", ("ديب سيك",), ("DeepSeek",))])
STORY = "ديب سيك تهز الأسواق"


@pytest.fixture(scope="module")
def srv():
    server = WebServer(("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")).start()
    yield server
    server.stop()


def urls_source(name: str, urls: list[str], group: str = "") -> Source:
    return Source(name=name, kind="urls", urls=tuple(urls), watchlist_filter=False, group=group)


def sitemap(urls: list[str]) -> str:
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    body = "".join(f"<url><loc>{u}</loc><lastmod>{today}</lastmod></url>" for u in urls)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'


def page_rows(batch: WebBatch, prefix: str) -> dict:
    return {e.url: e for e in batch.log if prefix in e.url}


@pytest.fixture()
def fetch_step(project_env):
    """The daily pipeline's fetch step on loopback settings: `fetch_step(sources, min_delay=0)`."""
    from flows.config import load_config
    from flows.fetching import fetch_sources
    from flows.pipeline import RunContext

    def run(sources: list[Source], min_delay: float = 0.0):
        config = Path(project_env["MARSAD_CONFIG"])
        with (config / "marsad.toml").open("a", encoding="utf-8") as fh:
            fh.write("\n" + marsad_fetch_toml(min_delay=min_delay))
        config = load_config(env=project_env, offline=False)
        ctx = RunContext(config, datetime.now(UTC).date(), "step", datetime.now(UTC), config.settings.db_path)
        return fetch_sources(ctx, sources, set(), {})

    return run


def test_one_url_in_two_feeds_and_a_sitemap_is_fetched_once(srv, fetch_step, fresh_db):
    """Two feeds (group feeds) and a sitemap (group sitemaps) list one story: one request."""
    dup = srv.url("/once/story")
    srv.static("/once/story", article_html(STORY))
    srv.static("/once/a-only", article_html(STORY + " أ"))
    srv.static("/once/feed-a.xml", rss([(dup, STORY, "خبر"), (srv.url("/once/a-only"), STORY, "خبر")]),
               "application/rss+xml")
    srv.static("/once/feed-b.xml", rss([(dup + "?utm_source=b", STORY, "خبر")]), "application/rss+xml")
    srv.static("/once/sitemap.xml", sitemap([dup]), "application/xml")
    sources = [Source("feed_a", "rss", srv.url("/once/feed-a.xml")),
               Source("feed_b", "rss", srv.url("/once/feed-b.xml", 1)),
               Source("site_map", "sitemap", srv.url("/once/sitemap.xml", 2))]
    batch = fetch_step(sources)

    assert len(srv.requests_to("/once/story")) == 1
    assert sorted(p.url for p in batch.pages) == sorted([dup, srv.url("/once/a-only")])
    (row,) = [e for e in batch.log if e.url == dup]
    assert row.status == "ok" and sorted(row.listed_by) == ["feed_a", "feed_b", "site_map"]
    assert row.listed_by[0] == row.source  # the source that fetched it comes first
    others = {"feed_a", "feed_b", "site_map"} - {row.source}
    assert all(batch.skipped[name] == {"duplicate_in_batch": 1} for name in others)

    from warehouse import load
    load.append_fetch_log(fresh_db, batch.log, run_id="r1")
    stored = fresh_db.execute("select source, listed_by from fetch_log where url = ?", [dup]).fetchall()
    assert stored == [(row.source, row.listed_by)]
    assert fresh_db.execute("select listed_by from fetch_log where url like '%feed-a.xml'").fetchall() == [(None,)]


def test_robots_txt_is_fetched_once_per_origin_across_groups(srv, fetch_step):
    host = srv.hosts[3]
    before = sum(r.host == host for r in srv.requests_to("/robots.txt"))
    srv.static("/origin/feed.xml", rss([(srv.url("/origin/1", 3), STORY, "خبر")]), "application/rss+xml")
    srv.static("/origin/sitemap.xml", sitemap([srv.url("/origin/2", 3)]), "application/xml")
    for i in (1, 2, 3):
        srv.static(f"/origin/{i}", article_html(STORY))
    sources = [Source("o_feed", "rss", srv.url("/origin/feed.xml", 3)),
               Source("o_map", "sitemap", srv.url("/origin/sitemap.xml", 3)),
               urls_source("o_urls", [srv.url("/origin/3", 3)])]
    batch = fetch_step(sources)
    assert len(batch.pages) == 3
    assert sum(r.host == host for r in srv.requests_to("/robots.txt")) - before == 1
    assert [e.url for e in batch.log].count(f"{srv.base(3)}/robots.txt") == 1


def test_politeness_holds_across_groups_in_the_daily_step(srv, fetch_step):
    """Two groups list pages of host 2; a third group's host is fetched meanwhile (groups run
    concurrently, not one after another)."""
    delay = 0.25
    for i in range(3):
        srv.static(f"/polite/feed/{i}", article_html(STORY))
        srv.static(f"/polite/urls/{i}", article_html(STORY))
        srv.static(f"/polite/other/{i}", article_html(STORY))
    srv.static("/polite/feed.xml", rss([(srv.url(f"/polite/feed/{i}", 1), STORY, "خبر") for i in range(3)]),
               "application/rss+xml")
    sources = [Source("p_feed", "rss", srv.url("/polite/feed.xml")),                      # group feeds
               urls_source("p_urls", [srv.url(f"/polite/urls/{i}", 1) for i in range(3)]),  # group urls
               urls_source("p_other", [srv.url(f"/polite/other/{i}", 2) for i in range(3)], group="other")]
    since = time.monotonic()
    report = fetch_step(sources, min_delay=delay)
    assert report.counts["pages_fetched"] == 9, report.notes
    host2 = sorted(r.at for r in srv.requests if r.host == srv.hosts[1] and r.at >= since)
    assert len(host2) == 7  # robots.txt + 3 + 3, one host, two groups
    gaps = [b - a for a, b in zip(host2, host2[1:], strict=False)]
    assert min(gaps) >= delay - 0.02, gaps
    other = sorted(r.at for r in srv.requests if r.path.startswith("/polite/other/"))
    assert other[0] < host2[-1]  # the third group did not wait for the first two


def test_a_same_host_redirect_hop_waits_for_the_hosts_delay(srv):
    async def hop(req: Request, w: asyncio.StreamWriter) -> None:
        await send(w, 302, b"", {"Location": "/hop/landing"})

    srv.routes["/hop/start"] = hop
    srv.static("/hop/landing", article_html(STORY))
    batch = collect([urls_source("hop", [srv.url("/hop/start", 2)])],
                    settings=loopback_fetch_settings(min_delay=0.4, robots=False),
                    watchlist=WATCH, known_urls=set(), feed_state={})
    (start,), (landing,) = srv.requests_to("/hop/start"), srv.requests_to("/hop/landing")
    assert landing.at - start.at >= 0.38
    (row,) = batch.log
    assert (row.url, row.status) == (srv.url("/hop/start", 2), "ok")
    assert batch.pages[0].final_url == srv.url("/hop/landing", 2)
    assert row.elapsed_ms < 300 and row.queued_ms >= 350  # the hop's wait is queue time, not request time


def test_elapsed_ms_is_the_requests_own_time_and_queue_time_is_apart(srv):
    async def slow(req: Request, w: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.8)
        await send(w, 200, article_html(STORY).encode(), {"Content-Type": "text/html"})

    srv.routes["/queue/slow"] = slow
    urls = [srv.url("/queue/slow", 3), srv.url("/queue/missing", 3)]  # missing: a quick 404
    batch = collect([urls_source("q", urls)], settings=loopback_fetch_settings(robots=False, read_timeout=2.0,
                                                                               total_timeout=3.0),
                    watchlist=WATCH, known_urls=set(), feed_state={})
    rows = page_rows(batch, "/queue/")
    order = [r.path for r in srv.requests if r.path.startswith("/queue/")]
    assert order == ["/queue/slow", "/queue/missing"]  # listed first, sent first
    slow_row, quick_row = rows[urls[0]], rows[urls[1]]
    assert quick_row.status == "http_error" and quick_row.http_status == 404
    assert slow_row.elapsed_ms >= 750 and slow_row.queued_ms < 300
    assert quick_row.elapsed_ms < 300  # the 404's own time …
    assert quick_row.queued_ms >= 700  # … apart from its wait behind the slow page


def test_a_connection_reset_does_not_trip_the_breaker(srv):
    srv.routes["/breaker/reset"] = reset_connection
    srv.routes["/breaker/closed"] = close_connection

    async def hang(req: Request, w: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    srv.routes["/breaker/hang"] = hang
    urls = [srv.url("/breaker/reset", 3), srv.url("/breaker/closed", 3), srv.url("/breaker/hang", 3)]
    batch = collect([urls_source("brk", urls)],
                    settings=loopback_fetch_settings(robots=False, retries=0, max_host_failures=2,
                                                     connect_timeout=0.3, read_timeout=0.3, total_timeout=0.6),
                    watchlist=WATCH, known_urls=set(), feed_state={})
    rows = page_rows(batch, "/breaker/")
    assert rows[urls[0]].error_class in ("ReadError", "RemoteProtocolError"), rows[urls[0]]
    assert rows[urls[1]].error_class == "RemoteProtocolError", rows[urls[1]]
    assert all("connection dropped" in rows[u].error for u in urls[:2])
    # the hang's real timeout is reported, not hidden behind "host skipped"
    assert (rows[urls[2]].status, rows[urls[2]].error_class) == ("timeout", "read_timeout")
    assert not any(e.status == "skipped" for e in batch.log)


def test_refused_connections_trip_the_breaker_after_n(srv):
    dead = f"http://127.0.0.9:{srv.port}"  # nothing listens there: connect refused
    urls = [f"{dead}/refused/{i}" for i in range(5)]
    started = time.monotonic()
    batch = collect([urls_source("dead", urls)],
                    settings=loopback_fetch_settings(robots=False, max_host_failures=2),
                    watchlist=WATCH, known_urls=set(), feed_state={})
    assert time.monotonic() - started < 3
    rows = sorted(batch.log, key=lambda e: e.status)
    assert [(e.status, e.error_class) for e in rows] == [("error", "connect")] * 2 + [("skipped", "host_failing")] * 3
    for e in rows[2:]:
        assert "host 127.0.0.9 unreachable after 2 consecutive connect failures" in e.error
        assert e.elapsed_ms == 0  # never sent


def test_a_retry_resumes_without_refetching_pages(srv):
    """The fetch step's progress object: a second attempt keeps the pages of the first and asks
    again only for what failed (the feed answers 200 again: the original feed state is used)."""
    state = {"n": 0}

    async def flaky(req: Request, w: asyncio.StreamWriter) -> None:
        state["n"] += 1
        if state["n"] == 1:
            await send(w, 503, b"down", {"Content-Type": "text/plain"}, "Service Unavailable")
        else:
            await send(w, 200, article_html(STORY).encode(), {"Content-Type": "text/html"})

    srv.routes["/resume/flaky"] = flaky
    srv.static("/resume/good", article_html(STORY))
    srv.static("/resume/feed.xml", rss([("/resume/good", STORY, "خبر"), ("/resume/flaky", STORY, "خبر")],
                                       base=srv.base(2)), "application/rss+xml", etag='"r1"')
    sources = [Source("resume_feed", "rss", srv.url("/resume/feed.xml", 2))]
    settings = loopback_fetch_settings(retries=0)
    progress = WebBatch()
    first = collect(sources, settings=settings, watchlist=WATCH, known_urls=set(), feed_state={}, progress=progress)
    assert first is progress and [p.url for p in progress.pages] == [srv.url("/resume/good", 2)]
    second = collect(sources, settings=settings, watchlist=WATCH, known_urls=set(), feed_state={}, progress=progress)
    assert second is progress
    assert sorted(p.url for p in second.pages) == sorted([srv.url("/resume/good", 2), srv.url("/resume/flaky", 2)])
    assert len(srv.requests_to("/resume/good")) == 1 and len(srv.requests_to("/resume/flaky")) == 2
    feeds = srv.requests_to("/resume/feed.xml")
    assert len(feeds) == 2 and "if-none-match" not in feeds[1].headers
    assert second.feed_state["resume_feed"]["etag"] == '"r1"'
    assert not second.notes  # the first attempt's failure note is not repeated
