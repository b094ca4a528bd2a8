"""The daily Marsad flow: a thin sequence of a few batched tasks over `flows.pipeline`.

ingest seeds → fetch (ONE task for every source group: one event loop, one per-host scheduler)
→ extract → store → tag → cluster + digest → deliver (outbox email, dashboard) → artifacts.
Retries only on the I/O steps (fetching, delivery); parsing, tagging and SQL fail fast because
retrying them cannot help, and the fetch task retries only on I/O exceptions (a bug or a config
error fails at once). Tasks never run per article: Prefect costs ~60 ms per task run, so each
task takes the whole batch.
"""

from __future__ import annotations

from datetime import date

from prefect import flow, runtime, task
from prefect.cache_policies import NONE

from extractors.core.settings import load_settings
from flows import pipeline
from flows.artifacts import publish_artifacts
from flows.summary import note_line

FLOW_NAME = "marsad-daily"
DEPLOYMENT_NAME = "marsad-daily"

# cache_policy=NONE: inputs are large in-memory batches; hashing them buys nothing.
ingest_seeds = task(name="ingest-seeds", cache_policy=NONE)(pipeline.ingest_seeds)


def _io_only(task, task_run, state) -> bool:  # Prefect's retry_condition_fn signature
    """Retry the fetch task only when it died of an I/O failure (`pipeline.is_io_failure`)."""
    exc = state.data
    if not isinstance(exc, BaseException):
        try:
            exc = state.result(raise_on_failure=False)
        except Exception:  # noqa: BLE001 — an unreadable state is not worth a retry
            return False
    return isinstance(exc, BaseException) and pipeline.is_io_failure(exc)


fetch_sources = task(name="fetch-sources", cache_policy=NONE, retries=2, retry_delay_seconds=[5, 30],
                     retry_condition_fn=_io_only)(pipeline.fetch_sources)
extract_pages = task(name="extract-pages", cache_policy=NONE)(pipeline.extract_pages)
store = task(name="load-warehouse", cache_policy=NONE, retries=1, retry_delay_seconds=10)(pipeline.store)
tag_pending = task(name="tag-topics", cache_policy=NONE)(pipeline.tag_pending)
cluster_and_digest = task(name="cluster-and-digest", cache_policy=NONE)(pipeline.cluster_and_digest)
deliver = task(name="deliver-digest", cache_policy=NONE, retries=2, retry_delay_seconds=[5, 30])(pipeline.deliver)


def fetch_in_task(ctx: pipeline.RunContext, sources: list, known: set[str], state: dict) -> pipeline.StepReport:
    """One task run for every source; a retry resumes from `progress` (pages are not fetched
    twice), and a task that fails for good becomes a note that keeps the pages it got."""
    progress = pipeline.new_fetch_progress()
    fetched = fetch_sources(ctx, sources, known, state, progress, return_state=True)
    if fetched.is_completed():
        return fetched.result()
    return pipeline.fetch_failed(progress, fetched.message or "failed")


TASK_STEPS = pipeline.Steps(
    ingest_seeds=ingest_seeds, fetch_sources=fetch_in_task, extract_pages=extract_pages, store=store,
    tag_pending=tag_pending, cluster_and_digest=cluster_and_digest, deliver=deliver,
)


@flow(name=FLOW_NAME, log_prints=False)
def daily(run_date: str | None = None, offline: bool = False, sources: str | None = None) -> dict:
    """One daily run: seeds + configured sources → warehouse → digest → email + dashboard."""
    settings = load_settings(offline=offline or None, sources_file=sources)
    flow_run_id = str(runtime.flow_run.id) if runtime.flow_run.id else None
    ctx, summary = pipeline.run_daily(settings, date.fromisoformat(run_date) if run_date else None,
                                      steps=TASK_STEPS, flow_run_id=flow_run_id)
    publish_artifacts(ctx, summary)
    return {"run_id": ctx.run_id, "digest_date": ctx.digest_date.isoformat(), "counts": dict(summary.counts),
            "notes": [note_line(n) for n in summary.notes], "info": summary.info,
            "skipped": summary.skipped}
