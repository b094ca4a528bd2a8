"""Display names and the few chrome strings shared by the digest email and the dashboard.

Topic ids are a contract (DESIGN.md); their display names are not. Both sit in
`extractors.core.topics` (the one place the ids are spelled); the templates ask `topic_name`
here instead of spelling names of their own. Arabic counting phrases follow
the dual / plural / accusative-singular rules, because "3 مقال" reads as a mistake to an
analyst.
"""

from __future__ import annotations

from extractors.core.topics import TOPIC_NAMES

CHROME: dict[str, dict[str, str]] = {
    "ar": {
        "title": "مرصد — الموجز اليومي",
        "brand": "مرصد",
        "spike": "قفزة",
        "spikes_lead": "قفزات اليوم",
        "baseline": "المعدل المعتاد",
        "no_items": "لا مواد في هذا الموضوع اليوم.",
        "no_topics": "لا تغطية في مواضيعك اليوم.",
        "read": "اقرأ المقال",
        "evidence": "الدليل",
        "source": "المصدر",
        "trend": "الاتجاه خلال 14 يوماً",
        "footer": "أرسله مرصد تلقائياً. المواضيع المختارة:",
        "local_time": "التوقيت المحلي",
    },
    "en": {
        "title": "Marsad — daily digest",
        "brand": "Marsad",
        "spike": "spike",
        "spikes_lead": "Today's spikes",
        "baseline": "usual level",
        "no_items": "No items in this topic today.",
        "no_topics": "No coverage in your topics today.",
        "read": "Read the article",
        "evidence": "Evidence",
        "source": "Source",
        "trend": "Trend over 14 days",
        "footer": "Sent automatically by Marsad. Your topics:",
        "local_time": "Local time",
    },
}


def topic_name(topic: str, lang: str = "ar") -> str:
    """Display name of a topic id; an unknown id (a future topic) shows as itself."""
    return TOPIC_NAMES.get(lang, TOPIC_NAMES["ar"]).get(topic, topic)


def _arabic_count(n: int, one: str, two: str, few: str, many: str) -> str:
    if n == 1:
        return one
    if n == 2:
        return two
    if 3 <= n % 100 <= 10:
        return f"{n} {few}"
    return f"{n} {many}"


def count_phrase(n: int, noun: str, lang: str = "ar") -> str:
    """"3 مقالات" / "11 مقالاً" / "3 articles" for noun in articles | outlets | stories | spikes."""
    if lang == "en":
        return f"{n} {noun[:-1] if n == 1 else noun}"
    forms = {
        "articles": ("مقال واحد", "مقالان", "مقالات", "مقالاً"),
        "outlets": ("منفذ واحد", "منفذان", "منافذ", "منفذاً"),
        "stories": ("قصة واحدة", "قصتان", "قصص", "قصة"),
        "spikes": ("قفزة واحدة", "قفزتان", "قفزات", "قفزة"),
        "sources": ("مصدر واحد", "مصدران", "مصادر", "مصدراً"),
    }[noun]
    if n == 0:
        return f"0 {forms[2]}"
    return _arabic_count(n, *forms)
