"""The four topic ids, in contract order: the one copy in Python.

The warehouse holds the same list once, in the `topics` table (migration 002) that the digest
SQL and the data checks join; tests/test_topics_agree.py asserts the two agree. Display names
live with the dashboards (`dashboards/labels.py`), definitions in `config/topics.toml`.
"""

from __future__ import annotations

TOPICS: tuple[str, ...] = ("export_controls", "pricing", "privacy_bans", "market_impact")
