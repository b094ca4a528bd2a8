"""Parquet export: one readable file per analyst table, same rows, Arabic intact, re-runnable."""

from __future__ import annotations

import pyarrow.parquet as pq

from tests.delivery_world import fill
from warehouse.export import EXPORT_TABLES, export_parquet


def test_export_round_trips_every_table(fresh_db, tmp_path):
    out = tmp_path / "export dir's"  # a space and a quote in the path must not break COPY
    con = fresh_db
    fill(con)
    files = export_parquet(con, out)
    counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in EXPORT_TABLES}
    titles = {r[0] for r in con.execute("select title from articles").fetchall()}
    assert {p.stem for p in files} == set(EXPORT_TABLES)
    for p in files:
        assert pq.read_table(p).num_rows == counts[p.stem], p.name
    articles = pq.read_table(out / "articles.parquet")
    assert set(articles.column("title").to_pylist()) == titles
    assert "first_seen_at" in articles.schema.names and "story_id" in articles.schema.names
    assert not (out / "raw_pages.parquet").exists()

    # Re-export after a change replaces the files.
    con.execute("delete from article_claims")
    export_parquet(con, out)
    assert pq.read_table(out / "article_claims.parquet").num_rows == 0
    assert not list(out.glob(".*tmp"))
