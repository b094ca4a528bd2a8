"""The batch entry point: sources in, fetched pages + a complete log out.

The daily flow calls `collect()` ONCE per run with every enabled source (one Prefect task, never
one per URL): one event loop, one HTTP client, one per-host scheduler (`hosts.py`) and one
robots.txt cache for all of them. So politeness holds across source groups (two groups listing
pages of one host take turns at its gate), a URL listed by several sources is fetched once, and
robots.txt is fetched once per origin. Inside that call every source is its own stream, all
concurrent: discover (`discover.py`) → filter → fetch its pages; a slow feed delays only its
own pages, never another source's.

Filtering happens BEFORE any page request, counting each reason per source in `skipped`:
already stored (`known_urls`, normalised URLs), too old, not on the watchlist (title + summary),
listed by another source this run (`duplicate_in_batch`: fetched once, by the source that
listed it first; every source that listed it is in its log row's `listed_by`), over the
per-source cap.

Nothing here raises for a per-URL or per-source failure: it is in `log` (one entry per URL,
row-ready for `fetch_log`) and, per failed source, one line in `notes`. A source whose code
raises (a bug, an odd document) becomes one error note naming it and its group; the others
carry on.

Resuming: with `progress=` a WebBatch, pages land in it as they arrive. If the call dies (an
I/O failure the flow retries), calling again with the same object keeps those pages and does
not request them again; the retry uses the caller's ORIGINAL `feed_state`, so a feed fetched
by the dead attempt answers 200 again (not 304) and its remaining items are still found.

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
           fetched: set[str] | frozenset[str] = frozenset(),
           relevant: Callable[[str], bool] | None = None) -> list[Item]:
    """Filter one source's items before fetching, counting every skip by reason.

    `relevant(title + summary)` is the pre-filter (default: the watchlist alone); the pipeline
    passes `Relevance.item`, which also asks the tagger. A `urls` source is never filtered.

    `chosen` is shared by every source of the run and is the claim: the first source to keep a
    URL fetches it; a later one is added to its `sources` and counts it `duplicate_in_batch`
    (select runs between awaits of one event loop, so claiming needs no lock). `fetched`: URLs
    an earlier attempt of this run already fetched (a resumed call) — kept, not fetched again.
    """
    relevant = relevant or watchlist.matches
    prefilter = source.watchlist_filter and source.kind != "urls"
    cutoff = datetime.now(UTC) - timedelta(days=settings.max_age_days)
    cap = source.max_items or settings.max_items_per_source
    keep: list[Item] = []
    for item in items:
        if item.url in fetched:
            _credit(chosen.setdefault(item.url, item), source.name)
        elif item.url in known_urls:
            batch.count(source.name, "already_stored")
        elif source.kind != "urls" and item.published is not None and item.published < cutoff:
            batch.count(source.name, "too_old")
        elif prefilter and item.filter_text() and not relevant(item.filter_text()):
            # (an entry with no title/summary — a plain sitemap <url> — cannot be judged before
            # fetching: it passes, bounded by max_age_days and the cap; its text is checked later)
            batch.count(source.name, "not_in_watchlist")
        elif item.url in chosen:
            _credit(chosen[item.url], source.name)
            batch.count(source.name, "duplicate_in_batch")
        elif len(keep) >= cap:
            batch.count(source.name, "over_limit")
        else:
            chosen[item.url] = item
            keep.append(item)
    return keep


@dataclass
class _Run:
    """One `collect()` call's shared state (a single event loop: no locks needed)."""

    ctx: CollectContext
    batch: WebBatch
    known: set[str]
    fetched: set[str]                                   # pages already in `batch` (an earlier attempt)
    relevant: Callable[[str], bool] | None = None       # the feed-item pre-filter (see `select`)
    chosen: dict[str, Item] = field(default_factory=dict)  # url → item: who claimed it, who else listed it
    page_rows: dict[str, FetchLogEntry] = field(default_factory=dict)  # url → its page log row
    tried: dict[str, int] = field(default_factory=dict)  # source → pages it fetched


def _credit(item: Item, source: str) -> None:
    if source not in item.sources:
        item.sources.append(source)


async def _fetch_page(run: _Run, item: Item, source: str) -> None:
    result = await guarded_fetch(run.ctx, item.url, source, "page")
    entry = run.page_rows[item.url] = result.entry
    if result.ok and result.body is not None:
        run.batch.pages.append(RawPage(
            url=item.url, final_url=result.final_url or item.url, source=source,
            http_status=result.http_status or 200, content_type=result.content_type,
            headers=result.headers, body=result.body, fetched_at=entry.fetched_at or datetime.now(UTC),
            elapsed_ms=entry.elapsed_ms,
        ))
    else:
        run.batch.count(source, entry.status)


async def _source(run: _Run, src: Source) -> None:
    """One source's stream: discover → select → fetch its pages (others run meanwhile)."""
    try:
        items = await discover(run.ctx, src)
        keep = select(run.batch, src, items, watchlist=run.ctx.watchlist, known_urls=run.known,
                      settings=run.ctx.settings, chosen=run.chosen, fetched=run.fetched,
                      relevant=run.relevant)
        run.tried[src.name] = run.tried.get(src.name, 0) + len(keep)
        await asyncio.gather(*(_fetch_page(run, item, src.name) for item in keep))
    except Exception as exc:  # noqa: BLE001 — one bad source never fails the run
        run.batch.notes.append(RunNote("error", "fetch", src.name,
                                       f"{src.name}: failed ({type(exc).__name__}: {exc}) — skipped; "
                                       f"the rest of source group {src.task_group} and the other groups went on"))


async def _collect(sources: list[Source], settings: FetchSettings, watchlist: Watchlist,
                   known_urls: set[str], feed_state: dict[str, dict],
                   transport: httpx.AsyncBaseTransport | None, resolver: Resolver | None,
                   progress: WebBatch | None, relevant: Callable[[str], bool] | None = None) -> WebBatch:
    batch = progress if progress is not None else WebBatch()
    fetched = {p.url for p in batch.pages}  # non-empty only when resuming
    batch.notes.clear()
    batch.skipped.clear()
    batch.items = {}
    batch.feed_state = {k: dict(v) for k, v in feed_state.items()}
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
        run = _Run(ctx, batch, known_urls, fetched, relevant)
        run.page_rows.update({e.url: e for e in batch.log if e.url in fetched and e.status == "ok"})
        await asyncio.gather(*(_source(run, s) for s in active))
    for url, entry in run.page_rows.items():
        entry.listed_by = list(run.chosen[url].sources) if url in run.chosen else [entry.source]
    batch.items = run.chosen
    _summarise_page_failures(run)
    return batch


def _summarise_page_failures(run: _Run) -> None:
    """One note per source whose pages failed (details stay in the log, one row per URL)."""
    failed: dict[str, list[FetchLogEntry]] = {}
    for entry in run.page_rows.values():
        if entry.status not in ("ok", "not_modified"):
            failed.setdefault(entry.source, []).append(entry)
    for name, entries in failed.items():
        first = failure_phrase(entries[0])
        run.batch.notes.append(RunNote("warning", "fetch", name,
                                       f"{name}: {len(entries)} of {run.tried.get(name, len(entries))} pages not "
                                       f"fetched (first: {entries[0].url} {first}) — see fetch_log"))


def collect(sources: list[Source], *, settings: FetchSettings, watchlist: Watchlist,
            known_urls: set[str], feed_state: dict[str, dict],
            transport: httpx.AsyncBaseTransport | None = None, resolver: Resolver | None = None,
            progress: WebBatch | None = None, relevant: Callable[[str], bool] | None = None) -> WebBatch:
    """Discover, filter and fetch every given source at once; synchronous (runs its own event loop).

    `known_urls` holds `normalize_url()` forms of URLs already stored; `feed_state` is the
    previous run's per-source {"etag", "last_modified"} (the returned batch has the new one).
    `progress`: a WebBatch to fill as pages arrive and to resume from (see the module docstring);
    the returned batch is that object. `transport` and `resolver` are test seams (the SSRF
    guard wraps whatever transport is given). `relevant` is the feed-item pre-filter (see `select`).
    """
    return _run(_collect(sources, settings, watchlist, set(known_urls), feed_state or {}, transport, resolver,
                         progress, relevant))


def fetch_one(url: str, settings: FetchSettings, *, source: str = "marsad-extract", kind: str = "page",
              transport: httpx.AsyncBaseTransport | None = None, resolver: Resolver | None = None) -> FetchResult:
    """GET one URL the way the daily run does (`marsad extract URL`): SSRF guard, robots.txt,
    politeness, redirects hop by hop, caps, retries and User-Agent all apply. Never raises for a
    per-URL problem: `result.ok` says whether a body came back, `result.entry` says why not."""

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
