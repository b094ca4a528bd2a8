"""The extract and tag steps over batches: in-process for small runs, else on a task runner.

One path for the daily flow (`flows/daily.py`), `marsad reextract` and `marsad retag`:

    pages ──plan by host──▶ batches ──task runner (every core, or a Dask cluster)──▶ StepReports
                                                                                      │ merged in order
    articles to tag ──slices──▶ batches ──task runner──▶ TagResults ──one load step──▶ warehouse

Each batch is one Prefect task run (`extract-batch`, `tag-batch`), a few hundred items, so
Prefect's ~60 ms a task run is noise. Workers never open the warehouse nor read a config
file: each batch carries what it needs from the run's validated Config (`BatchOptions`: the
languages, the ungated sources, the watchlist, the tagging config, whose tagger a worker
compiles once: `flows/batches.py`), and they return records that the caller's single load
step writes in bulk. The relevance gate runs per batch; its counts (`skipped`,
`kept_by_tagger`) add up. Batches are planned the same way whatever runs them, so the rows a
run writes do not depend on where it ran. A batch that fails on the runner (after Prefect's
retries and Dask's rescheduling) is run again in this process and said in a run note:
nothing is lost, and since only one result per batch is kept, nothing is doubled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from prefect import task
from prefect.cache_policies import NONE

from extractors.core.records import RawPage, RunNote
from flows import batches, pipeline
from flows.compute import choose_runner, recover, run_batches, where
from flows.retries import retry_on_io

# cache_policy=NONE: inputs are large in-memory batches; hashing them buys nothing. One retry,
# for I/O only (a worker's dropped connection); a worker that dies is Dask's to reschedule.
extract_batch_task = task(name="extract-batch", cache_policy=NONE, retries=1, retry_delay_seconds=2,
                          retry_condition_fn=retry_on_io)(batches.extract_batch_of)
tag_batch_task = task(name="tag-batch", cache_policy=NONE, retries=1, retry_delay_seconds=2,
                      retry_condition_fn=retry_on_io)(batches.tag_batch_of)


def extract(ctx: pipeline.RunContext, pages: list[RawPage], *,
            in_process: Callable[..., pipeline.StepReport] = pipeline.extract_pages) -> pipeline.StepReport:
    """Extract `pages` (see the module docstring); `in_process` runs a small run whole."""
    compute = ctx.config.compute
    runner = choose_runner(compute, len(pages))
    if runner is None:
        return in_process(ctx, pages)
    options = pipeline.batch_options(ctx)
    calls = [{"options": options, "pages": batch} for batch in batches.page_batches(pages, compute.batch_size)]
    reports, redone = recover(run_batches(runner, compute, extract_batch_task, calls), calls,
                              batches.extract_batch_of)
    report = pipeline.StepReport()
    for one in reports:
        report.merge(one)
    report.notes += [RunNote("warning", "extract", "task runner", line) for line in redone]
    report.counts.update(web_articles=len(report.articles))
    report.info.update(extract_batches=len(calls), compute=where(compute))
    return report


def tag(ctx: pipeline.RunContext, *, since: date | None = None, retag: bool = False,
        in_process: Callable[..., pipeline.StepReport] = pipeline.tag_pending,
        load: Callable[..., pipeline.StepReport] = pipeline.load_tag_results) -> pipeline.StepReport:
    """Tag what needs tagging; `in_process` tags a small run whole, `load` writes big ones."""
    compute = ctx.config.compute
    tagging = ctx.config.tagging  # travels without its compiled tagger: each worker compiles it once
    version = tagging.taxonomy_version  # no compile here: a worker compiles, or nobody if no rows
    rows = pipeline.pending_rows(ctx, version, since=since, retag=retag)
    runner = choose_runner(compute, len(rows), "tag")
    if runner is None:
        return in_process(ctx, since=since, retag=retag)
    size = compute.batch_size
    calls: list[dict[str, Any]] = [{"tagging": tagging, "taxonomy_version": version, "rows": rows[i:i + size]}
                                   for i in range(0, len(rows), size)]
    results, redone = recover(run_batches(runner, compute, tag_batch_task, calls), calls, batches.tag_batch_of)
    report = load(ctx, [result for batch in results for result in batch])
    report.notes += [RunNote("warning", "tag", "task runner", line) for line in redone]
    report.info.update(tag_batches=len(calls), compute=where(compute))
    return report
