"""Find the date an article states in its own text ("Sunday, February 2, 2025", "٢ شباط ٢٠٢٥").

Seed files and pasted texts have no HTML metadata, so their `published_at` can only come from
a date written in the text. Arabic news writes months three ways: Egyptian/Gulf transliterations
(يناير، فبراير …), Levantine/Iraqi Syriac names (كانون الثاني، شباط …) and Maghrebi French-style
names (جانفي، فيفري …), often with Arabic-Indic digits. We match on the `arabic.normalize` fold
(so أبريل/ابريل/إبريل and ٢/2 are one spelling) and return the *first* full date (day, month,
year) in the text: bylines and datelines come first in an article. Month-only dates
("فبراير 2025") are not a publication date and are ignored, as are Hijri years (1446 هـ),
which fall outside the accepted year range.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from extractors.core.arabic import normalize

MIN_YEAR, MAX_YEAR = 1990, 2100

# Folded forms (after arabic.normalize: أ/إ/آ → ا, ة → ه, ى → ي, lower case).
_ARABIC_MONTHS: dict[str, int] = {
    # Egyptian / Gulf
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6,
    "يونيه": 6, "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12,
    # Levantine / Iraqi
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7,
    "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    # Maghrebi
    "جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويليه": 7, "اوت": 8,
}
_ENGLISH_MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_EN_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
# Longest names first so that "كانون الثاني" wins over a shorter prefix.
_AR_MONTH = "(" + "|".join(sorted(map(re.escape, _ARABIC_MONTHS), key=len, reverse=True)) + ")"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
_B, _E = r"(?<![\w])", r"(?![\w])"  # word edges that also work for Arabic letters

# Each pattern gives (day, month, year) group names in its own order.
_PATTERNS: list[tuple[re.Pattern[str], tuple[str, str, str]]] = [
    # 2 فبراير 2025 · ٢ شباط ٢٠٢٥ · 2 من فبراير، 2025 · 2 فبراير/شباط 2025 · 25 يناير 2024م (م = AD)
    (re.compile(_B + _DAY + r"\s*(?:من\s+)?" + _AR_MONTH + r"(?:\s*[/(-]\s*[^\d\s]+(?:\s[^\d\s]+)?\s*\)?)?\s*,?\s*(?:عام\s+|سنه\s+)?" + _YEAR + r"(?:\s?م)?" + _E),
     ("d", "m", "y")),
    # February 2, 2025 · Sunday, February 2nd 2025
    (re.compile(_B + _EN_MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + _E), ("m", "d", "y")),
    # 2 February 2025 · 2 Feb. 2025
    (re.compile(_B + _DAY + r"\s+(?:of\s+)?" + _EN_MONTH + r",?\s+" + _YEAR + _E), ("d", "m", "y")),
    # ISO 2025-02-02 (time part, if any, is read by _iso_datetime) · 2025/02/02
    (re.compile(_B + r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), ("y", "m", "d")),
    # 02/02/2025 · 2-2-2025: day first, as Arabic and European papers write it
    (re.compile(_B + r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _E), ("d", "m", "y")),
]
_ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)")


def _month(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    token = token.rstrip(".")
    return _ARABIC_MONTHS.get(token) or _ENGLISH_MONTHS.get(token[:4] if token.startswith("sept") else token[:3])


def _build(day: str, month: str, year: str) -> datetime | None:
    m = _month(month)
    try:
        d, y = int(day), int(year)
        if m is None or not MIN_YEAR <= y <= MAX_YEAR:
            return None
        return datetime(y, m, d, tzinfo=UTC)
    except ValueError:  # 31 February and friends
        return None


def _iso_datetime(text: str, start: int) -> datetime | None:
    """A full ISO timestamp starting at `start`, converted to UTC (naive ones taken as UTC)."""
    match = _ISO_DATETIME.match(text, start)
    if not match:
        return None
    raw = match.group(1).upper().replace("Z", "+00:00")  # the fold lower-cased T and Z
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def find_date(text: str) -> datetime | None:
    """The first full date stated in `text`, as a UTC-aware datetime (midnight if no time).

    Why not htmldate or dateparser: htmldate reads HTML markup, not prose, and dateparser does
    not know the Levantine or Maghrebi month names; this is a small, predictable matcher.
    """
    if not text:
        return None
    folded = normalize(text[:20_000])  # a stated date sits near the top; bound the cost
    best: tuple[int, datetime] | None = None
    for pattern, order in _PATTERNS:
        for match in pattern.finditer(folded):
            if best is not None and match.start() >= best[0]:
                break
            parts = dict(zip(order, match.groups()[:3], strict=True))
            value = _build(parts["d"], parts["m"], parts["y"])
            if value is None:
                continue
            if order == ("y", "m", "d"):
                value = _iso_datetime(folded, match.start()) or value
            best = (match.start(), value)
            break
    return best[1] if best else None
