"""Named read queries for the digest email, the dashboard and the artifacts (no writes here).

Each query is one file in `dashboards/sql/`, read by name (`rows(con, "digest_table", day=…)`),
and reads the warehouse's tables or its views — `v_current_tags` for "tags under the current
taxonomy", `topics` for the contract order — so no SQL is glued together in Python. The digest
window is a local calendar day in the configured time zone (DESIGN.md): every query takes UTC
bounds computed once (`extractors.core.days.day_bounds`) and filters `first_seen_at` by range,
which keeps the cost proportional to the days shown, not to the size of the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from dashboards.charts import Point
from dashboards.safe_text import inert, inert_lines, safe_url
from extractors.core.days import day_bounds
from extractors.core.topics import TOPICS
from warehouse.db import sql_file

SQL = Path(__file__).resolve().parent / "sql"


@cache
def query(name: str) -> str:
    """The text of the named read query `dashboards/sql/<name>.sql`."""
    return sql_file(f"{name}.sql", SQL)


def rows(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run a named read query with its named (`$name`) parameters and return every row."""
    return con.execute(query(name), params or None).fetchall()


def records(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[dict[str, Any]]:
    """`rows`, each as a dict keyed by column name (for queries the surfaces read by name)."""
    cur = con.execute(query(name), params or None)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def source_health(con: duckdb.DuckDBPyConnection, day: date) -> list[dict[str, Any]]:
    """Every watched source's health on `day` (`source_health`), alerts first."""
    return records(con, "source_health_of_day", day=day)


def daily_counts(
    con: duckdb.DuckDBPyConnection, tz: str, first: date, last: date
) -> dict[str, list[Point]]:
    """Articles per topic per local day over [first, last], zero-filled, spikes from the digest.

    Counts come from the tags (`v_current_tags`) so days before the first digest still have a
    trend; a day for which the digest was built uses the digest's own count, so the chart and
    the email's numbers agree.
    """
    start, _ = day_bounds(first, tz)
    _, end = day_bounds(last, tz)
    counts = {(topic, day): n for topic, day, n in rows(con, "tag_counts_by_day", tz=tz, start=start, end=end)}
    spikes = set()
    for topic, day, n, is_spike in rows(con, "digest_counts_by_day", first=first, last=last):
        counts[(topic, day)] = n
        if is_spike:
            spikes.add((topic, day))
    topics = list(TOPICS) + sorted({t for t, _ in counts} - set(TOPICS))
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return {
        topic: [Point(d, int(counts.get((topic, d), 0)), (topic, d) in spikes) for d in days]
        for topic in topics
    }


@dataclass(frozen=True)
class TopicDay:
    """One topic's digest figures for one day (a `digest_topics` row)."""

    topic: str
    articles: int
    sources: int
    stories: int | None
    baseline: float | None
    mad: float | None
    is_spike: bool


def digest_topics(con: duckdb.DuckDBPyConnection, day: date) -> dict[str, TopicDay]:
    """The digest's per-topic figures for one day, keyed by topic id, in contract order."""
    return {r[0]: TopicDay(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]))
            for r in rows(con, "digest_topics_of_day", day=day)}


def distinct_articles(
    con: duckdb.DuckDBPyConnection, tz: str, day: date, topics: list[str]
) -> tuple[int, int]:
    """(articles, stories) of the day in these topics, each counted once across topics."""
    if not topics:
        return 0, 0
    start, end = day_bounds(day, tz)
    (found,) = rows(con, "distinct_articles_of_day", start=start, end=end, topics=topics) or [(0, 0)]
    return int(found[0]), int(found[1])


def digest_table(con: duckdb.DuckDBPyConnection, day: date) -> list[dict[str, object]]:
    """The day's digest as plain rows, e.g. for a Prefect table artifact (spiking topics first).

    Values are inert text (no markup is added here; the artifact renderer escapes it).
    """
    return [
        {
            "topic": topic,
            "spike": bool(spike),
            "rank": rank,
            "title": inert(title),
            "source": inert(source),
            "outlets": int(outlets),
            "evidence": " / ".join(inert_lines(evidence)),
            "url": safe_url(url) or "",
            "topic_articles": articles,
            "baseline": baseline,
        }
        for topic, spike, rank, title, source, outlets, evidence, url, articles, baseline
        in rows(con, "digest_table", day=day)
    ]
