"""The daily Marsad flow: a thin sequence of a few batched tasks over `flows.pipeline`.

ingest seeds → fetch (one task per source group) → extract → store → tag → cluster + digest
→ deliver (outbox email, dashboard) → artifacts. Retries only on the I/O steps (fetching,
loading, delivery) and on batch tasks (a worker can die); parsing, tagging and SQL fail fast
because retrying them cannot help. Tasks never run per article: Prefect costs ~60 ms per
task run, so each task takes a batch. From 100 pages or articles on, extract and tag run as
batch tasks on a task runner (every core, or a Dask cluster: `flows/dispatch.py`).
"""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger, runtime, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE

from extractors.core.settings import load_settings
from flows import dispatch, pipeline
from warehouse.db import open_warehouse

FLOW_NAME = "marsad-daily"
DEPLOYMENT_NAME = "marsad-daily"

# cache_policy=NONE: inputs are large in-memory batches; hashing them buys nothing.
ingest_seeds = task(name="ingest-seeds", cache_policy=NONE)(pipeline.ingest_seeds)
fetch_group = task(name="fetch-sources", cache_policy=NONE, retries=2,
                   retry_delay_seconds=[5, 30])(pipeline.fetch_group)
extract_pages = task(name="extract-pages", cache_policy=NONE)(pipeline.extract_pages)
store = task(name="load-warehouse", cache_policy=NONE, retries=1, retry_delay_seconds=10)(pipeline.store)
tag_pending = task(name="tag-topics", cache_policy=NONE)(pipeline.tag_pending)
load_tags = task(name="load-tags", cache_policy=NONE, retries=1, retry_delay_seconds=10)(pipeline.load_tag_results)
cluster_and_digest = task(name="cluster-and-digest", cache_policy=NONE)(pipeline.cluster_and_digest)
deliver = task(name="deliver-digest", cache_policy=NONE, retries=2, retry_delay_seconds=[5, 30])(pipeline.deliver)


def fetch_in_task(ctx: pipeline.RunContext, group: str, sources: list, known: set[str], state: dict) -> pipeline.StepReport:
    """One task run per source group; a group that fails after its retries becomes a note."""
    fetched = fetch_group.with_options(task_run_name=f"fetch-{group}")(ctx, sources, known, state, return_state=True)
    if fetched.is_completed():
        return fetched.result()
    return pipeline.group_failed(group, fetched.message or "failed")


def extract_step(ctx: pipeline.RunContext, pages: list) -> pipeline.StepReport:
    """One `extract-pages` task for a small run; `extract-batch` tasks on a task runner from 100 pages."""
    return dispatch.extract(ctx, pages, in_process=extract_pages)


def tag_step(ctx: pipeline.RunContext) -> pipeline.StepReport:
    """One `tag-topics` task for a small run; `tag-batch` tasks and one `load-tags` from 100 articles."""
    return dispatch.tag(ctx, in_process=tag_pending, load=load_tags)


TASK_STEPS = pipeline.Steps(
    ingest_seeds=ingest_seeds, fetch_group=fetch_in_task, extract_pages=extract_step, store=store,
    tag_pending=tag_step, cluster_and_digest=cluster_and_digest, deliver=deliver,
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


def note_line(note: pipeline.RunNote) -> str:
    """`stage: item: message`, without repeating the item when the message starts with it."""
    text = note.message if note.message.startswith(note.item or "") else f"{note.item}: {note.message}"
    return f"{note.stage}: {text}"


def publish_artifacts(ctx: pipeline.RunContext, summary: pipeline.StepReport) -> None:
    """A markdown summary, a table of the digest and a link to the dashboard, on the flow run."""
    with open_warehouse(ctx.settings.db_path, read_only=True) as con:
        topics = con.execute(
            "select topic, articles, sources, baseline, is_spike from digest_topics where digest_date = ? "
            "order by array_position(['export_controls','pricing','privacy_bans','market_impact'], topic)",
            [ctx.digest_date]).fetchall()
        items = con.execute(
            "select topic, rank, title, source, outlets, url, evidence from digest_items where digest_date = ? "
            "order by topic, rank", [ctx.digest_date]).fetchall()
    lines = [f"# Marsad digest {ctx.digest_date}", "", "| topic | articles | sources | baseline | spike |",
             "|---|---|---|---|---|"]
    lines += [f"| {t} | {a} | {s} | {'' if b is None else round(b, 1)} | {'▲' if sp else ''} |" for t, a, s, b, sp in topics]
    c = summary.counts
    lines += ["", f"Run `{ctx.run_id}`: {c['articles_new']} new articles ({c['articles_total']} stored), "
              f"{c['seeds_skipped']} seed files skipped, {c['fetch_errors']} fetch errors, {c['emails']} emails."]
    lines += [f"- {note_line(n)}" for n in summary.notes[:50]]
    key = "marsad-digest"
    create_markdown_artifact("\n".join(lines), key=key, description=f"Marsad digest {ctx.digest_date}")
    create_table_artifact(
        [{"topic": t, "rank": r, "title": ti, "source": so, "outlets": o, "url": u, "evidence": (e or "")[:300]}
         for t, r, ti, so, o, u, e in items] or [{"topic": "", "rank": 0, "title": "no items today"}],
        key="marsad-digest-items", description=f"Digest items {ctx.digest_date}")
    dashboard = summary.info.get("dashboard")
    if dashboard:
        from pathlib import Path
        create_link_artifact(Path(dashboard).resolve().as_uri(), link_text="Marsad dashboard", key="marsad-dashboard")
    get_run_logger().info("digest %s: %s", ctx.digest_date, {t: a for t, a, *_ in topics})
