"""Words the digest email and the dashboard share: chrome strings, counts, outlet lists, times.

Topic ids are a contract (DESIGN.md); their display names are not. Both sit in
`extractors.core.topics` (the one place the ids are spelled); the templates ask `topic_name`
here instead of spelling names of their own.

Arabic counting follows CLDR's six plural categories, from Babel (`Locale.plural_form`):
zero, one (مقال واحد), two (مقالان), few — 3–10 (3 مقالات), many — 11–99 (11 مقالاً), and other
— 100, 101, 102, 1000 … (100 مقال), with our own word forms per category. Numbers go through
Babel's `format_decimal` (1,000). "3 مقال" or "100 مقالاً" reads as a mistake to an analyst.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_decimal

from extractors.core.topics import TOPIC_NAMES

LANGS = ("ar", "en")

# Chrome strings of the email and the dashboard (the dashboard carries both, for its toggle).
CHROME: dict[str, dict[str, str]] = {
    "ar": {
        "title": "مرصد — الموجز اليومي",
        "dashboard": "مرصد — لوحة المتابعة",
        "brand": "مرصد",
        "about": "تغطية الإعلام العربي لقصة ديب سيك ورقائق الذكاء الاصطناعي",
        "until": "حتى",
        "spike": "قفزة",
        "spikes_lead": "قفزات اليوم",
        "baseline": "المعدل المعتاد",
        "today": "اليوم",
        "no_items": "لا مواد في هذا الموضوع اليوم.",
        "no_topics": "لا تغطية في مواضيعك اليوم.",
        "no_stories": "لا قصص في الموجزات خلال هذه الفترة بعد. شغّل marsad run أولاً.",
        "read": "اقرأ المقال",
        "evidence": "الدليل",
        "more_evidence": "أدلة أخرى",
        "source": "المصدر",
        "outlets": "المنافذ",
        "topics": "المواضيع",
        "story": "القصة",
        "date": "التاريخ",
        "entities": "الكيانات",
        "all": "الكل",
        "topic": "الموضوع",
        "entity": "الكيان",
        "shown": "المعروض",
        "of": "من",
        "csv": "تنزيل الصفوف المعروضة (CSV)",
        "lang_toggle": "English",
        "trend": "الاتجاه خلال 14 يوماً",
        "daily_trend": "الاتجاه اليومي",
        "volume": "حجم التغطية اليومي",
        "volume_note": "كل المقالات المخزنة يومياً، وحصة كل موضوع منها",
        "share": "حصة الموضوع من التغطية",
        "top_outlets": "أبرز المنافذ لكل موضوع (30 يوماً)",
        "top_stories": "أبرز القصص خلال 30 يوماً",
        "footer": "أرسله مرصد تلقائياً. المواضيع المختارة:",
        "local_time": "التوقيت المحلي",
        "published": "نُشر",
        "first_seen": "رُصد",
        "published_unknown": "تاريخ النشر غير معروف",
        "seed_file": "ملف بذرة",
        "health": "صحة المصادر",
        "health_note": "مصادر تأتي عادةً بمقالات ولم تأتِ اليوم بشيء",
        "health_panel_note": "مقالات كل مصدر اليوم مقابل المعتاد (≥ 1 مقال في 10 من آخر 14 يوماً جُلب فيها)؛ التنبيهات أولاً",
        "health_status_ok": "سليم",
        "health_status_silent": "صامت",
        "health_status_errors": "أخطاء فقط",
        "health_status_not_fetched": "لم يُجلب",
        "health_usual": "المعتاد",
        "per_day": "يومياً",
        "on_days": "في {k} من آخر {n} يوماً",
        "articles_today": "مقالات اليوم",
        "status": "الحالة",
        "comma": "، ",
    },
    "en": {
        "title": "Marsad — daily digest",
        "dashboard": "Marsad — monitoring dashboard",
        "brand": "Marsad",
        "about": "Arabic media coverage of the DeepSeek and AI-chip story",
        "until": "up to",
        "spike": "spike",
        "spikes_lead": "Today's spikes",
        "baseline": "usual level",
        "today": "today",
        "no_items": "No items in this topic today.",
        "no_topics": "No coverage in your topics today.",
        "no_stories": "No stories in the digests of this period yet. Run marsad run first.",
        "read": "Read the article",
        "evidence": "Evidence",
        "more_evidence": "More evidence",
        "source": "Source",
        "outlets": "Outlets",
        "topics": "Topics",
        "story": "Story",
        "date": "Date",
        "entities": "Entities",
        "all": "All",
        "topic": "Topic",
        "entity": "Entity",
        "shown": "Shown",
        "of": "of",
        "csv": "Download the rows shown (CSV)",
        "lang_toggle": "العربية",
        "trend": "Trend over 14 days",
        "daily_trend": "Daily trend",
        "volume": "Daily coverage volume",
        "volume_note": "all articles stored per day, and each topic's share of them",
        "share": "Share of coverage",
        "top_outlets": "Top outlets per topic (30 days)",
        "top_stories": "Top stories of the last 30 days",
        "footer": "Sent automatically by Marsad. Your topics:",
        "local_time": "Local time",
        "published": "published",
        "first_seen": "first seen",
        "published_unknown": "publication date unknown",
        "seed_file": "seed file",
        "health": "Source health",
        "health_note": "sources that usually yield articles and yielded none today",
        "health_panel_note": "each source's articles today against its usual (>= 1 article on 10 of the last 14 days it was fetched); alerts first",
        "health_status_ok": "ok",
        "health_status_silent": "silent",
        "health_status_errors": "errors only",
        "health_status_not_fetched": "not fetched",
        "health_usual": "usually",
        "per_day": "a day",
        "on_days": "on {k} of the last {n} days",
        "articles_today": "articles today",
        "status": "status",
        "comma": ", ",
    },
}

# Word forms per CLDR plural category ("{n}" is the formatted number). Arabic zero takes the
# plural noun ("0 مقالات"), as digit counts do in news copy.
_FORMS: dict[str, dict[str, dict[str, str]]] = {
    "ar": {
        "articles": {"zero": "{n} مقالات", "one": "مقال واحد", "two": "مقالان", "few": "{n} مقالات",
                     "many": "{n} مقالاً", "other": "{n} مقال"},
        "outlets": {"zero": "{n} منافذ", "one": "منفذ واحد", "two": "منفذان", "few": "{n} منافذ",
                    "many": "{n} منفذاً", "other": "{n} منفذ"},
        "stories": {"zero": "{n} قصص", "one": "قصة واحدة", "two": "قصتان", "few": "{n} قصص",
                    "many": "{n} قصة", "other": "{n} قصة"},
        "spikes": {"zero": "{n} قفزات", "one": "قفزة واحدة", "two": "قفزتان", "few": "{n} قفزات",
                   "many": "{n} قفزة", "other": "{n} قفزة"},
        "sources": {"zero": "{n} مصادر", "one": "مصدر واحد", "two": "مصدران", "few": "{n} مصادر",
                    "many": "{n} مصدراً", "other": "{n} مصدر"},
        "days": {"zero": "{n} أيام", "one": "يوم واحد", "two": "يومان", "few": "{n} أيام",
                 "many": "{n} يوماً", "other": "{n} يوم"},
        # "… و3 أخرى": the rest of a story's outlets after the ones named
        "others": {"zero": "{n} أخرى", "one": "منفذ آخر", "two": "منفذان آخران", "few": "{n} أخرى",
                   "many": "{n} أخرى", "other": "{n} أخرى"},
    },
    "en": {
        "articles": {"one": "{n} article", "other": "{n} articles"},
        "outlets": {"one": "{n} outlet", "other": "{n} outlets"},
        "stories": {"one": "{n} story", "other": "{n} stories"},
        "spikes": {"one": "{n} spike", "other": "{n} spikes"},
        "sources": {"one": "{n} source", "other": "{n} sources"},
        "days": {"one": "{n} day", "other": "{n} days"},
        "others": {"one": "{n} other", "other": "{n} others"},
    },
}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def topic_name(topic: str, lang: str = "ar") -> str:
    """Display name of a topic id; an unknown id (a future topic) shows as itself."""
    return TOPIC_NAMES.get(lang, TOPIC_NAMES["ar"]).get(topic, topic)


def number(n: int | float, lang: str = "ar") -> str:
    """A number as the chrome language writes it (Latin digits, grouped: 1,000)."""
    return format_decimal(n, locale=lang if lang in LANGS else "ar")


def count_phrase(n: int, noun: str, lang: str = "ar") -> str:
    """"3 مقالات" / "11 مقالاً" / "100 مقال" / "3 articles" for a noun of `_FORMS`."""
    lang = lang if lang in LANGS else "ar"
    forms = _FORMS[lang][noun]
    category = _locale(lang).plural_form(n)
    return forms.get(category, forms["other"]).format(n=number(n, lang))


def outlet_parts(outlets: list[dict], total: int, lang: str = "ar") -> list[tuple[str, object]]:
    """A story's outlets as template parts: ("outlet", {...}) to name and link, ("text", "…")
    between them — "الجزيرة، العربية و3 أخرى" / "Al Jazeera, Al Arabiya and 3 others".

    Up to three outlets are all named; beyond that the first two, then how many others. `total`
    is the story's outlet count (a row built before outlets were listed may name fewer).
    """
    total = max(total, len(outlets))
    named = outlets if total <= 3 else outlets[:2]
    rest = total - len(named)
    items: list[tuple[str, object]] = [("outlet", o) for o in named]
    if rest:
        items.append(("text", count_phrase(rest, "others", lang)))
    comma, conj = ("، ", " و") if lang == "ar" else (", ", " and ")
    parts: list[tuple[str, object]] = []
    for i, item in enumerate(items):
        if i:
            parts.append(("text", conj if i == len(items) - 1 else comma))
        parts.append(item)
    return parts


def _local(ts: datetime, tz: ZoneInfo) -> datetime:
    return (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).astimezone(tz)


def when_parts(published: datetime | None, first_seen: datetime | None, tz: ZoneInfo,
               lang: str = "ar") -> list[tuple[str, str]]:
    """(label, value) pairs saying when a story is from: its publication time, and when Marsad
    first saw it if that was another day — so a February article is never read as today's news.

    A publication time of exactly midnight UTC is a date the page stated without a time: shown
    as a date. With no publication date, the first-seen time stands alone, said to be that.
    """
    t = CHROME[lang if lang in LANGS else "ar"]
    parts: list[tuple[str, str]] = []
    seen = _local(first_seen, tz) if first_seen else None
    if published is not None:
        utc = published if published.tzinfo else published.replace(tzinfo=UTC)
        utc = utc.astimezone(UTC)
        date_only = (utc.hour, utc.minute, utc.second) == (0, 0, 0)
        shown = utc.date() if date_only else _local(utc, tz)
        parts.append((t["published"], shown.isoformat() if date_only else shown.strftime("%Y-%m-%d %H:%M")))
        same_day = seen is not None and (utc.date() if date_only else _local(utc, tz).date()) == seen.date()
        if seen is not None and not same_day:
            parts.append((t["first_seen"], seen.strftime("%Y-%m-%d %H:%M")))
    elif seen is not None:
        parts.append((t["published_unknown"], ""))
        parts.append((t["first_seen"], seen.strftime("%Y-%m-%d %H:%M")))
    return parts
