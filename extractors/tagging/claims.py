"""Money, percentage and multiplier claims, normalised to numbers.

Why: the story is full of figures ("6 ملايين دولار", "5.58 مليون", "600 مليار دولار", "١٧٪",
"20 إلى 50 مرة") that analysts compare across outlets. Turning them into numbers lets
`article_claims` be queried ("who repeats the $6m figure?") and lets the pricing and market
rules ask "is there a money/percent figure in this sentence?" without another regex.

Work is done on *normalised* text (Arabic-Indic digits → ASCII, ٪ → %, ٫ → .), but each claim
keeps the original sentence for display.
"""

from __future__ import annotations

import re

from extractors.core.records import Claim

# Scale words, singular/plural/accusative/dual forms, in normalised spelling (ة→ه, أ→ا).
_SCALES: dict[str, float] = {
    "الف": 1e3, "الاف": 1e3, "الفا": 1e3, "الفين": 2e3, "thousand": 1e3, "k": 1e3,
    "مليون": 1e6, "ملايين": 1e6, "مليونا": 1e6, "مليوني": 2e6, "مليونين": 2e6,
    "million": 1e6, "millions": 1e6, "mn": 1e6, "m": 1e6,
    "مليار": 1e9, "مليارات": 1e9, "مليارا": 1e9, "ملياري": 2e9, "مليارين": 2e9, "بليون": 1e9,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9,
    "تريليون": 1e12, "تريليونات": 1e12, "تريليونا": 1e12, "trillion": 1e12, "tn": 1e12,
    # Indian numbering, as Indian business copy writes rupee amounts ("9.8 crore rupees")
    "crore": 1e7, "crores": 1e7, "lakh": 1e5, "lakhs": 1e5,
}
# Currency words (after the number) and symbols (before it), normalised.
_CURRENCY_WORDS: dict[str, str] = {
    "دولار": "USD", "دولارا": "USD", "دولارات": "USD", "الدولارات": "USD", "dollar": "USD",
    "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD", "usd": "USD", "يورو": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "يوان": "CNY", "yuan": "CNY", "رنمينبي": "CNY", "rmb": "CNY",
    # in Arabic news a bare جنيه is the Egyptian pound; sterling is named as such
    "جنيه": "EGP", "جنيها": "EGP", "جنيهات": "EGP", "جنيه استرليني": "GBP", "جنيهات استرلينيه": "GBP",
    "pounds": "GBP", "ريال": "SAR", "ريالا": "SAR", "ريالات": "SAR", "درهم": "AED", "درهما": "AED", "دراهم": "AED",
    "يوانا": "CNY",
    "ين": "JPY", "yen": "JPY", "وون": "KRW", "won": "KRW", "روبيه": "INR", "روبيات": "INR",
    "rupee": "INR", "rupees": "INR", "راند": "ZAR", "rand": "ZAR", "نايرا": "NGN", "نيره": "NGN", "naira": "NGN",
    "reais": "BRL", "ريال برازيلي": "BRL", "بيزو": "PESO", "peso": "PESO", "pesos": "PESO",
    # dinars and liras are several countries' currencies (Kuwait, Jordan, Tunisia, Iraq …; Turkey,
    # Lebanon, Syria): the amount is a money claim, the country is not known from the word
    "دينار": "DINAR", "دينارا": "DINAR", "دنانير": "DINAR", "dinar": "DINAR", "dinars": "DINAR",
    "ليره": "LIRA", "ليرات": "LIRA", "lira": "LIRA", "liras": "LIRA",
}
# Cents: a money claim in dollars ("50 سنتا لكل ثانية" = $0.50 per second of video), and the
# hundredths of the riyal and the Egyptian pound ("6 هللات" per conversation, "50 قرشا" per image).
_CENTS: dict[str, str] = {"سنت": "USD", "سنتا": "USD", "سنتات": "USD", "cent": "USD", "cents": "USD",
                          "هلله": "SAR", "هللات": "SAR", "halala": "SAR", "halalas": "SAR",
                          "قرش": "EGP", "قرشا": "EGP", "قروش": "EGP", "piastres": "EGP"}
_CURRENCY_WORDS.update(_CENTS)
_DUALS: dict[str, str] = {"دولارين": "USD", "يوروين": "EUR", "ريالين": "SAR", "درهمين": "AED"}
_SYMBOLS: dict[str, str] = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "₹": "INR", "₦": "NGN",
                            "₩": "KRW", "r$": "BRL"}
# Small number words, so "ستة ملايين دولار" / "six million dollars" still become numbers.
_NUM_WORDS: dict[str, float] = {
    "واحد": 1, "اثنين": 2, "اثنان": 2, "ثلاثه": 3, "ثلاث": 3, "اربعه": 4, "اربع": 4,
    "خمسه": 5, "خمس": 5, "سته": 6, "ست": 6, "سبعه": 7, "سبع": 7, "ثمانيه": 8, "ثماني": 8,
    "تسعه": 9, "تسع": 9, "عشره": 10, "عشر": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30,
    "خمسين": 50, "ثلاثون": 30, "اربعين": 40, "اربعون": 40, "خمسون": 50, "ستين": 60, "ستون": 60,
    "سبعين": 70, "سبعون": 70, "ثمانين": 80, "ثمانون": 80, "تسعين": 90, "تسعون": 90,
    "ميتي": 200, "ميتين": 200, "مايتين": 200, "ميه": 100, "مايه": 100, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100,
}

_NUM = r"(?:\d+(?:[.,]\d+)*|(?:" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True)) + r")(?!\w))"
_SCALE = "|".join(sorted(map(re.escape, _SCALES), key=len, reverse=True))
_CUR = "|".join(sorted(map(re.escape, _CURRENCY_WORDS), key=len, reverse=True))
_SYM = "|".join(sorted(map(re.escape, _SYMBOLS), key=len, reverse=True))
_RANGE = r"(?:\s*(?:-|–|to|الي|و|او|or)\s*)"
# a number starts a token, possibly after one proclitic letter (بـ60 دولاراً → ب60)
_B = r"(?:(?<![\w.])|(?<=(?<![\w.])[وفبلك]))"
_E = r"(?![\w])"  # a word ends


def _starts(*words: str, anywhere: str = "") -> str:
    """Where a match can begin: at a digit or the first letter of one of `words`, and at the
    start of a token (or after one proclitic letter, as `_B` allows), except for the characters
    in `anywhere` (currency symbols). It changes no match — each alternative consumes its first
    character from that set and checks `_B` or a word start there — and lets `re` reject every
    other position at once instead of trying each alternative there, which made these patterns
    the slow part of tagging a long article."""
    first = sorted({w[0].lower() for w in words} | {w[0].upper() for w in words})
    chars = "".join(re.escape(c) for c in first)
    loose = f"|(?=[{re.escape(anywhere)}])" if anywhere else ""
    return rf"(?=[\d{chars}])(?:(?<!\w)|(?<=(?<![\w.])[وفبلك]){loose})"


_DUAL_WORDS = ("دولارين", "يوروين", "ريالين", "درهمين")

# The patterns as written (tests check that the lookahead `_starts` adds changes no match).
PATTERNS: dict[str, str] = {
    # a number (optionally a range, a symbol, a scale word) … or a bare scale word ("ملياري")
    "money": rf"(?:(?:(?P<sym>{_SYM})\s?)?{_B}(?P<n1>{_NUM})(?:{_RANGE}(?:{_SYM})?\s?(?P<n2>{_NUM}))?"
             rf"(?:\s?(?P<scale>{_SCALE}){_E})?"
             rf"|(?<![\w])(?:[وب])?(?P<scale2>{_SCALE}){_E}"
             # dual currency nouns carry their own number: "دولارين" = two dollars
             rf"|(?<![\w])(?:[وب])?(?P<dual>{'|'.join(_DUAL_WORDS)}){_E})"
             rf"(?:\s?(?:من\s)?(?:ال)?(?P<cur>{_CUR}){_E})?",
    "percent": rf"(?:{_B}(?P<n1>{_NUM})(?:{_RANGE}(?P<n2>{_NUM}))?\s?"
               r"(?:%|في\s?الما?يه|بالما?يه|per\s?cent|percent|pct|نقطه\s?مئويه)"
               # right-to-left pages often put the sign first: "بنسبة %17"
               rf"|(?<![\w%])%\s?(?P<n3>\d+(?:[.,]\d+)?)(?![\w%]))",
    "multiplier": rf"{_B}(?P<n1>{_NUM})(?:{_RANGE}(?P<n2>{_NUM}))?\s?"
                  r"(?:مره|مرات|ضعفا|اضعاف|ضعف|times|fold|x|×)(?![\w])",
}
STARTS: dict[str, str] = {
    "money": _starts(*_SYMBOLS, *_NUM_WORDS, *_SCALES, *_DUAL_WORDS, "و", "ب",
                     anywhere="".join(sorted({w[0] for w in _SYMBOLS}))),
    "percent": _starts(*_NUM_WORDS, "%"),
    "multiplier": _starts(*_NUM_WORDS),
}
_MONEY, _PERCENT, _MULT = (re.compile(STARTS[k] + PATTERNS[k], re.IGNORECASE) for k in ("money", "percent", "multiplier"))


_PERCENT_HINT = re.compile(r"%|ميه|مايه|percent|per cent|pct|مئويه", re.IGNORECASE)
_MULT_HINT = re.compile(r"مره|مرات|ضعف|اضعاف|times|fold|\dx|\d\sx|×", re.IGNORECASE)
_MONEY_HINT = re.compile(rf"{_SYM}|{_CUR}", re.IGNORECASE)


def _number(text: str) -> float | None:
    text = text.lower()
    if text in _NUM_WORDS:
        return float(_NUM_WORDS[text])
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")  # 1,000,000
    else:
        text = text.replace(",", ".", 1).replace(",", "")  # 5,58 (decimal comma)
    try:
        return float(text)
    except ValueError:
        return None


def _span_free(taken: list[tuple[int, int]], a: int, b: int) -> bool:
    return all(b <= s or a >= e for s, e in taken)


def find_claims(norm: str, sentence: str) -> list[Claim]:
    """Claims in one normalised sentence; `sentence` is the original text kept as evidence."""
    return [claim for _, claim in find_claims_at(norm, sentence)]


# Substrings without which a kind of claim cannot occur. The tagger feeds them to its
# Aho-Corasick pass (so it knows for free which sentences may hold which claims);
# `find_claims` on its own uses the equivalent regexes below.
HINTS: dict[str, tuple[str, ...]] = {
    # "في المئة" / "بالمئة" (folded: الميه): not a bare ميه, which every -mia word holds (العالمية → العالميه)
    "percent": ("%", " الميه", "فيالميه", "بالميه", " المايه", "فيالمايه", "بالمايه", "percent", "per cent", "pct", "مئويه"),
    "multiplier": ("مره", "مرات", "ضعف", "اضعاف", "times", "fold", "×", *(f"{d}x" for d in range(10)),
                   *(f"{d} x" for d in range(10))),
    "money": (*_SYMBOLS, *(w for w in _CURRENCY_WORDS if len(w) > 2), *_DUALS),
}


def find_claims_at(norm: str, sentence: str, kinds: frozenset[str] | set[str] | None = None) -> list[tuple[int, Claim]]:
    """Like `find_claims`, with each claim's offset in `norm` (rules use it for proximity).
    `kinds`, when given, are the claim kinds whose HINTS occur in `norm` (the caller knows)."""
    return [(start, claim) for start, _, claim in find_claim_spans(norm, sentence, kinds)]


def find_claim_spans(norm: str, sentence: str,
                     kinds: frozenset[str] | set[str] | None = None) -> list[tuple[int, int, Claim]]:
    """Each claim with its [start, end) in `norm` (the evidence highlighter marks the figure)."""
    claims: list[tuple[int, int, Claim]] = []
    taken: list[tuple[int, int]] = []
    if kinds is None:  # cheap guards first: most sentences with a digit hold no claim at all
        kinds = {k for k, rx in (("percent", _PERCENT_HINT), ("multiplier", _MULT_HINT), ("money", _MONEY_HINT))
                 if rx.search(norm)}
    has_percent, has_mult, has_money = "percent" in kinds, "multiplier" in kinds, "money" in kinds
    for m in _PERCENT.finditer(norm) if has_percent else ():
        lo, hi = _number(m["n1"] or m["n3"]), _number(m["n2"]) if m["n2"] else None
        if lo is not None:
            claims.append((m.start(), m.end(), Claim("percent", lo, "%", None, sentence, hi)))
            taken.append(m.span())
    for m in _MULT.finditer(norm) if has_mult else ():
        if not _span_free(taken, *m.span()):
            continue
        lo, hi = _number(m["n1"]), _number(m["n2"]) if m["n2"] else None
        if lo is not None:
            claims.append((m.start(), m.end(), Claim("multiplier", lo, "x", None, sentence, hi)))
            taken.append(m.span())
    for m in _MONEY.finditer(norm) if has_money else ():
        if m["dual"]:
            claims.append((m.start(), m.end(), Claim("money", 2.0, None, _DUALS[m["dual"]], sentence, None)))
            taken.append(m.span())
            continue
        cur = _SYMBOLS.get((m["sym"] or "").lower()) or _CURRENCY_WORDS.get((m["cur"] or "").lower())
        if cur is None or not _span_free(taken, *m.span()):
            continue  # a bare number ("22 مليونا" users) is not a money claim
        scale_word = m["scale"] or m["scale2"]
        scale = _SCALES.get((scale_word or "").lower(), 1.0)
        if scale_word and scale_word.lower() in ("m", "b", "k") and not m["sym"]:
            continue  # "5 m dollars" is too ambiguous without a symbol
        lo = _number(m["n1"]) if m["n1"] else 1.0  # "ملياري دولار" = two billion dollars
        hi = _number(m["n2"]) if m["n2"] else None
        if lo is None:
            continue
        if (m["cur"] or "").lower() in _CENTS:
            scale /= 100
        value = lo * scale
        claims.append(
            (m.start(), m.end(), Claim("money", value, scale_word or None, cur, sentence, hi * scale if hi else None))
        )
        taken.append(m.span())
    return sorted(claims, key=lambda c: c[0])
