"""The four topic ids, in contract order, and their display names: the one copy in Python.

The warehouse holds the same list once, in the `topics` table (migration 002) that the digest
SQL, the data checks and the cookbook join; tests/test_topics_agree.py asserts the two agree,
order included. The display names are not a contract (DESIGN.md fixes only the ids), but they
are keyed by id, so they sit here beside the ids rather than spelling the ids again elsewhere;
`dashboards/labels.py` looks them up. What each topic means is `config/topics.toml`.
"""

from __future__ import annotations

TOPICS: tuple[str, ...] = ("export_controls", "pricing", "privacy_bans", "market_impact")

# Display names per language, for every id in TOPICS (a test checks none is missing).
TOPIC_NAMES: dict[str, dict[str, str]] = {
    "ar": {
        "export_controls": "قيود التصدير",
        "pricing": "الأسعار والتكلفة",
        "privacy_bans": "الحظر وحماية الخصوصية",
        "market_impact": "أثر الأسواق",
    },
    "en": {
        "export_controls": "Export controls",
        "pricing": "Pricing and cost",
        "privacy_bans": "Privacy bans",
        "market_impact": "Market impact",
    },
}
