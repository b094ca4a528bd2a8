"""What the daily flow publishes as Prefect artifacts, computed without Prefect running."""

from __future__ import annotations

from datetime import UTC, datetime

from extractors.core.records import RunNote
from extractors.core.topics import TOPICS
from flows.artifacts import EVIDENCE_CHARS, artifact_contents
from flows.pipeline import RunContext, StepReport
from tests.delivery_world import DIGEST_DAY, fill
from warehouse.db import open_warehouse


def test_artifacts_follow_the_topics_table_and_the_digest_table(config, settings):
    with open_warehouse(settings.db_path) as con:
        fill(con)
    ctx = RunContext(config, DIGEST_DAY, "run1", datetime.now(UTC))
    summary = StepReport(notes=[RunNote("warning", "seeds", "x.txt", "skipped seed x.txt: empty file")])
    summary.counts.update(articles_new=3, articles_total=9)
    topics, markdown, rows = artifact_contents(ctx, summary)

    assert [t.topic for t in topics] == list(TOPICS)  # contract order, from the `topics` table
    table = [line.split("|")[1].strip() for line in markdown.splitlines() if line.startswith("| ") and "topic" not in line]
    assert table == list(TOPICS)
    assert "Run `run1`: 3 new articles (9 stored)" in markdown and "- seeds: x.txt: skipped seed x.txt: empty file" in markdown
    assert "| pricing |" in markdown and "▲" in next(line for line in markdown.splitlines() if "| pricing |" in line)

    assert rows[0]["topic"] == "pricing" and rows[0]["spike"] is True  # the spike leads
    assert list(dict.fromkeys(r["topic"] for r in rows)) == ["pricing", "export_controls", "privacy_bans", "market_impact"]
    assert all(len(r["evidence"]) <= EVIDENCE_CHARS for r in rows)
    assert not any("\u202e" in r["title"] or "\n" in r["title"] for r in rows)


def test_a_day_without_a_digest_still_has_one_table_row(config, settings):
    with open_warehouse(settings.db_path):
        pass
    ctx = RunContext(config, DIGEST_DAY, "run2", datetime.now(UTC))
    topics, markdown, rows = artifact_contents(ctx, StepReport())
    assert topics == [] and rows == [{"topic": "", "rank": 0, "title": "no items today"}]
    assert markdown.startswith(f"# Marsad digest {DIGEST_DAY}")
