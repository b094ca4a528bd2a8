"""The daily Marsad flow: a thin sequence of a few batched tasks over `flows.pipeline`.

ingest seeds → fetch (ONE task for every source group: one event loop, one per-host scheduler)
→ extract → store → tag → cluster + digest → deliver (outbox email, dashboard) → artifacts.
All config is validated at the top, before the first task (`flows.config.load_config`).
Retries only on the I/O steps (fetching, delivery, and the batch tasks of a task runner), and
only for I/O failures (`flows.retries.retry_on_io`); parsing, tagging, SQL and config errors
fail fast because retrying them cannot help. Tasks never run per article: Prefect costs ~60 ms
per task run, so each task takes a batch. From 100 pages or articles on, extract and tag can
run as batch tasks on a task runner (every core, or a Dask cluster: `flows/dispatch.py`).
"""

from __future__ import annotations

from datetime import date

from prefect import flow, runtime, task
from prefect.cache_policies import NONE

from flows import dispatch, fetching, pipeline
from flows.artifacts import publish_artifacts
from flows.config import load_config
from flows.retries import retry_on_io
from flows.summary import note_line

FLOW_NAME = "marsad-daily"
DEPLOYMENT_NAME = "marsad-daily"

# cache_policy=NONE: inputs are large in-memory batches; hashing them buys nothing.
ingest_seeds = task(name="ingest-seeds", cache_policy=NONE)(pipeline.ingest_seeds)
fetch_sources = task(name="fetch-sources", cache_policy=NONE, retries=2, retry_delay_seconds=[5, 30],
                     retry_condition_fn=retry_on_io)(fetching.fetch_sources)
extract_pages = task(name="extract-pages", cache_policy=NONE)(pipeline.extract_pages)
store = task(name="load-warehouse", cache_policy=NONE)(pipeline.store)  # SQL: fails fast, no retries
tag_pending = task(name="tag-topics", cache_policy=NONE)(pipeline.tag_pending)
load_tags = task(name="load-tags", cache_policy=NONE)(pipeline.load_tag_results)  # SQL: fails fast
cluster_and_digest = task(name="cluster-and-digest", cache_policy=NONE)(pipeline.cluster_and_digest)
deliver = task(name="deliver-digest", cache_policy=NONE, retries=2, retry_delay_seconds=[5, 30],
               retry_condition_fn=retry_on_io)(pipeline.deliver)


def fetch_in_task(ctx: pipeline.RunContext, sources: list, known: set[str], state: dict) -> pipeline.StepReport:
    """One task run for every source; a retry resumes from `progress` (pages are not fetched
    twice), and a task that fails for good becomes a note that keeps the pages it got."""
    progress = fetching.new_fetch_progress(ctx)
    fetched = fetch_sources(ctx, sources, known, state, progress, return_state=True)
    if fetched.is_completed():
        return fetched.result()
    return fetching.fetch_failed(progress, fetched.message or "failed")


def extract_step(ctx: pipeline.RunContext, pages: list) -> pipeline.StepReport:
    """One `extract-pages` task for a small run; `extract-batch` tasks on a task runner for a big one."""
    return dispatch.extract(ctx, pages, in_process=extract_pages)


def tag_step(ctx: pipeline.RunContext) -> pipeline.StepReport:
    """One `tag-topics` task for a small run; `tag-batch` tasks and one `load-tags` for a big one."""
    return dispatch.tag(ctx, in_process=tag_pending, load=load_tags)


TASK_STEPS = pipeline.Steps(
    ingest_seeds=ingest_seeds, fetch_sources=fetch_in_task, extract_pages=extract_step, store=store,
    tag_pending=tag_step, cluster_and_digest=cluster_and_digest, deliver=deliver,
)


@flow(name=FLOW_NAME, log_prints=False)
def daily(run_date: str | None = None, offline: bool = False, sources: str | None = None) -> dict:
    """One daily run: seeds + configured sources → warehouse → digest → email + dashboard."""
    config = load_config(offline=offline or None, sources_file=sources)  # before any task
    flow_run_id = str(runtime.flow_run.id) if runtime.flow_run.id else None
    ctx, summary = pipeline.run_daily(config, date.fromisoformat(run_date) if run_date else None,
                                      steps=TASK_STEPS, flow_run_id=flow_run_id)
    publish_artifacts(ctx, summary)
    return {"run_id": ctx.run_id, "flow_run_id": flow_run_id, "digest_date": ctx.digest_date.isoformat(),
            "counts": dict(summary.counts),
            "notes": [note_line(n) for n in summary.notes], "info": summary.info,
            "skipped": summary.skipped}
