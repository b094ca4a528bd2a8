"""The fetch step: every source's new pages in one call, resumable, and never fatal to a run.

One event loop, one per-host scheduler and one robots.txt cache for all source groups
(`extractors.web.batch.collect`). The step fills a progress object (`new_fetch_progress`, a
`WebBatch`) as pages arrive: the flow's retried task gets the same object back, so a retry
does not request those pages again, and a step that fails for good still keeps them
(`fetch_failed`). `flows/daily.py` wraps `fetch_sources` in the one `fetch-sources` task; a
bare run (`flows.pipeline.run_daily` without Prefect) calls `fetch_sources_or_note`.
"""

from __future__ import annotations

from typing import Any

from extractors.core.records import RunNote, StepRecords
from extractors.tagging.relevance import Relevance
from flows.batches import tagger_of
from flows.context import RunContext
from flows.report import StepReport


def relevance_of(ctx: RunContext) -> Any:
    """The relevance gates (watchlist OR tagger) from the run's validated config; the tagger is
    compiled once per process and shared by every step that needs it."""
    return Relevance(ctx.config.watchlist, tagger_of(ctx.config.tagging))


def new_fetch_progress(ctx: RunContext | None = None) -> Any:
    """The object a fetch step fills as pages arrive (a `WebBatch`); a retry resumes from it.
    Kept on `ctx.live` too, where `fetch_counts` reads it for the progress display."""
    from extractors.web.batch import WebBatch

    batch = WebBatch()
    if ctx is not None:
        ctx.live["fetch"] = batch
    return batch


def fetch_sources(ctx: RunContext, sources: list[Any], known_urls: set[str],
                  feed_state: dict[str, dict[str, Any]], progress: Any = None) -> StepReport:
    """Discover and fetch every source's new pages at once (network I/O: the retried step).

    One event loop, one per-host scheduler and one robots.txt cache for all source groups
    (`extractors.web.batch.collect`). `progress` (from `new_fetch_progress`) receives pages as
    they arrive: a retry called with the same object does not request them again, and a caller
    whose step failed for good can still keep what it holds (`fetch_failed`).
    """
    from extractors.web.batch import collect

    batch = collect(
        sources,
        settings=ctx.config.fetch,
        watchlist=ctx.config.watchlist,
        known_urls=known_urls,
        feed_state=feed_state,
        relevant=relevance_of(ctx).item,
        progress=progress,
    )
    return fetch_report(batch)


def fetch_report(batch: StepRecords) -> StepReport:
    """A fetch batch as a step report, with its counts."""
    report = StepReport().merge(batch)
    report.counts.update(
        pages_fetched=len(batch.pages),
        fetch_errors=sum(e.status not in ("ok", "not_modified", "skipped") for e in batch.log)
        + sum(n.level == "error" and n.stage == "fetch" for n in batch.notes))
    return report


def fetch_failed(progress: Any, message: str) -> StepReport:
    """The report of a fetch step that failed for good: what it fetched so far, plus one error note."""
    report = fetch_report(progress) if progress is not None else StepReport()
    report.notes.append(RunNote("error", "fetch", "sources", f"fetching sources failed: {message}"
                                f" — kept the {len(report.pages)} pages fetched before the failure"))
    report.counts.update(fetch_errors=1)
    return report


def fetch_sources_or_note(ctx: RunContext, sources: list[Any], known_urls: set[str],
                          feed_state: dict[str, dict[str, Any]]) -> StepReport:
    """`fetch_sources` for a bare run: a step that raises becomes a note (one bad source never
    fails a run), keeping the pages fetched before it failed."""
    progress = new_fetch_progress(ctx)
    try:
        return fetch_sources(ctx, sources, known_urls, feed_state, progress)
    except Exception as exc:  # noqa: BLE001 — the failure is reported, not swallowed
        return fetch_failed(progress, f"{type(exc).__name__}: {exc}")


__all__ = ["fetch_failed", "fetch_report", "fetch_sources", "fetch_sources_or_note", "new_fetch_progress",
           "relevance_of"]
