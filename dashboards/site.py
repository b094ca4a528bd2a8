"""The static dashboard: one self-contained `index.html` an analyst can open with no network.

Everything is inline — CSS, a few lines of JavaScript for the filters, and SVG charts drawn on
the server — so the page works from a laptop on a plane and loads no CDN. A Content Security
Policy with the hashes of the inline script and style (and nothing else) is set in the page:
even if a hostile title slipped past Jinja2's autoescaping, the browser would refuse to run
it. The table rows carry their topic, source and entities as data attributes; the filter only
hides rows, so there is no JSON inside a <script> to escape.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from dashboards import queries
from dashboards.charts import svg_bars
from dashboards.labels import count_phrase, topic_name
from dashboards.safe_text import inert
from dashboards.shown import ShownItem, shown_fields, template_env
from extractors.core.errors import DeliveryError
from extractors.core.files import write_atomic
from extractors.core.settings import Settings
from extractors.core.topics import TOPICS

TEMPLATES = Path(__file__).resolve().parent / "templates"
WINDOWS = (30, 90)
STORY_DAYS = 30      # stories from the digests of the last 30 days
MAX_STORIES = 300    # keeps the page light; the SQL cookbook has the long tail

_env = template_env(TEMPLATES)


@dataclass
class StoryRow(ShownItem):
    """One story in the dashboard's table (the shown fields, plus its day, topic and entities)."""

    day: str
    topic: str
    topic_name: str
    entities: list[str]


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _stories(con: duckdb.DuckDBPyConnection, today: date) -> list[StoryRow]:
    found = queries.rows(con, "dashboard_stories", first=today - timedelta(days=STORY_DAYS - 1), last=today,
                         limit=MAX_STORIES)
    return [
        StoryRow(
            **shown_fields(title, source, url, outlets, evidence, lang),
            day=day.isoformat(),
            topic=topic,
            topic_name=topic_name(topic),
            # "|" separates entities in a data attribute, so it may not appear inside one.
            entities=[n for n in (inert(e).replace("|", "/") for e in entities or []) if n],
        )
        for day, topic, title, source, url, outlets, evidence, lang, entities in found
    ]


def _charts(con: duckdb.DuckDBPyConnection, tz: str, today: date) -> list[dict]:
    longest = max(WINDOWS)
    series = queries.daily_counts(con, tz, today - timedelta(days=longest - 1), today)
    digest = queries.digest_topics(con, today)
    charts = []
    for topic in [t for t in series if t in TOPICS or any(p.count for p in series[t])]:
        td = digest.get(topic)
        points = series[topic]
        charts.append(
            {
                "topic": topic,
                "name": topic_name(topic),
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


def build_dashboard(con: duckdb.DuckDBPyConnection, out_dir: Path, *, today: date, settings: Settings) -> Path:
    """Write `out_dir/index.html` (trends over 30/90 days, spikes, top stories, filters)."""
    stories = _stories(con, today)
    css = (TEMPLATES / "dashboard.css").read_text(encoding="utf-8")
    js = (TEMPLATES / "dashboard.js").read_text(encoding="utf-8")
    csp = (
        "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
        f"script-src {_csp_hash(js)}; style-src {_csp_hash(css)}"
    )
    html = _env.get_template("dashboard.html.j2").render(
        today=today.isoformat(),
        charts=_charts(con, settings.timezone, today),
        stories=stories,
        topics=[(t, topic_name(t)) for t in TOPICS],
        sources=sorted({s.source for s in stories if s.source}),
        entities=sorted({e for s in stories for e in s.entities}),
        count=count_phrase,
        css=css,
        js=js,
        csp=csp,
        windows=WINDOWS,
    )
    out_dir = Path(out_dir)
    path = out_dir / "index.html"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(path, html)  # an analyst with the page open never reads half a file
    except OSError as exc:
        raise DeliveryError(f"cannot write the dashboard to {out_dir}: {exc}", hint="use --out with a writable folder") from exc
    return path
