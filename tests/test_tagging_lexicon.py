"""Matcher behaviour added in issue 5 round 2: verbs whose past tense drops a final ى/ا
(هوى → هوت، تهاوى → تهاوت، محا → محت) must match like any other verb, without the stem
matching unrelated words."""

from __future__ import annotations

import pytest

from extractors.core.arabic import normalize
from extractors.tagging.lexicon import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher({"move": ([], ["هوى", "تهاوى", "محا", "ارتفع"])})


def groups(matcher: Matcher, text: str) -> set[str]:
    return {group for group, _, _ in matcher.find(normalize(text))}


@pytest.mark.parametrize("text", ["هوت الأسهم", "وهوت الأسهم", "تهاوت أسهم الرقائق", "فتهاوت", "محت الخسائر",
                                  "محتها موجة البيع", "هووا", "يهوي السهم", "هوى السهم", "ارتفعت"])
def test_defective_verb_forms_match(matcher: Matcher, text: str) -> None:
    assert groups(matcher, text) == {"move"}


@pytest.mark.parametrize("text", ["هوية", "محتوى", "محطة", "هواتف", "الهوت دوغ"])
def test_stem_does_not_match_other_words(matcher: Matcher, text: str) -> None:
    assert groups(matcher, text) == set()


@pytest.fixture(scope="module")
def quoted() -> Matcher:
    return Matcher({"other_reason": (["public morals", "content"], []), "investors": (["investor"], [])})


@pytest.mark.parametrize(("text", "expected"), [
    ("citing 'content that offends public morals'", {"other_reason"}),  # round 32: quotes around a phrase
    ("‘public morals’", {"other_reason"}),
    ("the investors' bets", {"investors"}),  # a plural's possessive apostrophe
    ("Nvidia's investor day", {"investors"}),
    ("malcontent", set()),  # the quote fix adds no prefix
    ("'malcontent'", set()),
])
def test_a_quote_around_a_word_is_no_part_of_it(quoted: Matcher, text: str, expected: set[str]) -> None:
    """Apostrophes belong to words (Nvidia's), so a quote opening or closing a phrase used to
    count as a prefix or an ending, and 'public morals' in single quotes was not found (round 32):
    a block for another reason then read as a privacy ban."""
    assert groups(quoted, text) == expected
