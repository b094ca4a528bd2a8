"""What the CLI's maintenance commands do (digest, dashboard, retag, reextract), as functions.

Each returns the one line the CLI prints, so tests can call them without a subprocess.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from extractors.core.errors import WarehouseError
from extractors.core.records import RawPage
from extractors.core.settings import Settings
from flows import pipeline
from warehouse.db import open_warehouse
from warehouse.digest import build_digest


def _today(settings: Settings) -> date:
    return datetime.now(UTC).astimezone(settings.tz).date()


def _existing(settings: Settings) -> Settings:
    """Maintenance commands work on a warehouse a run made; they never start an empty one."""
    if not settings.db_path.exists():
        raise WarehouseError(f"no warehouse at {settings.db_path}",
                             hint="run `make run` (or `marsad run`) first, or set MARSAD_DB")
    return settings


def rebuild_digest(settings: Settings, day: date | None = None, *, send: bool = False) -> str:
    """Rebuild the digest tables for `day`, then write the outbox or send over SMTP."""
    day = day or _today(settings)
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
        index = build_dashboard(con, out or settings.dashboard_dir, today=day or _today(settings), settings=settings)
    return f"dashboard written: {index}"


def retag_articles(settings: Settings, since: date | None = None) -> str:
    """Re-tag stored articles (since a date) with the current taxonomy; keep older versions."""
    from flows import dispatch

    ctx = pipeline.RunContext(_existing(settings), _today(settings), "retag", datetime.now(UTC))
    report = dispatch.tag(ctx, since=since, retag=True)
    c = report.counts
    return (f"re-tagged {c['articles_tagged']} article(s) with taxonomy {report.info['taxonomy_version']}: "
            f"{c['tags']} topic tag(s)" + _where(report))


REEXTRACT_CHUNK = 5000  # raw pages read, extracted and stored at a time (bounded memory)


def raw_page_chunks(settings: Settings, since: date | None, size: int = REEXTRACT_CHUNK) -> Iterator[list[RawPage]]:
    """Stored raw pages in URL order (a host's pages side by side), `size` at a time.

    Each chunk is read on a short read-only connection, so the store step between chunks
    can take the write lock; keyset paging on the URL keeps every read cheap.
    """
    after = ""
    while True:
        with open_warehouse(settings.db_path, read_only=True) as con:
            rows = con.execute(
                "select url, final_url, source, http_status, content_type, headers_json, body_gzip, fetched_at "
                "from raw_pages where (? is null or fetched_at >= ?) and url > ? order by url limit ?",
                [since, since, after, size]).fetchall()
        if not rows:
            return
        yield [RawPage(url=u, final_url=f or u, source=s, http_status=h or 0, content_type=ct,
                       headers=json.loads(hj or "{}"), body=gzip.decompress(b), fetched_at=fa)
               for u, f, s, h, ct, hj, b, fa in rows]
        after = rows[-1][0]


def reextract_pages(settings: Settings, since: date | None = None) -> str:
    """Run extraction again over `raw_pages` (no network) and store articles not stored yet.

    The same batches as the daily run (hosts together), on the same task runner: a big
    warehouse re-extracts on every core or on the configured Dask cluster.
    """
    from flows import dispatch

    ctx = pipeline.RunContext(_existing(settings), _today(settings), "reextract", datetime.now(UTC))
    pages = kept = new = 0
    info: dict[str, object] = {}
    for chunk in raw_page_chunks(settings, since):
        extracted = dispatch.extract(ctx, chunk)
        stored = pipeline.store(ctx, extracted)
        pages, kept, new = pages + len(chunk), kept + len(extracted.articles), new + stored.counts["articles_new"]
        info.update(extracted.info)
    tagged = dispatch.tag(ctx)
    info.update(tagged.info)
    return (f"re-extracted {pages} page(s): {kept} article(s) kept, {new} new, "
            f"{tagged.counts['articles_tagged']} tagged" + _where(pipeline.StepReport(info=info)))


def _where(report: pipeline.StepReport) -> str:
    return f" (batches on {report.info['compute']})" if report.info.get("compute") else ""
