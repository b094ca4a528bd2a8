"""Money, percentage and multiplier claims normalised to numbers (extractors/claims.py)."""

from __future__ import annotations

import pytest

from extractors.core.arabic import normalize
from extractors.tagging.claims import find_claims


def claims(text: str) -> list[tuple]:
    return [(c.kind, c.value, c.value_max, c.currency) for c in find_claims(normalize(text), text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بكلفة لا تتجاوز 6 ملايين دولار", [("money", 6e6, None, "USD")]),
        ("مقابل 5.58 مليون دولار فقط", [("money", 5.58e6, None, "USD")]),
        ("محو ما يقارب من 600 مليار دولار من القيمة السوقية", [("money", 600e9, None, "USD")]),
        ("انخفاض وصل إلى 17 في المئة", [("percent", 17, None, None)]),
        ("هبط السهم ١٧٪", [("percent", 17, None, None)]),
        ("بنسبة 30%", [("percent", 30, None, None)]),
        ("بنسبة %17 تقريباً", [("percent", 17, None, None)]),
        ("٥٫٥٨ مليون دولار", [("money", 5.58e6, None, "USD")]),
        ("6 million US dollars", [("money", 6e6, None, "USD")]),
        ("أرخص بنحو 20 إلى 50 مرة", [("multiplier", 20, 50, None)]),
        ("roughly 27 times cheaper", [("multiplier", 27, None, None)]),
        ("عشرة أضعاف", [("multiplier", 10, None, None)]),
        ("It cost $5.6 million", [("money", 5.6e6, None, "USD")]),
        # dinars and liras: money, the country unknown from the word (round 6)
        ("كلّف نحو 1.2 مليون دينار في عامه الأول", [("money", 1.2e6, None, "DINAR")]),
        ("بسعر 500 ليرة للاشتراك", [("money", 500, None, "LIRA")]),
        # "العالمية" holds ميه (مئة folded): not a percentage, whatever the digits nearby
        ("السوق العالمية 12 شركة", []),
        ("fined €1.2 billion", [("money", 1.2e9, None, "EUR")]),
        ("$700,000 a day", [("money", 700_000, None, "USD")]),
        ("ستة ملايين دولار", [("money", 6e6, None, "USD")]),
        ("إضافة إلى ملياري دولار", [("money", 2e9, None, "USD")]),
        ("مقارنة بـ60 دولاراً", [("money", 60, None, "USD")]),
        ("بتكلفة 50 مليون جنيه", [("money", 50e6, None, "EGP")]),
        ("نحو دولارين للساعة", [("money", 2, None, "USD")]),
        ("نحو 3 ملايين جنيه استرليني", [("money", 3e6, None, "GBP")]),
        ("1 تريليون يوان (حوالي 138 مليار دولار)", [("money", 1e12, None, "CNY"), ("money", 138e9, None, "USD")]),
        ("$0.55 per million input tokens versus $15", [("money", 0.55, None, "USD"), ("money", 15, None, "USD")]),
        ("ستون مليون دولار", [("money", 60e6, None, "USD")]),
        ("مقابل 999 جنيهاً شهرياً", [("money", 999, None, "EGP")]),
        ("بسعر 75 ريالاً", [("money", 75, None, "SAR")]),
        ("مئتي مليون دولار", [("money", 200e6, None, "USD")]),
        ("مئة مليار دولار", [("money", 100e9, None, "USD")]),
        # rands, naira, rupee and real signs, pesos (round 20: AI prices in local currencies)
        ("about 4.20 rand per call", [("money", 4.2, None, "ZAR")]),
        ("غرامة قدرها 766 مليون نايرا", [("money", 766e6, None, "NGN")]),
        ("its flat ₹1,700-a-month plan", [("money", 1700, None, "INR")]),
        ("R$ 50 por mês", [("money", 50, None, "BRL")]),
        ("a ₦15,000 monthly bill", [("money", 15_000, None, "NGN")]),
        ("al mes 200 pesos", [("money", 200, None, "PESO")]),
        # halalas and piastres, hundredths like cents (round 22: a cost per conversation)
        ("تكلف ما بين 6 و9 هللات", [("money", 0.06, pytest.approx(0.09), "SAR")]),
        ("بنحو 50 قرشا للصورة", [("money", 0.5, None, "EGP")]),
        # crore and lakh, as Indian business copy counts rupees (round 34)
        ("the invoice came to 9.8 crore rupees", [("money", 98e6, None, "INR")]),
        ("a bill of 40 lakh rupees", [("money", 4e6, None, "INR")]),
    ],
)
def test_claims_are_normalised(text: str, expected: list[tuple]) -> None:
    got = claims(text)
    assert [(k, pytest.approx(v), m, c) for k, v, m, c in got] == expected


@pytest.mark.parametrize(
    "text",
    ["وصل عدد المستخدمين إلى 22 مليونًا في 20 يومًا", "في عام 2023", "استثمارات ضخمة تجاوزت عشرات المليارات",
     "Model R1 beat o1 on 3 of 5 tests"],
)
def test_numbers_without_currency_or_unit_are_not_claims(text: str) -> None:
    assert claims(text) == []


def test_claim_keeps_original_sentence() -> None:
    sentence = "تبخر أكثر من ١ تريليون دولار من القيمة السوقية."
    (claim,) = find_claims(normalize(sentence), sentence)
    assert claim.sentence == sentence
    assert claim.value == pytest.approx(1e12)


def test_tagger_finds_the_same_claims_as_the_extractor() -> None:
    """The tagger only runs the claim regexes on sentences its automaton flagged; that
    shortcut must never lose a claim that `find_claims` finds on its own."""
    import json
    from pathlib import Path

    from extractors.core.arabic import split_sentences
    from extractors.tagging.tagger import load_tagger

    root = Path(__file__).resolve().parents[1]
    tagger = load_tagger(root / "config")
    extra = ["ستة ملايين دولار", "خمسة في المئة من الأسهم", "أرخص بعشرين مرة", "ملياري دولار", "six times cheaper"]
    with (root / "tests" / "data" / "passages.jsonl").open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()] + extra
    found = 0
    for text in texts:
        expected = [c for s in split_sentences(text) for c in find_claims(normalize(s), s)]
        assert tagger.tag("x", text).claims == expected, text
        found += len(expected)
    assert found > 50


def test_the_start_lookahead_changes_no_match() -> None:
    """Each claim pattern is compiled behind a lookahead naming where a match can begin (the
    speed-up of round 14): on every labelled passage and on the edge cases of where a match
    starts (a symbol mid-word, a proclitic before the number, the sign first, a bare scale
    word), it must find exactly what the pattern alone finds, groups included."""
    import json
    import re
    from pathlib import Path

    from extractors.tagging.claims import PATTERNS, STARTS

    root = Path(__file__).resolve().parents[1]
    texts = ["plus$5 دولار", "x$5", "US$ 5 million", "بنسبة %17", "بـ60 دولاراً", "وملياري دولار", "ب3 مرات",
             "ارتفع 5.5% و3 اضعاف", "a.5 دولار", "5x", "٣٠ في المئة", "دولارين", "وستة ملايين دولار",
             "six million dollars", "€12bn", "20 الى 50 مره", "ك5 دولارات", "الـ5%"]
    for path in sorted((root / "tests" / "data").glob("passages*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    norms = [normalize(t) for t in texts]
    found = 0
    for kind, body in PATTERNS.items():
        fast, plain = re.compile(STARTS[kind] + body, re.IGNORECASE), re.compile(body, re.IGNORECASE)
        for norm in norms:
            got = [(m.span(), m.groupdict()) for m in fast.finditer(norm)]
            assert got == [(m.span(), m.groupdict()) for m in plain.finditer(norm)], (kind, norm[:80])
            found += len(got)
    assert found > 500  # the corpus does exercise the patterns
