"""The Prefect artifacts of a daily run: a markdown summary, the digest as a table, a dashboard link.

What goes in them is computed by plain functions from the warehouse's named read queries
(`dashboards.queries.digest_topics` and `digest_table`, in the `topics` table's order), so a
test can check the contents without Prefect; `publish_artifacts` only hands them to Prefect.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import get_run_logger
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from dashboards.queries import TopicDay, digest_table, digest_topics
from flows.pipeline import RunContext, StepReport
from flows.summary import note_line
from warehouse.db import open_warehouse

EVIDENCE_CHARS = 300  # a table cell, not the article: the email and the dashboard carry the rest
MAX_NOTES = 50


def digest_markdown(ctx: RunContext, summary: StepReport, topics: list[TopicDay]) -> str:
    """The run's markdown artifact: the day's topic figures, the run's counts and its notes."""
    lines = [f"# Marsad digest {ctx.digest_date}", "", "| topic | articles | sources | baseline | spike |",
             "|---|---|---|---|---|"]
    lines += [f"| {t.topic} | {t.articles} | {t.sources} | {'' if t.baseline is None else round(t.baseline, 1)} "
              f"| {'▲' if t.is_spike else ''} |" for t in topics]
    c = summary.counts
    lines += ["", f"Run `{ctx.run_id}`: {c['articles_new']} new articles ({c['articles_total']} stored), "
              f"{c['seeds_skipped']} seed files skipped, {c['fetch_errors']} fetch errors, {c['emails']} emails."]
    lines += [f"- {note_line(n)}" for n in summary.notes[:MAX_NOTES]]
    return "\n".join(lines)


def digest_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table artifact's rows: `digest_table`'s, evidence cut to a cell (one row when empty)."""
    rows = [{**item, "evidence": str(item["evidence"])[:EVIDENCE_CHARS]} for item in items]
    return rows or [{"topic": "", "rank": 0, "title": "no items today"}]


def artifact_contents(ctx: RunContext, summary: StepReport) -> tuple[list[TopicDay], str, list[dict[str, Any]]]:
    """(topic figures, markdown, table rows) for the run's digest date, read from the warehouse."""
    with open_warehouse(ctx.settings.db_path, read_only=True) as con:
        topics = list(digest_topics(con, ctx.digest_date).values())
        items = digest_table(con, ctx.digest_date)
    return topics, digest_markdown(ctx, summary, topics), digest_rows(items)


def publish_artifacts(ctx: RunContext, summary: StepReport) -> None:
    """A markdown summary, a table of the digest and a link to the dashboard, on the flow run."""
    topics, markdown, rows = artifact_contents(ctx, summary)
    create_markdown_artifact(markdown, key="marsad-digest", description=f"Marsad digest {ctx.digest_date}")
    create_table_artifact(rows, key="marsad-digest-items", description=f"Digest items {ctx.digest_date}")
    dashboard = summary.info.get("dashboard")
    if dashboard:
        create_link_artifact(Path(dashboard).resolve().as_uri(), link_text="Marsad dashboard", key="marsad-dashboard")
    get_run_logger().info("digest %s: %s", ctx.digest_date, {t.topic: t.articles for t in topics})
