"""Arabic normalisation, sentence splitting and clitic-aware matching (extractors/arabic.py,
extractors/lexicon.py): the ground every topic rule stands on."""

from __future__ import annotations

import random
import re

import pytest

from extractors.core.arabic import normalize, normalize_digits, normalize_lines, split_sentences
from extractors.core.errors import ConfigError
from extractors.tagging.lexicon import Matcher


def groups(matcher: Matcher, text: str) -> set[str]:
    return {group for group, _, _ in matcher.find(normalize(text))}


def test_normalize_folds_spelling_digits_and_case() -> None:
    assert normalize("إنفيديا") == normalize("انفيديا") == normalize("أنفيديا")
    assert normalize("الصينيّة") == normalize("الصينيه")
    assert normalize("مستشفى") == normalize("مستشفي")
    assert normalize("قيـــود") == "قيود"
    assert normalize("١٧٪") == "17%"
    assert normalize("  DeepSeek\n  R1 ") == "deepseek r1"
    assert normalize_digits("٢٠٢٥ و۳") == "2025 و3"


def test_normalize_lines_matches_normalize_per_line() -> None:
    lines = ["أعلنت «إنفيديا»   انخفاضاً بـ١٧٪", "Nvidia's SHARES fell", "", "ثم؟"]
    assert normalize_lines(lines) == [normalize(x) for x in lines]


def test_normalize_lines_collapses_every_kind_of_whitespace_like_str_split() -> None:
    """The fast path (nothing to collapse: the lines are returned as split) must give what
    `" ".join(line.split())` gives, whichever whitespace a site uses (NBSP, ideographic space,
    tabs, U+2028, the C0 separators, runs, leading or trailing)."""
    rng = random.Random(5)
    alphabet = [*"ab عي", " ", "  ", "\t", "\u00a0", "\u3000", "\u2028", "\x1c", "\x85", "\u200b", "İ"]
    for _ in range(20_000):
        lines = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 10))) for _ in range(rng.randrange(1, 4))]
        assert normalize_lines(lines) == [normalize(x.replace("\u200b", "")) for x in lines], lines


def test_normalize_lines_drops_invisible_marks_inside_words() -> None:
    assert normalize_lines(["ديب\u200cسيك و\u200fإنفيديا\ufeff"]) == ["ديبسيك وانفيديا"]
    # the Arabic letter mark, a soft hyphen and a word joiner too (round 32)
    assert normalize_lines(["حظ\u061cرت إيطا\u00adليا ديب\u2060سيك"]) == ["حظرت ايطاليا ديبسيك"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U.S. officials said it cost $5.58 million. Shares fell.",
         ["U.S. officials said it cost $5.58 million.", "Shares fell."]),
        ("قال المتحدث: «هذا قرار نهائي». ثم غادر؟ نعم", ["قال المتحدث: «هذا قرار نهائي».", "ثم غادر؟", "نعم"]),
        ("بلغت 5.58 مليون دولار؛ وهذا رقم صغير", ["بلغت 5.58 مليون دولار؛", "وهذا رقم صغير"]),
        ("سطر أول\nسطر ثان", ["سطر أول", "سطر ثان"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_sentence_ends_are_those_of_the_plain_pattern() -> None:
    """The sentence-end regex is written for speed (one leading character class); it must find
    exactly the spans of the plain alternation it replaced, on any mix of its characters."""
    from extractors.core.arabic import _SENT_END

    plain = re.compile(r"(?:[.!?؟…]+|[;؛])[\"'”’»)\]]*(?=\s|$)|\n+")
    rng = random.Random(7)
    alphabet = list(".!?؟…;؛\n \"'”’»)]ab ع\t")
    for _ in range(50_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        assert [m.span() for m in _SENT_END.finditer(text)] == [m.span() for m in plain.finditer(text)], repr(text)


def test_sentences_keep_original_spelling() -> None:
    text = "فرضت واشنطن قيوداً جديدة على تصدير الرقائق. وتراجعت أسهم «إنفيديا» ١٧٪."
    assert "".join(split_sentences(text)).replace(" ", "") == text.replace(" ", "")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher({
        "restriction": (["القيود", "ضوابط التصدير", "ban", "price", "company", "شريحة"], ["حظر", "ارتفع"]),
        "share": (["سهم"], []),
        "exact": (["=ين"], []),
        "star": (["tariff*"], []),
    })


@pytest.mark.parametrize("text", ["القيود", "وبالقيود", "قيوداً", "والقيود", "للقيود", "فبالقيود"])
def test_one_entry_matches_its_clitic_forms(matcher: Matcher, text: str) -> None:
    assert groups(matcher, text) == {"restriction"}


@pytest.mark.parametrize("text", ["شريحتين", "الشريحة", "بشريحتها", "شرائحها"])
def test_feminine_and_dual_forms(matcher: Matcher, text: str) -> None:
    # broken plurals (شرائح) are different words and must be listed separately
    assert (groups(matcher, text) == {"restriction"}) is (text != "شرائحها")


@pytest.mark.parametrize("text", ["ضوابط تصدير", "وضوابط التصدير", "بضوابط التصدير"])
def test_multi_word_entries_tolerate_article_and_clitics(matcher: Matcher, text: str) -> None:
    assert "restriction" in groups(matcher, text)


@pytest.mark.parametrize("text", ["bans", "banned", "banning", "BAN", "prices", "priced", "pricing", "companies"])
def test_english_inflection_and_case(matcher: Matcher, text: str) -> None:
    assert groups(matcher, text) == {"restriction"}


def test_first_word_of_a_phrase_may_carry_a_pronoun() -> None:
    m = Matcher({"ai": (["مساعد ذكي", "تكلفة التدريب"], [])})
    assert groups(m, "أطلقت مساعدها الذكي") == {"ai"}
    assert groups(m, "وبلغت تكلفتها التدريب") == {"ai"}
    assert groups(m, "مساعدتها الذكية") == set()  # another word (help), not the phrase


def test_english_hyphen_and_space_variants() -> None:
    m = Matcher({"ec": (["export control", "sell-off"], [])})
    assert groups(m, "new export-control rules") == {"ec"}
    assert groups(m, "a broad sell off") == {"ec"}


@pytest.mark.parametrize("text", ["banana", "urban", "caban", "priceless-ish", "compan"])
def test_english_substrings_are_not_words(matcher: Matcher, text: str) -> None:
    assert "restriction" not in groups(matcher, text)


@pytest.mark.parametrize("text", ["يحظر", "تحظر", "ستحظر", "حظرت", "وحظروا", "يرتفع", "ارتفعت"])
def test_verbs_take_person_prefixes_and_endings(matcher: Matcher, text: str) -> None:
    assert groups(matcher, text) == {"restriction"}


def test_nouns_do_not_take_verb_prefixes(matcher: Matcher) -> None:
    assert groups(matcher, "وسهمها") == {"share"}
    assert groups(matcher, "يسهم في النمو") == set()  # "contributes", not "a share"


def test_exact_and_star_entries(matcher: Matcher) -> None:
    assert groups(matcher, "ين ياباني") == {"exact"}
    assert groups(matcher, "بين") == set()
    assert groups(matcher, "tariffs tariffed") == {"star"}


def test_bad_terms_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="non-empty string"):
        Matcher({"x": ([""], [])})
    with pytest.raises(ConfigError, match="empty after normalisation"):
        Matcher({"x": (["ـــ"], [])})
