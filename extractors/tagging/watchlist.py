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

import ahocorasick

from extractors.core.arabic import normalize
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


def _terms(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def load_watchlist(path: Path) -> Watchlist:
    """Read config/watchlist.toml: `[[group]]` tables with `name`, `ar` and `en` term lists."""
    data = read_toml(Path(path))
    raw_groups = data.get("group")
    if not isinstance(raw_groups, list) or not raw_groups:
        raise ConfigError(f"{path}: no [[group]] entries", hint="each group needs name, ar and/or en")
    groups = []
    for i, raw in enumerate(raw_groups, 1):
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: group #{i} must be a table")
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{path}: group #{i}: field 'name' is missing or empty")
        unknown = set(raw) - {"name", "ar", "en"}
        if unknown:
            raise ConfigError(f"{path}: group {name!r}: unknown field(s) {', '.join(sorted(unknown))}")
        ar = _terms(raw.get("ar"), f"{path}: group {name!r}: field 'ar'")
        en = _terms(raw.get("en"), f"{path}: group {name!r}: field 'en'")
        if not ar and not en:
            raise ConfigError(f"{path}: group {name!r} has no terms", hint="give it ar and/or en terms")
        groups.append(WatchGroup(name.strip(), ar, en))
    query = data.get("gdelt_query")
    if query is not None and (not isinstance(query, str) or not query.strip()):
        raise ConfigError(f"{path}: gdelt_query must be a non-empty string")
    return Watchlist(groups, query)
