"""What the CLI's commands do, as functions: the maintenance commands (digest, dashboard,
retag, reextract) and the JSONL adapters of `marsad tag` and `marsad extract`.

Each maintenance command returns the one line the CLI prints, so tests can call them without
a subprocess. `retag` and `reextract` take the daily run's path (`flows/dispatch.py`): the same
batches, on every core or the configured Dask cluster when the work is big enough. The
adapters turn one input line into one output line, in order; a bad line gets an `error` field
instead of stopping the stream. They live here, at the application's edge, so the library
rooms (extractors/) keep only bytes → facts. The commands that write (digest, retag,
reextract) are writer sessions like the daily run (`warehouse.session`): the run lock, a
private copy, an atomic publish; dashboard and export only read the published file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from extractors.article.extract import PageJob, extract_article, extract_batch
from extractors.core.days import today_in
from extractors.core.errors import ExtractError, FetchError, UsageError, WarehouseError
from extractors.core.records import Article, RawPage
from extractors.core.settings import Settings
from extractors.tagging.tagger import VETOED, Tagger
from extractors.web.batch import fetch_one
from extractors.web.discover import failure_phrase
from extractors.web.settings import FetchSettings
from flows import pipeline
from flows.config import Config
from flows.progress import say_waiting
from warehouse.db import open_warehouse
from warehouse.digest import build_digest
from warehouse.runs import raw_pages_since
from warehouse.session import WriterSession, writer_session


def _existing(settings: Settings) -> Settings:
    """Maintenance commands work on a warehouse a run made; they never start an empty one."""
    if not settings.db_path.exists():
        raise WarehouseError(f"no warehouse at {settings.db_path}",
                             hint="run `make run` (or `marsad run`) first, or set MARSAD_DB")
    return settings


@contextmanager
def _writing(settings: Settings, command: str) -> Iterator[WriterSession]:
    """A writer session on the existing warehouse: the run lock, a private copy, publish or discard."""
    with writer_session(_existing(settings).db_path, command, wait=settings.lock_wait,
                        on_wait=say_waiting) as session:
        yield session


def rebuild_digest(config: Config, day: date | None = None, *, send: bool = False) -> str:
    """Rebuild the digest tables for `day` (not after today), then write the outbox or send over SMTP."""
    settings = config.settings
    day = settings.digest_day(day)
    with _writing(settings, "marsad digest") as session:
        with open_warehouse(session.work, migrate_schema=False) as con:
            counts = build_digest(con, day, tz=settings.timezone, top_n=settings.top_n)
            if send:
                from dashboards.delivery.smtp import send_digest
                from flows.secrets import with_smtp_password

                report = send_digest(con, with_smtp_password(settings), day, recipients=config.recipients)
                line = f"digest {day}: {counts}; {report}"
            else:
                from dashboards.delivery.email import write_outbox

                paths = write_outbox(con, settings, day, recipients=config.recipients)
                line = f"digest {day}: {counts}; wrote {len(paths)} email(s) to {settings.outbox}"
        session.publish()
    return line


def write_dashboard(settings: Settings, out: Path | None = None, day: date | None = None, *, lang: str = "ar") -> str:
    """Write the static dashboard (chrome in `lang`) and return where its index page is (a reader: no lock)."""
    from dashboards.site import build_dashboard

    with open_warehouse(settings.db_path, read_only=True) as con:
        index = build_dashboard(con, out or settings.dashboard_dir, today=day or today_in(settings.tz), settings=settings,
                                lang=lang)
    return f"dashboard written: {index}"


def retag_articles(config: Config, since: date | None = None) -> str:
    """Re-tag stored articles (since a date) with the current taxonomy; keep older versions."""
    settings = config.settings
    with _writing(settings, "marsad retag") as session:
        from flows import dispatch  # Prefect: only once the command has a warehouse to work on

        ctx = pipeline.RunContext(config, today_in(settings.tz), "retag", datetime.now(UTC), session.work)
        report = dispatch.tag(ctx, since=since, retag=True)
        session.publish()
    c = report.counts
    return (f"re-tagged {c['articles_tagged']} article(s) with taxonomy {report.info['taxonomy_version']}: "
            f"{c['tags']} topic tag(s)" + _where(report.info))


def label_article(config: Config, key: str, topics: list[str], note: str = "") -> str:
    """Record an analyst's topics for a stored article (by id, or by a URL it was seen at) in
    <config>/labels.jsonl (one line per article; a new label replaces the old). `make model`
    trains on it (extractors/tagging/labels.py)."""
    from extractors.tagging.labels import LABELS_FILE, topics_in_order, upsert_label
    from warehouse.runs import article_to_label

    wanted = topics_in_order(topics)
    settings = _existing(config.settings)
    with open_warehouse(settings.db_path, read_only=True) as con:
        article = article_to_label(con, key)
    if article is None:
        raise UsageError(f"no article {key!r} in {settings.db_path}",
                         hint="give its id (articles.article_id) or a URL it was seen at (the digest's link)")
    article_id = article["article_id"]
    if article["source"] == "seeds":
        raise UsageError(f"article {article_id!r} is a seed article: the seed paragraphs are an evaluation set, "
                         "never trained on", hint="label coverage the daily run fetched")
    path = config.settings.config_file(LABELS_FILE)
    rows, old = upsert_label(path, {
        "id": article_id, "url": article["url"], "title": article["title"], "text": article["text"],
        "topics": wanted, "note": note, "labelled_at": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    said = ", ".join(wanted) or "none of the four topics"
    was = ", ".join(article["tagged"]) or "no topic"
    action = "relabelled" if old else "labelled"
    return (f"{action} {article_id} as {said} (the tagger says: {was}) in {path}; {len(rows)} analyst label(s): "
            "run `make model` to train on them")


REEXTRACT_CHUNK = 5000  # raw pages read, extracted and stored at a time (bounded memory)


def raw_page_chunks(db_path: Path, since: date | None, size: int = REEXTRACT_CHUNK) -> Iterator[list[RawPage]]:
    """Stored raw pages in URL order (a host's pages side by side), `size` at a time.

    Each chunk is read on a short connection that is closed again, so the store step between
    chunks can write; keyset paging on the URL keeps every read cheap.
    """
    after = ""
    while True:
        with open_warehouse(db_path, migrate_schema=False) as con:
            pages = raw_pages_since(con, since, after=after, limit=size)
        if not pages:
            return
        yield pages
        after = pages[-1].url


def reextract_pages(config: Config, since: date | None = None) -> str:
    """Run extraction again over `raw_pages` (no network) and store articles not stored yet.

    The same batches as the daily run (hosts together), on the same task runner: a big
    warehouse re-extracts on every core or on the configured Dask cluster. One writer
    session: the chunks are read from and stored into its work copy, published once at the end.
    """
    settings = config.settings
    with _writing(settings, "marsad reextract") as session:
        from flows import dispatch  # Prefect: only once the command has a warehouse to work on

        ctx = pipeline.RunContext(config, today_in(settings.tz), "reextract", datetime.now(UTC), session.work)
        pages = kept = new = 0
        info: dict[str, Any] = {}
        for chunk in raw_page_chunks(session.work, since):
            extracted = dispatch.extract(ctx, chunk)
            stored = pipeline.store(ctx, extracted)
            pages, kept, new = pages + len(chunk), kept + len(extracted.articles), new + stored.counts["articles_new"]
            info.update(extracted.info)
        tagged = dispatch.tag(ctx)
        info.update(tagged.info)
        session.publish()
    return (f"re-extracted {pages} page(s): {kept} article(s) kept, {new} new, "
            f"{tagged.counts['articles_tagged']} tagged" + _where(info))


def _where(info: dict[str, Any]) -> str:
    return f" (batches on {info['compute']})" if info.get("compute") else ""


# ---- `marsad extract` ---------------------------------------------------------------------

JSONL_KEYS = ("id", "title", "text", "lang", "published_at", "author", "canonical_url")


def article_json(article: Article) -> dict[str, Any]:
    """The `marsad extract` fields of an Article (dates as ISO 8601 strings)."""
    return {
        "title": article.title,
        "text": article.text,
        "lang": article.lang,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "author": article.author,
        "canonical_url": article.canonical_url,
    }


def extract_one(file_or_url: str, fetch: FetchSettings) -> dict[str, Any]:
    """`marsad extract FILE_OR_URL`: the JSON fields of one page, from a file or over HTTP.

    A URL goes through the same guarded fetcher as the daily run (`fetch_one`: SSRF guard,
    robots.txt, caps, retries, User-Agent), so the command cannot reach what the run may not.
    """
    if file_or_url.lower().startswith(("http://", "https://")):
        result = fetch_one(file_or_url, fetch)
        if not result.ok or result.body is None:
            raise FetchError(f"cannot fetch {file_or_url}: {failure_phrase(result.entry)}",
                             hint="check the URL and the network; offline, pass a saved file instead")
        final = result.final_url or file_or_url
        return article_json(extract_article(result.body, final, result.content_type))
    path = Path(file_or_url)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"cannot read {path}: {exc.strerror or exc}", hint="give a saved HTML/text file or an http(s) URL") from exc
    return article_json(extract_article(body, path.resolve().as_uri()))


def _extract_error(item_id: Any, message: str) -> dict[str, Any]:
    line: dict[str, Any] = dict.fromkeys(JSONL_KEYS)
    line.update({"id": item_id, "text": "", "error": message})
    return line


EXTRACT_CHUNK_LINES = 1000  # jobs extracted together (and cleaned of the lines their pages share)


def _extract_job(n: int, raw: str) -> tuple[Any, PageJob | dict[str, Any]]:
    """(id, the page to extract) for input line `n`, or (id, its error line)."""
    try:
        job = json.loads(raw)
    except ValueError as exc:
        return None, _extract_error(None, f"line {n}: not JSON: {exc}")
    if not isinstance(job, dict):
        return None, _extract_error(None, f'line {n}: expected a JSON object {{"id", "html_path"}}')
    if job.get("id") is None:
        return None, _extract_error(None, f'line {n}: missing "id"')
    if "html_path" not in job:
        return job["id"], _extract_error(job["id"], f'line {n}: missing "html_path"')
    path = Path(str(job["html_path"]))
    try:
        body = path.read_bytes()
    except OSError as exc:
        return job["id"], _extract_error(job["id"], f"cannot read {path}: {exc.strerror or exc}")
    return job["id"], PageJob(body, job.get("url") or path.resolve().as_uri(), job.get("content_type"))


def _numbered_chunks(lines: Iterable[str]) -> Iterator[list[tuple[int, str]]]:
    """Non-blank input lines with their line numbers, EXTRACT_CHUNK_LINES at a time."""
    numbered = ((n, raw) for n, raw in enumerate(lines, 1) if raw.strip())
    while chunk := list(islice(numbered, EXTRACT_CHUNK_LINES)):
        yield chunk


def extract_jsonl(lines: Iterable[str], out: TextIO) -> int:
    """`marsad extract` batch mode: JSONL jobs in, one JSONL result per job out; returns errors.

    Jobs are read up to EXTRACT_CHUNK_LINES at a time and each chunk is extracted as one batch
    (`extract.extract_batch`), so pages of one site given together are cleaned of the lines
    they share, as in the daily flow. Results keep the input order and are flushed after each
    chunk. Blank input lines are skipped. A bad job (no "id", no "html_path", an unreadable or
    empty page) gives the same keys with text "" and "error", and never stops the batch.
    """
    errors = 0
    for chunk in _numbered_chunks(lines):
        parsed = [_extract_job(n, raw) for n, raw in chunk]
        done = iter(extract_batch([job for _, job in parsed if isinstance(job, PageJob)]))
        for item, job in parsed:
            if isinstance(job, PageJob):
                result = next(done)
                line = ({"id": item, **article_json(result)} if isinstance(result, Article)
                        else _extract_error(item, result.one_line()))
            else:
                line = job
            errors += "error" in line
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
    return errors


# ---- `marsad tag` -------------------------------------------------------------------------

def tag_jsonl(lines: Iterable[str], out: TextIO, tagger: Tagger, *, explain: bool = False) -> int:
    """`marsad tag`: JSONL {"id","text"} in → JSONL {"id","topics","evidence"} out, one line
    per input line in the same order; a bad line (no "id", no "text", not JSON) gets an
    `error` field. Returns the error count. With `explain`, each line also has `paths`
    (topic → "rule: <name>" or "model p=…"), `scores`, the model's `probabilities` for
    every topic, and `vetoed` (rule tags the model vetoed, with why) when there are any."""
    errors = 0
    for n, line in enumerate(lines, 1):
        if not line.strip():
            errors += 1
            _write(out, {"id": None, "topics": [], "evidence": {}, "error": f"line {n}: empty line"})
            continue
        item_id = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("expected a JSON object")
            item_id = item.get("id")
            if item_id is None:
                raise ValueError('missing "id"')
            text = item.get("text")
            if not isinstance(text, str):
                raise ValueError('missing or non-string "text"')
            title = item.get("title") if isinstance(item.get("title"), str) else None
            result = tagger.tag(str(item_id), text, title)
        except (ValueError, TypeError) as exc:
            errors += 1
            _write(out, {"id": item_id, "topics": [], "evidence": {}, "error": f"line {n}: {exc}"})
            continue
        except Exception as exc:  # noqa: BLE001 — one odd text must not end the stream
            errors += 1
            _write(out, {"id": item_id, "topics": [], "evidence": {},
                         "error": f"line {n}: could not tag ({type(exc).__name__}: {exc})"})
            continue
        line_out = {
            "id": item_id,
            "topics": [t.topic for t in result.topics],
            "evidence": {t.topic: t.evidence for t in result.topics},
        }
        if explain:
            line_out.update(paths={t.topic: t.path for t in result.topics},
                            scores={t.topic: t.score for t in result.topics},
                            probabilities={k: round(v, 3) for k, v in tagger.probabilities(text, title).items()})
            vetoed = {t.topic: t.path for t in tagger.all_topics(tagger.analyse(text, title)) if t.path.startswith(VETOED)}
            if vetoed:
                line_out["vetoed"] = vetoed
        _write(out, line_out)
    return errors


def _write(out: TextIO, obj: dict) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
