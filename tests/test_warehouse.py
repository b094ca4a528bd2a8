"""The warehouse on a real DuckDB file: migrations, idempotent bulk loads, lock message."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from extractors.core.errors import WarehouseLockedError
from extractors.core.records import Article, Claim, FetchLogEntry, RawPage, TagResult, TopicTag
from warehouse import load
from warehouse.db import (
    connect,
    is_compatible,
    migrations,
    open_warehouse,
    split_statements,
    storage_version,
)

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def art(aid: str, text: str, url: str | None = None, source: str = "web") -> Article:
    return Article(article_id=aid, url=url or f"https://x.example/{aid}", canonical_url=url or f"https://x.example/{aid}",
                   source=source, title=f"title {aid}", text=text, lang="ar", content_hash=f"h-{text}")


def test_migrations_are_numbered_and_idempotent(tmp_path):
    versions = [v for v, _, _ in migrations()]
    assert versions == list(range(1, len(versions) + 1))
    db = tmp_path / "w.duckdb"
    with open_warehouse(db) as con:
        first = con.execute("select count(*) from schema_version").fetchone()[0]
    with open_warehouse(db) as con:
        assert con.execute("select count(*) from schema_version").fetchone()[0] == first == len(versions)
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    contract = {"articles", "article_topics", "digest_topics", "digest_items", "sources", "fetch_log", "raw_pages", "runs"}
    assert contract <= tables
    assert {"v_article_topics", "v_digest"} <= tables


def test_contract_columns_exist(fresh_db):
    con = fresh_db
    cols = {(t, c) for t, c in con.execute("select table_name, column_name from information_schema.columns").fetchall()}
    for table, names in {
        "articles": "article_id url canonical_url source title author published_at first_seen_at lang text content_hash story_id",
        "article_topics": "article_id topic score evidence taxonomy_version",
        "digest_topics": "digest_date topic articles sources baseline is_spike",
        "digest_items": "digest_date topic rank article_id story_id title source evidence",
    }.items():
        for name in names.split():
            assert (table, name) in cols, f"{table}.{name} missing"


def test_load_articles_is_idempotent_and_merges_exact_duplicates(fresh_db):
    batch = [art("a1", "نص أول"), art("a2", "نص ثان"), art("a3", "نص أول", url="https://mirror.example/a1")]
    con = fresh_db
    new = load.load_articles(con, batch, run_id="r1", seen_at=NOW)
    assert sorted(new) == ["a1", "a2"]
    again = load.load_articles(con, batch, run_id="r2", seen_at=NOW)
    assert again == []
    assert con.execute("select count(*) from articles").fetchone()[0] == 2
    urls = dict(con.execute("select url, article_id from article_urls").fetchall())
    assert urls["https://mirror.example/a1"] == "a1"  # the duplicate's URL points at the one article
    assert len(urls) == 3


def test_load_tags_replaces_same_version_and_keeps_older(fresh_db):
    con = fresh_db
    load.load_articles(con, [art("a1", "x")], run_id="r", seen_at=NOW)
    r1 = TagResult("a1", [TopicTag("pricing", 1.0, ["s1"])], {"DeepSeek": 2},
                   [Claim("money", 6e6, None, "USD", "s1")])
    load.load_tags(con, [r1], taxonomy_version="v1", topics_toml="a")
    load.load_tags(con, [r1], taxonomy_version="v1", topics_toml="a")
    assert con.execute("select count(*) from article_topics").fetchone()[0] == 1
    r2 = TagResult("a1", [TopicTag("market_impact", 2.0, ["s2", "s3"])])
    load.load_tags(con, [r2], taxonomy_version="v2", topics_toml="b")
    rows = con.execute("select taxonomy_version, topic, evidence, first_seen_at from article_topics order by 1").fetchall()
    assert [(v, t) for v, t, _, _ in rows] == [("v1", "pricing"), ("v2", "market_impact")]
    assert rows[1][2] == "s2\ns3" and rows[1][3] == NOW
    assert con.execute("select count(*) from tagging_log").fetchone()[0] == 2
    assert con.execute("select count(*) from article_claims").fetchone()[0] == 0  # replaced by r2 (none)


def test_raw_pages_and_fetch_log(fresh_db):
    page = RawPage("https://x.example/p", "https://x.example/p", "feed", 200, "text/html", {"etag": "1"},
                   "<p>مرحبا</p>".encode(), NOW)
    con = fresh_db
    assert load.load_raw_pages(con, [page, page]) == 2
    assert load.load_raw_pages(con, [page]) == 1
    assert con.execute("select count(*), max(body_bytes) from raw_pages").fetchone() == (1, len(page.body))
    load.append_fetch_log(con, [FetchLogEntry("https://x.example/p", "feed", "timeout", error_class="timeout")], run_id="r")
    assert con.execute("select status from v_fetch_failures").fetchall() == [("timeout",)]


def test_second_writer_gets_one_clear_line(tmp_path):
    db = tmp_path / "w.duckdb"
    con = connect(db)
    try:
        code = (f"from warehouse.db import connect\ntry:\n    connect({str(db)!r})\n"
                "except Exception as e:\n    print(type(e).__name__, '|', e.one_line())")
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        name, _, line = proc.stdout.partition(" | ")
        assert name == WarehouseLockedError.__name__
        assert str(db) in line and "wait for that run to finish" in line
        assert "\n" not in line.strip()
    finally:
        con.close()


def test_split_statements_ignores_comment_lines():
    sql = "-- uses $a\nselect 1;\n-- $b\nselect $b;\n"
    assert split_statements(sql) == ["select 1;", "select $b;"]


def test_sources_keep_their_validators_when_not_fetched(fresh_db):
    fetched = {"source": "feed", "kind": "rss", "url": "https://f.example/rss", "etag": '"v1"',
               "last_modified": "Wed, 25 Nov 2026 10:00:00 GMT", "last_status": "ok", "fetched": True}
    offline = {**fetched, "etag": None, "last_modified": None, "last_status": None, "fetched": False}
    con = fresh_db
    assert load.upsert_sources(con, [fetched, fetched]) == 1
    load.upsert_sources(con, [offline])
    rows = con.execute("select source, etag, last_modified, last_status from sources").fetchall()
    assert rows == [("feed", '"v1"', "Wed, 25 Nov 2026 10:00:00 GMT", "ok")]
    load.upsert_sources(con, [{**fetched, "etag": '"v2"'}])
    assert con.execute("select etag from sources").fetchall() == [('"v2"',)]


def test_writer_waits_out_a_short_lock(tmp_path):
    """The unattended run (wait > 0) outlasts another process's short hold on the file."""
    db = tmp_path / "w.duckdb"
    connect(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time\ncon = duckdb.connect({str(db)!r})\nprint('held', flush=True)\n"
                               "time.sleep(2)\ncon.close()"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseLockedError):
            connect(db)  # no wait: the lock is reported at once
        con = connect(db, wait=30)  # waits until the holder lets go
        con.close()
    finally:
        holder.wait(timeout=30)
        holder.stdout.close()


def test_storage_tags_newer_than_the_promise_are_converted():
    assert is_compatible("v1.0.0+") and is_compatible("v0.10.0+")
    assert not is_compatible("v1.2.0+") and not is_compatible("v2.0.0+")
    assert is_compatible(None) and is_compatible("something new")  # unknown: left alone


def test_a_newest_format_file_is_converted_once_on_the_first_write(tmp_path, capfd):
    """A small warehouse in duckdb 2's default format: the first writer converts it in place
    (rows, keys and comments kept, no temporary file left), readers never do."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))  # no compatibility setting: duckdb 2's newest format
    con.execute("create table notes (id integer primary key, note varchar)")
    con.execute("insert into notes select i, 'ملاحظة ' || i from range(1000) t(i)")
    con.execute("comment on column notes.note is 'what the analyst wrote'")
    con.close()

    reader = connect(path, read_only=True)
    assert storage_version(reader) == "v2.0.0+"  # a reader never converts
    reader.close()
    con = connect(path)
    try:
        assert storage_version(con) == "v1.0.0+"
        assert con.execute("select count(*), count(distinct id) from notes").fetchone() == (1000, 1000)
        assert con.execute("select comment from duckdb_columns() where table_name = 'notes' "
                           "and column_name = 'note'").fetchone() == ("what the analyst wrote",)
        with pytest.raises(duckdb.ConstraintException):
            con.execute("insert into notes values (1, 'again')")
    finally:
        con.close()
    err = capfd.readouterr().err
    assert err.count("marsad: converted") == 1 and "v2.0.0+" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.duckdb"]
    connect(path).close()
    assert "converted" not in capfd.readouterr().err

    cli = Path(sys.executable).with_name("duckdb")  # duckdb-cli 1.x (dev dependency)
    out = subprocess.run([str(cli), "-readonly", "-csv", str(path), "select count(*) from notes"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.split() == ["count_star()", "1000"], out.stderr
