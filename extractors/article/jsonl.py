"""`marsad extract`: one file or URL as JSON, or JSONL jobs in → one JSONL result per job out.

Batch mode reads its jobs in chunks of up to `CHUNK_LINES` lines and extracts each chunk as
one batch (`extract.extract_batch`), so pages of one site given together are cleaned of the
lines they share, exactly as the daily flow does. Results are written in input order, one
per job, flushed after each chunk; a page that fails gives the same keys with text "" and
"error", and never stops the batch.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from extractors.article.extract import PageJob, extract_article, extract_batch
from extractors.core.errors import ExtractError, FetchError, MarsadError
from extractors.core.records import Article

CHUNK_LINES = 1000  # jobs extracted together (and cleaned of their shared lines)
FETCH_TIMEOUT = (5.0, 20.0)  # connect, read seconds for `marsad extract URL`
FETCH_MAX_BYTES = 20 * 1024 * 1024
JSONL_KEYS = ("id", "title", "text", "lang", "published_at", "author", "canonical_url")
ONE_KEYS = JSONL_KEYS[1:]


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


def _error_line(item_id: Any, message: str) -> dict[str, Any]:
    line: dict[str, Any] = dict.fromkeys(JSONL_KEYS)
    line.update({"id": item_id, "text": "", "error": message})
    return line


def _job(raw: str) -> tuple[Any, PageJob | dict[str, Any]]:
    """(id, the page job) for one input line, or (id, its error line)."""
    try:
        job = json.loads(raw)
    except ValueError as exc:
        return None, _error_line(None, f"input line is not JSON: {exc}")
    if not isinstance(job, dict) or "html_path" not in job:
        item = job.get("id") if isinstance(job, dict) else None
        return item, _error_line(item, 'input line needs {"id", "html_path"}')
    path = Path(str(job["html_path"]))
    try:
        body = path.read_bytes()
    except OSError as exc:
        return job.get("id"), _error_line(job.get("id"), f"cannot read {path}: {exc.strerror or exc}")
    return job.get("id"), PageJob(body, job.get("url") or path.resolve().as_uri(), job.get("content_type"))


def _chunks(lines: Iterable[str]) -> Iterator[list[str]]:
    it = (raw for raw in lines if raw.strip())
    while chunk := list(islice(it, CHUNK_LINES)):
        yield chunk


def extract_jsonl(lines: Iterable[str], out: TextIO) -> int:
    """`marsad extract` batch mode: JSONL jobs in, one JSONL result per job out; returns errors.

    Blank input lines are skipped. A bad page gives the same keys with text "" and "error".
    """
    errors = 0
    for chunk in _chunks(lines):
        parsed = [_job(raw) for raw in chunk]
        jobs = [job for _, job in parsed if isinstance(job, PageJob)]
        done = iter(extract_batch(jobs))
        for item, job in parsed:
            if isinstance(job, PageJob):
                result = next(done)
                line = ({"id": item, **article_json(result)} if isinstance(result, Article)
                        else _error_line(item, result.one_line()))
            else:
                line = job
            errors += "error" in line
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
    return errors


def _fetch(url: str) -> tuple[bytes, str | None, str]:
    import httpx

    timeout = httpx.Timeout(FETCH_TIMEOUT[1], connect=FETCH_TIMEOUT[0])
    headers = {"User-Agent": "Marsad/0.1 (media monitoring; marsad extract)"}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5, headers=headers) as client, \
                client.stream("GET", url) as resp:
            if resp.status_code >= 400:
                raise FetchError(f"{url}: HTTP {resp.status_code}", hint="check the URL")
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > FETCH_MAX_BYTES:
                    raise FetchError(f"{url}: page larger than {FETCH_MAX_BYTES // 2**20} MB")
                chunks.append(chunk)
            return b"".join(chunks), resp.headers.get("content-type"), str(resp.url)
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot fetch {url}: {type(exc).__name__}: {exc}",
                         hint="check the URL and the network; offline, pass a saved file instead") from exc


def extract_one(file_or_url: str) -> dict:
    """`marsad extract FILE_OR_URL`: the JSON fields of one page, from a file or over HTTP."""
    if file_or_url.lower().startswith(("http://", "https://")):
        body, ctype, final_url = _fetch(file_or_url)
        return article_json(extract_article(body, final_url, ctype))
    path = Path(file_or_url)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"cannot read {path}: {exc.strerror or exc}", hint="give a saved HTML/text file or an http(s) URL") from exc
    return article_json(extract_article(body, path.resolve().as_uri()))


__all__ = ["JSONL_KEYS", "ONE_KEYS", "MarsadError", "extract_jsonl", "extract_one"]

if __name__ == "__main__":  # `python -m extractors.article.jsonl` = `marsad extract` batch mode
    sys.exit(1 if extract_jsonl(sys.stdin, sys.stdout) and "--strict" in sys.argv else 0)
