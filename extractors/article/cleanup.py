"""Lines of extracted text that are not the article: the headline again, date and byline
lines, navigation rows, "read also" links, share and copyright lines.

trafilatura keeps headings that sit inside the article's container, so on many templates
(AMP pages among them) the headline comes back as the first line of the text, and the
date/byline/counter lines around it too. The digest shows the title beside the text, and a
repeated headline would be topic evidence twice. These rules work on lines, after
extraction, and only where such lines live:

- a line that *is* the title (Arabic-normalised, with or without the site's name) goes,
  wherever it is among the first lines;
- leading and trailing **meta lines** go: short lines that state a date or time, start with a
  byline word (كتب، بقلم، حوار …), count readers or comments, or are a label (صورة أرشيفية);
  the dates they state are handed back, because they are the article's own date line;
- anywhere: **navigation rows** (three or more short segments between `|`, `•`, ` - `),
  **cross-links** ("اقرأ أيضا: …", "Read more: …") and copyright or share lines.

A line of the article proper (a sentence of eight words or more that is not one of these)
ends the leading zone; nothing after it is touched except the anywhere-rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.article.dates import find_date
from extractors.core.arabic import normalize

META_MAX_WORDS = 14       # a meta line is short …
BODY_MIN_WORDS = 8        # … and a line this long that is none of them is article text
LEADING_ZONE = 6          # first lines examined for the title and meta lines
TRAILING_ZONE = 4

_BYLINE = re.compile(
    r"^(كتب|كتبت|كتبه|بقلم|بواسطة|حوار|إعداد|اعداد|تقرير|ترجمة|تحرير|تصوير|متابعة|المصدر|مراسل|مراسلنا"
    r"|by|written by|reporting by|posted by|von|par)\b[\s:：\-–—]*", re.I)
_META_WORDS = re.compile(
    r"(نشر|تم النشر|تم نشره|نشر في|بتاريخ|التاريخ|آخر تحديث|اخر تحديث|تحديث|محدثة|منذ|قبل|ساعة|ساعات|دقيقة|دقائق"
    r"|يوم|أيام|ايام|العدد|عدد القراءات|قراءات|قراءة|مشاهدة|مشاهدات|تعليق|تعليقات|بتوقيت|غرينتش|جرينتش"
    r"|الأحد|الاحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت|صباحا|صباحاً|مساء|مساءً|مساءا"
    r"|\b(?:updated|published|posted|comments?|views?|min read|gmt|utc|am|pm)\b)", re.I)
_HIJRI = re.compile(r"(محرم|صفر|ربيع الأول|ربيع الاول|ربيع الثاني|ربيع الآخر|جمادى الأولى|جمادى الاولى|جمادى الآخرة"
                    r"|جمادى الثانية|رجب|شعبان|رمضان|شوال|ذو القعدة|ذي القعدة|ذو الحجة|ذي الحجة)")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\s*(ص|م|am|pm)?\b", re.I)
_DIGITS = re.compile(r"[\d٠-٩]+")
_LABELS = re.compile(r"^(صورة|الصورة|صور|أرشيفية|ارشيفية|صورة أرشيفية|صورة تعبيرية|أرشيف|فيديو|عاجل|photo|file photo)\b", re.I)
_CROSS_LINK = re.compile(r"^\s*(اقرأ أيضا|اقرأ أيضاً|إقرأ أيضا|إقرأ أيضاً|اقرأ ايضا|إقرأ ايضا|اقرأ المزيد|إقرأ المزيد"
                         r"|شاهد أيضا|شاهد أيضاً|شاهد ايضا|طالع أيضا|طالع أيضاً|مواضيع ذات صلة|أخبار ذات صلة"
                         r"|read more|read also|see also|related)\s*[:：\-–—]?", re.I)
_TRAILER = re.compile(r"(جميع الحقوق محفوظة|كل الحقوق محفوظة|حقوق النشر|all rights reserved|©|copyright"
                      r"|^شارك|^شاركها|^مشاركة|^share\b|^الوسوم|^الكلمات المفتاحية|^كلمات مفتاحية|^tags\s*:|^تابعونا|^تابعنا|^تابعوا"
                      r"|^follow us)", re.I)
_NAV_SPLIT = re.compile(r"\s[|•·]\s|\s\|\s*|\s*\|\s|\s[-–]\s")
_SENTENCE_END = re.compile(r"[.!?؟。]\s*[\"»”']?\s*$")


@dataclass
class Cleaned:
    """The kept text plus what was learnt on the way (dates the dropped meta lines state)."""

    text: str
    dropped: list[str] = field(default_factory=list)
    meta_dates: list[str] = field(default_factory=list)


def line_key(line: str) -> str:
    """A comparison key: Arabic-normalised, digits folded to 0, punctuation and spaces dropped."""
    return _DIGITS.sub("0", re.sub(r"[\W_]+", "", normalize(line)))


def _title_keys(title: str | None, site_name: str | None) -> set[str]:
    if not title:
        return set()
    keys = {line_key(title)}
    for part in re.split(r"\s+[-|–—:]{1,2}\s+|\s*::\s*", title):
        if len(part.split()) >= 3:
            keys.add(line_key(part))
    if site_name:
        keys.add(line_key(f"{site_name} {title}"))
        keys.add(line_key(f"{title} {site_name}"))
    return {k for k in keys if len(k) >= 8}


def is_title_line(line: str, keys: set[str]) -> bool:
    key = line_key(line)
    return bool(key) and (key in keys or any(k in key and len(key) <= len(k) + 24 for k in keys))


def is_meta_line(line: str) -> bool:
    """A short line that is a date, a byline, a counter or a label, not a sentence."""
    words = line.split()
    if not words or len(words) > META_MAX_WORDS:
        return False
    if _BYLINE.match(line) or _LABELS.match(line):
        return True
    has_date = bool(find_date(line) or _HIJRI.search(line) or _TIME.search(line))
    if not (has_date or _META_WORDS.search(line)):
        return False
    rest = _HIJRI.sub(" ", _META_WORDS.sub(" ", _TIME.sub(" ", _DIGITS.sub(" ", line))))
    rest_words = [w for w in re.split(r"[\W_]+", rest) if len(w) > 1]
    # what remains after the date and counter words is a month name or a label, not prose
    return len(rest_words) <= (4 if has_date else 2)


def is_nav_line(line: str) -> bool:
    """Three or more short segments between separators: a menu that survived as text.

    A row of a data table ("| a | b | c |", how trafilatura writes the tables it keeps) is
    not one: layout tables never get that far (`layout.strip_layout`).
    """
    if line.startswith("|") and line.endswith("|"):
        return False
    parts = [p for p in _NAV_SPLIT.split(line) if p.strip()]
    return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts) and not _SENTENCE_END.search(line)


def is_cross_link(line: str) -> bool:
    return bool(_CROSS_LINK.match(line)) and len(line.split()) <= 25


def is_trailer(line: str) -> bool:
    return len(line.split()) <= 20 and bool(_TRAILER.search(line))


def _is_body(line: str) -> bool:
    return len(line.split()) >= BODY_MIN_WORDS and not is_meta_line(line)


def clean_text(text: str, title: str | None = None, site_name: str | None = None) -> Cleaned:
    """Drop the title, meta, navigation, cross-link and trailer lines of an extracted text."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    keys = _title_keys(title, site_name)
    drop = [False] * len(lines)
    leading_meta: list[str] = []
    # leading zone: up to the first line of prose
    for i, line in enumerate(lines[:LEADING_ZONE]):
        if is_title_line(line, keys):
            drop[i] = True
        elif is_meta_line(line):
            drop[i] = True
            leading_meta.append(line)
        elif _is_body(line):
            break
    # trailing zone: from the end, up to the last line of prose
    for back in range(1, min(TRAILING_ZONE, len(lines)) + 1):
        i = len(lines) - back
        line = lines[i]
        if drop[i]:
            continue
        if is_trailer(line) or is_meta_line(line) or is_title_line(line, keys):
            drop[i] = True
        elif _is_body(line):
            break
    for i, line in enumerate(lines):
        if not drop[i] and (is_nav_line(line) or is_cross_link(line) or is_trailer(line)):
            drop[i] = True
    kept = [line for line, gone in zip(lines, drop, strict=True) if not gone]
    if not kept:  # a page that is nothing but such lines keeps what it had (the caller judges it)
        return Cleaned(text="\n".join(lines))
    return Cleaned(text="\n".join(kept), dropped=[line for line, gone in zip(lines, drop, strict=True) if gone],
                   meta_dates=list(reversed(leading_meta)))  # nearest the body first
