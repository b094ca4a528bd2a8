"""Topic ids exist once in Python (`extractors.core.topics.TOPICS`) and once in the warehouse
(the `topics` table of migration 002), the two agree, order included, and nothing else in the
code spells them: SQL joins the table, Python imports the tuple."""

from __future__ import annotations

import re
from pathlib import Path

from dashboards.labels import topic_name
from extractors.core.topics import TOPIC_NAMES, TOPICS

ROOT = Path(__file__).resolve().parents[1]
# The two homes of the ids; config/ (the taxonomy), docs and test data speak about topics freely.
HOMES = {ROOT / "extractors" / "core" / "topics.py", ROOT / "warehouse" / "migrations" / "002_topics.sql"}
CODE = ("extractors", "warehouse", "dashboards", "flows", "bench", "scripts")


def test_the_topics_table_equals_TOPICS_in_order(fresh_db):
    rows = fresh_db.execute("select topic, position from topics order by position").fetchall()
    assert [t for t, _ in rows] == list(TOPICS)
    assert [p for _, p in rows] == list(range(1, len(TOPICS) + 1))


def test_every_topic_has_a_display_name_in_each_language():
    for lang, names in TOPIC_NAMES.items():
        assert set(names) == set(TOPICS), lang
        assert all(topic_name(t, lang) != t for t in TOPICS)


def test_no_other_file_spells_the_topic_ids():
    """No list of the ids anywhere else, and no id outside its homes unless it is a plain word.

    `pricing` is also an English word (docstrings use it), and an analyst's recipe about one
    topic (`dashboards/cookbook/claims_about_cost.sql`: `where topic = 'pricing'`) asks a
    question of that topic rather than listing the taxonomy; so: a file may name at most one
    id, and the ids that are no English word (`export_controls`, …) appear nowhere else.
    """
    ids = {t: re.compile(rf"\b{t}\b") for t in TOPICS}
    offenders = []
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".sql", ".j2") or path in HOMES:
                continue
            text = path.read_text(encoding="utf-8")
            named = sorted(t for t, rx in ids.items() if rx.search(text))
            if len(named) > 1 or any("_" in t for t in named):
                offenders.append(f"{path.relative_to(ROOT)}: {', '.join(named)}")
    assert offenders == [], "join the `topics` table (SQL) or import TOPICS (Python):\n" + "\n".join(offenders)
