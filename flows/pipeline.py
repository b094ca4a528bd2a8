"""The daily job as plain functions: each step is what one Prefect task runs.

`flows/daily.py` wraps these steps in a few batched tasks (retries on I/O only); `run_daily`
below runs the same sequence without Prefect, for tests and the benchmark's "bare" baseline.
A run is one writer session (`warehouse.session`): it holds the run lock, works on a private
copy of the warehouse (`RunContext.db_path`) and publishes it atomically when the run ends,
so analysts' read-only connections never block it and never see a half-finished run. Steps
open the work file, work and close it again. Progress goes to an observer (`flows.progress`)
that the CLI supplies; nothing here prints.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from extractors.core.errors import DeliveryError
from extractors.core.records import RawPage, RunNote, TagResult
from flows.batches import BatchOptions, extract_batch_of, page_batches, tag_batch_of, tagger_of
from flows.config import Config
from flows.context import RunContext
from flows.fetching import fetch_sources_or_note
from flows.progress import (
    NO_PROGRESS,
    Progress,
    current_progress,
    fetch_counts,
    say_waiting,
    staged,
)
from flows.report import StepReport
from warehouse import load as wload
from warehouse import runs
from warehouse.checks import run_checks
from warehouse.db import open_warehouse
from warehouse.digest import build_digest
from warehouse.session import WriterSession, writer_session


def start_run(config: Config, session: WriterSession, digest_date: date | None = None,
              flow_run_id: str | None = None) -> RunContext:
    """Record a `running` row in the session's work file and return the run's context (a future
    date is refused); the lock file names the run, so a killed run is recorded by the next writer."""
    now = datetime.now(UTC)
    ctx = RunContext(config, config.settings.digest_day(digest_date, now), uuid.uuid4().hex[:12], now, session.work)
    with open_warehouse(ctx.db_path, migrate_schema=False) as con:
        runs.start_run(con, ctx.run_id, ctx.digest_date, now)
    session.lock.update(run_id=ctx.run_id, digest_date=ctx.digest_date.isoformat(), flow_run_id=flow_run_id)
    return ctx


def ingest_seeds(ctx: RunContext) -> StepReport:
    """Read the seed folder: good new files become articles, bad ones notes (stored ones are counted)."""
    from extractors.article.seeds import read_seeds, seed_id, seed_paths

    with open_warehouse(ctx.db_path, migrate_schema=False) as con:
        stored = runs.seed_ids(con)  # not read again: the warehouse keeps their first version
    articles, notes = read_seeds(ctx.settings.seeds_dir, stored)
    known = sum(seed_id(p) in stored for p in seed_paths(ctx.settings.seeds_dir))
    report = StepReport(articles=articles, notes=notes)
    report.counts.update(seeds_loaded=len(articles) + known, seeds_skipped=len(notes), seeds_stored=known)
    return report


def configured_sources(ctx: RunContext) -> list[Any]:
    """Every source in the sources file (validated at load), enabled or not, online or not."""
    return list(ctx.config.sources)


def plan_sources(ctx: RunContext) -> list[Any]:
    """The enabled web sources, all fetched together (none offline or without a sources file)."""
    if ctx.settings.offline:
        return []
    return [src for src in configured_sources(ctx) if src.enabled]


def known_state(ctx: RunContext) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """URLs already stored (never fetched again) and per-source conditional-GET state."""
    with open_warehouse(ctx.db_path, migrate_schema=False) as con:
        return runs.known_urls(con), runs.source_state(con)


def batch_options(ctx: RunContext) -> BatchOptions:
    """The run's BatchOptions: what `extract_batch_of` needs, wherever it runs."""
    ungated = frozenset(s.name for s in configured_sources(ctx) if s.kind == "urls" or not s.watchlist_filter)
    return BatchOptions(tuple(ctx.settings.languages), ungated, ctx.config.watchlist, ctx.config.tagging)


def extract_pages(ctx: RunContext, pages: list[RawPage]) -> StepReport:
    """Pages → articles; keep configured-language pages that the watchlist or the tagger finds
    relevant. Pages of `urls` sources and of sources with `watchlist_filter = false` are not
    gated (the analyst chose them). Every drop is counted per source and reason.

    Pages are extracted in batches that keep each host's pages together, so the lines a
    site repeats on every page (its template) are recognised and dropped. This is the
    in-process path; `flows/dispatch.py` sends the same batches to a task runner.
    """
    options = batch_options(ctx)
    report = StepReport()
    for batch in page_batches(pages, ctx.config.compute.batch_size):
        report.merge(extract_batch_of(options, batch))
    report.counts.update(web_articles=len(report.articles))
    return report


def store(ctx: RunContext, collected: StepReport) -> StepReport:
    """Load articles, raw pages, the fetch log, run notes and source state in bulk."""
    with open_warehouse(ctx.db_path, migrate_schema=False) as con:
        new_ids = wload.load_articles(con, collected.articles, run_id=ctx.run_id, seen_at=datetime.now(UTC))
        wload.load_raw_pages(con, collected.pages)
        wload.append_fetch_log(con, collected.log, run_id=ctx.run_id)
        wload.append_run_log(con, collected.notes, run_id=ctx.run_id)
        wload.upsert_sources(con, source_rows(ctx, collected))
        total = runs.article_count(con)
    report = StepReport()
    report.counts.update(articles_new=len(new_ids), articles_total=total)
    return report


def source_rows(ctx: RunContext, collected: StepReport) -> list[dict[str, Any]]:
    """Rows for `sources`: the seeds folder and every configured source with this run's state."""
    import json

    seen: dict[str, set[str]] = {}
    for entry in collected.log:
        seen.setdefault(entry.source, set()).add(entry.status)
    rows: list[dict[str, Any]] = [{"source": "seeds", "kind": "seeds", "url": str(ctx.settings.seeds_dir)}]
    for src in configured_sources(ctx):
        state, statuses = collected.feed_state.get(src.name, {}), seen.get(src.name, set())
        rows.append({
            "source": src.name, "kind": src.kind, "url": src.url,
            "config_json": json.dumps(src.as_config(), ensure_ascii=False),
            "etag": state.get("etag"), "last_modified": state.get("last_modified"), "fetched": bool(statuses),
            "last_status": ("ok" if statuses & {"ok", "not_modified"} else min(statuses)) if statuses else None,
        })
    return rows


def pending_rows(ctx: RunContext, taxonomy_version: str, *, since: date | None = None,
                 retag: bool = False) -> list[runs.ToTag]:
    """(article_id, title, text) of the articles to tag: untagged by this taxonomy, or all since D."""
    with open_warehouse(ctx.db_path, migrate_schema=False) as con:
        return runs.articles_to_retag(con, since) if retag else runs.articles_to_tag(con, taxonomy_version)


def load_tag_results(ctx: RunContext, results: list[TagResult]) -> StepReport:
    """The one write of the tag step: every batch's results in one bulk load (the versions come
    from the validated config, so a run with nothing to tag never compiles the tagger)."""
    tagging = ctx.config.tagging
    with open_warehouse(ctx.db_path, migrate_schema=False) as con:
        written = wload.load_tags(con, results, taxonomy_version=tagging.taxonomy_version,
                                  topics_toml=tagging.topics_toml, entities_toml=tagging.entities_toml,
                                  model_sha256=tagging.model.digest if tagging.model else None)
    report = StepReport()
    report.counts.update(articles_tagged=len(results), tags=written)
    report.info["taxonomy_version"] = tagging.taxonomy_version
    return report


def tag_pending(ctx: RunContext, *, since: date | None = None, retag: bool = False) -> StepReport:
    """Tag every article the current taxonomy has not tagged yet (or all since D with retag)."""
    version = ctx.config.tagging.taxonomy_version  # the tagger is compiled only if there are rows
    rows = pending_rows(ctx, version, since=since, retag=retag)
    return load_tag_results(ctx, tag_batch_of(ctx.config.tagging, version, rows))


def cluster_and_digest(ctx: RunContext, taxonomy_version: str | None = None) -> StepReport:
    """Assign story clusters, rebuild the day's digest tables and run the data checks."""
    from warehouse.stories import assign_story_ids

    report = StepReport()
    with open_warehouse(ctx.db_path, migrate_schema=False) as con:
        report.counts.update(stories_changed=assign_story_ids(con))
        counts = build_digest(con, ctx.digest_date, tz=ctx.settings.timezone, top_n=ctx.settings.top_n,
                              taxonomy_version=taxonomy_version)
        # after the digest: today's fetches and articles are stored, so a silent source shows
        from dashboards.queries import source_health
        report.info["source_alerts"] = [h for h in source_health(con, ctx.digest_date) if h["alert"]]
        failures = run_checks(con)
        notes = [RunNote("error", "checks", name, f"data check {name} found {n} offending rows")
                 for name, n in failures.items()]
        wload.append_run_log(con, notes, run_id=ctx.run_id)
    report.notes += notes
    report.counts.update({f"digest_{k}": v for k, v in counts.items()})
    return report


def deliver(ctx: RunContext) -> StepReport:
    """Write the day's digest emails to the outbox and the static dashboard."""
    from dashboards.delivery.email import write_outbox
    from dashboards.site import build_dashboard

    report = StepReport()
    with open_warehouse(ctx.db_path, migrate_schema=False) as con:
        tagger = tagger_of(ctx.config.tagging)  # marks the evidence terms; compiled once per process
        paths = write_outbox(con, ctx.settings, ctx.digest_date, recipients=ctx.config.recipients, tagger=tagger)
        if ctx.settings.smtp.host:  # SMTP configured: also send (the ledger prevents doubles)
            report.merge(send_over_smtp(ctx, con))
        index = build_dashboard(con, ctx.settings.dashboard_dir, today=ctx.digest_date, settings=ctx.settings,
                                tagger=tagger)
    report.counts.update(emails=len(paths))
    report.info.update(emails=[str(p) for p in paths], dashboard=str(index))
    return report


def send_over_smtp(ctx: RunContext, con: Any) -> StepReport:
    """Send the day's digest over SMTP; a delivery failure is a run note, the outbox copy stays.

    Only DeliveryError (the relay refused or was unreachable) becomes a note: a ConfigError
    (credentials in clear text, a missing Secret block) stops the run loudly, because it will
    fail the same way every morning until someone fixes the config.
    """
    from dashboards.delivery.smtp import send_digest
    from flows.secrets import with_smtp_password

    report = StepReport()
    try:
        sent = send_digest(con, with_smtp_password(ctx.settings), ctx.digest_date, recipients=ctx.config.recipients)
        report.info["smtp"] = str(sent)
        report.counts.update(emails_sent=len(sent.sent))
    except DeliveryError as exc:
        report.notes.append(RunNote("error", "deliver", "smtp", exc.one_line()))
    return report


def finish_run(ctx: RunContext, summary: StepReport, *, status: str = "completed", flow_run_id: str | None = None) -> None:
    """Close the run's row in `runs` with its counts."""
    with open_warehouse(ctx.db_path, migrate_schema=False) as con:
        runs.finish_run(con, ctx.run_id, status=status, flow_run_id=flow_run_id, counts=summary.counts,
                        skipped=summary.skipped)


@dataclass(frozen=True)
class Steps:
    """The step functions `run_steps` calls; `flows/daily.py` passes Prefect-task versions."""

    ingest_seeds: Callable[[RunContext], StepReport] = ingest_seeds
    fetch_sources: Callable[[RunContext, list[Any], set[str], dict[str, dict[str, Any]]], StepReport] = (
        fetch_sources_or_note)
    extract_pages: Callable[[RunContext, list[RawPage]], StepReport] = extract_pages
    store: Callable[[RunContext, StepReport], StepReport] = store
    tag_pending: Callable[[RunContext], StepReport] = tag_pending
    cluster_and_digest: Callable[[RunContext, str | None], StepReport] = cluster_and_digest
    deliver: Callable[[RunContext], StepReport] = deliver


def run_steps(ctx: RunContext, steps: Steps, progress: Progress = NO_PROGRESS) -> StepReport:
    """The daily sequence: seeds → fetch (every source at once) → extract → store → tag → digest
    → deliver. `progress` hears each stage begin and end with the counts so far (and may read
    the fetch's live counts whenever it redraws)."""
    summary = staged(progress, "seeds", lambda: steps.ingest_seeds(ctx))
    c = summary.counts
    sources = plan_sources(ctx)
    if sources:
        known, state = known_state(ctx)
        c.update(sources_total=len(sources))
        progress.begin("fetch", c)
        progress.watch("fetch", lambda: {**c, **fetch_counts(ctx.live.get("fetch"), sources)})
        summary.merge(steps.fetch_sources(ctx, sources, known, state))
        c["sources_read"] = len(sources)
        progress.end("fetch", c)
        c["pages"] = len(summary.pages)
        staged(progress, "extract", lambda: steps.extract_pages(ctx, summary.pages), summary)
    staged(progress, "store", lambda: steps.store(ctx, summary), summary)
    tagged = staged(progress, "tag", lambda: steps.tag_pending(ctx), summary)
    staged(progress, "digest", lambda: steps.cluster_and_digest(ctx, tagged.info["taxonomy_version"]), summary)
    staged(progress, "deliver", lambda: steps.deliver(ctx), summary)
    return summary


def run_daily(config: Config, digest_date: date | None = None, *, steps: Steps | None = None,
              flow_run_id: str | None = None, progress: Progress | None = None) -> tuple[RunContext, StepReport]:
    """One daily run on validated config, as one writer session: the run lock (waiting up to
    `[run] lock_wait_seconds`), a `runs` row, the steps (bare calls by default), the row closed,
    and the work file published. A failed run publishes only its `failed` row."""
    settings = config.settings
    day = settings.digest_day(digest_date)  # a future date is refused before any lock or copy
    with writer_session(settings.db_path, "marsad run", wait=settings.lock_wait, on_wait=say_waiting) as session:
        ctx = start_run(config, session, day, flow_run_id)
        try:
            summary = run_steps(ctx, steps or Steps(), progress or current_progress())
            summary.notes[:0] = session.interrupted_notes()
            finish_run(ctx, summary, flow_run_id=flow_run_id)
        except BaseException as exc:
            _record_failure(ctx, session, "failed" if isinstance(exc, Exception) else "interrupted", flow_run_id)
            raise
        session.publish()
    return ctx, summary


def _record_failure(ctx: RunContext, session: WriterSession, status: str, flow_run_id: str | None) -> None:
    """Discard the failed run's work and publish only its row (so `runs` tells the truth). If
    even that fails, the run's own error is the one to report; the next writer finds the run in
    the lock file and records it as interrupted."""
    with contextlib.suppress(Exception):
        session.rollback()
        with open_warehouse(ctx.db_path, migrate_schema=False) as con:
            runs.start_run(con, ctx.run_id, ctx.digest_date, ctx.started_at)
        finish_run(ctx, StepReport(), status=status, flow_run_id=flow_run_id)
        session.publish()


__all__ = [
    "RunContext", "StepReport", "Steps",
    "start_run", "ingest_seeds", "configured_sources", "plan_sources", "known_state", "batch_options",
    "extract_pages", "store", "source_rows", "pending_rows", "load_tag_results", "tag_pending",
    "cluster_and_digest", "deliver", "send_over_smtp", "finish_run", "run_steps", "run_daily",
]
