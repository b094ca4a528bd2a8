"""robots.txt, fetched once per origin per run and consulted before every request there.

Rules follow RFC 9309 and are matched by `protego` (a maintained RFC 9309 parser, the one
Scrapy uses) against Marsad's product token: the longest matching rule wins and `Allow` wins a
tie (`Disallow: /` + `Allow: /feed.xml` lets the feed through), `*` and the `$` end anchor
work, paths compare percent-encoded (an Arabic path matches its %-encoded form), and the
groups of `User-agent: Marsad` (case-insensitive) beat those of `*`.

Availability (RFC 9309 §2.3.1): a 4xx robots.txt means "no rules" (allowed) — except 429,
which we treat like a server error, as Google does; a 5xx, a 429 or a timeout means "assume
everything is disallowed" for this run (the next daily run asks again; we do not take RFC
9309's option to allow a host whose robots.txt has been failing for 30 days). More than five
redirects: "unavailable", i.e. no rules. A `Crawl-delay` raises the host's delay (capped).
When the robots.txt request fails at the network level (DNS, refused, SSRF), the host is
marked unreachable and its pages are logged as skipped without another connection: offline,
a source costs one failed lookup, not one per URL.

The robots.txt request itself is an attempt like any other and gets its `fetch_log` row.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
from protego import Protego

from extractors.core.records import FetchLogEntry
from extractors.web.fetcher import Fetcher

ROBOTS_MAX_BYTES = 512_000  # RFC 9309 asks parsers to read at least 500 KiB; anything beyond is ignored
ROBOTS_REDIRECTS = 5        # RFC 9309 §2.3.1.2: follow at least five consecutive redirects
PRODUCT_TOKEN = "Marsad"


@dataclass(slots=True)
class RobotsVerdict:
    allowed: bool
    status: str = "ok"        # ok | robots (disallowed by rules) | skipped (host unreachable)
    reason: str | None = None


@dataclass(slots=True)
class _HostRules:
    parser: Protego | None  # None: no rules (allow all)
    disallow_all: str | None = None  # reason when robots.txt was unavailable (5xx / timeout)
    unreachable: str | None = None   # reason when the host could not be reached at all
    block_status: str = "skipped"    # how pages of an unreachable host are logged


def origin_of(url: str) -> str:
    u = httpx.URL(url)
    default = {"http": 80, "https": 443}.get(u.scheme)
    port = f":{u.port}" if u.port and u.port != default else ""
    host = f"[{u.host}]" if ":" in u.host else u.host
    return f"{u.scheme}://{host}{port}"


class RobotsCache:
    """Per-run cache of robots.txt rules, one fetch per origin even under concurrency."""

    def __init__(self, fetcher: Fetcher, log: list[FetchLogEntry], *, enabled: bool = True) -> None:
        self.fetcher = fetcher
        self.log = log
        self.enabled = enabled
        self._rules: dict[str, asyncio.Task[_HostRules]] = {}

    async def check(self, url: str, source: str) -> RobotsVerdict:
        """May Marsad fetch `url`? Also says when the host is known to be unreachable."""
        if not self.enabled:
            return RobotsVerdict(True)
        try:
            origin = origin_of(url)
        except (httpx.InvalidURL, ValueError):
            return RobotsVerdict(True)  # the fetch itself will report the bad URL
        task = self._rules.get(origin)
        if task is None:
            task = self._rules[origin] = asyncio.ensure_future(self._load(origin, source))
        rules = await task
        if rules.unreachable:
            return RobotsVerdict(False, rules.block_status, rules.unreachable)
        if rules.disallow_all:
            return RobotsVerdict(False, "robots", rules.disallow_all)
        if rules.parser is not None and not rules.parser.can_fetch(url, PRODUCT_TOKEN):
            return RobotsVerdict(False, "robots", f"disallowed by {origin}/robots.txt")
        return RobotsVerdict(True)

    def unreachable(self, url: str) -> str | None:
        """The reason a host already failed this run (without fetching anything)."""
        try:
            task = self._rules.get(origin_of(url))
        except (httpx.InvalidURL, ValueError):
            return None
        if task is None or not task.done():
            return None
        return task.result().unreachable

    async def _load(self, origin: str, source: str) -> _HostRules:
        url = f"{origin}/robots.txt"
        result = await self.fetcher.fetch(url, source=source, kind="robots", retries=0)
        own, queued = result.entry.elapsed_ms, result.entry.queued_ms
        for _ in range(ROBOTS_REDIRECTS):
            if result.redirect_to is None:
                break
            result = await self.fetcher.fetch(result.redirect_to, source=source, kind="robots", retries=0)
            own, queued = own + result.entry.elapsed_ms, queued + result.entry.queued_ms
        entry = result.entry
        entry.url, entry.elapsed_ms, entry.queued_ms = url, own, queued
        self.log.append(entry)
        if result.redirect_to is not None:
            _fail(entry, "error", "too_many_redirects", f"more than {ROBOTS_REDIRECTS} redirects: treated as no rules")
            return _HostRules(None)  # RFC 9309: too many redirects → "unavailable", i.e. no rules
        if entry.status == "ok" and result.body is not None:
            text = result.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
            try:
                parser = Protego.parse(text)
            except Exception as exc:  # noqa: BLE001 — a robots.txt the parser chokes on is "no rules"
                _fail(entry, "error", "robots_unparseable", f"robots.txt unparseable ({exc}): treated as no rules")
                return _HostRules(None)
            delay = parser.crawl_delay(PRODUCT_TOKEN)
            if delay:
                self.fetcher.set_host_delay(httpx.URL(origin).host, float(delay))
            return _HostRules(parser)
        if entry.status == "http_error" and entry.http_status is not None:
            if 400 <= entry.http_status < 500 and entry.http_status != 429:
                return _HostRules(None)  # RFC 9309 §2.3.1.3: "unavailable" → no restrictions
            return _HostRules(None, disallow_all=f"{origin}/robots.txt unavailable (HTTP {entry.http_status}): "
                                                 "host treated as disallowed this run")
        if entry.status == "timeout":
            return _HostRules(None, disallow_all=f"{origin}/robots.txt timed out: host treated as disallowed this run")
        if entry.status == "refused" and entry.error_class == "refused":
            return _HostRules(None, unreachable=entry.error, block_status="refused")  # SSRF guard
        if entry.status in ("too_large", "refused"):
            return _HostRules(None)  # an oversized/odd robots.txt: ignore it rather than block
        return _HostRules(None, unreachable=f"host unreachable: {entry.error}")


def _fail(entry: FetchLogEntry, status: str, error_class: str, error: str) -> None:
    entry.status, entry.error_class, entry.error = status, error_class, error
