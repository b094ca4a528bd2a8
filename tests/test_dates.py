"""find_date: the first full date an article states, in English or Arabic, as UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.article.dates import find_date

ROOT = Path(__file__).resolve().parents[1]


def utc(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sunday, February 2, 2025", utc(2025, 2, 2)),
        ("Updated: February 2nd 2025 at noon", utc(2025, 2, 2)),
        ("2 Feb. 2025", utc(2025, 2, 2)),
        ("the 14 of March, 2024 meeting", utc(2024, 3, 14)),
        ("الأحد 2 فبراير 2025", utc(2025, 2, 2)),
        ("نشر في ٢ شباط ٢٠٢٥ الساعة ١٠", utc(2025, 2, 2)),
        ("١٥ كانون الثاني ٢٠٢٤", utc(2024, 1, 15)),
        ("3 أيلول 2023", utc(2023, 9, 3)),
        ("12 تشرين الأول 2023", utc(2023, 10, 12)),
        ("في 12 إبريل 2025", utc(2025, 4, 12)),
        ("في 12 أبريل، 2025", utc(2025, 4, 12)),
        ("٢٠ من أكتوبر، ٢٠٢٤", utc(2024, 10, 20)),
        ("5 جانفي 2025", utc(2025, 1, 5)),
        ("28 يناير/كانون الثاني 2025", utc(2025, 1, 28)),
        ("4 آب 2020", utc(2020, 8, 4)),
        ("٤ آب ٢٠٢٠", utc(2020, 8, 4)),
        ("updated 2025-02-03T10:20:00Z", utc(2025, 2, 3, 10, 20)),
        ("2025-02-03T10:20:00+03:00", utc(2025, 2, 3, 7, 20)),
        ("x 2025/2/3 y", utc(2025, 2, 3)),
        ("القاهرة 02/03/2025", utc(2025, 3, 2)),  # day first, as Arabic papers write it
    ],
)
def test_dates_found(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "فبراير 2025",  # month and year only: not a publication date
        "تأسست في عام 2023، حتى يناير 2024",
        "1446 هـ 5 محرم",  # Hijri: outside the accepted years
        "31 فبراير 2025",  # no such day
        "version 2025.13.40",
        "يبلغ سعر السهم 120 دولاراً",
    ],
)
def test_no_date(text):
    assert find_date(text) is None


def test_first_date_in_the_text_wins():
    text = "كتب في 1 مارس 2025. وكان الحدث في 15 January 2024 و2023-05-01."
    assert find_date(text) == utc(2025, 3, 1)
    assert find_date("On 2024-05-01 then 3 مارس 2025") == utc(2024, 5, 1)


def test_result_is_timezone_aware_utc():
    value = find_date("2 فبراير 2025")
    assert value is not None and value.tzinfo is not None and value.utcoffset().total_seconds() == 0


def test_seed_004_states_its_date():
    seed = next((ROOT / "seeds").glob("004_*.txt"), None)
    if seed is None:
        pytest.skip("seeds/004_*.txt is not in this checkout")
    assert find_date(seed.read_text("utf-8")) == utc(2025, 2, 2)
