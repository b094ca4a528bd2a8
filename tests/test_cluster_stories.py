"""`assign_story_ids` on a real DuckDB file: earliest article names the story, ids are stable."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from warehouse.stories import assign_story_ids

DATA = Path(__file__).resolve().parent / "data" / "cluster_arabic.jsonl"
T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def _insert(con, aid, text, seen, source="wire"):
    con.execute(
        "insert into articles (article_id, url, source, title, first_seen_at, lang, text, content_hash)"
        " values (?, ?, ?, ?, ?, 'ar', ?, ?)",
        [aid, f"https://{source}.example/{aid}", source, aid, seen, text, "h" + aid],
    )


@pytest.fixture()
def con(fresh_db):
    c = fresh_db
    yield c


def test_story_id_is_the_earliest_article_and_rerun_changes_nothing(con):
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    # File order, one minute apart — except the copy s04_c, seen five hours before the others.
    for n, r in enumerate(rows):
        seen = T0 + timedelta(minutes=n) - (timedelta(hours=5) if r["id"] == "s04_c" else timedelta())
        _insert(con, r["id"], r["text"], seen)
    changed = assign_story_ids(con)
    assert changed == len(rows)  # every article got an id (stories of one name themselves)
    story = dict(con.execute("select article_id, story_id from articles").fetchall())
    assert story["s04_a"] == story["s04_b"] == story["s04_d"] == "s04_c"
    assert story["d09_a"] == "d09_a"  # a follow-up is its own story
    truth = {r["id"]: r["story"] for r in rows}
    for a, b in [("s02_a", "s02_b"), ("s03_a", "s03_c"), ("s06_a", "s06_d")]:
        assert story[a] == story[b] and truth[story[a]] == truth[a]
    assert assign_story_ids(con) == 0
    assert dict(con.execute("select article_id, story_id from articles").fetchall()) == story


def test_ids_stay_stable_when_the_first_article_leaves_the_window(con):
    rows = {r["id"]: r["text"] for r in map(json.loads, DATA.read_text(encoding="utf-8").splitlines())}
    _insert(con, "first", rows["s01_a"], T0)
    _insert(con, "copy", rows["s01_b"], T0 + timedelta(days=3), "agency")
    assert assign_story_ids(con, window_days=7) == 2
    # Nine days later: "first" is out of the window, "copy" still in it.
    _insert(con, "later", rows["s01_c"], T0 + timedelta(days=9), "late_outlet")
    _insert(con, "other", rows["d02_a"], T0 + timedelta(days=9))
    changed = assign_story_ids(con, window_days=7)
    story = dict(con.execute("select article_id, story_id from articles").fetchall())
    assert story == {"first": "first", "copy": "first", "later": "first", "other": "other"}
    assert changed == 2


def test_empty_warehouse_and_bad_window(con):
    assert assign_story_ids(con) == 0
    with pytest.raises(ValueError):
        assign_story_ids(con, window_days=0)


def test_published_at_decides_the_earliest_article_like_the_digest(con):
    rows = {r["id"]: r["text"] for r in map(json.loads, DATA.read_text(encoding="utf-8").splitlines())}
    _insert(con, "seen_first", rows["s02_a"], T0)
    _insert(con, "published_first", rows["s02_b"], T0 + timedelta(hours=2), "agency")
    con.execute("update articles set published_at = ? where article_id = 'published_first'", [T0 - timedelta(hours=3)])
    assign_story_ids(con)
    story = dict(con.execute("select article_id, story_id from articles").fetchall())
    assert story == {"seen_first": "published_first", "published_first": "published_first"}
