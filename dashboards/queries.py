"""Read-side SQL shared by the digest email and the dashboard (no writes here).

The digest window is a local calendar day in the configured time zone (DESIGN.md), so every
query takes UTC bounds computed once in Python and filters `first_seen_at` by range — that
keeps the cost proportional to the days shown, not to the size of the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import duckdb

from dashboards.charts import Point
from extractors.core.topics import TOPICS

_BIDI_AND_CONTROLS = {c: None for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
_BIDI_AND_CONTROLS.update({c: None for c in (0x061C, 0x200E, 0x200F, 0x2028, 0x2029)})
_BIDI_AND_CONTROLS.update({c: None for c in range(0x202A, 0x202F)})
_BIDI_AND_CONTROLS.update({c: None for c in range(0x2066, 0x206A)})
# Tags under the current taxonomy only (what the digest counts); a warehouse that never
# recorded a version (hand-filled, or older) counts every tag.
CURRENT_TAGS = """
    (t.taxonomy_version = (select taxonomy_version from taxonomy_versions
                           order by created_at desc, taxonomy_version limit 1)
     or not exists (select 1 from taxonomy_versions))
"""
_LINE_BREAKS = {0x0A: " ", 0x0D: " ", 0x09: " ", 0x2028: " ", 0x2029: " "}


def inert(text: str | None) -> str:
    """One line of article text safe to show: no CR/LF, no controls, no direction overrides.

    Escaping stops markup; this stops the rest — a bidi override (U+202E) in a title would
    reorder the words around it, and a bare CR/LF has no business in a one-line field.
    """
    if not text:
        return ""
    text = text.translate(_LINE_BREAKS).translate(_BIDI_AND_CONTROLS)
    return " ".join(text.split())


def inert_lines(text: str | None) -> list[str]:
    """Multi-line field (evidence sentences joined by newlines) → inert non-empty lines."""
    return [line for line in (inert(part) for part in (text or "").splitlines()) if line]


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) and one clean line; otherwise None (shown as text, not a link)."""
    clean = inert(url)
    if clean and clean.lower().startswith(("http://", "https://")) and " " not in clean:
        return clean
    return None


def day_bounds(day: date, tz: ZoneInfo | str) -> tuple[datetime, datetime]:
    """UTC [start, end) of a local calendar day (23 or 25 hours long across a DST change)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end


def daily_counts(
    con: duckdb.DuckDBPyConnection, tz: str, first: date, last: date
) -> dict[str, list[Point]]:
    """Articles per topic per local day over [first, last], zero-filled, spikes from the digest.

    Counts come from the tags (`article_topics`) so days before the first digest still have a
    trend; a day for which the digest was built uses the digest's own count, so the chart and
    the email's numbers agree.
    """
    start, _ = day_bounds(first, tz)
    _, end = day_bounds(last, tz)
    rows = con.execute(
        """
        with window_articles as (
            select article_id, (first_seen_at at time zone ?)::date as day
            from articles
            where first_seen_at >= ? and first_seen_at < ?
        )
        select t.topic, w.day, count(distinct w.article_id)
        from window_articles w join article_topics t using (article_id)
        where """ + CURRENT_TAGS + """
        group by all
        """,
        [tz, start, end],
    ).fetchall()
    counts = {(topic, day): n for topic, day, n in rows}
    digest = con.execute(
        "select topic, digest_date, articles, is_spike from digest_topics where digest_date between ? and ?",
        [first, last],
    ).fetchall()
    spikes = set()
    for topic, day, n, is_spike in digest:
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
    topic: str
    articles: int
    sources: int
    stories: int | None
    baseline: float | None
    mad: float | None
    is_spike: bool


def digest_topics(con: duckdb.DuckDBPyConnection, day: date) -> dict[str, TopicDay]:
    """The digest's per-topic counts for one day, keyed by topic id."""
    rows = con.execute(
        "select topic, articles, sources, stories, baseline, mad, is_spike"
        " from digest_topics where digest_date = ?",
        [day],
    ).fetchall()
    return {r[0]: TopicDay(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows}


def distinct_articles(
    con: duckdb.DuckDBPyConnection, tz: str, day: date, topics: list[str]
) -> tuple[int, int]:
    """(articles, stories) of the day in these topics, each counted once across topics."""
    if not topics:
        return 0, 0
    start, end = day_bounds(day, tz)
    # Semi-joins from the day's articles: with a topic filter on a plain join, DuckDB builds its
    # hash table on the (whole-history) tag side; this form keeps the cost to the day.
    row = con.execute(
        """
        with day_articles as (
            select article_id, coalesce(story_id, article_id) as story
            from articles
            where first_seen_at >= ? and first_seen_at < ?
        ),
        tagged as (
            select t.article_id
            from article_topics t
            where t.article_id in (select article_id from day_articles)
              and list_contains(?, t.topic)
              and """ + CURRENT_TAGS + """
        )
        select count(*), count(distinct story)
        from day_articles
        where article_id in (select article_id from tagged)
        """,
        [start, end, topics],
    ).fetchone() or (0, 0)
    return int(row[0]), int(row[1])


def digest_table(con: duckdb.DuckDBPyConnection, day: date) -> list[dict[str, object]]:
    """The day's digest as plain rows, e.g. for a Prefect table artifact (spiking topics first).

    Values are inert text (no markup is added here; the artifact renderer escapes it).
    """
    rows = con.execute(
        """
        select i.topic, g.is_spike, i.rank, i.title, i.source, coalesce(i.outlets, 1), i.evidence, i.url,
               g.articles, g.baseline
        from digest_items i
        left join digest_topics g on g.digest_date = i.digest_date and g.topic = i.topic
        where i.digest_date = ?
        """,
        [day],
    ).fetchall()
    order = {t: n for n, t in enumerate(TOPICS)}
    rows.sort(key=lambda r: (not r[1], order.get(r[0], len(order)), r[0], r[2]))
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
        for topic, spike, rank, title, source, outlets, evidence, url, articles, baseline in rows
    ]
