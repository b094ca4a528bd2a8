"""The static dashboard: one self-contained `index.html` an analyst can open with no network.

Everything is inline — CSS, a little JavaScript (filters, the language toggle, the CSV
download) and SVG charts drawn on the server — so the page works from a laptop on a plane and
loads no CDN. A Content Security Policy with the hashes of the inline script and style (and
nothing else) is set in the page: even if a hostile title slipped past Jinja2's autoescaping,
the browser would refuse to run it. The rows carry their topics, outlets and entities as data
attributes; the filter only hides rows, so there is no JSON inside a <script> to escape.

Both chromes are in the page: every chrome string is rendered in the build language
(`lang`, `marsad dashboard --lang en`) and carries the other one in `data-ar` / `data-en`,
which the toggle swaps. Article text keeps its own direction (`dir="rtl" lang="ar"`).

What it shows, after what analysts use elsewhere (Media Cloud's attention over time and top
sources, EMM NewsBrief's story clusters, Meltwater's newsletters): per topic today's count,
baseline, spikes and the 30/90-day trend; the total daily volume and each topic's share of
it; the top outlets per topic; one row per story with its topics as chips, its outlets by
name, when it was published, its best evidence sentence with the matched terms marked (the
others behind a toggle); source health; and a CSV of the rows the filters leave.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from dashboards import queries
from dashboards.charts import Point, svg_bars
from dashboards.labels import (
    CHROME,
    LANGS,
    count_phrase,
    number,
    outlet_parts,
    topic_name,
    when_parts,
)
from dashboards.safe_text import inert
from dashboards.shown import (
    Evidence,
    ShownItem,
    evidence_of,
    highlighter,
    shown_fields,
    template_env,
)
from extractors.core.days import day_bounds
from extractors.core.errors import DeliveryError, UsageError
from extractors.core.files import write_atomic
from extractors.core.settings import Settings
from extractors.core.topics import TOPICS
from extractors.tagging.tagger import Tagger

TEMPLATES = Path(__file__).resolve().parent / "templates"
WINDOWS = (30, 90)
STORY_DAYS = 30      # stories from the digests of the last 30 days
MAX_STORIES = 300    # keeps the page light; the SQL cookbook has the long tail
TOP_OUTLETS = 5

_env = template_env(TEMPLATES)


@dataclass
class StoryRow(ShownItem):
    """One story in the dashboard's table: the shown fields of its latest listing, plus its day,
    every topic it was listed under, its entities, and the evidence beyond the best sentence."""

    day: str
    topics: list[str]
    entities: list[str]
    more_evidence: list[Evidence]


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _stories(con: duckdb.DuckDBPyConnection, today: date, tagger: Tagger | None) -> list[StoryRow]:
    found = queries.records(con, "dashboard_stories", first=today - timedelta(days=STORY_DAYS - 1), last=today,
                            limit=MAX_STORIES)
    out = []
    for row in found:
        listed = [t for t in (row["topics"] or []) if t.get("topic")]
        fields = shown_fields({**row, "evidence": None}, tagger)
        evidence: list[Evidence] = []
        for t in listed:  # the latest listing's topic first: its best sentence leads
            if t["topic"] == row["topic"]:
                evidence[:0] = evidence_of(t["topic"], t["evidence"], fields["title"], tagger)
            else:
                evidence += evidence_of(t["topic"], t["evidence"], fields["title"], tagger)
        fields["evidence"] = evidence[:1]
        out.append(StoryRow(
            **fields,
            day=row["digest_date"].isoformat(),
            topics=[t["topic"] for t in listed],
            # "|" separates entities in a data attribute, so it may not appear inside one.
            entities=[n for n in (inert(e).replace("|", "/") for e in row["entities"] or []) if n],
            more_evidence=evidence[1:],
        ))
    return out


def _charts(con: duckdb.DuckDBPyConnection, tz: str, today: date,
            series: dict[str, list[Point]]) -> list[dict[str, Any]]:
    digest = queries.digest_topics(con, today)
    charts = []
    for topic in [t for t in series if t in TOPICS or any(p.count for p in series[t])]:
        td = digest.get(topic)
        points = series[topic]
        charts.append(
            {
                "topic": topic,
                "today": points[-1].count,
                "baseline": td.baseline if td else None,
                "is_spike": bool(td and td.is_spike),
                "spike_days": sum(p.is_spike for p in points[-30:]),
                "windows": [
                    {"days": n, "chart": svg_bars(points[-n:], baseline=td.baseline if td else None),
                     "first": points[-n].day.isoformat(), "last": points[-1].day.isoformat()}
                    for n in WINDOWS
                ],
            }
        )
    return charts


def _volume(con: duckdb.DuckDBPyConnection, tz: str, today: date,
            series: dict[str, list[Point]]) -> dict[str, Any]:
    """Total articles per day and each topic's share of them, per chart window."""
    first = today - timedelta(days=max(WINDOWS) - 1)
    start, _ = day_bounds(first, tz)
    _, end = day_bounds(today, tz)
    per_day = dict(queries.rows(con, "daily_volume", tz=tz, start=start, end=end))
    days = [first + timedelta(days=i) for i in range(max(WINDOWS))]
    totals = [Point(d, int(per_day.get(d, 0))) for d in days]
    windows = []
    for n in WINDOWS:
        total = sum(p.count for p in totals[-n:])
        shares = [{"topic": t, "articles": sum(p.count for p in series[t][-n:]),
                   "share": sum(p.count for p in series[t][-n:]) / total if total else 0.0}
                  for t in series if t in TOPICS]
        windows.append({"days": n, "total": total, "chart": svg_bars(totals[-n:]), "shares": shares,
                        "first": totals[-n].day.isoformat(), "last": totals[-1].day.isoformat()})
    return {"today": totals[-1].count, "windows": windows}


def _top_outlets(con: duckdb.DuckDBPyConnection, tz: str, today: date) -> dict[str, list[dict[str, Any]]]:
    start, _ = day_bounds(today - timedelta(days=STORY_DAYS - 1), tz)
    _, end = day_bounds(today, tz)
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TOPICS}
    for r in queries.records(con, "top_outlets", start=start, end=end, n=TOP_OUTLETS):
        out.setdefault(r["topic"], []).append({**r, "name": inert(r["name"]), "name_en": inert(r["name_en"])})
    return out


def build_dashboard(con: duckdb.DuckDBPyConnection, out_dir: Path, *, today: date, settings: Settings,
                    lang: str = "ar", tagger: Tagger | None = None) -> Path:
    """Write `out_dir/index.html` (trends, volume and share, top outlets, stories, source
    health, filters, CSV), its chrome in `lang` ("ar" or "en") with a toggle to the other."""
    if lang not in LANGS:
        raise UsageError(f"--lang must be one of {', '.join(LANGS)}, got {lang!r}")
    tagger = tagger or highlighter(settings.config_dir)
    tz = settings.timezone
    series = queries.daily_counts(con, tz, today - timedelta(days=max(WINDOWS) - 1), today)
    stories = _stories(con, today, tagger)
    css = (TEMPLATES / "dashboard.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "dashboard.js").read_text(encoding="utf-8")
    csp = (
        "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
        f"script-src {_csp_hash(js)}; style-src {_csp_hash(css)}"
    )
    outlets = {o.id: o for s in stories for o in s.outlet_list}
    html = _env.get_template("dashboard.html.j2").render(
        lang=lang,
        other="en" if lang == "ar" else "ar",
        chrome=CHROME,
        today=today.isoformat(),
        charts=_charts(con, tz, today, series),
        volume=_volume(con, tz, today, series),
        top_outlets=_top_outlets(con, tz, today),
        health=queries.source_health(con, today),
        stories=stories,
        topics=list(TOPICS),
        outlets=sorted(outlets.values(), key=lambda o: o.name_en.lower()),
        entities=sorted({e for s in stories for e in s.entities}),
        count=count_phrase,
        num=number,
        topic_name=topic_name,
        outlet_parts=outlet_parts,
        when=lambda s, lg: when_parts(s.published_at, s.first_seen_at, settings.tz, lg),
        css=css,
        js=js,
        csp=csp,
        windows=WINDOWS,
        zip=zip,
    )
    out_dir = Path(out_dir)
    path = out_dir / "index.html"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(path, html)  # an analyst with the page open never reads half a file
    except OSError as exc:
        raise DeliveryError(f"cannot write the dashboard to {out_dir}: {exc}", hint="use --out with a writable folder") from exc
    return path
