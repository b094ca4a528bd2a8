"""The polite fetcher: one place where Marsad touches other people's servers.

Politeness and safety rules live here so discovery code cannot forget them:
- one request at a time per host (configurable) with a minimum delay between them, and a
  global concurrency cap, through one per-host scheduler for the whole run (`hosts.py`);
  a 429/503 `Retry-After` pauses the whole host, not just one URL;
- retries only on what may heal (timeouts, 429, 5xx, dropped connections), with exponential
  backoff and jitter, and never for longer than `retry_after_cap`;
- connect/read timeouts plus a total deadline per attempt (a server dripping one byte a
  second defeats a read timeout, not a deadline);
- a body cap enforced while streaming, on the wire AND after our own incremental
  decompression (a gzip bomb stops at the cap instead of filling memory);
- a content-type check, and the SSRF guard (`ssrf.py`) on every request; redirects are
  handed back to the caller, which checks robots.txt and the limit and fetches the next hop
  through the host's gate like any other request.

Every outcome — success or not — becomes one `FetchLogEntry`; nothing here raises for a
per-URL failure, so one bad URL never stops a batch.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from extractors.core.errors import FetchError, TooLargeError
from extractors.web.decompress import CappedDecoder, decompress_capped
from extractors.web.hosts import HostScheduler
from extractors.web.settings import FetchSettings
from extractors.web.ssrf import GuardedTransport, Resolver

__all__ = ["CappedDecoder", "Fetcher", "FetchResult", "decompress_capped", "make_client", "retry_after_seconds"]
from extractors.core.records import FetchLogEntry

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024


@dataclass(slots=True)
class FetchResult:
    """What one fetch produced: always a log entry; a body only when status == 'ok'."""

    entry: FetchLogEntry
    final_url: str | None = None
    http_status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    body: bytes | None = None
    redirect_to: str | None = None   # a redirect (any host), for the caller to follow
    answered: bool = False           # a response status line arrived (the breaker's question)
    own_seconds: float = 0.0         # time of this attempt's request itself (not its waits)

    @property
    def ok(self) -> bool:
        return self.entry.status == "ok"


class _Retry(Exception):
    """Internal: this attempt failed in a way worth retrying."""

    def __init__(self, result: FetchResult, retry_after: float | None = None) -> None:
        super().__init__(result.entry.error)
        self.result = result
        self.retry_after = retry_after


class PerHostTransport(httpx.AsyncBaseTransport):
    """One small connection pool per origin instead of one big pool for everything.

    httpcore scans every pooled connection on each request (expiry checks), so one pool
    holding connections to 50 hosts costs O(connections) per request — measured at ~60% of
    the client's CPU in bench_fetch. With at most `per_host_concurrency` requests per host,
    a pool per origin keeps that scan O(1) and keep-alive per host intact.
    """

    def __init__(self, per_host: int) -> None:
        self.per_host = per_host
        self._ssl = httpx.create_ssl_context()  # loading CA certs costs ~50 ms: once, not per host
        self._pools: dict[tuple[bytes, bytes, int | None], httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        pool = self._pools.get(key)
        if pool is None:
            slots = self.per_host + 1  # +1: a keep-alive connection being closed while a new one opens
            pool = self._pools[key] = httpx.AsyncHTTPTransport(
                verify=self._ssl, limits=httpx.Limits(max_connections=slots, max_keepalive_connections=slots))
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self._pools.values():
            await pool.aclose()
        self._pools.clear()


def make_client(settings: FetchSettings, transport: httpx.AsyncBaseTransport | None = None,
                resolver: Resolver | None = None) -> httpx.AsyncClient:
    """An AsyncClient with Marsad's timeouts and UA, behind the SSRF guard (redirects: not followed)."""
    inner = transport or PerHostTransport(settings.per_host_concurrency)
    guarded = GuardedTransport(inner, allowed_networks=settings.networks,
                               resolver=resolver or Resolver(settings.dns_timeout))
    return httpx.AsyncClient(
        transport=guarded,
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout, pool=settings.total_timeout),
        follow_redirects=False,  # followed by guarded_fetch: every hop goes back through
        max_redirects=settings.max_redirects,  # robots.txt and its host's turn at the gate
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate",
                 "Accept-Language": "ar, en;q=0.5"},
        trust_env=False,  # no proxies from the environment: the SSRF guard must see the real target
    )


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Parse Retry-After (seconds or an HTTP date) into seconds; None when absent or junk."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


class Fetcher:
    """Polite, capped, guarded GETs; `fetch()` never raises for a per-URL problem.

    One `fetch()` is one URL's request (with its retries), never a redirect chain: a redirect
    comes back as `redirect_to` and the caller (`discover.guarded_fetch`) checks robots.txt and
    asks again, so every hop — same host or not — waits for its host's turn.
    """

    def __init__(self, client: httpx.AsyncClient, settings: FetchSettings) -> None:
        self.client = client
        self.settings = settings
        self._global = asyncio.Semaphore(settings.concurrency)
        self.hosts = HostScheduler(settings.per_host_concurrency, settings.min_delay, settings.max_crawl_delay,
                                   settings.max_host_failures)
        self.requests = 0  # requests actually sent (tests and the bench read it)

    def set_host_delay(self, host: str, delay: float) -> None:
        """Raise the per-host delay (robots.txt Crawl-delay), never above max_crawl_delay."""
        self.hosts.slow_down(host, delay)

    async def fetch(self, url: str, *, source: str, kind: str = "page",
                    headers: dict[str, str] | None = None, retries: int | None = None) -> FetchResult:
        """GET `url` for `source`; kind picks the accepted content types (page/feed/json/robots).

        `entry.elapsed_ms` is the time of the request itself (all attempts, not the waits);
        `entry.queued_ms` the rest of the wall time: the host's turn, a global slot, backoff.
        """
        tries = self.settings.retries if retries is None else retries
        started = time.monotonic()
        try:
            host = httpx.URL(url).host if url.startswith(("http://", "https://")) else ""
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            entry = FetchLogEntry(url=url, source=source, status="error", error_class="invalid_url",
                                  error=f"invalid URL: {exc}", fetched_at=datetime.now(UTC))
            return FetchResult(entry=entry)
        result: FetchResult | None = None
        own = 0.0  # seconds spent in requests (summed over attempts)
        sent = 0   # attempts that really went out
        for attempt in range(tries + 1):
            broken = self.hosts.gate(host).broken
            if broken:  # tripped before this attempt queued: no turn needed to skip it
                result = result or _skipped(url, source, broken)  # a retry keeps its real failure
                break
            try:
                result = await self._attempt(url, source, kind, headers or {}, host)
                own, sent = own + result.own_seconds, sent + 1
                break
            except _Retry as retry:
                if retry.result.entry.status == "skipped":  # tripped while this attempt queued
                    result = result or retry.result
                    break
                result = retry.result
                own, sent = own + result.own_seconds, sent + 1
                if attempt >= tries:
                    break
                if retry.retry_after is not None:
                    if retry.retry_after > self.settings.retry_after_cap:
                        result.entry.error = (f"{result.entry.error}; Retry-After {retry.retry_after:g}s exceeds "
                                              f"the {self.settings.retry_after_cap:g}s cap — not retried")
                        break
                    wait = retry.retry_after
                    self.hosts.pause(host, wait)
                else:
                    wait = self.settings.backoff * (2 ** attempt) + random.uniform(0, self.settings.jitter)
                await asyncio.sleep(wait)
        assert result is not None
        result.entry.elapsed_ms = int(own * 1000)
        result.entry.queued_ms = max(0, int((time.monotonic() - started) * 1000) - result.entry.elapsed_ms)
        if result.entry.status == "skipped":
            return result  # not sent: nothing for the breaker to learn
        if sent > 1 and result.entry.error:
            result.entry.error = f"{result.entry.error} (after {sent} attempts)"
        self.hosts.record(host, result.entry, answered=result.answered)
        return result

    async def _attempt(self, url: str, source: str, kind: str, headers: dict[str, str], host: str) -> FetchResult:
        async with self.hosts.turn(host) as gate:
            if gate.broken:
                raise _Retry(_skipped(url, source, gate.broken))
            async with self._global:
                self.requests += 1
                return await self._once(url, source, kind, headers)

    async def _once(self, url: str, source: str, kind: str, headers: dict[str, str]) -> FetchResult:
        """One request; redirects are returned (`redirect_to`), never followed here."""
        s = self.settings
        entry = FetchLogEntry(url=url, source=source, status="error", fetched_at=datetime.now(UTC))
        result = FetchResult(entry=entry)
        t0 = time.monotonic()
        try:
            async with asyncio.timeout(s.total_timeout):
                current = httpx.URL(url)
                request = self.client.build_request("GET", current, headers=headers)
                response = await self.client.send(request, stream=True)
                result.answered = True
                try:
                    location = response.headers.get("location") if response.is_redirect else None
                    if location is None:
                        return await self._read(response, result, kind)
                finally:
                    await response.aclose()
                target = current.join(location)
                result.redirect_to = result.final_url = str(target)
                result.http_status = entry.http_status = response.status_code
                result.headers = {k.lower(): v for k, v in response.headers.items()}
                _fail(entry, "redirect", f"http_{response.status_code}", f"redirected to {target}")
                return result
        except _Retry:
            raise
        except TimeoutError:
            _fail(entry, "timeout", "total_timeout", f"no complete response within {s.total_timeout:g}s (total deadline)")
            raise _Retry(result) from None
        except httpx.TimeoutException as exc:
            phase = {"ConnectTimeout": "connect", "ReadTimeout": "read", "WriteTimeout": "write",
                     "PoolTimeout": "pool"}.get(type(exc).__name__, "read")
            limit = s.connect_timeout if phase == "connect" else s.read_timeout
            _fail(entry, "timeout", f"{phase}_timeout", f"{phase} timeout after {limit:g}s")
            raise _Retry(result) from None
        except FetchError as exc:  # RefusedError, TooLargeError, DnsError …
            status = {"refused": "refused", "too_large": "too_large"}.get(exc.error_class, "error")
            _fail(entry, status, exc.error_class, str(exc))
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            _fail(entry, "error", type(exc).__name__, f"connection dropped: {exc or type(exc).__name__}")
            raise _Retry(result) from None
        except httpx.ConnectError as exc:
            _fail(entry, "error", "connect", f"cannot connect: {exc or 'connection refused'}")
        except httpx.HTTPError as exc:
            _fail(entry, "error", type(exc).__name__, str(exc) or type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 — one odd URL must never stop the batch
            _fail(entry, "error", type(exc).__name__, f"unexpected: {exc}")
        finally:
            result.own_seconds = time.monotonic() - t0
        return result

    async def _read(self, response: httpx.Response, result: FetchResult, kind: str) -> FetchResult:
        s, entry = self.settings, result.entry
        result.http_status = entry.http_status = response.status_code
        result.final_url = str(response.url)
        result.headers = {k.lower(): v for k, v in response.headers.items()}
        result.content_type = response.headers.get("content-type")
        code = response.status_code
        if code == 304:
            entry.status = "not_modified"
            return result
        if code >= 400:
            _fail(entry, "http_error", f"http_{code}", f"HTTP {code} {response.reason_phrase}".strip())
            if code in RETRY_STATUSES:
                raise _Retry(result, retry_after_seconds(response.headers.get("retry-after")))
            return result
        if code != 200:
            _fail(entry, "http_error", f"http_{code}", f"unexpected HTTP {code} {response.reason_phrase}".strip())
            return result
        media = _media_type(result.content_type)
        allowed = s.content_types.get(kind, ())
        if media and allowed and media not in allowed:
            _fail(entry, "refused", "content_type", f"content type {media} is not accepted for a {kind}")
            return result
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > s.max_bytes:
            raise TooLargeError(f"Content-Length {int(declared):,} exceeds the {s.max_bytes:,}-byte cap")
        decoder = CappedDecoder(response.headers.get("content-encoding"), s.max_decompressed_bytes)
        wire = 0
        async for chunk in response.aiter_raw(_CHUNK):
            wire += len(chunk)
            if wire > s.max_bytes:
                raise TooLargeError(f"body larger than {s.max_bytes:,} bytes (stopped while streaming)")
            decoder.feed(chunk)
        result.body = decoder.finish()
        entry.bytes = len(result.body)
        entry.status, entry.error_class, entry.error = "ok", None, None
        return result


def _skipped(url: str, source: str, reason: str) -> FetchResult:
    """A URL not sent because its host's breaker tripped (the row says why)."""
    return FetchResult(entry=FetchLogEntry(url=url, source=source, status="skipped", error_class="host_failing",
                                           error=reason, fetched_at=datetime.now(UTC)))


def _fail(entry: FetchLogEntry, status: str, error_class: str, error: str) -> None:
    entry.status, entry.error_class, entry.error = status, error_class, error
