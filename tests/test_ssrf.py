"""SSRF guard: private, link-local and loopback targets are refused — directly, after a
redirect, and after DNS resolution — and no packet leaves for them.

The safety net: `RefusingTransport` wraps the real transport, records every request that
reaches it, and itself refuses (raises, without connecting) anything that is not loopback. If
the guard were broken, the test would see the forbidden host in `seen` instead of a packet
being sent. DNS is a table lookup (`Resolver(lookup=...)`): no query leaves this machine.
"""

from __future__ import annotations

import socket

import httpx
import pytest

from extractors.core.errors import ConfigError, RefusedError
from extractors.tagging.watchlist import WatchGroup, Watchlist
from extractors.web.batch import collect
from extractors.web.settings import FetchSettings
from extractors.web.sources import Source
from extractors.web.ssrf import Resolver, check_address, parse_networks
from tests import webserver
from tests.loopback import RefusingTransport
from tests.webserver import article_html, loopback_fetch_settings

web_server = webserver.web_server
WATCH = Watchlist([WatchGroup("deepseek", ("ديب سيك",), ())])


def table_lookup(table: dict[str, list[str]]):
    def lookup(host: str, port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]
    return lookup


def run(urls: list[str], settings: FetchSettings | None = None, resolver: Resolver | None = None):
    transport = RefusingTransport()
    batch = collect([Source(name="s", kind="urls", urls=tuple(urls), watchlist_filter=False)],
                    settings=settings or loopback_fetch_settings(), watchlist=WATCH, known_urls=set(),
                    feed_state={}, transport=transport, resolver=resolver)
    return batch, transport


def page_entries(batch) -> dict:
    return {e.url: e for e in batch.log if not e.url.endswith("/robots.txt")}


@pytest.mark.parametrize("url", ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/",
                                 "http://[::ffff:10.0.0.1]/", "http://100.64.0.1/", "http://[fe80::1]/"])
def test_direct_private_targets_are_refused_without_a_connection(url):
    batch, transport = run([url])
    (entry,) = page_entries(batch).values()
    assert entry.status == "refused" and "refused" in entry.error
    assert transport.seen == []  # nothing was even handed to the transport
    assert batch.pages == []


@pytest.mark.parametrize("path,target", [("/to-private", "10.0.0.1"), ("/to-metadata", "169.254.169.254")])
def test_redirects_to_private_targets_are_refused(web_server, path, target):
    batch, transport = run([web_server.url(path)])
    entry = page_entries(batch)[web_server.url(path)]
    assert entry.status == "refused" and target in entry.error
    assert target not in transport.seen and set(transport.seen) == {"127.0.0.1"}


def test_names_resolving_to_private_addresses_are_refused(web_server):
    resolver = Resolver(1.0, table_lookup({
        "intranet.example": ["10.0.0.1"],
        "mixed.example": ["93.184.216.34", "169.254.169.254"],  # one bad answer is enough
    }))
    batch, transport = run(["http://intranet.example/", "http://mixed.example/"], resolver=resolver)
    entries = page_entries(batch)
    assert entries["http://intranet.example/"].status == "refused"
    assert "intranet.example resolves to 10.0.0.1" in entries["http://intranet.example/"].error
    assert entries["http://mixed.example/"].status == "refused"
    assert transport.seen == []


def test_guard_connects_to_the_address_it_checked_and_keeps_the_host_header(web_server):
    path = "/named-host"
    web_server.static(path, article_html("ديب سيك"))
    resolver = Resolver(1.0, table_lookup({"news.example": ["127.0.0.2"]}))
    batch, transport = run([f"http://news.example:{web_server.port}{path}"], resolver=resolver)
    assert len(batch.pages) == 1
    (req,) = web_server.requests_to(path)
    assert req.host == "127.0.0.2" and req.headers["host"] == f"news.example:{web_server.port}"
    assert set(transport.seen) == {"127.0.0.2"}


def test_unresolvable_names_fail_once_per_host(web_server):
    resolver = Resolver(1.0, table_lookup({}))
    batch, transport = run(["http://gone.example/a", "http://gone.example/b"], resolver=resolver)
    assert resolver.lookups == 1 and transport.seen == []
    entries = page_entries(batch)
    assert all(e.status == "skipped" and "DNS failed for gone.example" in e.error for e in entries.values())
    robots = [e for e in batch.log if e.url.endswith("/robots.txt")]
    assert len(robots) == 1 and robots[0].error_class == "dns"


def test_real_server_loopback_allowed_but_ipv6_loopback_refused(web_server):
    """Allowlist 127.0.0.0/8 only: a redirect to [::1] (where the server also listens) is refused."""
    batch, _ = run([web_server.url("/to-ipv6")])
    entry = page_entries(batch)[web_server.url("/to-ipv6")]
    assert entry.status == "refused" and "::1" in entry.error and "loopback" in entry.error
    assert [r for r in web_server.requests if r.host == "::1"] == []


def test_default_settings_refuse_loopback(web_server):
    before = len(web_server.requests)
    batch, _ = run([web_server.url("/story/deepseek")], settings=FetchSettings(robots=False))
    (entry,) = page_entries(batch).values()
    assert entry.status == "refused" and "loopback" in entry.error
    assert len(web_server.requests) == before


def test_the_safety_net_itself_refuses_non_loopback():
    """Without the guard, RefusingTransport is what stops the packet: prove it does."""
    import asyncio

    async def go():
        transport = RefusingTransport()
        async with httpx.AsyncClient(transport=transport) as client:
            with pytest.raises(httpx.ConnectError):
                await client.get("http://10.0.0.1/")
        return transport.seen

    assert asyncio.run(go()) == ["10.0.0.1"]


def test_check_address_and_network_parsing():
    check_address("93.184.216.34")
    for bad in ("10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1", "169.254.1.1", "::1", "fc00::1",
                "::ffff:192.168.0.1", "0.0.0.0", "224.0.0.1"):
        with pytest.raises(RefusedError):
            check_address(bad)
    nets = parse_networks(["127.0.0.0/8"])
    check_address("127.0.0.5", nets)
    with pytest.raises(RefusedError):
        check_address("::1", nets)
    with pytest.raises(ConfigError, match="not an IP network"):
        parse_networks(["localhost"])


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1/"])
def test_non_http_schemes_are_refused(url):
    batch, transport = run([url])
    (entry,) = page_entries(batch).values()
    assert entry.status in ("refused", "error") and transport.seen == []
