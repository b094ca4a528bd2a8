"""The polite fetcher against a real loopback server: every hostile case of issue 4.

Each case must end as one row-ready FetchLogEntry with a clear error, the batch must
complete, the good pages must survive, and a re-run with the returned known URLs fetches
nothing. Timeouts are short (settings from `webserver.loopback_fetch_settings`) so the file runs
in a few seconds; the slow cases sit on their own hosts so politeness does not serialise them.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from extractors.core.errors import TooLargeError
from extractors.tagging.watchlist import WatchGroup, Watchlist
from extractors.web.batch import collect
from extractors.web.fetcher import CappedDecoder, decompress_capped, retry_after_seconds
from extractors.web.sources import Source
from tests import webserver
from tests.webserver import SHARED_FIXTURES, Request, article_html, loopback_fetch_settings, send

web_server = webserver.web_server  # the module-scoped real server fixture
WATCH = Watchlist([WatchGroup("deepseek", ("ديب سيك",), ("DeepSeek",))])


def urls_source(name: str, urls: list[str]) -> Source:
    return Source(name=name, kind="urls", urls=tuple(urls), watchlist_filter=False)


def by_url(batch) -> dict:
    return {e.url: e for e in batch.log if not e.url.endswith("/robots.txt")}


@pytest.fixture(scope="module")
def hostile(web_server):
    """One batch over every hostile case (run once for the module: the slow cases run in parallel)."""
    srv = web_server
    urls = {
        "404": srv.url("/status/404"),
        "flaky": srv.url("/flaky"),
        "429": srv.url("/ratelimited"),
        "hang": srv.url("/hang", 1),        # own host: a hung socket must not hold up host 0
        "drip": srv.url("/drip", 2),
        "endless": srv.url("/endless"),
        "bomb": srv.url("/bomb"),
        "loop": srv.url("/loop/a"),
        "private": srv.url("/to-private"),
        "metadata": srv.url("/to-metadata"),
        "amp": srv.url("/amp/story"),
        "robots": srv.url("/private/secret"),
        "huge": srv.url("/huge"),
        "good": srv.url("/story/deepseek"),
    }
    if SHARED_FIXTURES.is_dir():
        urls["cp1256"] = srv.url("/cp1256")
    settings = loopback_fetch_settings(read_timeout=0.5, total_timeout=1.0, retries=1)
    started = time.monotonic()
    batch = collect([urls_source("hostile", list(urls.values()))], settings=settings, watchlist=WATCH,
                    known_urls=set(), feed_state={})
    return urls, batch, time.monotonic() - started


def test_every_hostile_case_is_one_clear_log_row(hostile):
    urls, batch, _ = hostile
    log = by_url(batch)
    expect = {
        "404": ("http_error", "http_404"),
        "hang": ("timeout", "read_timeout"),
        "drip": ("timeout", "total_timeout"),
        "endless": ("too_large", "too_large"),
        "bomb": ("too_large", "too_large"),
        "loop": ("error", "too_many_redirects"),
        "private": ("refused", "refused"),
        "metadata": ("refused", "refused"),
        "robots": ("robots", "robots"),
        "huge": ("too_large", "too_large"),
    }
    for case, (status, error_class) in expect.items():
        entry = log[urls[case]]
        assert (entry.status, entry.error_class) == (status, error_class), (case, entry)
        assert entry.error and len(entry.error) < 300, (case, entry.error)
        assert entry.source == "hostile" and entry.fetched_at is not None
    assert "10.0.0.1" in log[urls["private"]].error
    assert "169.254.169.254" in log[urls["metadata"]].error and "link-local" in log[urls["metadata"]].error
    assert "decompressed" in log[urls["bomb"]].error
    for case in ("flaky", "429", "amp", "good", *(["cp1256"] if "cp1256" in urls else [])):
        assert log[urls[case]].status == "ok", (case, log[urls[case]])


def test_good_pages_survive_with_their_bytes(hostile, web_server):
    urls, batch, elapsed = hostile
    pages = {p.url: p for p in batch.pages}
    assert set(pages) == {u for k, u in urls.items() if k in ("flaky", "429", "amp", "good", "cp1256")}
    assert "ديب سيك".encode() in pages[urls["good"]].body
    assert pages[urls["good"]].http_status == 200 and pages[urls["good"]].content_type.startswith("text/html")
    if "cp1256" in urls:  # windows-1256 bytes kept raw (charset is the extractor's job)
        body = pages[urls["cp1256"]].body
        assert body == (SHARED_FIXTURES / "html" / "ar_snippet_windows-1256_undeclared.html").read_bytes()
    # robots.txt kept us away from /private/; the SSRF targets were never contacted
    assert web_server.requests_to("/private/secret") == []
    assert batch.skipped["hostile"]["robots"] == 1
    assert elapsed < 20


def test_retries_500_then_200_and_honours_retry_after(hostile, web_server):
    flaky = web_server.requests_to("/flaky")
    assert len(flaky) == 2
    limited = web_server.requests_to("/ratelimited")
    assert len(limited) == 2
    assert limited[1].at - limited[0].at >= 0.9  # Retry-After: 1 was waited for


def test_rerun_with_known_urls_fetches_nothing(hostile, web_server):
    urls, batch, _ = hostile
    known = {p.url for p in batch.pages}
    before = len(web_server.requests)
    again = collect([urls_source("hostile", [u for u in urls.values() if u in known])],
                    settings=loopback_fetch_settings(), watchlist=WATCH, known_urls=known, feed_state={})
    assert again.pages == [] and again.log == []
    assert again.skipped["hostile"]["already_stored"] == len(known)
    assert len(web_server.requests) == before


def test_retry_after_over_the_cap_is_not_waited_for(web_server):
    path = "/ratelimited-long"

    async def handler(req: Request, w: asyncio.StreamWriter) -> None:
        await send(w, 429, b"", {"Retry-After": "3600"}, "Too Many Requests")

    web_server.routes[path] = handler
    started = time.monotonic()
    batch = collect([urls_source("rl", [web_server.url(path, 1)])], settings=loopback_fetch_settings(retry_after_cap=2),
                    watchlist=WATCH, known_urls=set(), feed_state={})
    assert time.monotonic() - started < 2
    (entry,) = by_url(batch).values()
    assert entry.status == "http_error" and entry.http_status == 429
    assert "exceeds" in entry.error and len(web_server.requests_to(path)) == 1


def test_per_host_politeness_and_global_concurrency(web_server):
    inflight: dict[str, int] = {}
    peak = {"host": 0, "all": 0}
    starts: dict[str, list[float]] = {}
    ends: dict[str, list[float]] = {}

    async def slow(req: Request, w: asyncio.StreamWriter) -> None:
        inflight[req.host] = inflight.get(req.host, 0) + 1
        starts.setdefault(req.host, []).append(time.monotonic())
        peak["host"] = max(peak["host"], inflight[req.host])
        peak["all"] = max(peak["all"], sum(inflight.values()))
        await asyncio.sleep(0.05)
        inflight[req.host] -= 1
        ends.setdefault(req.host, []).append(time.monotonic())
        await send(w, 200, article_html("ديب سيك").encode(), {"Content-Type": "text/html"})

    for i in range(4):
        web_server.routes[f"/polite/{i}"] = slow
    urls = [web_server.url(f"/polite/{i}", h) for h in (0, 1, 2) for i in range(4)]
    batch = collect([urls_source("polite", urls)], settings=loopback_fetch_settings(min_delay=0.15, robots=False),
                    watchlist=WATCH, known_urls=set(), feed_state={})
    assert len(batch.pages) == 12
    assert peak["host"] == 1          # never two requests at once to one host
    assert peak["all"] >= 2           # but hosts are fetched in parallel
    for host in web_server.hosts:
        gaps = [s - e for s, e in zip(starts[host][1:], ends[host][:-1], strict=True)]
        assert min(gaps) >= 0.14, (host, gaps)  # the minimum delay between requests to one host


def test_user_agent_names_marsad_and_contact(web_server):
    path = "/ua-check"
    web_server.static(path, article_html("ديب سيك"))
    collect([urls_source("ua", [web_server.url(path)])],
            settings=loopback_fetch_settings(contact_url="https://example.org/marsad-contact"),
            watchlist=WATCH, known_urls=set(), feed_state={})
    (req,) = web_server.requests_to(path)
    assert req.headers["user-agent"] == "Marsad/0.1 (+https://example.org/marsad-contact)"
    assert "gzip" in req.headers["accept-encoding"]


def test_content_type_is_checked(web_server):
    web_server.static("/doc.pdf", b"%PDF-1.4", "application/pdf")
    batch = collect([urls_source("ct", [web_server.url("/doc.pdf")])], settings=loopback_fetch_settings(),
                    watchlist=WATCH, known_urls=set(), feed_state={})
    (entry,) = by_url(batch).values()
    assert (entry.status, entry.error_class) == ("refused", "content_type") and "application/pdf" in entry.error
    assert batch.pages == []


def test_gzip_and_deflate_bodies_are_decoded(web_server):
    import gzip
    import zlib

    html = article_html("ديب سيك مضغوط").encode()
    web_server.static("/gz", gzip.compress(html), "text/html", headers={"Content-Encoding": "gzip"})
    web_server.static("/deflate", zlib.compress(html), "text/html", headers={"Content-Encoding": "deflate"})
    batch = collect([urls_source("enc", [web_server.url("/gz"), web_server.url("/deflate", 1)])],
                    settings=loopback_fetch_settings(), watchlist=WATCH, known_urls=set(), feed_state={})
    assert sorted(p.body for p in batch.pages) == [html, html]


def test_capped_decoder_stops_a_bomb_without_inflating_it():
    import gzip

    bomb = gzip.compress(b"\0" * 50_000_000)
    dec = CappedDecoder("gzip", 1_000_000)
    with pytest.raises(TooLargeError):
        for i in range(0, len(bomb), 65536):
            dec.feed(bomb[i:i + 65536])
    assert dec.size <= 1_000_001 + 0  # never more than the cap (+1 byte to detect overflow)
    assert decompress_capped(gzip.compress(b"abc"), 10) == b"abc"


def test_retry_after_parsing():
    assert retry_after_seconds("5") == 5.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert 0 <= retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_a_dead_host_trips_the_breaker_instead_of_stalling_the_run(web_server):
    urls = [web_server.url(f"/hang?n={i}", 2) for i in range(6)]
    started = time.monotonic()
    batch = collect([urls_source("dead", urls)],
                    settings=loopback_fetch_settings(connect_timeout=0.3, read_timeout=0.3, total_timeout=0.6, retries=0, max_host_failures=2,
                                                 robots=False),
                    watchlist=WATCH, known_urls=set(), feed_state={})
    assert time.monotonic() - started < 3
    statuses = sorted(e.status for e in batch.log)
    assert statuses == ["skipped"] * 4 + ["timeout"] * 2
    skipped = [e for e in batch.log if e.status == "skipped"]
    assert all("after 2 consecutive unanswered requests" in e.error and e.error_class == "host_failing"
               for e in skipped)


def test_invalid_urls_are_logged_not_raised():
    batch = collect([urls_source("bad", ["http://[not-an-ip/x"])], settings=loopback_fetch_settings(),
                    watchlist=WATCH, known_urls=set(), feed_state={})
    assert batch.pages == [] and (batch.log == [] or batch.log[0].status in ("error", "refused"))


def test_cross_host_redirects_pass_the_new_hosts_robots_and_gate(web_server):
    """127.0.0.1 → 127.0.0.3: the target's robots.txt is fetched and obeyed, one log row per URL."""
    srv = web_server

    async def to_other(req: Request, w: asyncio.StreamWriter) -> None:
        await send(w, 301, b"", {"Location": srv.url(req.path.replace("/hop", "/landing"), 2)})

    srv.routes["/hop/ok"] = srv.routes["/hop/blocked"] = to_other
    srv.static("/landing/ok", article_html("ديب سيك بعد التحويل"))
    srv.static("/landing/blocked", article_html("ديب سيك ممنوع"))
    srv.robots[srv.hosts[2]] = "User-agent: *\nDisallow: /landing/blocked\n"
    try:
        batch = collect([urls_source("hop", [srv.url("/hop/ok"), srv.url("/hop/blocked")])],
                        settings=loopback_fetch_settings(), watchlist=WATCH, known_urls=set(), feed_state={})
    finally:
        del srv.robots[srv.hosts[2]]
    log = by_url(batch)
    assert set(log) == {srv.url("/hop/ok"), srv.url("/hop/blocked")}
    assert log[srv.url("/hop/ok")].status == "ok"
    assert log[srv.url("/hop/blocked")].status == "robots" and "redirected to" in log[srv.url("/hop/blocked")].error
    (page,) = batch.pages
    assert page.url == srv.url("/hop/ok") and page.final_url == srv.url("/landing/ok", 2)
    assert srv.requests_to("/landing/blocked") == []
    assert any(r.host == srv.hosts[2] for r in srv.requests_to("/robots.txt"))


def test_robots_crawl_delay_slows_that_host_down(web_server):
    srv = web_server
    srv.static("/slowhost/1", article_html("ديب سيك 1"))
    srv.static("/slowhost/2", article_html("ديب سيك 2"))
    srv.robots[srv.hosts[1]] = "User-agent: *\nCrawl-delay: 1\n"
    try:
        batch = collect([urls_source("cd", [srv.url("/slowhost/1", 1), srv.url("/slowhost/2", 1)])],
                        settings=loopback_fetch_settings(min_delay=0.0), watchlist=WATCH, known_urls=set(), feed_state={})
    finally:
        del srv.robots[srv.hosts[1]]
    assert len(batch.pages) == 2
    starts = sorted(r.at for r in srv.requests if r.path.startswith("/slowhost/"))
    assert starts[1] - starts[0] >= 0.95  # robots.txt asked for 1 s; our own min_delay was 0
