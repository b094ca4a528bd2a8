"""Sources: where Marsad looks for new coverage, read from `config/sources.toml`.

Four kinds, one table each (`[[source]]`):
- `rss`     an RSS 2.0 / Atom / RDF feed URL (conditional GET; items filtered by watchlist);
- `sitemap` a news sitemap or sitemap index (plain or gzip);
- `gdelt`   the GDELT DOC 2.0 API (ArtList JSON, Arabic sources, query from the watchlist);
- `urls`    a list of article URLs an analyst pasted in (fetched as they are, no filter).

The file is validated at load: every mistake is a ConfigError naming the file, the entry and
the field, because a typo in a daily unattended job must fail loudly at start, not quietly
produce an empty digest two weeks later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.core.errors import ConfigError
from extractors.core.settings import read_toml

KINDS = ("rss", "sitemap", "gdelt", "urls")
GDELT_ENDPOINT = "https://api.gdeltproject.org/api/v2/doc/doc"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_FIELDS = {"name", "kind", "url", "urls", "enabled", "language", "watchlist_filter", "max_items",
           "query", "timespan", "max_records", "group", "note"}
_TIMESPAN = re.compile(r"^\d+(min|h|d|w|m)$")


@dataclass(frozen=True)
class Source:
    """One configured source; `group` is the flow task it runs in (defaults to its kind)."""

    name: str
    kind: str
    url: str | None = None
    urls: tuple[str, ...] = ()
    enabled: bool = True
    language: str | None = "ar"        # a hint; langdetect has the last word
    watchlist_filter: bool = True      # filter items on title+summary before fetching
    max_items: int | None = None       # overrides [fetch] max_items_per_source
    query: str | None = None           # gdelt: overrides the watchlist's gdelt_query
    timespan: str = "1d"               # gdelt: how far back (GDELT syntax: 15min, 24h, 1d, 1w)
    max_records: int = 75              # gdelt: ArtList size (GDELT allows up to 250)
    group: str = ""
    note: str | None = None

    @property
    def task_group(self) -> str:
        return self.group or {"rss": "feeds", "sitemap": "sitemaps"}.get(self.kind, self.kind)

    def as_config(self) -> dict[str, Any]:
        """The entry as a JSON-able dict (for the `sources` table's config_json)."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items() if v not in (None, (), "")}


def _url_ok(value: Any) -> bool:
    return isinstance(value, str) and re.match(r"^https?://[^\s/]+", value.strip()) is not None


def _source(raw: Any, i: int, path: Path, defaults: dict[str, Any]) -> Source:
    label = f"{path}: source #{i}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{label} must be a table ([[source]])")
    raw = {**defaults, **raw}
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{label}: field 'name' must be lowercase letters, digits, '_', '-' or '.', got {name!r}")
    label = f"{path}: source {name!r}"

    def bad(field: str, why: str) -> ConfigError:
        return ConfigError(f"{label}: field '{field}' {why}")

    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise bad(unknown[0], f"is not a known field (known: {', '.join(sorted(_FIELDS))})")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise bad("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    url = raw.get("url")
    if kind in ("rss", "sitemap") and not _url_ok(url):
        raise bad("url", f"must be an http(s) URL for a {kind} source, got {url!r}")
    if kind == "gdelt":
        url = url or GDELT_ENDPOINT
        if not _url_ok(url):
            raise bad("url", f"must be an http(s) URL, got {url!r}")
    if kind == "urls" and url is not None:
        raise bad("url", "is not used by a urls source; put the pages in 'urls = [...]'")
    urls = raw.get("urls", [])
    if not isinstance(urls, list) or any(not _url_ok(u) for u in urls):
        raise bad("urls", "must be a list of http(s) URLs")
    if kind == "urls" and not urls:
        raise bad("urls", "must list at least one URL for a urls source")
    if kind != "urls" and urls:
        raise bad("urls", f"is only for urls sources (this one is {kind})")
    for key in ("enabled", "watchlist_filter"):
        if key in raw and not isinstance(raw[key], bool):
            raise bad(key, f"must be true or false, got {raw[key]!r}")
    for key, high in (("max_items", 10_000), ("max_records", 250)):
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= high):
            raise bad(key, f"must be an integer from 1 to {high}, got {value!r}")
    for key in ("language", "query", "group", "note"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
            raise bad(key, "must be a non-empty string")
    timespan = raw.get("timespan", "1d")
    if not isinstance(timespan, str) or not _TIMESPAN.match(timespan):
        raise bad("timespan", f"must look like 15min, 24h, 1d or 1w, got {timespan!r}")
    # GDELT's query already is the topic filter, and it matches English translations that an
    # Arabic title need not contain: default its pre-filter off.
    watch_default = kind in ("rss", "sitemap")
    return Source(
        name=name, kind=kind, url=url.strip() if isinstance(url, str) else None,
        urls=tuple(u.strip() for u in urls), enabled=raw.get("enabled", True),
        language=raw.get("language", "ar"), watchlist_filter=raw.get("watchlist_filter", watch_default),
        max_items=raw.get("max_items"), query=raw.get("query"), timespan=timespan,
        max_records=raw.get("max_records", 75), group=raw.get("group", ""), note=raw.get("note"),
    )


def load_sources(path: Path) -> list[Source]:
    """Read and validate sources.toml; disabled sources are returned too (flag `enabled`)."""
    path = Path(path)
    data = read_toml(path)
    unknown = sorted(set(data) - {"source", "defaults"})
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key {unknown[0]!r}", hint="use [[source]] tables and an optional [defaults]")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ConfigError(f"{path}: [defaults] must be a table")
    if "name" in defaults or "kind" in defaults:
        raise ConfigError(f"{path}: [defaults] cannot set 'name' or 'kind'")
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'source' must be an array of tables ([[source]])")
    sources, seen = [], set()
    for i, raw in enumerate(entries, 1):
        src = _source(raw, i, path, defaults)
        if src.name in seen:
            raise ConfigError(f"{path}: source {src.name!r}: field 'name' is used twice", hint="names must be unique")
        seen.add(src.name)
        sources.append(src)
    return sources
