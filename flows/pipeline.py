"""The daily job as plain functions: each step is what one Prefect task runs.

`flows/daily.py` wraps these steps in a few batched tasks (retries on I/O only); `run_daily`
below runs the same sequence without Prefect, for tests and the benchmark's "bare" baseline.
Steps that touch the warehouse open it, work and close it again, so the write lock is held
only for the seconds a load takes and an analyst can query between steps.
"""

from __future__ import annotations

import functools
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from extractors.core.errors import MarsadError
from extractors.core.records import Article, FetchLogEntry, RawPage, RunNote
from extractors.core.settings import Settings
from warehouse import load as wload
from warehouse.checks import run_checks
from warehouse.db import open_warehouse
from warehouse.digest import build_digest

# The unattended run waits this long for an analyst's connection to let go of the DuckDB file.
LOCK_WAIT_SECONDS = 120.0


@dataclass
class RunContext:
    """What every step of one run needs: settings, the run's id and the digest date."""

    settings: Settings
    digest_date: date
    run_id: str
    started_at: datetime


@dataclass
class StepReport:
    """What a step hands on: records for the next step plus counts and notes for the summary."""

    articles: list[Article] = field(default_factory=list)
    pages: list[RawPage] = field(default_factory=list)
    log: list[FetchLogEntry] = field(default_factory=list)
    notes: list[RunNote] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    feed_state: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)  # taxonomy version, output paths, …

    def merge(self, other: StepReport) -> StepReport:
        self.articles += other.articles
        self.pages += other.pages
        self.log += other.log
        self.notes += other.notes
        self.counts.update(other.counts)
        self.feed_state.update(other.feed_state)
        self.info.update(other.info)
        for src, reasons in other.skipped.items():
            mine = self.skipped.setdefault(src, {})
            for reason, n in reasons.items():  # counts add up: one source's pages span batches
                mine[reason] = mine.get(reason, 0) + n
        return self


def start_run(settings: Settings, digest_date: date | None = None) -> RunContext:
    """Record a `running` row in `runs` and return the run's context."""
    now = datetime.now(UTC)
    day = digest_date or now.astimezone(settings.tz).date()
    ctx = RunContext(settings, day, uuid.uuid4().hex[:12], now)
    with open_warehouse(settings.db_path, wait=LOCK_WAIT_SECONDS) as con:
        # A run killed mid-way left its row 'running'; its loads were transactions, so nothing
        # half-written remains — only the row's status needs saying.
        con.execute("update runs set status = 'interrupted' where status = 'running' "
                    "and started_at < now() - interval 6 hour")
        con.execute(
            "insert into runs (run_id, digest_date, started_at, status) values (?, ?, ?, 'running')",
            [ctx.run_id, day, now],
        )
    return ctx


def ingest_seeds(ctx: RunContext) -> StepReport:
    """Read the seed folder: good files become articles, bad ones become notes."""
    from extractors.article.seeds import read_seeds

    articles, notes = read_seeds(ctx.settings.seeds_dir)
    report = StepReport(articles=articles, notes=notes)
    report.counts.update(seeds_loaded=len(articles), seeds_skipped=len(notes))
    return report


def configured_sources(ctx: RunContext) -> list[Any]:
    """Every source in the sources file (validated), enabled or not, online or not."""
    from extractors.web.sources import load_sources

    path = ctx.settings.sources_file or ctx.settings.config_file("sources.toml")
    return load_sources(path) if path.exists() else []


def plan_sources(ctx: RunContext) -> dict[str, list[Any]]:
    """Enabled web sources by task group (an empty plan offline or without a sources file)."""
    if ctx.settings.offline:
        return {}
    groups: dict[str, list[Any]] = {}
    for src in configured_sources(ctx):
        if src.enabled:
            groups.setdefault(src.task_group, []).append(src)
    return groups


def known_state(ctx: RunContext) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """URLs already stored (never fetched again) and per-source conditional-GET state."""
    with open_warehouse(ctx.settings.db_path, wait=LOCK_WAIT_SECONDS) as con:
        urls = {r[0] for r in con.execute("select url from article_urls union select url from raw_pages").fetchall()}
        state = {
            r[0]: {"etag": r[1], "last_modified": r[2]}
            for r in con.execute("select source, etag, last_modified from sources").fetchall()
        }
    return urls, state


def watchlist_of(settings: Settings) -> Any:
    """The watchlist, compiled once per file version (every source group and the extract step use it)."""
    return watchlist_in(settings.config_dir)


def watchlist_in(config_dir: Path) -> Any:
    path = config_dir / "watchlist.toml"
    return _compiled_watchlist(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _compiled_watchlist(path: Any, mtime_ns: int) -> Any:
    from extractors.tagging.watchlist import load_watchlist

    return load_watchlist(path)


def fetch_group(
    ctx: RunContext, sources: list[Any], known_urls: set[str], feed_state: dict[str, dict[str, Any]]
) -> StepReport:
    """Discover and fetch one source group's new pages (network I/O: the retried step)."""
    from extractors.web.batch import collect, load_fetch_settings

    batch = collect(
        sources,
        settings=load_fetch_settings(ctx.settings),
        watchlist=watchlist_of(ctx.settings),
        known_urls=known_urls,
        feed_state=feed_state,
    )
    report = StepReport(pages=list(batch.pages), log=list(batch.log), notes=list(batch.notes),
                        feed_state=dict(batch.feed_state), skipped=dict(batch.skipped))
    report.counts.update(pages_fetched=len(batch.pages),
                         fetch_errors=sum(e.status not in ("ok", "not_modified", "skipped") for e in batch.log))
    return report


@dataclass(frozen=True)
class BatchOptions:
    """What a worker needs to extract or tag a batch: no secrets, no warehouse."""

    config_dir: Path
    languages: tuple[str, ...]


def batch_options(settings: Settings) -> BatchOptions:
    return BatchOptions(settings.config_dir, tuple(settings.section("ingest").get("languages", ["ar"])))


def page_batches(pages: list[RawPage], batch_size: int) -> list[list[RawPage]]:
    """Pages in batches that keep each host's pages together (the cross-page rule needs it)."""
    from extractors.article.extract import host_of, plan_batches

    return [[pages[i] for i in batch]
            for batch in plan_batches([host_of(p.final_url or p.url) for p in pages], batch_size)]


def extract_batch_of(options: BatchOptions, pages: list[RawPage]) -> StepReport:
    """One batch of pages → the articles kept (runs in any process: a worker returns records)."""
    from extractors.article.extract import PageJob, extract_batch

    results = extract_batch([PageJob(p.body, p.final_url or p.url, p.content_type, source=p.source) for p in pages])
    return keep_articles(options, pages, results)


def extract_pages(ctx: RunContext, pages: list[RawPage]) -> StepReport:
    """Pages → articles; keep Arabic (configured languages) pages that match the watchlist.

    Pages are extracted in batches that keep each host's pages together, so the lines a
    site repeats on every page (its template) are recognised and dropped. This is the
    in-process path; `flows/dispatch.py` sends the same batches to a task runner.
    """
    from flows.compute import compute_settings

    options = batch_options(ctx.settings)
    report = StepReport()
    for batch in page_batches(pages, compute_settings(ctx.settings).batch_size):
        report.merge(extract_batch_of(options, batch))
    report.counts.update(web_articles=len(report.articles))
    return report


def keep_articles(options: BatchOptions, pages: list[RawPage], results: list[Any]) -> StepReport:
    """Extraction results → the articles Marsad keeps, with a count per reason for the rest."""
    watchlist = watchlist_in(options.config_dir) if pages else None
    report = StepReport()
    for page, art in zip(pages, results, strict=True):
        skip = report.skipped.setdefault(page.source, {})
        if isinstance(art, MarsadError):
            report.notes.append(RunNote("warning", "extract", page.url, str(art)))
            skip["extract_failed"] = skip.get("extract_failed", 0) + 1
            continue
        if art.lang not in options.languages:
            skip["language"] = skip.get("language", 0) + 1
            continue
        if watchlist is not None and not watchlist.matches(f"{art.title or ''}\n{art.text}"):
            skip["not_in_watchlist"] = skip.get("not_in_watchlist", 0) + 1
            continue
        art.urls = list(dict.fromkeys([page.url, page.final_url, *art.urls]))
        report.articles.append(art)
    return report


def store(ctx: RunContext, collected: StepReport) -> StepReport:
    """Load articles, raw pages, the fetch log, run notes and source state in bulk."""
    with open_warehouse(ctx.settings.db_path, wait=LOCK_WAIT_SECONDS) as con:
        new_ids = wload.load_articles(con, collected.articles, run_id=ctx.run_id, seen_at=datetime.now(UTC))
        wload.load_raw_pages(con, collected.pages)
        wload.append_fetch_log(con, collected.log, run_id=ctx.run_id)
        wload.append_run_log(con, collected.notes, run_id=ctx.run_id)
        wload.upsert_sources(con, source_rows(ctx, collected))
        total = con.execute("select count(*) from articles").fetchall()[0][0]
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


def tagger_for(config_dir: Path) -> Any:
    """The tagger of these config files, loaded once per process (workers keep theirs)."""
    stamps = tuple((config_dir / n).stat().st_mtime_ns for n in ("topics.toml", "entities.toml"))
    return _cached_tagger(config_dir, stamps)


@functools.lru_cache(maxsize=4)
def _cached_tagger(config_dir: Path, stamps: tuple[int, ...]) -> Any:
    from extractors.tagging.tagger import load_tagger

    return load_tagger(config_dir)


def pending_rows(ctx: RunContext, taxonomy_version: str, *, since: date | None = None,
                 retag: bool = False) -> list[tuple[str, str | None, str]]:
    """(article_id, title, text) of the articles to tag: untagged by this taxonomy, or all since D."""
    with open_warehouse(ctx.settings.db_path, wait=LOCK_WAIT_SECONDS) as con:
        if retag:
            return con.execute(
                "select article_id, title, text from articles where ? is null or first_seen_at >= ?",
                [since, since],
            ).fetchall()
        return con.execute(
            "select article_id, title, text from articles a where not exists (select 1 from tagging_log l "
            "where l.article_id = a.article_id and l.taxonomy_version = ?)",
            [taxonomy_version],
        ).fetchall()


def tag_batch_of(config_dir: Path, taxonomy_version: str, rows: list[tuple[str, str | None, str]]) -> list[Any]:
    """One batch of (id, title, text) → TagResults (runs in any process: a worker returns records)."""
    tagger = tagger_for(config_dir)
    if tagger.taxonomy_version != taxonomy_version:  # the config changed under the run
        raise MarsadError(f"taxonomy {tagger.taxonomy_version} on this worker, the run tags with {taxonomy_version}")
    return [tagger.tag(aid, text, title) for aid, title, text in rows]


def load_tag_results(ctx: RunContext, results: list[Any]) -> StepReport:
    """The one write of the tag step: every batch's results in one bulk load."""
    tagger = tagger_for(ctx.settings.config_dir)
    with open_warehouse(ctx.settings.db_path, wait=LOCK_WAIT_SECONDS) as con:
        written = wload.load_tags(con, results, taxonomy_version=tagger.taxonomy_version,
                                  topics_toml=tagger.topics_toml)
    report = StepReport()
    report.counts.update(articles_tagged=len(results), tags=written)
    report.info["taxonomy_version"] = tagger.taxonomy_version
    return report


def tag_pending(ctx: RunContext, *, since: date | None = None, retag: bool = False) -> StepReport:
    """Tag every article the current taxonomy has not tagged yet (or all since D with retag)."""
    version = tagger_for(ctx.settings.config_dir).taxonomy_version
    rows = pending_rows(ctx, version, since=since, retag=retag)
    return load_tag_results(ctx, tag_batch_of(ctx.settings.config_dir, version, rows))


def cluster_and_digest(ctx: RunContext, taxonomy_version: str | None = None) -> StepReport:
    """Assign story clusters, rebuild the day's digest tables and run the data checks."""
    from warehouse.stories import assign_story_ids

    report = StepReport()
    with open_warehouse(ctx.settings.db_path, wait=LOCK_WAIT_SECONDS) as con:
        report.counts.update(stories_changed=assign_story_ids(con))
        counts = build_digest(con, ctx.digest_date, tz=ctx.settings.timezone, top_n=ctx.settings.top_n,
                              taxonomy_version=taxonomy_version)
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
    with open_warehouse(ctx.settings.db_path, wait=LOCK_WAIT_SECONDS) as con:
        paths = write_outbox(con, ctx.settings, ctx.digest_date)
        if ctx.settings.smtp.host:  # SMTP configured: also send (the ledger prevents doubles)
            report.merge(send_over_smtp(ctx, con))
        index = build_dashboard(con, ctx.settings.dashboard_dir, today=ctx.digest_date, settings=ctx.settings)
    report.counts.update(emails=len(paths))
    report.info.update(emails=[str(p) for p in paths], dashboard=str(index))
    return report


def send_over_smtp(ctx: RunContext, con: Any) -> StepReport:
    """Send the day's digest over SMTP; a failure is a run note, the outbox copy stays."""
    from dashboards.delivery.smtp import send_digest
    from extractors.core.errors import DeliveryError
    from flows.secrets import with_smtp_password

    report = StepReport()
    try:
        sent = send_digest(con, with_smtp_password(ctx.settings), ctx.digest_date)
        report.info["smtp"] = str(sent)
        report.counts.update(emails_sent=len(sent.sent))
    except (DeliveryError, MarsadError) as exc:
        report.notes.append(RunNote("error", "deliver", "smtp", exc.one_line()))
    return report


def finish_run(ctx: RunContext, summary: StepReport, *, status: str = "completed", flow_run_id: str | None = None) -> None:
    """Close the run's row in `runs` with its counts."""
    import json

    c = summary.counts
    with open_warehouse(ctx.settings.db_path, wait=LOCK_WAIT_SECONDS) as con:
        con.execute(
            "update runs set finished_at = now(), status = ?, flow_run_id = ?, seeds_loaded = ?, seeds_skipped = ?, "
            "pages_fetched = ?, fetch_errors = ?, articles_new = ?, articles_total = ?, tags = ?, emails = ?, "
            "summary_json = ? where run_id = ?",
            [status, flow_run_id, c["seeds_loaded"], c["seeds_skipped"], c["pages_fetched"], c["fetch_errors"],
             c["articles_new"], c["articles_total"], c["tags"], c["emails"],
             json.dumps({"counts": dict(c), "skipped": summary.skipped}, ensure_ascii=False), ctx.run_id],
        )


def fetch_group_or_note(ctx: RunContext, group: str, sources: list[Any], known_urls: set[str],
                        feed_state: dict[str, dict[str, Any]]) -> StepReport:
    """`fetch_group`, but a group that raises becomes a note: one bad source never fails a run."""
    try:
        return fetch_group(ctx, sources, known_urls, feed_state)
    except Exception as exc:  # noqa: BLE001 — the failure is reported, not swallowed
        return group_failed(group, f"{type(exc).__name__}: {exc}")


def group_failed(group: str, message: str) -> StepReport:
    """The report of a source group whose fetch step failed outright."""
    report = StepReport(notes=[RunNote("error", "fetch", group, f"source group {group} failed: {message}")])
    report.counts.update(fetch_errors=1)
    return report


@dataclass(frozen=True)
class Steps:
    """The step functions `run_steps` calls; `flows/daily.py` passes Prefect-task versions."""

    ingest_seeds: Callable[[RunContext], StepReport] = ingest_seeds
    fetch_group: Callable[[RunContext, str, list[Any], set[str], dict[str, dict[str, Any]]], StepReport] = (
        fetch_group_or_note)
    extract_pages: Callable[[RunContext, list[RawPage]], StepReport] = extract_pages
    store: Callable[[RunContext, StepReport], StepReport] = store
    tag_pending: Callable[[RunContext], StepReport] = tag_pending
    cluster_and_digest: Callable[[RunContext, str | None], StepReport] = cluster_and_digest
    deliver: Callable[[RunContext], StepReport] = deliver


def run_steps(ctx: RunContext, steps: Steps) -> StepReport:
    """The daily sequence: seeds → fetch per source group → extract → store → tag → digest → deliver."""
    summary = steps.ingest_seeds(ctx)
    groups = plan_sources(ctx)
    if groups:
        known, state = known_state(ctx)
        for group, sources in groups.items():
            summary.merge(steps.fetch_group(ctx, group, sources, known, state))
        summary.merge(steps.extract_pages(ctx, summary.pages))
    summary.merge(steps.store(ctx, summary))
    tagged = steps.tag_pending(ctx)
    summary.merge(tagged)
    summary.merge(steps.cluster_and_digest(ctx, tagged.info["taxonomy_version"]))
    summary.merge(steps.deliver(ctx))
    return summary


def run_daily(settings: Settings, digest_date: date | None = None, *, steps: Steps | None = None,
              flow_run_id: str | None = None) -> tuple[RunContext, StepReport]:
    """One daily run: a `runs` row, the steps (bare calls by default), the row closed."""
    ctx = start_run(settings, digest_date)
    try:
        summary = run_steps(ctx, steps or Steps())
    except BaseException:
        finish_run(ctx, StepReport(), status="failed", flow_run_id=flow_run_id)
        raise
    finish_run(ctx, summary, flow_run_id=flow_run_id)
    return ctx, summary


__all__ = ["MarsadError", "RunContext", "RunNote", "StepReport", "Steps", "run_daily"]
