"""A digest item as every surface shows it: the cleaned fields the email and the dashboard share.

Both read digest rows joined to their articles (`v_digest_shown`) and must show the same thing
the same safe way — a title (or its URL, or a dash), a link only for an http(s) URL, the
story's outlets by name with their home pages, when it was published, a seed file's name
instead of a dead link, and the evidence with its matched terms marked, the best sentence
first and never the headline. `ShownItem` holds those fields once; the email's `DigestItem`
and the dashboard's `StoryRow` extend it with what only they need, and `shown_fields` is the
one place the cleaning happens. Both also render through the one Jinja2 set-up, `template_env`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dashboards.safe_text import direction, inert, inert_lines, safe_url
from extractors.core.arabic import normalize
from extractors.tagging.highlight import Marked, best_first, mark
from extractors.tagging.tagger import Tagger, read_tagging_config

RTL_LANGS = frozenset({"ar", "fa", "ur", "he"})


@dataclass(frozen=True)
class Outlet:
    """One outlet of a story: its name in each chrome language, its home page (or none)."""

    id: str
    name_ar: str
    name_en: str
    url: str | None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_ar

    def dir(self, lang: str) -> str:
        return direction(self.name(lang))


@dataclass(frozen=True)
class Evidence:
    """One evidence sentence of one topic, as (text, marked) pieces for the template."""

    topic: str
    text: str
    pieces: tuple[tuple[str, bool], ...]


@dataclass
class ShownItem:
    title: str
    source: str
    url: str | None
    outlets: int
    evidence: list[Evidence]
    rtl: bool
    lang: str
    outlet_list: list[Outlet]
    published_at: datetime | None
    first_seen_at: datetime | None
    seed_file: str | None

    @property
    def title_dir(self) -> str:
        return direction(self.title, "rtl" if self.rtl else "ltr")


def outlets_of(raw: list[Mapping[str, Any]] | None) -> list[Outlet]:
    """The struct list of `outlet_list` as inert `Outlet`s (names cleaned, only http(s) links)."""
    out = []
    for o in raw or []:
        ident = inert(o.get("outlet")) or "?"
        name_ar = inert(o.get("name")) or ident
        out.append(Outlet(ident, name_ar, inert(o.get("name_en")) or name_ar, safe_url(o.get("url"))))
    return out


def evidence_of(topic: str, evidence: str | None, title: str | None, tagger: Tagger | None) -> list[Evidence]:
    """The evidence sentences to show: never the headline, the best one first, terms marked.

    The tagger never quotes a title, but a row from an older tagger or filled by hand may: a
    line that folds to the title (`normalize`) is dropped here, on every surface.
    """
    headline = normalize(title or "")
    lines = [line for line in inert_lines(evidence) if not headline or normalize(line) != headline]
    marked = [mark(tagger, topic, line) for line in lines] if tagger else [Marked(line, (), (0.0, 0)) for line in lines]
    return [Evidence(topic, m.text, tuple(m.pieces())) for m in best_first(marked)]


def shown_fields(row: Mapping[str, Any], tagger: Tagger | None) -> dict[str, Any]:
    """The `ShownItem` fields of one `v_digest_shown` row, made inert (keywords for a subclass)."""
    clean_url = safe_url(row.get("url"))
    title = inert(row.get("title"))
    lang = inert(row.get("lang"))[:8] or "ar"
    return {
        "title": title or clean_url or "—",
        "source": inert(row.get("source")),
        "url": clean_url,
        "outlets": int(row.get("outlets") or 1),
        "evidence": evidence_of(str(row.get("topic") or ""), row.get("evidence"), title, tagger),
        "rtl": lang in RTL_LANGS,
        "lang": lang,
        "outlet_list": outlets_of(row.get("outlet_list")),
        "published_at": row.get("published_at"),
        "first_seen_at": row.get("first_seen_at"),
        "seed_file": inert(row.get("seed_file")) or None,
    }


def highlighter(config_dir: Path) -> Tagger | None:
    """The rules that mark evidence terms (topics.toml and entities.toml of `config_dir`, no
    model: marks come from rules), compiled once per folder and process. A folder without
    topics.toml (a delivery-only set-up) gets None: the evidence is shown, unmarked."""
    folder = Path(config_dir).resolve()
    if not (folder / "topics.toml").is_file():
        return None
    return _compiled(str(folder))


@cache
def _compiled(folder: str) -> Tagger:
    return read_tagging_config(Path(folder), model=False).tagger()


def template_env(folder: Path) -> Environment:
    """The Jinja2 environment for a template folder: autoescape for HTML templates, strict names.

    `.html.j2` templates are autoescaped (article text is untrusted), `.txt.j2` ones are not
    (plain text has nothing to escape, and escaping would show `&amp;` to the reader).
    """
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
