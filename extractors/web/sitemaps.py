"""News sitemaps → candidate article URLs (pure parsing, no network).

Publishers that do not offer a feed (or whose feed lags) usually publish a Google News
sitemap: `<urlset>` entries with `<news:news>` (title, publication date), often behind a
`<sitemapindex>`, often gzip-compressed (`sitemap.xml.gz`, with or without a gzip
Content-Encoding). This module turns one such document into entries and child sitemaps.

Safety: the XML parser neither resolves entities nor touches the network (no XXE), a gzip
body is decompressed under the same cap as any HTTP body, and documents are parsed with
`recover=True` because real sitemaps are not always well-formed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from extractors.article.urls import normalize_url
from extractors.web.decompress import decompress_capped
from extractors.web.feeds import FeedError, Item

GZIP_MAGIC = b"\x1f\x8b"


@dataclass(slots=True)
class ParsedSitemap:
    items: list[Item]            # article entries (urlset)
    children: list[tuple[str, datetime | None]]  # (child sitemap URL, lastmod) from an index


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False,
                           remove_comments=True, remove_pis=True)


def parse_date(text: str | None) -> datetime | None:
    """W3C datetime (2025-01-27, 2025-01-27T10:00:00+03:00, …Z) → aware UTC datetime."""
    if not text:
        return None
    text = text.strip().replace("Z", "+00:00")
    for candidate in (text, text[:10]):
        try:
            value = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return None


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(node: etree._Element, *names: str) -> str | None:
    """Text of the first descendant whose local name is the path `names` (namespace-agnostic)."""
    current = [node]
    for name in names:
        current = [c for n in current for c in n if _local(c.tag) == name]
        if not current:
            return None
    text = current[0].text
    return text.strip() if text and text.strip() else None


def parse_sitemap(body: bytes, url: str, *, max_bytes: int = 20_000_000) -> ParsedSitemap:
    """Parse a sitemap or sitemap index fetched from `url` (gzip detected by its magic bytes)."""
    if body[:2] == GZIP_MAGIC:
        body = decompress_capped(body, max_bytes, "gzip")
    body = body.lstrip()
    if not body:
        raise FeedError("not a sitemap: empty body")
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"not a sitemap: {exc}") from exc
    if root is None:
        raise FeedError("not a sitemap: no XML document")
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = []
        for node in root:
            if _local(node.tag) != "sitemap":
                continue
            loc = _child_text(node, "loc")
            if loc:
                try:
                    children.append((normalize_url(loc, base=url), parse_date(_child_text(node, "lastmod"))))
                except (ValueError, TypeError):
                    continue
        return ParsedSitemap(items=[], children=children)
    if kind != "urlset":
        raise FeedError(f"not a sitemap: root element is <{kind or '?'}>, expected <urlset> or <sitemapindex>")
    items: list[Item] = []
    seen: set[str] = set()
    for node in root:
        if _local(node.tag) != "url":
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        try:
            link = normalize_url(loc, base=url)
        except (ValueError, TypeError):
            continue
        if link in seen or not link.startswith(("http://", "https://")):
            continue
        seen.add(link)
        published = parse_date(_child_text(node, "news", "publication_date")) or parse_date(_child_text(node, "lastmod"))
        keywords = _child_text(node, "news", "keywords")
        items.append(Item(url=link, title=_child_text(node, "news", "title"), summary=keywords, published=published))
    return ParsedSitemap(items=items, children=[])
