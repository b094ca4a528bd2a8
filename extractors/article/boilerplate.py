"""Lines that repeat across the pages of one host: the site's template, not any article.

A navigation row, a "most read" box or a newsletter blurb that survives extraction on one
page of a site survives on every page of that site, while an article's own paragraphs appear
on one page (two, if the same story was fetched under two URLs). So within one batch of
pages, a line found on `MIN_PAGES` or more *distinct* pages of the same host is boilerplate
and is removed from all of them.

- Pages count once per distinct text and canonical URL, so the same story fetched three
  times does not make its own paragraphs "repeated".
- A page that would lose more than `MAX_SHARE` of its text keeps it: such a page is a near
  copy of the others (a live story updated under new URLs), not a template with an article
  in it, and dedup downstream handles copies.
- The result depends only on the pages of that host in the batch, so batches are formed
  per host (`extract.plan_batches`): in-process, on every core or on a cluster, the same
  pages give the same text.

The daily run sees a host's pages of the day together; `marsad reextract` sees all stored
pages of a host; `marsad extract` sees the JSONL lines it reads together (up to its chunk).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from extractors.article.cleanup import line_key

MIN_PAGES = 3       # a line on this many distinct pages of one host is the host's template
MAX_SHARE = 0.5     # never take more than this share of a page's characters
MIN_KEY_CHARS = 4   # shorter lines (a digit, a dash) carry no evidence either way


def repeated_keys(texts: Sequence[str], doc_ids: Sequence[str]) -> set[str]:
    """Line keys found on MIN_PAGES or more distinct documents (texts of one host)."""
    seen: dict[str, set[str]] = {}
    for doc, text in zip(doc_ids, texts, strict=True):
        seen.setdefault(doc, set()).update(k for k in map(line_key, text.splitlines()) if len(k) >= MIN_KEY_CHARS)
    if len(seen) < MIN_PAGES:
        return set()
    counts = Counter(k for keys in seen.values() for k in keys)
    return {k for k, n in counts.items() if n >= MIN_PAGES}


def strip_keys(text: str, keys: set[str]) -> str:
    """The text without lines whose key is in `keys` (unchanged when that takes too much)."""
    if not keys:
        return text
    lines = text.splitlines()
    kept = [line for line in lines if line_key(line) not in keys]
    if len(kept) == len(lines):
        return text
    if sum(map(len, kept)) < (1 - MAX_SHARE) * sum(map(len, lines)):
        return text
    return "\n".join(kept)


def strip_repeated(texts: Sequence[str], hosts: Sequence[str | None], doc_ids: Sequence[str]) -> list[str]:
    """Remove each host's repeated lines from its texts; pages without a host are unchanged."""
    by_host: dict[str, list[int]] = {}
    for i, host in enumerate(hosts):
        if host:
            by_host.setdefault(host, []).append(i)
    out = list(texts)
    for members in by_host.values():
        if len(members) < MIN_PAGES:
            continue
        keys = repeated_keys([texts[i] for i in members], [doc_ids[i] for i in members])
        for i in members:
            out[i] = strip_keys(texts[i], keys)
    return out
