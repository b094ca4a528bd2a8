"""Small trend charts with no plotting dependency: a PNG for email, an SVG for the dashboard.

Mail clients differ: Gmail and Outlook drop inline SVG, but all of them show a PNG attached
inline (`cid:`). A daily-count bar chart is only rectangles, so we rasterise it ourselves and
encode the PNG with `zlib` — a few hundred bytes per topic, deterministic, and no native
library or headless browser in the delivery path. The dashboard runs in a browser, where SVG
is crisp, so it gets SVG markup built from the same series. All text in the SVG comes through
the caller's autoescaping template; this module only emits numbers.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

BAR = (91, 120, 150)       # a quiet slate blue: normal days
SPIKE = (200, 60, 40)      # red: a day flagged as a spike
LAST = (30, 60, 100)       # dark blue: the digest day itself when it is not a spike
BASE = (190, 190, 190)     # grey line: the baseline
BACKGROUND = (255, 255, 255)


@dataclass(frozen=True)
class Point:
    day: date
    count: int
    is_spike: bool = False


def _png(width: int, height: int, rows: list[bytearray]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(row) for row in rows)  # filter type 0 on every scanline
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def png_bars(
    series: Sequence[Point],
    *,
    baseline: float | None = None,
    bar_width: int = 10,
    gap: int = 3,
    height: int = 48,
    rtl: bool = False,
) -> bytes:
    """A bar chart of daily counts as PNG bytes; spikes red, the last day dark, baseline grey.

    With `rtl=True` the newest day is on the left, as an Arabic reader scans a timeline.
    """
    points = list(reversed(series)) if rtl else list(series)
    n = max(len(points), 1)
    width = n * (bar_width + gap) + gap
    top = max([p.count for p in points] + [baseline or 0, 1])
    pad = 2
    usable = height - 2 * pad
    rows = [bytearray(BACKGROUND * width) for _ in range(height)]
    last_index = 0 if rtl else len(points) - 1
    for i, p in enumerate(points):
        colour = SPIKE if p.is_spike else (LAST if i == last_index else BAR)
        bar_h = max(1, round(usable * p.count / top)) if p.count > 0 else 0
        x0 = gap + i * (bar_width + gap)
        for y in range(height - pad - bar_h, height - pad):
            rows[y][x0 * 3:(x0 + bar_width) * 3] = bytes(colour) * bar_width
    if baseline is not None and baseline > 0:
        y = height - pad - max(1, round(usable * baseline / top))
        for x in range(0, width, 2):  # dotted, so it reads as a reference line, not a bar top
            rows[y][x * 3:x * 3 + 3] = bytes(BASE)
    return _png(width, height, rows)


@dataclass(frozen=True)
class SvgBar:
    x: float
    y: float
    width: float
    height: float
    day: str
    count: int
    is_spike: bool


@dataclass(frozen=True)
class SvgChart:
    """Geometry for a template to draw: bars plus spike markers, in a `width`×`height` box."""

    width: int
    height: int
    bars: list[SvgBar]
    max_count: float
    baseline_y: float | None


def svg_bars(
    series: Sequence[Point],
    *,
    width: int = 600,
    height: int = 120,
    baseline: float | None = None,
) -> SvgChart:
    """Bar geometry for an inline SVG trend chart (oldest day on the left, like the x axis)."""
    n = max(len(series), 1)
    step = width / n
    top = max([p.count for p in series] + [baseline or 0, 1])
    pad_top, pad_bottom = 14, 2  # room above the tallest bar for a spike marker
    usable = height - pad_top - pad_bottom
    bars = []
    for i, p in enumerate(series):
        h = usable * p.count / top
        bars.append(
            SvgBar(
                x=round(i * step + step * 0.1, 2),
                y=round(height - pad_bottom - h, 2),
                width=round(max(step * 0.8, 1), 2),
                height=round(h, 2),
                day=p.day.isoformat(),
                count=p.count,
                is_spike=p.is_spike,
            )
        )
    base_y = round(height - pad_bottom - usable * baseline / top, 2) if baseline else None
    return SvgChart(width=width, height=height, bars=bars, max_count=top, baseline_y=base_y)
