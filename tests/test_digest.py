"""The digest SQL on a real temp DuckDB: time-zone window, story collapse, ranking, spikes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from extractors.core.records import Article, TagResult, TopicTag
from warehouse import load
from warehouse.checks import run_checks
from warehouse.digest import build_digest, window

TZ = "Asia/Riyadh"
D = date(2026, 11, 26)


def add(con, aid, seen, topic="pricing", score=1.0, source="s1", story=None, version="v1"):
    a = Article(article_id=aid, url=f"https://{source}.example/{aid}", canonical_url=f"https://{source}.example/{aid}",
                source=source, title=f"عنوان {aid}", text=f"نص {aid}", lang="ar", content_hash=f"h{aid}")
    load.load_articles(con, [a], run_id="r", seen_at=seen)
    if story:
        con.execute("update articles set story_id = ? where article_id = ?", [story, aid])
    load.load_tags(con, [TagResult(aid, [TopicTag(topic, score, [f"دليل {aid}"])])], taxonomy_version=version, topics_toml="")


def items(con, day=D, topic="pricing"):
    return con.execute("select rank, article_id, outlets, evidence from digest_items where digest_date = ? and topic = ? "
                       "order by rank", [day, topic]).fetchall()


def test_window_is_the_local_day():
    w = window(D, TZ)
    assert w.start == datetime(2026, 11, 25, 21, 0, tzinfo=UTC)
    assert w.end - w.start == timedelta(days=1)


def test_day_boundary_follows_the_digest_time_zone(fresh_db):
    con = fresh_db
    add(con, "late", datetime(2026, 11, 25, 22, 30, tzinfo=UTC))   # 01:30 on the 26th in Riyadh
    add(con, "early", datetime(2026, 11, 25, 20, 30, tzinfo=UTC))  # 23:30 on the 25th in Riyadh
    assert build_digest(con, D, tz=TZ, top_n=5)["pricing"] == 1
    assert [r[1] for r in items(con)] == ["late"]
    assert build_digest(con, D, tz="UTC", top_n=5)["pricing"] == 0


def test_story_listed_once_with_outlets_and_ranked_first(fresh_db):
    t = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    con = fresh_db
    for k, src in enumerate(["s1", "s2", "s3"]):
        add(con, f"wire{k}", t + timedelta(minutes=10 * (2 - k)), score=1.0, source=src, story="story-w")
    add(con, "solo", t, score=5.0, source="s4")
    counts = build_digest(con, D, tz=TZ, top_n=5)
    got = items(con)
    topics = dict(con.execute("select topic, stories from digest_topics where digest_date = ?", [D]).fetchall())
    assert counts["pricing"] == 4 and topics["pricing"] == 2
    assert [(r[0], r[1], r[2]) for r in got] == [(1, "wire2", 3), (2, "solo", 1)]  # earliest of the wire copies leads
    assert got[0][3] == "دليل wire2"


def test_top_n_and_rebuild_replaces_rows(fresh_db):
    t = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    con = fresh_db
    for k in range(4):
        add(con, f"a{k}", t, score=float(k))
    build_digest(con, D, tz=TZ, top_n=3)
    first = items(con)
    build_digest(con, D, tz=TZ, top_n=3)
    assert items(con) == first and [r[1] for r in first] == ["a3", "a2", "a1"]
    add(con, "a9", t, score=9.0)
    build_digest(con, D, tz=TZ, top_n=3)
    assert [r[1] for r in items(con)] == ["a9", "a3", "a2"]
    assert con.execute("select count(*) from digest_topics").fetchall()[0][0] == 4
    assert run_checks(con) == {}


def test_spike_against_trailing_median(fresh_db):
    con = fresh_db
    for back in range(1, 11):  # one article a day for ten days before D
        add(con, f"h{back}", datetime(2026, 11, 26, 6, tzinfo=UTC) - timedelta(days=back), topic="market_impact")
    for k in range(8):
        add(con, f"d{k}", datetime(2026, 11, 26, 6, tzinfo=UTC), topic="market_impact", source=f"s{k}")
    add(con, "p1", datetime(2026, 11, 26, 6, tzinfo=UTC), topic="pricing")
    build_digest(con, D, tz=TZ, top_n=5)
    rows = {t: (a, b, s) for t, a, b, s in con.execute(
        "select topic, articles, baseline, is_spike from digest_topics where digest_date = ?", [D]).fetchall()}
    assert rows["market_impact"] == (8, 1.0, True)
    assert rows["pricing"] == (1, 0.0, False)


def test_no_spike_without_enough_history(fresh_db):
    con = fresh_db
    for k in range(8):
        add(con, f"d{k}", datetime(2026, 11, 26, 6, tzinfo=UTC), topic="market_impact")
    build_digest(con, D, tz=TZ, top_n=5)
    spike = con.execute("select is_spike from digest_topics where topic = 'market_impact'").fetchall()
    assert spike == [(False,)]


def test_only_the_requested_taxonomy_counts(fresh_db):
    con = fresh_db
    add(con, "x", datetime(2026, 11, 26, 6, tzinfo=UTC), version="old")
    assert build_digest(con, D, tz=TZ, top_n=5, taxonomy_version="new")["pricing"] == 0
    assert build_digest(con, D, tz=TZ, top_n=5, taxonomy_version="old")["pricing"] == 1


def test_a_word_for_word_copy_in_another_outlet_is_one_article_whose_story_names_both(fresh_db):
    """Agencies' stories run verbatim in many outlets: the copy is one article (its URL in
    article_urls), but the digest still names every outlet that carried it, the first one first."""
    con = fresh_db
    t = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    text = "نص وكالة واحد نشرته منافذ عدة كما هو"
    copies = [Article(article_id=f"wire-{src}", url=f"https://{src}.example/wire", canonical_url=f"https://{src}.example/wire",
                      source=src, title="عنوان", text=text, lang="ar", content_hash="same-text") for src in ("s1", "s2")]
    load.load_articles(con, copies[:1], run_id="r1", seen_at=t)
    load.load_articles(con, copies[1:], run_id="r2", seen_at=t + timedelta(hours=1))  # the copy, an hour later
    load.load_tags(con, [TagResult("wire-s1", [TopicTag("pricing", 1.0, ["دليل"])])], taxonomy_version="v1", topics_toml="")
    add(con, "solo", t, score=5.0, source="s3")
    build_digest(con, D, tz=TZ, top_n=5)
    rows = con.execute("select article_id, outlets, [o.outlet for o in outlet_list] from digest_items "
                       "where digest_date = ? and topic = 'pricing' order by rank", [D]).fetchall()
    assert rows == [("wire-s1", 2, ["s1", "s2"]), ("solo", 1, ["s3"])]  # one row each; two outlets rank first
    assert con.execute("select count(*) from articles").fetchone()[0] == 2  # the copy is not a second article
    assert con.execute("select article_id, outlet from v_article_outlets order by 1").fetchall() == [
        ("solo", "s3"), ("wire-s1", "s1")]  # one row per article, its own outlet
    assert sorted(con.execute("select distinct outlet from v_page_outlets where article_id = 'wire-s1'").fetchall()) == [
        ("s1",), ("s2",)]
    assert run_checks(con) == {}
