"""What the CLI's maintenance commands do (digest, dashboard, retag, reextract), as functions.

Each returns the one line the CLI prints, so tests can call them without a subprocess.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from extractors.core.days import today_in
from extractors.core.errors import WarehouseError
from extractors.core.settings import Settings
from flows import pipeline
from warehouse.db import open_warehouse
from warehouse.digest import build_digest
from warehouse.runs import raw_pages_since


def _existing(settings: Settings) -> Settings:
    """Maintenance commands work on a warehouse a run made; they never start an empty one."""
    if not settings.db_path.exists():
        raise WarehouseError(f"no warehouse at {settings.db_path}",
                             hint="run `make run` (or `marsad run`) first, or set MARSAD_DB")
    return settings


def rebuild_digest(settings: Settings, day: date | None = None, *, send: bool = False) -> str:
    """Rebuild the digest tables for `day`, then write the outbox or send over SMTP."""
    day = day or today_in(settings.tz)
    with open_warehouse(_existing(settings).db_path) as con:
        counts = build_digest(con, day, tz=settings.timezone, top_n=settings.top_n)
        if send:
            from dashboards.delivery.smtp import send_digest
            from flows.secrets import with_smtp_password

            report = send_digest(con, with_smtp_password(settings), day)
            return f"digest {day}: {counts}; {report}"
        from dashboards.delivery.email import write_outbox

        paths = write_outbox(con, settings, day)
    return f"digest {day}: {counts}; wrote {len(paths)} email(s) to {settings.outbox}"


def write_dashboard(settings: Settings, out: Path | None = None, day: date | None = None) -> str:
    """Write the static dashboard and return where its index page is."""
    from dashboards.site import build_dashboard

    with open_warehouse(settings.db_path, read_only=True) as con:
        index = build_dashboard(con, out or settings.dashboard_dir, today=day or today_in(settings.tz), settings=settings)
    return f"dashboard written: {index}"


def retag_articles(settings: Settings, since: date | None = None) -> str:
    """Re-tag stored articles (since a date) with the current taxonomy; keep older versions."""
    ctx = pipeline.RunContext(_existing(settings), today_in(settings.tz), "retag", datetime.now(UTC))
    report = pipeline.tag_pending(ctx, since=since, retag=True)
    c = report.counts
    return (f"re-tagged {c['articles_tagged']} article(s) with taxonomy {report.info['taxonomy_version']}: "
            f"{c['tags']} topic tag(s)")


def reextract_pages(settings: Settings, since: date | None = None) -> str:
    """Run extraction again over `raw_pages` (no network) and store articles not stored yet."""
    with open_warehouse(_existing(settings).db_path, read_only=True) as con:
        pages = raw_pages_since(con, since)
    ctx = pipeline.RunContext(settings, today_in(settings.tz), "reextract", datetime.now(UTC))
    extracted = pipeline.extract_pages(ctx, pages)
    stored = pipeline.store(ctx, extracted)
    tagged = pipeline.tag_pending(ctx)
    return (f"re-extracted {len(pages)} page(s): {len(extracted.articles)} article(s) kept, "
            f"{stored.counts['articles_new']} new, {tagged.counts['articles_tagged']} tagged")
