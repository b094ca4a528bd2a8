"""The short, clean summary `marsad run` prints: what happened, where things are, what to try."""

from __future__ import annotations

from typing import Any

import typer

from extractors.core.records import RunNote
from extractors.core.settings import Settings
from extractors.core.topics import TOPICS


def note_line(note: RunNote) -> str:
    """`stage: item: message`, without repeating the item when the message starts with it."""
    text = note.message if note.message.startswith(note.item or "") else f"{note.item}: {note.message}"
    return f"{note.stage}: {text}"


def health_lines(alerts: list[dict[str, Any]]) -> list[str]:
    """One line per source that usually yields articles and yielded none today (`source_health`)."""
    why = {"silent": "fetched, no new article", "errors": "every fetch failed", "not_fetched": "not fetched"}
    return [
        f"{a['source']} yielded no article ({why.get(a['status'], a['status'])}"
        + (f": {a['last_error']}" if a.get("last_error") else "")
        + f"); usually {a['baseline']} a day, on {a['yield_days']} of the last {a['fetch_days']} days it was fetched"
        for a in alerts
    ]


def print_run_summary(result: dict[str, Any], settings: Settings, prefect: str | None = None) -> None:
    """Print counts, notes (one line each), output locations (`prefect`: where the flow run
    is), and a SQL line to try."""
    c = result.get("counts", {})
    echo = typer.echo
    echo(f"Marsad run {result['run_id']} for {result['digest_date']}: completed")
    echo(f"  seeds: {c.get('seeds_loaded', 0)} loaded, {c.get('seeds_skipped', 0)} skipped")
    if settings.offline:
        echo("  web:   skipped (offline: seeds only)")
    elif c.get("pages_fetched") or c.get("fetch_errors"):
        echo(f"  web:   {c.get('pages_fetched', 0)} pages fetched, {c.get('web_articles', 0)} articles kept "
             f"({c.get('kept_by_tagger', 0)} by the tagger alone), {c.get('fetch_errors', 0)} fetch errors")
    for src, reasons in sorted(result.get("skipped", {}).items()):
        if reasons:
            echo(f"         {src}: skipped " + ", ".join(f"{n} {why}" for why, n in sorted(reasons.items())))
    echo(f"  articles: {c.get('articles_new', 0)} new, {c.get('articles_total', 0)} stored; "
         f"{c.get('articles_tagged', 0)} tagged ({c.get('tags', 0)} topic tags)")
    topics = [(t, c[f"digest_{t}"]) for t in TOPICS if f"digest_{t}" in c]
    if topics:
        echo(f"  digest {result['digest_date']}: " + ", ".join(f"{t} {n}" for t, n in topics))
    info = result.get("info", {})
    if info.get("compute"):
        batches = [f"{info[k]} {what} batches" for k, what in (("extract_batches", "extract"), ("tag_batches", "tag"))
                   if info.get(k)]
        echo(f"  compute: {' and '.join(batches)} on {info['compute']}")
    for line in health_lines(info.get("source_alerts", [])):
        echo(f"  source health: {line}")
    for note in result.get("notes", []):
        echo(f"  note: {note}")
    echo(f"  warehouse: {settings.db_path}")
    echo(f"  email:     {len(info.get('emails', []))} file(s) in {settings.outbox}/")
    if info.get("dashboard"):
        echo(f"  dashboard: {info['dashboard']}")
    if prefect:
        echo(f"  prefect:   {prefect}")
    echo('Try: .venv/bin/marsad sql "select topic, title, evidence from v_article_topics"')
