"""RSS 2.0 / Atom / RDF feeds → candidate article URLs (pure parsing, no network).

`feedparser` does the format work (every RSS dialect, Atom, RDF, broken XML it can recover).
Two things it does badly are done here first:
- **charset**: feedparser only knows the HTTP header, the XML declaration and a short
  fallback list (windows-1252 …), so an undeclared windows-1256 Arabic feed comes out as
  mojibake and a stale header ruins a UTF-8 feed. We decode with `charset.decode_body`
  (BOM → valid UTF-8 → declarations → detection) and hand feedparser clean UTF-8;
- **links**: relative links are resolved against the feed's final URL, then every link goes
  through `urls.normalize_url` (tracking parameters, fragments, Google redirect wrappers), so
  the same story in two feeds is one candidate.

A body that is not a feed at all (an HTML "Object Moved" page) is a `FeedError` with a clear
message; a broken but recoverable feed yields its items plus a `warning`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser

from extractors.article.charset import decode_body
from extractors.article.urls import normalize_url
from extractors.core.errors import FetchError

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TAGS = re.compile(r"<[^>]+>")


class FeedError(FetchError):
    """The body is not a usable feed (recorded for the source; never fatal)."""

    error_class = "not_a_feed"


@dataclass(slots=True)
class Item:
    """One discovered article link (from a feed, a sitemap, GDELT or a pasted list)."""

    url: str                      # normalised, absolute
    title: str | None = None
    summary: str | None = None
    published: datetime | None = None
    sources: list[str] = field(default_factory=list)  # every source that listed it

    def filter_text(self) -> str:
        return " ".join(part for part in (self.title, self.summary) if part)


@dataclass(slots=True)
class ParsedFeed:
    items: list[Item]
    title: str | None = None
    warning: str | None = None    # feedparser's complaint when it had to recover
    encoding: str = "utf-8"


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    text = _TAGS.sub(" ", text)
    return " ".join(text.split()) or None


def _when(entry: dict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get, not entry.get: feedparser maps a missing `updated_parsed` to `published_parsed`
        # with a DeprecationWarning; we already tried `published_parsed` first.
        value = dict.get(entry, key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _link(entry: dict) -> str | None:
    link = entry.get("link")
    if link:
        return link
    for alt in entry.get("links", []) or []:
        if alt.get("href") and alt.get("rel", "alternate") == "alternate":
            return alt["href"]
    guid = entry.get("id")
    if guid and guid.startswith(("http://", "https://")):
        return guid
    return None


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed body fetched from `url`; raise FeedError when it holds no feed."""
    text, encoding = decode_body(body, content_type)
    text = _XML_DECL.sub("", text.lstrip("\ufeff \t\r\n"), count=1).lstrip()
    clean = ('<?xml version="1.0" encoding="utf-8"?>\n' + text).encode("utf-8")
    parsed = feedparser.parse(
        clean,
        response_headers={"content-type": "application/xml; charset=utf-8", "content-location": url},
        sanitize_html=False,
        resolve_relative_uris=True,
    )
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        reason = parsed.get("bozo_exception")
        looks_html = bool(re.match(r"\s*(<!doctype html|<html)", text[:500], re.I))
        what = "an HTML page" if looks_html else "not RSS/Atom/RDF"
        raise FeedError(f"not a feed: the body is {what}" + (f" ({reason})" if reason and not looks_html else ""))
    items: list[Item] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        raw = _link(entry)
        if not raw:
            continue
        try:
            link = normalize_url(raw.strip(), base=url)
        except (ValueError, TypeError):
            continue
        if not link.startswith(("http://", "https://")) or link in seen:
            continue
        seen.add(link)
        items.append(Item(url=link, title=_clean(entry.get("title")),
                          summary=_clean(entry.get("summary") or entry.get("description")),
                          published=_when(entry)))
    warning = None
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        warning = f"feed is malformed but was recovered: {parsed['bozo_exception']}"
    return ParsedFeed(items=items, title=_clean(parsed.feed.get("title")), warning=warning, encoding=encoding)
