"""warehouse/runs.py on a real DuckDB file: a run's row, the state a run starts from, what to tag."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from extractors.core.records import Article, RawPage, TagResult
from warehouse import load, runs
from warehouse.runlock import Holder

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


def _article(aid: str, seen: datetime, con) -> None:
    a = Article(article_id=aid, url=f"https://s.example/{aid}", canonical_url=f"https://s.example/{aid}",
                source="s", title=f"t {aid}", text=f"نص {aid}", lang="ar", content_hash=f"h{aid}")
    load.load_articles(con, [a], run_id="r", seen_at=seen)


def test_runs_that_died_with_the_run_lock_are_recorded_interrupted_at_once(fresh_db):
    """The writer holding the run lock knows no other run is alive: every 'running' row (left by
    an older in-place writer) and every run the lock file names as dead become 'interrupted'
    — a run killed a minute ago too, not after six hours."""
    con = fresh_db
    now = datetime.now(UTC)
    runs.start_run(con, "legacy", date(2026, 11, 1), now - timedelta(minutes=1))
    runs.finish_run(con, "legacy", status="running", flow_run_id=None, counts={}, skipped={})
    runs.start_run(con, "done", date(2026, 11, 2), now - timedelta(hours=1))
    runs.finish_run(con, "done", status="completed", flow_run_id=None, counts={}, skipped={})
    killed = Holder(pid=4242, command="marsad run", started_at=(now - timedelta(seconds=30)).isoformat(),
                    run_id="killed", digest_date="2026-11-03", flow_run_id="fr-9")
    before_run = Holder(pid=4243, command="marsad run", started_at=now.isoformat())  # died before its run began
    recorded = runs.record_interrupted(con, [killed, before_run])
    assert recorded == [killed]
    rows = {r[0]: r[1:] for r in con.execute(
        "select run_id, status, digest_date, flow_run_id, finished_at is not null from runs").fetchall()}
    assert rows == {"legacy": ("interrupted", date(2026, 11, 1), None, True),
                    "done": ("completed", date(2026, 11, 2), None, True),
                    "killed": ("interrupted", date(2026, 11, 3), "fr-9", True)}
    runs.record_interrupted(con, [killed])  # recorded once, however often the lock file repeats it
    assert con.execute("select count(*) from runs where run_id = 'killed'").fetchone() == (1,)


def test_finish_run_writes_counts_and_the_summary(fresh_db):
    con = fresh_db
    runs.start_run(con, "r1", date(2026, 11, 26), NOW)
    counts = Counter(seeds_loaded=5, articles_new=3, tags=7, web_articles=2)
    runs.finish_run(con, "r1", status="completed", flow_run_id="fr-1", counts=counts, skipped={"feed": {"too_old": 4}})
    row = con.execute("select status, flow_run_id, seeds_loaded, seeds_skipped, articles_new, tags, emails, "
                      "summary_json, finished_at is not null from runs").fetchone()
    assert row[:7] == ("completed", "fr-1", 5, 0, 3, 7, 0)  # a count the step never reported is 0
    assert json.loads(row[7]) == {"counts": dict(counts), "skipped": {"feed": {"too_old": 4}}}
    assert row[8] is True


def test_state_a_run_starts_from(fresh_db):
    con = fresh_db
    _article("a1", NOW, con)
    load.load_raw_pages(con, [RawPage("https://s.example/raw", "https://s.example/raw", "s", 200, "text/html", {},
                                      b"<p>x</p>", NOW)])
    load.upsert_sources(con, [{"source": "feed", "kind": "rss", "url": "https://s.example/rss", "etag": '"e1"',
                               "last_modified": None, "fetched": True, "last_status": "ok"}])
    assert runs.known_urls(con) == {"https://s.example/a1", "https://s.example/raw"}
    assert runs.source_state(con)["feed"] == {"etag": '"e1"', "last_modified": None}
    assert runs.article_count(con) == 1


def test_what_a_taxonomy_still_has_to_tag_and_what_retag_reads(fresh_db):
    con = fresh_db
    _article("old", NOW - timedelta(days=10), con)
    _article("new", NOW, con)
    load.load_tags(con, [TagResult("old", [])], taxonomy_version="v1", topics_toml="")
    assert [r[0] for r in runs.articles_to_tag(con, "v1")] == ["new"]  # tagged with no topic still counts
    assert sorted(r[0] for r in runs.articles_to_tag(con, "v2")) == ["new", "old"]
    assert sorted(r[0] for r in runs.articles_to_retag(con)) == ["new", "old"]
    assert [r[0] for r in runs.articles_to_retag(con, (NOW - timedelta(days=1)).date())] == ["new"]


def test_raw_pages_come_back_as_the_pages_stored(fresh_db):
    con = fresh_db
    page = RawPage("https://s.example/p", "https://s.example/p2", "s", 200, "text/html; charset=utf-8",
                   {"etag": "x"}, "<p>نص</p>".encode(), NOW)
    old = RawPage("https://s.example/o", "https://s.example/o", "s", 200, "text/html", {}, b"<p>o</p>",
                  NOW - timedelta(days=5))
    load.load_raw_pages(con, [page, old])
    (back,) = runs.raw_pages_since(con, NOW.date())
    assert (back.url, back.final_url, back.headers, back.body, back.fetched_at) == (
        page.url, page.final_url, page.headers, page.body, page.fetched_at)
    assert [p.url for p in runs.raw_pages_since(con)] == ["https://s.example/o", "https://s.example/p"]


def test_raw_pages_page_through_by_url(fresh_db):
    """`marsad reextract` reads a big warehouse a chunk at a time: keyset pages by URL, none twice."""
    con = fresh_db
    load.load_raw_pages(con, [RawPage(f"https://s.example/{i:02d}", f"https://s.example/{i:02d}", "s", 200,
                                      "text/html", {}, b"<p>x</p>", NOW) for i in range(7)])
    chunks, after = [], ""
    while page := runs.raw_pages_since(con, after=after, limit=3):
        chunks.append([p.url[-2:] for p in page])
        after = page[-1].url
    assert chunks == [["00", "01", "02"], ["03", "04", "05"], ["06"]]
