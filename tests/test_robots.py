"""robots.txt by RFC 9309, through the real fetcher against the loopback server.

Each case serves a robots.txt on one loopback host, runs a real `collect()` over a few URLs of
that host and checks which were refused (`robots` rows) and which reached the server. Cases
come from RFC 9309 (§2.2.2 matching, §2.2.3 special characters, §2.3.1 access results) and
Google's robots.txt parser tests (longest match, Allow wins ties, `$`, percent-encoding,
user-agent groups). Where the two disagree the case says which one we follow.
"""

from __future__ import annotations

import pytest

from extractors.article.urls import normalize_url
from extractors.tagging.watchlist import WatchGroup, Watchlist
from extractors.web.batch import collect
from extractors.web.sources import Source
from tests.webserver import WebServer, article_html, loopback_fetch_settings, rss

WATCH = Watchlist([WatchGroup("deepseek", ("ديب سيك",), ("DeepSeek",))])


@pytest.fixture(scope="module")
def srv():
    server = WebServer(("127.0.0.1",), fixtures=None).start()
    yield server
    server.stop()


def verdicts(srv: WebServer, robots: str | int | None, paths: list[str]) -> dict[str, bool]:
    """path → allowed, by a real collect() with `robots` served (None: 404; int: that status)."""
    host = srv.hosts[0]
    if robots is None:
        srv.robots.pop(host, None)
    else:
        srv.robots[host] = robots
    for path in paths:
        srv.static(path.split("?", 1)[0], article_html("ديب سيك"))
    before = len(srv.requests)
    source = Source("robots_case", "urls", urls=tuple(srv.url(p) for p in paths), watchlist_filter=False)
    batch = collect([source], settings=loopback_fetch_settings(), watchlist=WATCH, known_urls=set(), feed_state={})
    rows = [e for e in batch.log if not e.url.endswith("/robots.txt")]
    assert len(rows) == len(paths)
    refused = {e.url for e in rows if e.status == "robots"}
    sent = {r.path for r in srv.requests[before:] if r.path != "/robots.txt"}
    out = {}
    for path, url in zip(paths, source.urls, strict=True):
        normal = normalize_url(url)
        out[path] = normal not in refused
        target = normal.removeprefix(srv.base())
        assert out[path] == (target in sent), (path, target, sent)  # refused ⇔ never requested
    return out


def test_allow_after_disallow_all_lets_the_feed_through(srv):
    """The issue's case: the stdlib parser applied the first matching line and blocked the feed."""
    srv.robots[srv.hosts[0]] = "User-agent: *\nDisallow: /\nAllow: /feed.xml\n"
    srv.static("/feed.xml", rss([(srv.url("/news/1"), "ديب سيك", "خبر")]), "application/rss+xml")
    srv.static("/news/1", article_html("ديب سيك"))
    batch = collect([Source("feedcase", "rss", srv.url("/feed.xml"))], settings=loopback_fetch_settings(),
                    watchlist=WATCH, known_urls=set(), feed_state={})
    rows = {e.url: e.status for e in batch.log}
    assert rows[srv.url("/feed.xml")] == "ok"
    assert rows[srv.url("/news/1")] == "robots"  # the feed is allowed, the rest of the site is not


def test_longest_match_wins(srv):
    # RFC 9309 §2.2.2: "the most specific match found MUST be used" (most octets)
    got = verdicts(srv, "User-agent: *\nAllow: /folder\nDisallow: /folder/page\n",
                   ["/folder/page", "/folder/other", "/folder"])
    assert got == {"/folder/page": False, "/folder/other": True, "/folder": True}
    # Google's ID_LongestMatch: a wildcard rule is as long as its pattern
    got = verdicts(srv, "User-agent: *\nAllow: /page\nDisallow: /*.html\n", ["/page", "/page.html"])
    assert got == {"/page": True, "/page.html": False}


def test_allow_wins_a_tie(srv):
    # RFC 9309 §2.2.2: "If an allow rule and a disallow rule are equivalent, the allow rule SHOULD be used"
    got = verdicts(srv, "User-agent: *\nDisallow: /page\nAllow: /page\n", ["/page", "/page2"])
    assert got == {"/page": True, "/page2": True}
    got = verdicts(srv, "User-agent: *\nDisallow: /tie\nAllow: /tie\nDisallow: /tie/x\n", ["/tie", "/tie/x"])
    assert got == {"/tie": True, "/tie/x": False}


def test_wildcards_and_end_anchor(srv):
    # RFC 9309 §2.2.3: "*" any sequence, "$" end of pattern
    got = verdicts(srv, "User-agent: *\nDisallow: /*/private/\nDisallow: /*.pdf$\n",
                   ["/a/private/x", "/a/public/x", "/doc.pdf", "/doc.pdf?x=1", "/doc.pdfx"])
    assert got == {"/a/private/x": False, "/a/public/x": True, "/doc.pdf": False, "/doc.pdf?x=1": True,
                   "/doc.pdfx": True}
    # Google's ID_SpecialCharacters: "allow: /$" with "disallow: /" allows only the root
    got = verdicts(srv, "User-agent: *\nAllow: /$\nDisallow: /\n", ["/", "/page.htm"])
    assert got == {"/": True, "/page.htm": False}


def test_percent_encoding(srv):
    # RFC 9309 §2.2.2: non-ASCII in robots.txt compares as its UTF-8 percent-encoding; hex is
    # case-insensitive; an encoded unreserved character equals the plain one (RFC 9309; Google's
    # parser does not decode %62%61%7A — we follow the RFC here, as protego does).
    robots = ("User-agent: *\nDisallow: /foo/bar/ツ\nDisallow: /a%3cd\nDisallow: /foo/%62%61%7A\n"
              "Disallow: /x/%E3%83%84\n")
    got = verdicts(srv, robots, ["/foo/bar/%E3%83%84", "/a%3Cd", "/foo/baz", "/x/ツ", "/foo/other"])
    assert got == {"/foo/bar/%E3%83%84": False, "/a%3Cd": False, "/foo/baz": False, "/x/ツ": False,
                   "/foo/other": True}


def test_non_ascii_paths(srv):
    robots = "User-agent: *\nDisallow: /أخبار/\nAllow: /أخبار/اقتصاد/\n"
    got = verdicts(srv, robots, ["/أخبار/رياضة", "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/x", "/أخبار/اقتصاد/1", "/رأي/1"])
    assert got == {"/أخبار/رياضة": False, "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/x": False, "/أخبار/اقتصاد/1": True,
                   "/رأي/1": True}


def test_user_agent_group_matching(srv):
    # RFC 9309 §2.2.1: our product token's group (case-insensitive) beats "*"; groups naming
    # the same agent are merged; another agent's group (even one starting "Marsad") is not ours
    robots = ("User-agent: Googlebot\nDisallow: /\n\n"
              "User-agent: MARSAD\nDisallow: /only-marsad\n\n"
              "User-agent: marsad\nDisallow: /also-marsad\n\n"
              "User-agent: MarsadBot\nDisallow: /bots\n\n"
              "User-agent: *\nDisallow: /everyone\n")
    got = verdicts(srv, robots, ["/x", "/only-marsad", "/also-marsad", "/bots", "/everyone"])
    assert got == {"/x": True, "/only-marsad": False, "/also-marsad": False, "/bots": True, "/everyone": True}
    # no group for us: the "*" group applies
    got = verdicts(srv, "User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /star\n", ["/x", "/star"])
    assert got == {"/x": True, "/star": False}


def test_missing_robots_allows_everything(srv):
    # RFC 9309 §2.3.1.3: 4xx → "unavailable": the crawler MAY access any resource
    assert verdicts(srv, None, ["/any", "/thing"]) == {"/any": True, "/thing": True}


@pytest.mark.parametrize("status", [500, 503, 429])
def test_unavailable_robots_disallows_the_host_for_this_run(srv, status):
    # RFC 9309 §2.3.1.4: 5xx → "unreachable": complete disallow. 429 counts as unreachable too
    # (as Google treats it): a host asking us to slow down is not a host with no rules.
    host = srv.hosts[0]
    srv.robots[host] = status
    srv.static("/down/1", article_html("ديب سيك"))
    batch = collect([Source("down", "urls", urls=(srv.url("/down/1"),), watchlist_filter=False)],
                    settings=loopback_fetch_settings(), watchlist=WATCH, known_urls=set(), feed_state={})
    (row,) = [e for e in batch.log if "/down/" in e.url]
    assert row.status == "robots" and f"HTTP {status}" in row.error and "disallowed this run" in row.error
    assert srv.requests_to("/down/1") == []


def test_crawl_delay_is_read_for_our_group(srv):
    robots = "User-agent: *\nCrawl-delay: 0.6\n"
    srv.robots[srv.hosts[0]] = robots
    for i in range(2):
        srv.static(f"/cd/{i}", article_html("ديب سيك"))
    collect([Source("cd", "urls", urls=tuple(srv.url(f"/cd/{i}") for i in range(2)), watchlist_filter=False)],
            settings=loopback_fetch_settings(min_delay=0.0), watchlist=WATCH, known_urls=set(), feed_state={})
    starts = sorted(r.at for r in srv.requests if r.path.startswith("/cd/"))
    assert starts[1] - starts[0] >= 0.58
