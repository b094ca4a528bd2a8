"""Arabic orthographic normalisation shared by tagging, watchlist filtering and hashing.

News sites spell the same word many ways (أ/إ/آ/ا, ة/ه, ى/ي, tatweel, diacritics,
Arabic-Indic digits). Matching and deduplication work on one folded form so that a lexicon
entry or a content hash does not depend on a typist's habits. The fold is lossy on purpose:
never show normalised text to a reader; keep the original for evidence.
"""

from __future__ import annotations

import re
import unicodedata

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ک": "ك",
        "ی": "ي",
        # Arabic-Indic and Eastern Arabic-Indic digits → ASCII
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "٫": ".",  # Arabic decimal separator
        "٬": ",",  # Arabic thousands separator
        "٪": "%",
        "،": ",",
        "؛": ";",
        "؟": "?",
    }
)
_SPACES = re.compile(r"\s+")


def normalize_digits(text: str) -> str:
    """Arabic-Indic digits (٠-٩, ۰-۹) → ASCII digits; nothing else changes."""
    return text.translate({**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}})


def normalize(text: str) -> str:
    """Fold Arabic spelling variants, digits and case so that equal words compare equal."""
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_FOLD).lower()
    return _SPACES.sub(" ", text).strip()
