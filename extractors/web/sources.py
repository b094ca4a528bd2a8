"""Sources: where Marsad looks for new coverage, read from `config/sources.toml`.

Four kinds, one table each (`[[source]]`):
- `rss`     an RSS 2.0 / Atom / RDF feed URL (conditional GET; items filtered by watchlist);
- `sitemap` a news sitemap or sitemap index (plain or gzip);
- `gdelt`   the GDELT DOC 2.0 API (ArtList JSON, Arabic sources, query from the watchlist);
- `urls`    a list of article URLs an analyst pasted in (fetched as they are, no filter).

Two optional keys name the outlet for readers (the digest email, the dashboard): `display_name`
(one string, or a table `{ ar = "الجزيرة", en = "Al Jazeera" }` with a name per chrome
language) and `home_url` (the outlet's front page, which a story's outlet links to). An rss or
sitemap source is one outlet, so its articles take these names; a gdelt or urls source lists
pages of many outlets, so for those the names describe the source itself (source health) and
each article is named by its own site name or host (`v_article_outlets`).

The file is validated at load: every mistake is a ConfigError naming the file, the entry and
the field, because a typo in a daily unattended job must fail loudly at start, not quietly
produce an empty digest two weeks later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, StrictStr, field_validator, model_validator

from extractors.core.config import ConfigModel, Strs, check_keys, first_repeat, parse
from extractors.core.settings import read_toml

KINDS = ("rss", "sitemap", "gdelt", "urls")
GDELT_ENDPOINT = "https://api.gdeltproject.org/api/v2/doc/doc"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
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
    display_name: str | dict[str, str] | None = None  # a name, or {"ar": …, "en": …}
    home_url: str | None = None

    @property
    def task_group(self) -> str:
        return self.group or {"rss": "feeds", "sitemap": "sitemaps"}.get(self.kind, self.kind)

    def as_config(self) -> dict[str, Any]:
        """The entry as a JSON-able dict (for the `sources` table's config_json)."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items() if v not in (None, (), "")}


def _url_ok(value: Any) -> bool:
    return isinstance(value, str) and re.match(r"^https?://[^\s/]+", value.strip()) is not None


Text = Annotated[StrictStr, Field(min_length=1)]
NAME_LANGS = ("ar", "en")


class SourceEntry(ConfigModel):
    """The schema of one `[[source]]` table (with `[defaults]` merged in)."""

    name: StrictStr
    kind: Literal["rss", "sitemap", "gdelt", "urls"]
    url: StrictStr | None = None
    urls: Strs = ()
    enabled: StrictBool = True
    language: Text = "ar"
    watchlist_filter: StrictBool | None = None  # default: true for rss and sitemap
    max_items: Annotated[int, Field(ge=1, le=10_000)] | None = None
    query: Text | None = None
    timespan: StrictStr = "1d"
    max_records: Annotated[int, Field(ge=1, le=250)] = 75
    group: Text | None = None
    note: Text | None = None
    display_name: Any = None  # a name, or {ar, en}: checked by _display_name (clearer errors than a union)
    home_url: StrictStr | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"must be lowercase letters, digits, '_', '-' or '.', got {value!r}")
        return value

    @field_validator("timespan")
    @classmethod
    def _timespan(cls, value: str) -> str:
        if not _TIMESPAN.match(value):
            raise ValueError(f"must look like 15min, 24h, 1d or 1w, got {value!r}")
        return value

    @field_validator("home_url")
    @classmethod
    def _home_url(cls, value: str | None) -> str | None:
        if value is not None and not _url_ok(value):
            raise ValueError(f"must be an http(s) URL, got {value!r}")
        return value.strip() if value is not None else None

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: Any) -> str | dict[str, str] | None:
        if value is None:
            return None
        if isinstance(value, str):
            if not value.strip():
                raise ValueError("must not be blank")
            return value.strip()
        if not isinstance(value, dict) or not value:
            raise ValueError("must be a string or a table like { ar = \"الجزيرة\", en = \"Al Jazeera\" }")
        for lang, name in value.items():
            if lang not in NAME_LANGS:
                raise ValueError(f"has unknown language {lang!r} (use {' or '.join(NAME_LANGS)})")
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"{lang!r} must be a non-blank string, got {name!r}")
        return {lang: value[lang].strip() for lang in NAME_LANGS if lang in value}

    @field_validator("urls")
    @classmethod
    def _urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not _url_ok(u) for u in value):
            raise ValueError("must be a list of http(s) URLs")
        return tuple(u.strip() for u in value)

    @model_validator(mode="after")
    def _fits_its_kind(self) -> SourceEntry:
        kind, url = self.kind, self.url
        if kind in ("rss", "sitemap") and not _url_ok(url):
            raise ValueError(f"'url' must be an http(s) URL for a {kind} source, got {url!r}")
        if kind == "gdelt" and url is not None and not _url_ok(url):
            raise ValueError(f"'url' must be an http(s) URL, got {url!r}")
        if kind == "urls" and url is not None:
            raise ValueError("'url' is not used by a urls source; put the pages in 'urls = [...]'")
        if kind == "urls" and not self.urls:
            raise ValueError("'urls' must list at least one URL for a urls source")
        if kind != "urls" and self.urls:
            raise ValueError(f"'urls' is only for urls sources (this one is {kind})")
        return self

    def to_source(self) -> Source:
        url = self.url or (GDELT_ENDPOINT if self.kind == "gdelt" else None)
        # GDELT's query already is the topic filter, and it matches English translations that an
        # Arabic title need not contain: default its pre-filter off.
        watch = self.watchlist_filter if self.watchlist_filter is not None else self.kind in ("rss", "sitemap")
        return Source(
            name=self.name, kind=self.kind, url=url.strip() if url else None, urls=self.urls,
            enabled=self.enabled, language=self.language, watchlist_filter=watch, max_items=self.max_items,
            query=self.query, timespan=self.timespan, max_records=self.max_records, group=self.group or "",
            note=self.note, home_url=self.home_url, display_name=self.display_name,
        )


class SourcesFile(ConfigModel):
    """The schema of sources.toml: `[[source]]` tables and an optional `[defaults]`."""

    source: list[SourceEntry] = []
    defaults: dict[str, Any] = {}

    @model_validator(mode="after")
    def _unique_names(self) -> SourcesFile:
        twice = first_repeat(entry.name for entry in self.source)
        if twice:
            raise ValueError(f"source {twice!r}: 'name' is used twice (names must be unique)")
        return self


def load_sources(path: Path) -> list[Source]:
    """Read and validate sources.toml; disabled sources are returned too (flag `enabled`)."""
    path = Path(path)
    data = read_toml(path)
    defaults = data.get("defaults", {})
    if isinstance(defaults, dict):  # [defaults] holds any entry key but the two that identify one
        check_keys(defaults, set(SourceEntry.model_fields) - {"name", "kind"}, f"{path} [defaults]")
        entries = data.get("source", [])
        if isinstance(entries, list):
            data = {**data, "source": [{**defaults, **e} if isinstance(e, dict) else e for e in entries]}
    return [entry.to_source() for entry in parse(SourcesFile, data, where=str(path)).source]
