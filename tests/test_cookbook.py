"""Every SQL cookbook query in dashboards/cookbook/*.sql runs on a filled warehouse and answers its question."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.delivery_world import fill
from warehouse.db import open_warehouse

ROOT = Path(__file__).resolve().parents[1]
COOKBOOK = sorted((ROOT / "dashboards" / "cookbook").glob("*.sql"))
EXPECTED = {"topic_trend", "top_outlets_per_topic", "new_entities_this_week", "claims_about_cost",
            "stories_across_most_outlets"}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    with open_warehouse(tmp_path_factory.mktemp("cookbook") / "w.duckdb") as c:
        fill(c)
        # One wire story carried by three outlets, and an entity that appears only this week.
        c.execute("update articles set story_id = 'a112601' where article_id in ('a112601', 'a112603', 'a112605')")
        c.execute("insert into article_entities values ('a112603', 'وزارة التجارة الصينية', 2, null)")
        c.execute("insert into article_claims values ('a112601', 'multiplier', 20, 50, 'times', null, "
                  "'أرخص بعشرين إلى خمسين مرة')")
        yield c


def _run(con, name):
    return con.execute((ROOT / "dashboards" / "cookbook" / f"{name}.sql").read_text(encoding="utf-8")).fetchall()


def test_the_cookbook_has_the_named_queries_each_commented():
    assert {p.stem for p in COOKBOOK} >= EXPECTED
    for p in COOKBOOK:
        first = p.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(f"-- {p.stem}:"), f"{p.name} must start with '-- {p.stem}: what it answers'"
        text = p.read_text(encoding="utf-8")  # tests/test_analyst_recipes.py runs both lines as written
        assert f"-- Run:   marsad sql -f dashboards/cookbook/{p.name}\n" in text
        assert f"-- Or:    duckdb -readonly data/marsad.duckdb < dashboards/cookbook/{p.name}\n" in text


@pytest.mark.parametrize("path", COOKBOOK, ids=lambda p: p.stem)
def test_every_query_runs_and_returns_rows(con, path):
    rows = con.execute(path.read_text(encoding="utf-8")).fetchall()
    assert rows, f"{path.name} returned nothing on a filled warehouse"


def test_topic_trend(con):
    rows = _run(con, "topic_trend")
    assert len(rows) == 30 * 4
    last_day = max(r[0] for r in rows)
    today = {r[1]: r for r in rows if r[0] == last_day}
    assert today["pricing"][2] == 5 and today["pricing"][5] is True  # count and spike flag
    assert today["export_controls"][4] == 2.0  # digest baseline


def test_top_outlets_per_topic(con):
    rows = _run(con, "top_outlets_per_topic")
    for topic in ("export_controls", "pricing"):
        mine = [r for r in rows if r[0] == topic]
        assert [r[1] for r in mine] == list(range(1, len(mine) + 1))
        assert [r[3] for r in mine] == sorted((r[3] for r in mine), reverse=True)
        assert abs(sum(r[5] for r in mine) - 100) < 1


def test_new_entities_this_week(con):
    rows = _run(con, "new_entities_this_week")
    assert [r[0] for r in rows] == ["وزارة التجارة الصينية"]  # the others were seen weeks ago
    assert rows[0][3] == 2


def test_claims_about_cost(con):
    rows = _run(con, "claims_about_cost")
    assert any(r[2] == "money" and r[3] == 6_000_000 and r[5] == "USD" for r in rows)
    assert any(r[2] == "multiplier" and (r[3], r[4]) == (20, 50) for r in rows)
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)


def test_stories_across_most_outlets(con):
    rows = _run(con, "stories_across_most_outlets")
    top = rows[0]
    assert top[0] == "a112601" and top[1] == 3 and top[2] == 3
    assert top[4] == "alarabiya"  # the earliest outlet
    assert top[3] == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
