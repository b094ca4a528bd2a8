"""The batch entry point: sources in, fetched pages + a complete log out.

The flow calls `collect()` once per source GROUP (feeds, sitemaps, gdelt, urls) — a handful of
Prefect tasks per run, never one per URL. One call:

1. discovers candidate URLs from every source, concurrently (`discover.py`);
2. filters them BEFORE any page request, counting each reason per source: already stored
   (`known_urls`, normalised URLs), too old, not on the watchlist (title + summary), listed
   by another source in this batch (the same story in two feeds is fetched once), over the
   per-source cap;
3. fetches the remaining pages politely (`fetcher.py`: per-host gate, robots.txt, SSRF guard,
   caps, retries) and returns their raw bytes for extraction.

Nothing here raises for a per-URL or per-source failure: it is in `log` (one entry per
attempt, row-ready for `fetch_log`) and, per failed source, one line in `notes`.

`fetch_one()` is the same door for a single URL (`marsad extract URL`): one client from
`make_client`, the polite `Fetcher`, a `RobotsCache`, `guarded_fetch` — nothing in Marsad opens
an HTTP client any other way (tests/test_layers.py checks).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx

from extractors.core.records import FetchLogEntry, RawPage, RunNote, StepRecords
from extractors.tagging.watchlist import Watchlist
from extractors.web.discover import (
    CollectContext,
    FetchSession,
    discover,
    failure_phrase,
    guarded_fetch,
)
from extractors.web.feeds import Item
from extractors.web.fetcher import Fetcher, FetchResult, make_client
from extractors.web.robots import RobotsCache
from extractors.web.settings import FetchSettings, load_fetch_settings
from extractors.web.sources import Source
from extractors.web.ssrf import Resolver

T = TypeVar("T")

__all__ = ["WebBatch", "collect", "fetch_one", "load_fetch_settings", "FetchSettings"]


@dataclass
class WebBatch(StepRecords):
    """What one `collect()` call produced (pages, log, notes, feed state, skips; see the module
    docstring), plus the discovery metadata of the URLs it chose."""

    items: dict[str, Item] = field(default_factory=dict)  # url → discovery metadata (title, date, sources)

    def count(self, source: str, reason: str, n: int = 1) -> None:
        per = self.skipped.setdefault(source, {})
        per[reason] = per.get(reason, 0) + n


def select(batch: WebBatch, source: Source, items: list[Item], *, watchlist: Watchlist,
           known_urls: set[str], settings: FetchSettings, chosen: dict[str, Item],
           relevant: Callable[[str], bool] | None = None) -> list[Item]:
    """Filter one source's items before fetching, counting every skip by reason.

    `relevant(title + summary)` is the pre-filter (default: the watchlist alone); the pipeline
    passes `Relevance.item`, which also asks the tagger. A `urls` source is never filtered."""
    relevant = relevant or watchlist.matches
    prefilter = source.watchlist_filter and source.kind != "urls"
    cutoff = datetime.now(UTC) - timedelta(days=settings.max_age_days)
    cap = source.max_items or settings.max_items_per_source
    keep: list[Item] = []
    for item in items:
        if item.url in known_urls:
            batch.count(source.name, "already_stored")
        elif source.kind != "urls" and item.published is not None and item.published < cutoff:
            batch.count(source.name, "too_old")
        elif prefilter and item.filter_text() and not relevant(item.filter_text()):
            # (an entry with no title/summary — a plain sitemap <url> — cannot be judged before
            # fetching: it passes, bounded by max_age_days and the cap; its text is checked later)
            batch.count(source.name, "not_in_watchlist")
        elif item.url in chosen:
            chosen[item.url].sources.append(source.name)
            batch.count(source.name, "duplicate_in_batch")
        elif len(keep) >= cap:
            batch.count(source.name, "over_limit")
        else:
            chosen[item.url] = item
            keep.append(item)
    return keep


async def _fetch_page(ctx: CollectContext, batch: WebBatch, item: Item, source: str) -> None:
    result = await guarded_fetch(ctx, item.url, source, "page")
    entry = result.entry
    if result.ok and result.body is not None:
        batch.pages.append(RawPage(
            url=item.url, final_url=result.final_url or item.url, source=source,
            http_status=result.http_status or 200, content_type=result.content_type,
            headers=result.headers, body=result.body, fetched_at=entry.fetched_at or datetime.now(UTC),
            elapsed_ms=entry.elapsed_ms,
        ))
    else:
        batch.count(source, entry.status)


async def _collect(sources: list[Source], settings: FetchSettings, watchlist: Watchlist,
                   known_urls: set[str], feed_state: dict[str, dict],
                   transport: httpx.AsyncBaseTransport | None, resolver: Resolver | None,
                   relevant: Callable[[str], bool] | None = None) -> WebBatch:
    batch = WebBatch(feed_state={k: dict(v) for k, v in feed_state.items()})
    active = [s for s in sources if s.enabled]
    for src in sources:
        if not src.enabled:
            batch.notes.append(RunNote("info", "fetch", src.name, f"{src.name}: disabled in sources.toml — skipped"))
    if not active:
        return batch
    async with make_client(settings, transport, resolver or Resolver(settings.dns_timeout)) as client:
        fetcher = Fetcher(client, settings)
        ctx = CollectContext(fetcher=fetcher, robots=RobotsCache(fetcher, batch.log, enabled=settings.robots),
                         settings=settings, watchlist=watchlist, feed_state=batch.feed_state,
                         log=batch.log, notes=batch.notes)
        found = await asyncio.gather(*(discover(ctx, s) for s in active))
        chosen: dict[str, Item] = {}
        work: list[tuple[Item, str]] = []
        for src, items in zip(active, found, strict=True):
            for item in select(batch, src, items, watchlist=watchlist, known_urls=known_urls,
                               settings=settings, chosen=chosen, relevant=relevant):
                work.append((item, src.name))
        batch.items = chosen
        await asyncio.gather(*(_fetch_page(ctx, batch, item, name) for item, name in work))
    _summarise_page_failures(batch, work)
    return batch


def _summarise_page_failures(batch: WebBatch, work: list[tuple[Item, str]]) -> None:
    """One note per source whose pages failed (details stay in the log, one row per URL)."""
    page_urls = {item.url for item, _ in work}
    failed: dict[str, list[FetchLogEntry]] = {}
    for entry in batch.log:
        if entry.url in page_urls and entry.status not in ("ok", "not_modified"):
            failed.setdefault(entry.source, []).append(entry)
    tried: dict[str, int] = {}
    for _, name in work:
        tried[name] = tried.get(name, 0) + 1
    for name, entries in failed.items():
        first = failure_phrase(entries[0])
        batch.notes.append(RunNote("warning", "fetch", name,
                                   f"{name}: {len(entries)} of {tried.get(name, len(entries))} pages not fetched "
                                   f"(first: {entries[0].url} {first}) — see fetch_log"))


def collect(sources: list[Source], *, settings: FetchSettings, watchlist: Watchlist,
            known_urls: set[str], feed_state: dict[str, dict],
            transport: httpx.AsyncBaseTransport | None = None, resolver: Resolver | None = None,
            relevant: Callable[[str], bool] | None = None) -> WebBatch:
    """Discover, filter and fetch one group of sources; synchronous (runs its own event loop).

    `known_urls` holds `normalize_url()` forms of URLs already stored; `feed_state` is the
    previous run's per-source {"etag", "last_modified"} (the returned batch has the new one).
    `transport` and `resolver` are test seams (the SSRF guard wraps whatever transport is given).
    `relevant` is the feed-item pre-filter (see `select`).
    """
    return _run(_collect(sources, settings, watchlist, set(known_urls), feed_state or {}, transport, resolver,
                         relevant))


def fetch_one(url: str, settings: FetchSettings, *, source: str = "marsad-extract", kind: str = "page",
              transport: httpx.AsyncBaseTransport | None = None, resolver: Resolver | None = None) -> FetchResult:
    """GET one URL the way the daily run does (`marsad extract URL`): SSRF guard, robots.txt,
    politeness, caps, retries and User-Agent all apply. Never raises for a per-URL problem:
    `result.ok` says whether a body came back, `result.entry` says why not."""

    async def go() -> FetchResult:
        async with make_client(settings, transport, resolver or Resolver(settings.dns_timeout)) as client:
            fetcher = Fetcher(client, settings)
            log: list[FetchLogEntry] = []
            session = FetchSession(fetcher=fetcher, robots=RobotsCache(fetcher, log, enabled=settings.robots),
                                   settings=settings, log=log)
            return await guarded_fetch(session, url, source, kind)

    return _run(go())


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end from synchronous code (its own event loop)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Called from inside an event loop (e.g. an async caller): run in a private thread.
    box: dict[str, object] = {}

    def runner() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 — re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=runner, name="marsad-collect")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
