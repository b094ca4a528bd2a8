"""Local calendar days in the digest time zone: the one definition of "today" and of a day's window.

The digest of date D covers the articles first seen on D *in the digest time zone* (DESIGN.md),
so "today" and "the hours of day D" are facts every room needs: the warehouse builds the digest
for a window, the dashboards count within the same windows, the CLI and the daily run pick
today's date. They are computed here once, DST-safe (a local day is 23 or 25 hours long across
a clock change), so the numbers in the email, the dashboard and the digest tables agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def _zone(tz: ZoneInfo | str) -> ZoneInfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def today_in(tz: ZoneInfo | str, now: datetime | None = None) -> date:
    """The calendar date it is now (or at `now`) in time zone `tz`."""
    return (now or datetime.now(UTC)).astimezone(_zone(tz)).date()


def day_bounds(day: date, tz: ZoneInfo | str) -> tuple[datetime, datetime]:
    """UTC [start, end) of the local calendar day `day` in time zone `tz`."""
    zone = _zone(tz)
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end
