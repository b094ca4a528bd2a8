"""The watchlist: does a text talk about the DeepSeek / AI-chip story at all?

It is a cheap gate, not the tagger: feed items are checked on title + summary BEFORE their
page is fetched (most of a news feed is about other things, and every skipped item is one
request a site does not have to serve), and the lead re-checks extracted article text.

Terms are matched after `arabic.normalize` (so إنفيديا, انفيديا and إنفيدیا are one term) with
an Aho-Corasick automaton: one pass over the text whatever the number of terms. Arabic terms
match anywhere (Arabic glues prefixes such as و، ب، ال to the word); Latin terms need a word
start (so "arm" does not fire inside "pharmacy"; "chip" still matches "chips").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import ahocorasick
from pydantic import Field, StrictStr, field_validator, model_validator

from extractors.core.arabic import normalize
from extractors.core.config import ConfigModel, Strs, parse
from extractors.core.errors import ConfigError
from extractors.core.settings import read_toml


def _is_latin(term: str) -> bool:
    return any("a" <= ch <= "z" for ch in term)


@dataclass(frozen=True)
class WatchGroup:
    name: str
    ar: tuple[str, ...]
    en: tuple[str, ...]


class Watchlist:
    """Matches normalised text against every term of every group."""

    def __init__(self, groups: list[WatchGroup], gdelt_query: str | None = None) -> None:
        self.groups = groups
        self.gdelt_query = gdelt_query
        self._auto = ahocorasick.Automaton()
        for group in groups:
            for term in (*group.ar, *group.en):
                key = normalize(term)
                if key:
                    self._auto.add_word(key, (key, group.name, _is_latin(key)))
        if len(self._auto) == 0:
            raise ConfigError("watchlist has no terms", hint="add ar/en terms to config/watchlist.toml")
        self._auto.make_automaton()

    def matched(self, text: str | None) -> list[str]:
        """The group names whose terms occur in `text` (empty when none)."""
        if not text:
            return []
        norm = normalize(text)
        found: list[str] = []
        for end, (key, group, latin) in self._auto.iter(norm):
            start = end - len(key) + 1
            if latin and start > 0 and norm[start - 1].isalnum():
                continue
            if group not in found:
                found.append(group)
        return found

    def matches(self, text: str | None) -> bool:
        """True when at least one watchlist term occurs in `text` (after Arabic normalisation)."""
        return bool(self.matched(text))

    def english_terms(self) -> list[str]:
        """English terms, for the GDELT query (GDELT searches its English translation)."""
        return [term for group in self.groups for term in group.en]


class GroupEntry(ConfigModel):
    """The schema of one `[[group]]`: a name and Arabic and/or English terms."""

    name: Annotated[StrictStr, Field(min_length=1)]
    ar: Strs = ()
    en: Strs = ()

    @field_validator("ar", "en")
    @classmethod
    def _terms(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not all(v.strip() for v in value):
            raise ValueError("must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    @model_validator(mode="after")
    def _some_terms(self) -> GroupEntry:
        if not self.ar and not self.en:
            raise ValueError(f"group {self.name!r} has no terms; give it ar and/or en terms")
        return self


class WatchlistFile(ConfigModel):
    """The schema of watchlist.toml: `[[group]]` tables and the GDELT query."""

    group: Annotated[list[GroupEntry], Field(min_length=1)]
    gdelt_query: Annotated[StrictStr, Field(min_length=1)] | None = None


def load_watchlist(path: Path) -> Watchlist:
    """Read config/watchlist.toml: `[[group]]` tables with `name`, `ar` and `en` term lists."""
    data = read_toml(Path(path))
    if not data.get("group"):
        raise ConfigError(f"{path}: no [[group]] entries", hint="each group needs name, ar and/or en")
    parsed = parse(WatchlistFile, data, where=str(path))
    groups = [WatchGroup(g.name.strip(), g.ar, g.en) for g in parsed.group]
    return Watchlist(groups, parsed.gdelt_query.strip() if parsed.gdelt_query else None)
