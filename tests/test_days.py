"""Local calendar days in the digest time zone: today's date and a day's UTC window (DST-safe)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from extractors.core.days import day_bounds, today_in
from warehouse.digest import window


def test_day_bounds_follow_dst():
    start, end = day_bounds(date(2026, 3, 29), "Europe/London")  # clocks go forward
    assert (end - start).total_seconds() == 23 * 3600
    start, end = day_bounds(date(2026, 11, 26), "Asia/Riyadh")
    assert start == datetime(2026, 11, 25, 21, 0, tzinfo=UTC) and (end - start).total_seconds() == 24 * 3600


def test_today_is_the_local_date():
    late_utc = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)  # 01:30 on the 26th in Riyadh
    assert today_in("Asia/Riyadh", late_utc) == date(2026, 11, 26)
    assert today_in("UTC", late_utc) == date(2026, 11, 25)


def test_the_digest_window_is_the_same_day():
    w = window(date(2026, 11, 26), "Asia/Riyadh")
    assert (w.start, w.end) == day_bounds(date(2026, 11, 26), "Asia/Riyadh")
    assert w.history_start == day_bounds(date(2026, 11, 12), "Asia/Riyadh")[0]
