"""The extraction path: page bytes (or text) + URL → one `Article`, the same for every caller.

Web pages fetched by the daily flow, `marsad reextract` over stored raw pages and `marsad
extract` come through `extract_batch` (pages of one host together); seeds and a single page
through `extract_article`, the same steps without the cross-page one. A fix here fixes them all.

Decisions, each measured on ../shared/eval/extraction and on our layout fixtures
(tests/data/extraction; see docs/EXTRACTION.md):
- We decode bytes ourselves (`charset.decode_body`) instead of letting trafilatura guess:
  valid UTF-8 still wins over a stale `<meta charset>`, and declared or detected legacy
  charsets (windows-1256, ISO-8859-6) decode right.
- The HTML is parsed once. Metadata (title, author, site name, markup date) is read first;
  then `layout.strip_layout` turns layout tables into blocks and removes link blocks and
  teaser-card lists in place, and trafilatura reads that tree (it works on its own copy).
- trafilatura in precision mode without comments (0.951 on the benchmark vs 0.937 bare):
  precision mode prunes more boilerplate, and reader comments are not the article. It
  sometimes keeps a fragment of a real article; a short result (< 1,500 characters) is
  compared with a recall-mode read and the recall text wins when precision kept less than
  30 % of it. A lead that the body container leaves out is put back (`layout.lead_text`).
- `cleanup.clean_text` drops the headline repeated as a first line, date/byline lines,
  navigation rows, "read also" links and copyright lines; the dates those meta lines state
  are the article's date line and are read before the body text.
- Across the pages of one host in a batch, `boilerplate.strip_repeated` removes lines found
  on three or more distinct pages (the site's template).
- Metadata: only the trafilatura metadata steps we store (title, author, site name) plus
  htmldate for the date (cheap markup search first, its extensive search when that fails).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from trafilatura import bare_extraction
from trafilatura.utils import load_html

from extractors.article.boilerplate import strip_repeated
from extractors.article.charset import decode_body
from extractors.article.cleanup import clean_text
from extractors.article.dates import find_date
from extractors.article.dedup import article_id_for, content_hash
from extractors.article.language import detect_language
from extractors.article.layout import lead_text, strip_layout
from extractors.article.metadata import clean_author, clean_title, htmldate, read_metadata
from extractors.article.urls import canonical_url
from extractors.core.arabic import normalize
from extractors.core.errors import ExtractError, MarsadError
from extractors.core.records import Article

# A precision-mode text shorter than this is compared with a recall-mode read of the page …
RECHECK_BELOW_CHARS = 1500
# … which wins when precision kept less than this share of it (precision kept a fragment).
RECALL_WINS_BELOW = 0.3
# Less text than this from an HTML page is a link or a label, not an article.
MIN_HTML_TEXT_CHARS = 20
_HTML_MARKERS = (b"<html", b"<!doctype html", b"<head", b"<body", b"<meta", b"<div", b"<p>", b"<article")

for _name in ("trafilatura", "htmldate", "courlan"):
    # "discarding data: None" on an empty page is the ExtractError we raise, said once by us.
    logging.getLogger(_name).setLevel(logging.CRITICAL)

__all__ = ["Article", "PageJob", "clean_author", "clean_title", "extract_article", "extract_batch", "host_of",
           "is_html", "plan_batches"]


@dataclass(frozen=True)
class PageJob:
    """One page to extract: its bytes (or text), URL, Content-Type and the Article's source/id."""

    content: bytes | str
    url: str
    content_type: str | None = None
    source: str = "web"
    article_id: str | None = None


def is_html(content: bytes | str, content_type: str | None = None) -> bool:
    """HTML by Content-Type when it says so, else by sniffing the first kilobyte for tags."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if "html" in ctype or ctype.endswith("+xml"):
        return True
    if ctype == "text/plain":
        return False
    head = content[:1024]
    head_bytes = head.encode("utf-8", "ignore") if isinstance(head, str) else head
    return any(marker in head_bytes.lower() for marker in _HTML_MARKERS)


def _first_line(text: str) -> str | None:
    return next((line.strip() for line in text.splitlines() if line.strip()), None)


def _text(tree: Any, url: str | None, *, precision: bool = False, recall: bool = False) -> str:
    try:
        doc = bare_extraction(tree, url=url, include_comments=False, favor_precision=precision, favor_recall=recall)
    except (ValueError, TypeError):  # trafilatura raises these on pages it cannot handle
        return ""
    return (getattr(doc, "text", None) or "").strip()


def _body_text(tree: Any, url: str | None) -> str:
    """Precision mode, unless it kept a fragment of what recall mode finds (see the docstring)."""
    body = _text(tree, url, precision=True)
    if len(body) < RECHECK_BELOW_CHARS:
        recall = _text(tree, url, recall=True)
        if len(body) < RECALL_WINS_BELOW * len(recall):
            body = recall
    return body


def _from_html(html: str, url: str) -> dict[str, Any]:
    web_url = url if url.startswith(("http://", "https://")) else None
    # trafilatura rejects a bare fragment ("<div><p>…</p></div>" with no <html>); wrap it once.
    tree = load_html(html)
    if tree is None:
        tree = load_html(f"<html><body>{html}</body></html>")
    if tree is None:
        raise ExtractError(f"{url}: not parseable as HTML")
    meta = read_metadata(tree, web_url)  # before strip_layout changes the tree
    lead = lead_text(tree, meta["description"])
    strip_layout(tree)
    raw = _body_text(tree, web_url)
    if lead and normalize(lead)[:60] not in normalize(raw[: 4 * len(lead)]):
        raw = f"{lead}\n{raw}"
    cleaned = clean_text(raw, meta["title"], meta["site_name"])
    body = cleaned.text
    if len(body) < MIN_HTML_TEXT_CHARS:
        raise ExtractError(f"{url}: no article text found in the page ({len(body)} characters; "
                           "navigation, paywall or empty page)")
    # htmldate's extensive search reads Latin-script dates only and, on Arabic pages, turns a
    # bare "2025" into 1 January; our `find_date` reads Arabic dates, so it goes first: the
    # date line next to the headline, then the first date the text states.
    published = (meta["markup_date"] or find_date("\n".join(cleaned.meta_dates)) or find_date(body[:2000])
                 or htmldate(tree, web_url, extensive=True))
    return {"text": body, "canonical_url": canonical_url(html, url), "title": meta["title"],
            "author": meta["author"], "site_name": meta["site_name"], "published_at": published}


def _from_text(text: str, url: str) -> dict[str, Any]:
    body = text.strip()
    if not body:
        raise ExtractError(f"{url}: the text is empty")
    return {
        "title": _first_line(body),
        "text": body,
        "author": None,
        "published_at": find_date(body),
        "site_name": None,
        # A web URL is normalised; any other (seed://<file name>, file://…) names a local file
        # and stays exactly as given: lower-casing "seed://Notes.txt" would merge two seeds' URLs.
        "canonical_url": canonical_url(None, url) if url.lower().startswith(("http://", "https://")) else url,
    }


def _draft(job: PageJob) -> dict[str, Any]:
    """A page's fields before the cross-page step; raises ExtractError (or a parser's error)."""
    content, url = job.content, job.url
    if content is None or len(content) == 0:
        raise ExtractError(f"{url}: empty body")
    text = decode_body(content, job.content_type)[0] if isinstance(content, bytes) else content
    return _from_html(text, url) if is_html(content, job.content_type) else _from_text(text, url)


def _article(job: PageJob, fields: dict[str, Any]) -> Article:
    canon = fields["canonical_url"]
    urls = [canon] + ([job.url] if job.url and job.url != canon else [])
    return Article(
        article_id=job.article_id or article_id_for(canon),
        url=job.url,
        canonical_url=canon,
        source=job.source,
        title=fields["title"],
        text=fields["text"],
        lang=detect_language(fields["text"]),
        content_hash=content_hash(fields["text"]),
        author=fields["author"],
        published_at=fields["published_at"],
        site_name=fields["site_name"],
        urls=urls,
    )


def host_of(url: str) -> str | None:
    """The host whose pages share a template (None for local files and plain text)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    return (parts.hostname or "").lower() or None


def _doc_ids(drafts: Sequence[dict[str, Any] | None]) -> list[str]:
    """One id per distinct document: pages sharing a canonical URL or a text count once."""
    ids: list[str] = []
    seen: dict[str, str] = {}
    for i, fields in enumerate(drafts):
        if fields is None:
            ids.append(f"#{i}")
            continue
        keys = (fields["canonical_url"], content_hash(fields["text"]))
        doc = next((seen[k] for k in keys if k in seen), str(i))
        seen.update(dict.fromkeys(keys, doc))
        ids.append(doc)
    return ids


def extract_batch(jobs: Sequence[PageJob]) -> list[Article | MarsadError]:
    """Pages → Articles, in order; a page without article text gives its ExtractError instead.

    Pages of one host are cleaned of the lines they all share (`boilerplate.strip_repeated`),
    so a batch should hold whole hosts (`plan_batches`). Only ExtractError-like failures and
    parser errors are caught: one bad page never sinks the batch.
    """
    drafts: list[dict[str, Any] | None] = []
    errors: dict[int, MarsadError] = {}
    for i, job in enumerate(jobs):
        try:
            drafts.append(_draft(job))
        except MarsadError as exc:
            drafts.append(None)
            errors[i] = exc
        except Exception as exc:  # noqa: BLE001 — a parser bug on one page is that page's error (STYLE)
            drafts.append(None)
            errors[i] = ExtractError(f"{job.url}: {type(exc).__name__}: {exc}")
    hosts = [host_of(f["canonical_url"]) if f else None for f in drafts]
    texts = strip_repeated([f["text"] if f else "" for f in drafts], hosts, _doc_ids(drafts))
    results: list[Article | MarsadError] = []
    for i, (job, fields) in enumerate(zip(jobs, drafts, strict=True)):
        if fields is None:
            results.append(errors[i])
            continue
        results.append(_article(job, {**fields, "text": texts[i]}))
    return results


def extract_article(
    content: bytes | str,
    url: str,
    content_type: str | None = None,
    *,
    source: str = "web",
    article_id: str | None = None,
) -> Article:
    """One page or text → one Article (text, metadata, language, canonical URL, ids, hash).

    Raises ExtractError with the URL and the reason when there is no article text.
    """
    fields = _draft(PageJob(content, url, content_type, source, article_id))
    return _article(PageJob(content, url, content_type, source, article_id), fields)


def plan_batches(hosts: Sequence[str | None], batch_size: int) -> list[list[int]]:
    """Indexes of pages grouped into batches of about `batch_size`, whole hosts together.

    Deterministic (hosts in first-seen order, pages in input order), so the same pages make
    the same batches however they are then run. A host with more pages than a batch is split
    into full batches of its own; its pages still see each other by the hundreds.
    """
    by_host: dict[str | None, list[int]] = {}
    for i, host in enumerate(hosts):
        by_host.setdefault(host, []).append(i)
    batches: list[list[int]] = []
    current: list[int] = []
    for members in by_host.values():
        for chunk in _chunks(members, batch_size):
            if current and len(current) + len(chunk) > batch_size:
                batches.append(current)
                current = []
            current = current + chunk
    if current:
        batches.append(current)
    return batches


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), max(1, size)):
        yield items[start:start + size]
