"""Export: one readable file per table and view of the catalogue, same rows, Arabic intact, re-runnable.

(tests/test_analyst_sql.py also runs `marsad export --csv` on a warehouse a real run filled.)
"""

from __future__ import annotations

import csv

import pyarrow.parquet as pq

from tests.delivery_world import fill
from warehouse.export import catalogue, export_warehouse


def relations(con) -> set[str]:
    """Every table and view in the warehouse, asked of DuckDB independently of the exporter."""
    rows = con.execute("select table_name from duckdb_tables() where not internal "
                       "union all select view_name from duckdb_views() where not internal").fetchall()
    return {r[0] for r in rows}


def test_export_round_trips_every_table_and_view(fresh_db, tmp_path):
    out = tmp_path / "export dir's"  # a space and a quote in the path must not break COPY
    con = fresh_db
    fill(con)
    report = export_warehouse(con, out)
    names = relations(con)
    assert {"raw_pages", "schema_version", "v_article_topics", "v_digest", "v_current_taxonomy"} <= names
    assert {p.stem for p in report.files} == names == {n for n, _ in catalogue(con)}
    assert all(p.suffix == ".parquet" for p in report.files) and not list(out.glob("*.csv"))
    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert set(report.views) == views and {"v_digest", "source_health"} <= views
    for p in report.files:
        (n,) = con.execute(f'select count(*) from "{p.stem}"').fetchone()
        assert pq.read_table(p).num_rows == n, p.name
    titles = {r[0] for r in con.execute("select title from articles").fetchall()}
    articles = pq.read_table(out / "articles.parquet")
    assert set(articles.column("title").to_pylist()) == titles
    assert "first_seen_at" in articles.schema.names and "story_id" in articles.schema.names

    # Re-export after a change replaces the files; no temporary file is left behind.
    con.execute("delete from article_claims")
    export_warehouse(con, out)
    assert pq.read_table(out / "article_claims.parquet").num_rows == 0
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_new_table_or_view_is_exported_without_touching_the_exporter(fresh_db, tmp_path):
    con = fresh_db
    con.execute("create table analyst_notes (note varchar)")
    con.execute("insert into analyst_notes values ('ملاحظة, مع فاصلة')")
    con.execute("create view v_notes as select upper(note) as note from analyst_notes")
    report = export_warehouse(con, tmp_path, csv=True)
    assert {"analyst_notes", "v_notes"} <= set(report.tables) | set(report.views)
    with (tmp_path / "analyst_notes.csv").open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh)) == [["note"], ["ملاحظة, مع فاصلة"]]
    assert pq.read_table(tmp_path / "v_notes.parquet").column("note").to_pylist() == ["ملاحظة, مع فاصلة"]


def test_bom_csv_for_excel_and_plain_csv_for_tools(fresh_db, tmp_path):
    """`--bom` starts each CSV with the UTF-8 byte-order mark (Excel then reads Arabic as UTF-8);
    without it the file starts with the header, as tools that do not skip a BOM expect."""
    con = fresh_db
    con.execute("create table analyst_notes (note varchar)")
    con.execute("insert into analyst_notes values ('ملاحظة')")
    export_warehouse(con, tmp_path / "excel", bom=True, csv=True)
    export_warehouse(con, tmp_path / "plain", csv=True)
    marked = (tmp_path / "excel" / "analyst_notes.csv").read_bytes()
    plain = (tmp_path / "plain" / "analyst_notes.csv").read_bytes()
    assert marked == b"\xef\xbb\xbf" + plain and plain.startswith(b"note\n")
    with (tmp_path / "excel" / "analyst_notes.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh)) == [["note"], ["ملاحظة"]]
    assert not [p for p in (tmp_path / "excel").iterdir() if p.name.startswith(".")]  # no temporary file left
