"""A digest item as every surface shows it: the cleaned fields the email and the dashboard share.

Both read digest rows joined to their articles and must show the same thing the same safe
way — a title (or its URL, or a dash), the source, a link only for an http(s) URL, the outlet
count, the evidence lines, and the text direction of the article's language. `ShownItem`
holds those fields once; the email's `DigestItem` and the dashboard's `StoryRow` extend it
with what only they need, and `shown_fields` is the one place the cleaning happens. Both also
render through the one Jinja2 environment set-up, `template_env`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dashboards.safe_text import inert, inert_lines, safe_url

RTL_LANGS = frozenset({"ar", "fa", "ur", "he"})


@dataclass
class ShownItem:
    title: str
    source: str
    url: str | None
    outlets: int
    evidence: list[str]
    rtl: bool


def shown_fields(title: str | None, source: str | None, url: str | None, outlets: int,
                 evidence: str | None, lang: str | None) -> dict[str, Any]:
    """The `ShownItem` fields of one digest row, made inert (keyword arguments for a subclass)."""
    clean_url = safe_url(url)
    return {
        "title": inert(title) or clean_url or "—",
        "source": inert(source),
        "url": clean_url,
        "outlets": int(outlets),
        "evidence": inert_lines(evidence),
        "rtl": lang in RTL_LANGS,
    }


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
