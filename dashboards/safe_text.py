"""Output sanitisers: article text made safe to show in an email, a page or an artifact.

Everything that came from an article (title, source, evidence, URL) is untrusted. Escaping
(Jinja2's autoescape) stops markup; these stop the rest — a CR/LF that would add a mail header,
a bidi override (U+202E) that would reorder the words around it, a `javascript:` URL.
"""

from __future__ import annotations

import unicodedata

_BIDI_AND_CONTROLS = {c: None for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
_BIDI_AND_CONTROLS.update({c: None for c in (0x061C, 0x200E, 0x200F, 0x2028, 0x2029)})
_BIDI_AND_CONTROLS.update({c: None for c in range(0x202A, 0x202F)})
_BIDI_AND_CONTROLS.update({c: None for c in range(0x2066, 0x206A)})
_LINE_BREAKS = {0x0A: " ", 0x0D: " ", 0x09: " ", 0x2028: " ", 0x2029: " "}


def inert(text: str | None) -> str:
    """One line of article text safe to show: no CR/LF, no controls, no direction overrides.

    Escaping stops markup; this stops the rest — a bidi override (U+202E) in a title would
    reorder the words around it, and a bare CR/LF has no business in a one-line field.
    """
    if not text:
        return ""
    text = text.translate(_LINE_BREAKS).translate(_BIDI_AND_CONTROLS)
    return " ".join(text.split())


def inert_lines(text: str | None) -> list[str]:
    """Multi-line field (evidence sentences joined by newlines) → inert non-empty lines."""
    return [line for line in (inert(part) for part in (text or "").splitlines()) if line]


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) and one clean line; otherwise None (shown as text, not a link)."""
    clean = inert(url)
    if clean and clean.lower().startswith(("http://", "https://")) and " " not in clean:
        return clean
    return None


def direction(text: str | None, default: str = "ltr") -> str:
    """"rtl" or "ltr": the direction of the first strong character (what `dir="auto"` would
    pick). Mail clients ignore `dir="auto"` and `<bdi>` (caniemail: html-bdi), so every run
    of untrusted text is wrapped in a `dir` of its own, computed here."""
    for ch in text or "":
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default
