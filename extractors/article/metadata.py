"""Page metadata Marsad stores: title, author, site name, description and publication date.

We call trafilatura's metadata steps directly instead of `extract_metadata`, which also
collects categories, tags and licence (more than half of its time, about 13 ms of 21 ms a
page) that Marsad never stores; `trafilatura.metadata` is pinned `<3` and the tests on real
pages catch a change of its internals. Dates come from htmldate's markup search (meta tags,
JSON-LD, <time>, the URL), which keeps the time of day.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from datetime import UTC, datetime
from typing import Any

from htmldate import find_date as html_find_date
from lxml.etree import XPath
from trafilatura import metadata as tmeta
from trafilatura.utils import trim

from extractors.article.dates import find_date
from extractors.core.arabic import normalize

_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:]{1,2}\s+|\s*::\s*")
_NOT_A_NAME = re.compile(r"https?|www\.|\.(png|jpe?g|gif|svg|webp)\b|\b(logo|png|jpg|cdn\w*)\b", re.I)
# Elements named like a date or byline line ("date", "ArticleDate", "posted-on", "info", …).
_DATE_NAMES = "(date|time|publish|posted|created|updated|byline|meta|info)"
_DATE_AFTER = XPath("following::*[position() <= 12]")
_DATE_ANY = XPath(f"//body//*[re:test(concat(@class, ' ', @id), '{_DATE_NAMES}', 'i')]",
                  namespaces={"re": "http://exslt.org/regular-expressions"})
_HEADLINE_TAGS = ("h1", "h2", "h3", "b", "strong", "font", "span", "div", "td", "p")
DATE_LINE_CHARS = 160   # a date line is short
DATE_LOOKAHEAD = 6      # date-named elements examined when no headline is found


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def htmldate(tree: Any, url: str | None, *, extensive: bool) -> datetime | None:
    """htmldate's answer as an aware UTC datetime (None when it finds nothing or fails)."""
    try:
        with warnings.catch_warnings():  # dateutil warns about zone names like "GST"; not our reader's concern
            warnings.simplefilter("ignore")
            found = html_find_date(tree, url=url, extensive_search=extensive, original_date=True,
                                   outputformat="%Y-%m-%dT%H:%M:%S%z",
                                   max_date=datetime.now(UTC).strftime("%Y-%m-%d"))
    except (ValueError, TypeError):
        return None
    return _parse_date(found)


def clean_title(title: str, site_name: str | None) -> str:
    """Drop a "Site name - " / " | Site name" segment from a title, for the digest's sake.

    Only a short end segment that contains the site's name goes; the headline itself stays.
    """
    site = normalize(site_name or "")
    if not site or not title:
        return title
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    for index in (0, -1):
        part = parts[index].strip()
        rest = " ".join(p.strip() for i, p in enumerate(parts) if i != index % len(parts)).strip()
        if site in normalize(part) and len(part) <= 60 and len(rest) > len(part):
            seps = _TITLE_SEPARATORS.findall(title)
            return (title.split(seps[0], 1)[1] if index == 0 else title.rsplit(seps[-1], 1)[0]).strip()
    return title


def clean_author(author: str) -> str | None:
    """Drop author "names" that are really URLs or image labels ("https; Logo Png")."""
    names = [n.strip() for n in author.split(";")]
    kept = [n for n in names if n and not _NOT_A_NAME.search(n) and len(n) > 1]
    return "; ".join(kept) or None


def _headline_segment(title: str, tree: Any, *, from_meta: bool) -> tuple[str, str | None]:
    """(headline, site name) when the title found is "Site - Headline" or only its "Site" part.

    og:title often carries the site's name ("المدينة نيوز - <headline>") where the page's one
    <h1> is the headline alone: the <h1> wins when it is one segment of that title. Without
    og:title or a single <h1>, trafilatura uses the first segment of <title>, which on many
    Arabic portals is the site's name; the much longer segment is the headline.
    """
    if from_meta:
        parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
        h1s = tree.findall(".//h1")
        if len(parts) >= 2 and len(h1s) == 1:
            h1 = trim(h1s[0].text_content())
            if h1 in parts and len(h1) == max(map(len, parts)):
                return h1, next(p for p in parts if p != h1)
        return title, None
    page = trim(tree.findtext(".//title") or "")
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(page) if p.strip()]
    if len(parts) >= 2 and title in parts:
        longest = max(parts, key=len)
        if len(longest.split()) >= 2 * len(title.split()):
            return longest, title
    return title, None


def _dated(elements: list[Any]) -> datetime | None:
    for el in elements:
        text = " ".join(el.itertext())
        if len(text) <= DATE_LINE_CHARS and (found := find_date(text)):
            return found
    return None


def stated_date(tree: Any, title: str | None) -> datetime | None:
    """The date a page's date line states (Arabic month names included), near the headline.

    Old portals have no date markup, only a short line (a cell, a span) under the headline.
    The first short element after the headline that states a date wins; without a headline,
    the first element named like a date line ("date", "info", …) does. A header strip with
    today's date sits above the headline and so is not taken for the article's date.
    """
    want = normalize(title or "")
    if len(want) >= 10:
        for el in tree.iter(*_HEADLINE_TAGS):
            text = el.text_content()
            if len(text) <= 3 * len(want) and normalize(text) == want:
                return _dated(_DATE_AFTER(el))
    return _dated(_DATE_ANY(tree)[:DATE_LOOKAHEAD])


def read_metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """Title, author, site name, description and the markup date of a parsed page."""
    meta = tmeta.examine_meta(tree)
    if meta.author and " " not in meta.author:  # trafilatura's rule: one-word "authors" are site names
        meta.author = None
    with contextlib.suppress(Exception):  # trafilatura guards this call the same way (JSON-LD bugs)
        meta = tmeta.extract_meta_json(tree, meta)
    title = meta.title or tmeta.extract_title(tree)
    author = meta.author or tmeta.extract_author(tree)
    sitename = (meta.sitename or tmeta.extract_sitename(tree) or "").lstrip("@")
    if title:
        title, site_part = _headline_segment(trim(title), tree, from_meta=bool(meta.title))
        sitename = sitename or site_part or ""
    out: dict[str, Any] = {
        "title": clean_title(trim(title), sitename) if title else None,
        "author": clean_author(trim(author)) if author else None,
        "site_name": trim(sitename) or None,
        "description": trim(meta.description) if meta.description else None,
        "markup_date": htmldate(tree, url, extensive=False),
    }
    if out["markup_date"] is None:
        out["markup_date"] = stated_date(tree, out["title"])
    return out
