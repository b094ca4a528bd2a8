"""robots.txt, fetched once per host per run and consulted before every request there.

Rules follow RFC 9309: a 4xx robots.txt means "no rules" (allowed); a 5xx or a timeout means
"assume everything is disallowed" for this run; rules are parsed with the standard library's
parser and checked against Marsad's product token. A `Crawl-delay` raises the host's delay
(capped). When the robots.txt request fails at the network level (DNS, refused, SSRF), the
host is marked unreachable, and its pages are logged as skipped without another connection:
offline, a source costs one failed lookup, not one per URL.

The robots.txt request itself is an attempt like any other and gets its `fetch_log` row.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

import httpx

from extractors.core.records import FetchLogEntry
from extractors.web.fetcher import Fetcher

ROBOTS_MAX_BYTES = 512_000  # Google's limit is 500 KiB; anything beyond is ignored
PRODUCT_TOKEN = "Marsad"


@dataclass(slots=True)
class RobotsVerdict:
    allowed: bool
    status: str = "ok"        # ok | robots (disallowed by rules) | skipped (host unreachable)
    reason: str | None = None


@dataclass(slots=True)
class _HostRules:
    parser: RobotFileParser | None  # None: no rules (allow all)
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
        if rules.parser is not None and not rules.parser.can_fetch(PRODUCT_TOKEN, url):
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
        for _ in range(4):  # RFC 9309: follow at least five redirects (one was taken above)
            if result.redirect_to is None:
                break
            result = await self.fetcher.fetch(result.redirect_to, source=source, kind="robots", retries=0)
        result.entry.url = url
        self.log.append(result.entry)
        entry = result.entry
        if result.redirect_to is not None:
            return _HostRules(None)  # RFC 9309: too many redirects → "unavailable", i.e. no rules
        if entry.status == "ok" and result.body is not None:
            parser = RobotFileParser()
            text = result.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
            parser.parse(text.splitlines())
            delay = parser.crawl_delay(PRODUCT_TOKEN)
            if delay:
                self.fetcher.set_host_delay(httpx.URL(origin).host, float(delay))
            return _HostRules(parser)
        if entry.status == "http_error" and entry.http_status is not None:
            if 400 <= entry.http_status < 500:
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
