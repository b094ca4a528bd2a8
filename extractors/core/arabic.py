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


# Zero-width and bidi formatting characters that web text sprinkles inside words (ZWNJ in
# "ديب‌سيك", RLM before a name, the Arabic letter mark U+061C, a soft hyphen, a word joiner);
# the tagger drops them so words stay whole. One list for both ways of dropping them below.
_INVISIBLE_MARKS = (0x00AD, 0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), 0x2060,
                    *range(0x2066, 0x206A), 0xFEFF)
_INVISIBLE = re.compile("[" + "".join(map(chr, _INVISIBLE_MARKS)) + "]")


# The fold of `normalize` plus deletions (diacritics, tatweel, invisible marks) in one table,
# so the tagger folds a text in a single translate() pass.
_FOLD_AND_DELETE = {
    **_FOLD,
    **{cp: None for cp in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640,
                            *_INVISIBLE_MARKS]},
}


# The same table as two C-speed passes: str.translate looks every character up in a dict,
# which is slow on Arabic text (most characters unchanged); a regex deletes the marks and a
# short chain of str.replace applies the folds that occur (no fold's output is another's
# input, so the order does not matter). About 8x faster on a whole article.
_DELETE = re.compile("[" + "".join(re.escape(chr(cp)) for cp, v in _FOLD_AND_DELETE.items() if v is None) + "]")
_FOLD_PAIRS = tuple((chr(cp), v) for cp, v in _FOLD_AND_DELETE.items() if isinstance(v, str))


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The fold of `normalize_lines` for one line, and for each folded character the index of
    the original character it came from — so a match in folded text can be marked in the
    original (the evidence highlighter). Folds character by character: same result as the
    whole-line fold for the text Marsad stores (NFKC compositions fold to the same letter)."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).translate(_FOLD_AND_DELETE).lower():
            if c.isspace():
                if not out or out[-1] == " ":
                    continue
                c = " "
            out.append(c)
            index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


# Every whitespace character but " " and "\n" (what str.split() splits on, besides those two).
_ODD_SPACE = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x110000)
                                      if chr(c).isspace() and chr(c) not in " \n") + "]")


def normalize_lines(lines: list[str]) -> list[str]:
    """`normalize` of each line, done in one pass over the joined text (the tagger calls this
    for every sentence of every article, so per-call overhead matters). Lines must not
    contain a newline themselves. Unlike `normalize`, it also drops zero-width marks."""
    text = _DELETE.sub("", unicodedata.normalize("NFKC", "\n".join(lines)))
    for a, b in _FOLD_PAIRS:
        if a in text:
            text = text.replace(a, b)
    # whitespace runs (not the line breaks) → one space, each line stripped; most texts (sentences
    # as the splitter cuts them) have nothing to collapse, and then the per-line split is skipped
    text = text.lower()
    if _ODD_SPACE.search(text) or "  " in text or " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " ":
        out = [" ".join(line.split()) for line in text.split("\n")]
    else:
        out = text.split("\n")
    if len(out) != len(lines):  # a line held a newline after all: fall back, keep alignment
        return [_INVISIBLE.sub("", normalize(line)) for line in lines]
    return out


# --- Sentences and clitic-aware word boundaries -------------------------------------------
#
# Topic rules look for co-occurrence *within a sentence*, and evidence is shown to analysts as
# the original sentence, so splitting works on the original text (never the folded one).

# A sentence ends at . ! ? ؟ … ; ؛ or a line break, when followed by space/quote/end. A full
# stop between digits (5.58) or after a short Latin abbreviation (U.S., Mr., Inc.) is not an end.
# (Written to start with one character class, which lets the regex engine skip ahead to the next
# candidate character; the plain alternation `(?:[.!?؟…]+|[;؛])…|\n+` matches the same spans but
# tries every position, and took ~5x longer, 8% of tagging a whole article.)
_CLOSERS = "[\"'”’»)\\]]*"
_SENT_END = re.compile(r"[.!?؟…;؛\n](?:(?<=[.!?؟…])[.!?؟…]*" + _CLOSERS + r"(?=\s|$)|(?<=[;؛])" + _CLOSERS
                       + r"(?=\s|$)|(?<=\n)\n*)")
_ABBREV = re.compile(r"(?:\b[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|Inc|Corp|Co|Ltd|St|vs|No|Jr|Sr|Gov|Sen|Rep|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, stripped of surrounding space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if (
            m.group().startswith(".")
            and m.start() > 0
            and text[m.start() - 1].isascii()
            and _ABBREV.search(text, max(0, m.start() - 5), m.start() + 1)
        ):
            continue
        _add_span(text, start, end, spans)
        start = end
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    # str.strip in C rather than a character loop (the tagger splits every article it tags)
    segment = text[start:end]
    kept = segment.strip()
    if kept:
        start += len(segment) - len(segment.lstrip())
        spans.append((start, start + len(kept)))


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as written (original spelling), for rules and evidence."""
    return [text[a:b] for a, b in sentence_spans(text)]


# Proclitics that may precede a lexicon word in *normalised* text: conjunctions و/ف,
# prepositions ب/ك/ل, the article ال and their combinations (وبال, فلل, …). "لل" is ل+ال.
_PROCLITIC_HEADS = ("", "و", "ف")
_PROCLITIC_PREPS = ("", "ب", "ك", "ل")
NOUN_PREFIXES: frozenset[str] = frozenset(
    {h + p + a for h in _PROCLITIC_HEADS for p in _PROCLITIC_PREPS for a in ("", "ال")}
    | {h + "لل" for h in _PROCLITIC_HEADS}
)
# Imperfect-verb prefixes (يحظر، تحظر، ستحظر، وسيحظر) — only for lexicon entries marked as verbs,
# because allowing them on nouns would let "سهم" (share) match "يسهم" (contributes).
VERB_PREFIXES: frozenset[str] = frozenset(
    {h + s + v for h in _PROCLITIC_HEADS for s in ("", "س") for v in ("ي", "ت", "ن", "ا")}
    | {h + "ل" + v for h in _PROCLITIC_HEADS for v in ("ي", "ت", "ن")}
    | set(_PROCLITIC_HEADS)
)
_PRONOUNS = ("", "ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "نا", "ي")
# Suffixes after a noun/adjective stem: feminine ة (folded to ه), sound plurals, duals,
# nisba ي/ية, tanween alif (قيوداً → قيودا) and attached pronouns, alone or combined.
NOUN_SUFFIXES: frozenset[str] = frozenset(
    {p for p in _PRONOUNS}
    | {base + p for base in ("ات", "ان", "ين", "ت", "تا", "تي", "ي", "يه", "يات", "يين", "يون", "تان", "تين") for p in _PRONOUNS}
    | {"ه", "ا", "ون", "و", "يا", "ه" + "ا"}
)
# Suffixes after a verb stem: past-tense person endings and object pronouns.
VERB_SUFFIXES: frozenset[str] = frozenset(
    {base + p for base in ("", "ت", "وا", "و", "ون", "ن", "نا", "تم", "ا", "ان", "ين") for p in _PRONOUNS}
)
ENGLISH_SUFFIXES: frozenset[str] = frozenset(
    {"s", "es", "ed", "d", "ing", "er", "ers", "'s", "’s", "s'", "ly", "ion", "ions", "al", "ment", "ments",
     "ive", "ation", "ations"}
)
