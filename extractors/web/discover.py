"""Discovery: turn one configured source into candidate article URLs, over the network.

Network I/O lives here and in `fetcher.py`; parsing lives in `feeds.py`, `sitemaps.py` and
`gdelt.py` (pure, unit-tested on bytes). Every request is logged; a source that fails adds
ONE clear line to the run notes ("aljazeera: feed unreachable (DNS failed …) — skipped") and
discovery moves on — a failing source never stops the others.

Feeds and sitemap roots are fetched with conditional GET (ETag / Last-Modified from the
previous run's `feed_state`): an unchanged feed costs a 304 and yields nothing to re-check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

from extractors.article.urls import normalize_url
from extractors.core.records import FetchLogEntry, RunNote
from extractors.tagging.watchlist import Watchlist
from extractors.web.feeds import FeedError, Item, parse_feed
from extractors.web.fetcher import Fetcher, FetchResult
from extractors.web.gdelt import gdelt_url, parse_artlist
from extractors.web.robots import RobotsCache
from extractors.web.settings import FetchSettings
from extractors.web.sitemaps import parse_sitemap
from extractors.web.sources import Source

T = TypeVar("T")

@dataclass(kw_only=True)
class FetchSession:
    """What a guarded fetch needs: the polite fetcher, the run's robots.txt cache, the log."""

    fetcher: Fetcher
    robots: RobotsCache
    settings: FetchSettings
    log: list[FetchLogEntry] = field(default_factory=list)


@dataclass(kw_only=True)
class CollectContext(FetchSession):
    """Everything one `collect()` call shares between its sources."""

    watchlist: Watchlist
    feed_state: dict[str, dict]
    notes: list[RunNote] = field(default_factory=list)

    def note(self, source: str, message: str, level: str = "warning") -> None:
        self.notes.append(RunNote(level=level, stage="fetch", item=source, message=f"{source}: {message}"))


_WHAT = {"rss": "feed", "sitemap": "sitemap", "gdelt": "GDELT API", "urls": "page"}


def failure_phrase(entry: FetchLogEntry) -> str:
    """A short human phrase for a failed attempt ("unreachable (DNS failed …)")."""
    err = entry.error or entry.status
    return {
        "skipped": f"unreachable ({err.removeprefix('host unreachable: ')})",
        "timeout": f"timed out ({err})",
        "http_error": f"answered {err}",
        "refused": f"refused ({err})",
        "robots": f"disallowed by robots.txt ({err})",
        "too_large": f"too large ({err})",
    }.get(entry.status, f"failed ({err})")


async def guarded_fetch(ctx: FetchSession, url: str, source: str, kind: str,
                        headers: dict[str, str] | None = None) -> FetchResult:
    """robots.txt check, then fetch, following redirects hop by hop; ONE log entry per URL.

    Every hop is a request of its own: robots.txt is checked for it (same host or not) and it
    waits for its host's turn at the scheduler, so a redirect to the same host respects the
    per-host delay too. The row's `elapsed_ms` sums the hops' own request times; `queued_ms`
    is the rest of the wall time since the URL was asked for (robots.txt, the host's turn).
    """
    started = time.monotonic()
    current, hops, own = url, 0, 0
    visited = {url}
    while True:
        verdict = await ctx.robots.check(current, source)
        if not verdict.allowed:
            reason = verdict.reason if current == url else f"redirected to {current}: {verdict.reason}"
            result = FetchResult(entry=FetchLogEntry(url=url, source=source, status=verdict.status,
                                                     error_class=verdict.status, error=reason,
                                                     fetched_at=datetime.now(UTC)))
            break
        result = await ctx.fetcher.fetch(current, source=source, kind=kind, headers=headers)
        own += result.entry.elapsed_ms
        target = result.redirect_to
        if target is None:
            break
        loop = target in visited
        if loop or hops >= ctx.settings.max_redirects:
            result.entry.status, result.entry.error_class = "error", "too_many_redirects"
            result.entry.error = (f"redirect loop ({current} → {target})" if loop
                                  else f"more than {ctx.settings.max_redirects} redirects")
            result.redirect_to = None
            break
        hops += 1
        visited.add(target)
        current = target
    entry = result.entry
    if current != url:
        result.final_url = result.final_url or current
        entry.url = url  # the log row is about the URL we were asked for
    entry.elapsed_ms = own
    entry.queued_ms = max(0, int((time.monotonic() - started) * 1000) - own)
    ctx.log.append(entry)
    return result


def _conditional_headers(state: dict | None) -> dict[str, str]:
    headers = {}
    if state:
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
    return headers


async def _fetch_index(ctx: CollectContext, source: Source, url: str, kind: str, conditional: bool) -> FetchResult | None:
    """Fetch a feed/sitemap/API document; note and return None when there is nothing to parse."""
    state = ctx.feed_state.get(source.name) if conditional else None
    result = await guarded_fetch(ctx, url, source.name, kind, _conditional_headers(state))
    what = _WHAT[source.kind]
    if conditional and result.entry.status in ("ok", "not_modified"):
        etag, modified = result.headers.get("etag"), result.headers.get("last-modified")
        if result.entry.status == "not_modified":  # a 304 may omit the validators: keep ours
            etag, modified = etag or (state or {}).get("etag"), modified or (state or {}).get("last_modified")
        ctx.feed_state[source.name] = {"etag": etag, "last_modified": modified}
    if result.entry.status == "not_modified":
        ctx.note(source.name, f"{what} not modified since the last run", level="info")
        return None
    if not result.ok or result.body is None:
        ctx.note(source.name, f"{what} {failure_phrase(result.entry)} — skipped")
        return None
    return result


def _mark_unparseable(ctx: CollectContext, source: Source, result: FetchResult, exc: FeedError,
                      what: str | None = None) -> None:
    """Log a fetched document that cannot be parsed as an error, with ONE note (what, why)."""
    result.entry.status, result.entry.error_class, result.entry.error = "error", exc.error_class, str(exc)
    ctx.note(source.name, f"{what or _WHAT[source.kind]} unusable ({exc}) — skipped")


def _parsed(ctx: CollectContext, source: Source, result: FetchResult, parse: Callable[[], T],
            what: str | None = None) -> T | None:
    """`parse()` of a fetched document, or None (logged and noted) when it is unusable."""
    try:
        return parse()
    except FeedError as exc:
        _mark_unparseable(ctx, source, result, exc, what)
        return None


async def _own_index(ctx: CollectContext, source: Source) -> tuple[FetchResult, str] | None:
    """The source's own feed or sitemap document (conditional GET) and the URL to resolve it against."""
    assert source.url
    result = await _fetch_index(ctx, source, source.url, "feed", conditional=True)
    return None if result is None else (result, result.final_url or source.url)


async def _discover_rss(ctx: CollectContext, source: Source) -> list[Item]:
    fetched = await _own_index(ctx, source)
    if fetched is None:
        return []
    result, base = fetched
    parsed = _parsed(ctx, source, result, partial(parse_feed, result.body or b"", base, result.content_type))
    if parsed is None:
        return []
    if parsed.warning:
        ctx.note(source.name, parsed.warning)
    return parsed.items


async def _discover_sitemap(ctx: CollectContext, source: Source) -> list[Item]:
    fetched = await _own_index(ctx, source)
    if fetched is None:
        return []
    result, base = fetched
    limit = ctx.settings.max_decompressed_bytes
    parsed = _parsed(ctx, source, result, partial(parse_sitemap, result.body or b"", base, max_bytes=limit))
    if parsed is None:
        return []
    items = list(parsed.items)
    if parsed.children:
        cutoff = datetime.now(UTC) - timedelta(days=ctx.settings.max_age_days)
        fresh = [(u, m) for u, m in parsed.children if m is None or m >= cutoff]
        fresh.sort(key=lambda c: c[1] or datetime.min.replace(tzinfo=UTC), reverse=True)
        for child_url, _ in fresh[: ctx.settings.max_child_sitemaps]:
            child = await guarded_fetch(ctx, child_url, source.name, "feed")
            if not child.ok:
                ctx.note(source.name, f"child sitemap {child_url} {failure_phrase(child.entry)} — skipped")
                continue
            sub = _parsed(ctx, source, child, partial(parse_sitemap, child.body or b"", child.final_url or child_url,
                                                      max_bytes=limit), what=f"child sitemap {child_url}")
            if sub is not None:
                items.extend(sub.items)
    return items


async def _discover_gdelt(ctx: CollectContext, source: Source) -> list[Item]:
    url = gdelt_url(source, ctx.watchlist)
    result = await _fetch_index(ctx, source, url, "json", conditional=False)
    if result is None:
        return []
    return _parsed(ctx, source, result, partial(parse_artlist, result.body or b"")) or []


async def _discover_urls(ctx: CollectContext, source: Source) -> list[Item]:
    items = []
    for raw in source.urls:
        try:
            items.append(Item(url=normalize_url(raw)))
        except (ValueError, TypeError) as exc:
            ctx.note(source.name, f"bad URL {raw!r} ({exc}) — skipped")
    return items


_KINDS = {"rss": _discover_rss, "sitemap": _discover_sitemap, "gdelt": _discover_gdelt, "urls": _discover_urls}


async def discover(ctx: CollectContext, source: Source) -> list[Item]:
    """Candidate items of one source (unfiltered); failures are logged and noted, never raised."""
    try:
        items = await _KINDS[source.kind](ctx, source)
    except Exception as exc:  # noqa: BLE001 — a bug in one source must not sink the batch
        ctx.note(source.name, f"discovery failed ({type(exc).__name__}: {exc}) — skipped", level="error")
        return []
    for item in items:
        item.sources.append(source.name)
    return items
