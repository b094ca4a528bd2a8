"""Counting words: CLDR plural categories via Babel (Arabic has six), and outlet lists."""

from __future__ import annotations

import pytest

from dashboards.labels import count_phrase, outlet_parts
from dashboards.shown import Outlet

ARABIC = {
    0: "0 مقالات", 1: "مقال واحد", 2: "مقالان", 3: "3 مقالات", 10: "10 مقالات", 11: "11 مقالاً",
    100: "100 مقال", 101: "101 مقال", 102: "102 مقال", 1000: "1,000 مقال",
}
ENGLISH = {0: "0 articles", 1: "1 article", 2: "2 articles", 3: "3 articles", 10: "10 articles",
           11: "11 articles", 100: "100 articles", 101: "101 articles", 102: "102 articles", 1000: "1,000 articles"}


@pytest.mark.parametrize("n", sorted(ARABIC))
def test_arabic_article_counts_follow_cldr(n):
    assert count_phrase(n, "articles", "ar") == ARABIC[n]


@pytest.mark.parametrize("n", sorted(ENGLISH))
def test_english_article_counts(n):
    assert count_phrase(n, "articles", "en") == ENGLISH[n]


def test_other_nouns_take_their_own_forms():
    assert [count_phrase(n, "outlets") for n in (1, 2, 5, 11, 100)] == [
        "منفذ واحد", "منفذان", "5 منافذ", "11 منفذاً", "100 منفذ"]
    assert [count_phrase(n, "stories") for n in (2, 3, 11, 101)] == ["قصتان", "3 قصص", "11 قصة", "101 قصة"]
    assert count_phrase(30, "days") == "30 يوماً" and count_phrase(90, "days", "en") == "90 days"


def _names(parts, lang):
    return "".join(p.name(lang) if kind == "outlet" else p for kind, p in parts)


OUT = [Outlet(i, ar, en, None) for i, ar, en in [("a", "الجزيرة", "Al Jazeera"), ("b", "العربية", "Al Arabiya"),
                                                ("c", "الحرة", "Alhurra"), ("d", "سكاي", "Sky"), ("e", "بي بي سي", "BBC")]]


def test_a_story_names_its_outlets_and_counts_the_rest():
    assert _names(outlet_parts(OUT, 5, "ar"), "ar") == "الجزيرة، العربية و3 أخرى"
    assert _names(outlet_parts(OUT, 5, "en"), "en") == "Al Jazeera, Al Arabiya and 3 others"
    assert _names(outlet_parts(OUT[:4], 4, "ar"), "ar") == "الجزيرة، العربية ومنفذان آخران"
    assert _names(outlet_parts(OUT[:3], 3, "ar"), "ar") == "الجزيرة، العربية والحرة"
    assert _names(outlet_parts(OUT[:2], 2, "en"), "en") == "Al Jazeera and Al Arabiya"
    assert _names(outlet_parts(OUT[:1], 1, "en"), "en") == "Al Jazeera"
    # a row that names fewer outlets than it counts (built before outlet lists) says how many more
    assert _names(outlet_parts(OUT[:1], 3, "en"), "en") == "Al Jazeera and 2 others"
