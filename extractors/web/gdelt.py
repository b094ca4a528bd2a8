"""GDELT DOC 2.0 API (ArtList, JSON): discovery of Arabic coverage across many outlets.

One request per run and source: `mode=ArtList&format=json&sourcelang:arabic` with the
watchlist's query. GDELT searches its English machine translation of each article, so the
query is English (`gdelt_query` in watchlist.toml, or built from the English terms) while
the titles it returns are Arabic.

GDELT's quirks, handled here: errors arrive as HTTP 200 with a plain-text sentence instead
of JSON ("Please limit requests to one every 5 seconds", "Your search contained a phrase
that was too short"); no results is `{}`; titles sometimes carry raw control characters,
so JSON is parsed with `strict=False`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlencode

from extractors.article.urls import normalize_url
from extractors.tagging.watchlist import Watchlist
from extractors.web.feeds import FeedError, Item
from extractors.web.sources import GDELT_ENDPOINT, Source

MAX_QUERY_TERMS = 12  # GDELT rejects very long OR lists; the watchlist's first terms win


def gdelt_query(source: Source, watchlist: Watchlist) -> str:
    """The query for `source`: its own, else the watchlist's, else built from English terms."""
    query = source.query or watchlist.gdelt_query
    if not query:
        terms = []
        for term in watchlist.english_terms()[:MAX_QUERY_TERMS]:
            term = term.replace('"', "").strip()
            if len(term) >= 3:  # GDELT refuses phrases that are too short
                terms.append(f'"{term}"' if " " in term or "-" in term else term)
        query = f"({' OR '.join(terms)})" if len(terms) > 1 else (terms[0] if terms else "deepseek")
    if "sourcelang:" not in query.lower():
        query = f"{query} sourcelang:arabic"
    return query


def gdelt_url(source: Source, watchlist: Watchlist) -> str:
    """The ArtList request URL for one GDELT source."""
    params = {
        "query": gdelt_query(source, watchlist),
        "mode": "ArtList",
        "format": "json",
        "maxrecords": str(source.max_records),
        "timespan": source.timespan,
        "sort": "DateDesc",
    }
    return f"{source.url or GDELT_ENDPOINT}?{urlencode(params)}"


def _seendate(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    for fmt in ("%Y%m%dT%H%M%SZ", "%Y%m%d%H%M%S"):
        try:
            return datetime.strptime(value.strip(), fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def parse_artlist(body: bytes) -> list[Item]:
    """Articles of an ArtList JSON response; FeedError with GDELT's own words when it refused."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return []
    try:
        data = json.loads(text, strict=False)
    except json.JSONDecodeError:
        first = text.splitlines()[0][:200]
        raise FeedError(f"GDELT did not return JSON: {first}") from None
    if not isinstance(data, dict):
        raise FeedError("GDELT returned JSON that is not an object")
    articles = data.get("articles", [])
    if not isinstance(articles, list):
        raise FeedError("GDELT JSON has no 'articles' list")
    items: list[Item] = []
    seen: set[str] = set()
    for art in articles:
        if not isinstance(art, dict) or not isinstance(art.get("url"), str):
            continue
        try:
            link = normalize_url(art["url"].strip())
        except (ValueError, TypeError):
            continue
        if link in seen or not link.startswith(("http://", "https://")):
            continue
        seen.add(link)
        title = art.get("title") if isinstance(art.get("title"), str) else None
        items.append(Item(url=link, title=" ".join(title.split()) if title else None,
                          published=_seendate(art.get("seendate"))))
    return items
