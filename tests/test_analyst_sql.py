"""`marsad sql` and `marsad export` as analysts use them, on a warehouse filled by a real `marsad run`.

The schema documents itself (every table, view and column has a comment); formats, input from a
file or stdin, one-line errors and refused writes, exit codes, the file closed before output is
written, a closed pipe, and an export of every relation of the catalogue.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess

import pytest

from tests.analyst_world import BIN, ROOT, query, ran, table_of
from warehouse.db import connect

pytestmark = pytest.mark.slow  # one real `marsad run` (a temporary Prefect server) per session
TOPIC_IDS = {"export_controls", "pricing", "privacy_bans", "market_impact"}
DUCKDB_CLI = BIN / "duckdb"


# ---- the schema documents itself ----------------------------------------------------------

def test_every_table_view_and_column_has_a_comment(analyst_checkout):
    """Later migrations must comment what they add (warehouse/migrations/README.md)."""
    relations = query(analyst_checkout, (ROOT / "warehouse" / "sql" / "catalogue.sql").read_text(encoding="utf-8"))
    assert len(relations) >= 23
    bare = query(analyst_checkout, """
        select table_name from duckdb_tables() where not internal and coalesce(trim(comment), '') = ''
        union all
        select view_name from duckdb_views() where not internal and coalesce(trim(comment), '') = ''
        union all
        select table_name || '.' || column_name from duckdb_columns()
        where not internal and coalesce(trim(comment), '') = ''
    """)
    assert bare == []
    columns = query(analyst_checkout, "select count(*) from duckdb_columns() where not internal")[0][0]
    assert columns >= 180


# ---- marsad sql itself --------------------------------------------------------------------

def test_formats(analyst_checkout):
    sql = ("select topic, score, evidence_sentences, first_seen_at, null as nothing "
           "from v_current_tags order by article_id, topic limit 3")
    cols, rows = table_of(ran(analyst_checkout.sh(f'marsad sql --format csv "{sql}"')))
    assert cols == ["topic", "score", "evidence_sentences", "first_seen_at", "nothing"] and len(rows) == 3
    assert rows[0]["first_seen_at"].endswith("+00") and rows[0]["nothing"] == ""

    marked = ran(analyst_checkout.sh(f'marsad sql --bom "{sql}"'))  # piped: CSV, for Excel with the BOM
    assert marked.startswith("\ufefftopic,score,") and table_of(marked[1:]) == (cols, rows)
    refused = analyst_checkout.sh(f'marsad sql --bom --format json "{sql}"')
    assert refused.returncode == 2 and refused.stderr.startswith("Error: --bom is for CSV output, not json")

    lines = ran(analyst_checkout.sh(f'marsad sql --format json "{sql}"')).splitlines()
    objs = [json.loads(line) for line in lines]
    assert len(objs) == 3 and isinstance(objs[0]["score"], float) and isinstance(objs[0]["evidence_sentences"], list)
    assert objs[0]["nothing"] is None and objs[0]["topic"] in TOPIC_IDS

    md = ran(analyst_checkout.sh(f'marsad sql --format markdown "{sql}"')).splitlines()
    assert md[0] == "| topic | score | evidence_sentences | first_seen_at | nothing |"
    assert md[1] == "| --- | ---: | --- | --- | --- |" and len(md) == 5

    box = ran(analyst_checkout.sh(f'marsad sql --format table "{sql}"'))
    assert box.startswith("┌") and box.endswith("┘\n") and "evidence_sentences" in box and "varchar[]" in box
    box = ran(analyst_checkout.sh('marsad sql --format table --max-rows 4 "select * from range(100)"'))
    assert "100 rows" in box and "(4 shown)" in box and " 99 │" in box and " 50 │" not in box


def test_input_from_a_file_and_from_stdin(analyst_checkout, tmp_path):
    sql_file = tmp_path / "q.sql"
    sql_file.write_text("-- how many articles\nset timezone = 'Asia/Riyadh';\n"
                        "select count(*) as n, max(first_seen_at) as last from articles;\n", encoding="utf-8")
    by_file = table_of(ran(analyst_checkout.sh(f"marsad sql -f {sql_file}")))
    by_stdin = table_of(ran(analyst_checkout.sh(f"marsad sql < {sql_file}")))
    by_dash = table_of(ran(analyst_checkout.sh(f"cat {sql_file} | marsad sql -f -")))
    assert by_file == by_stdin == by_dash
    assert by_file[1][0]["n"] == str(query(analyst_checkout, "select count(*) from articles")[0][0])
    assert by_file[1][0]["last"].endswith("+03")  # the query's own `set timezone` is honoured


def test_the_default_format_is_a_table_on_a_terminal(analyst_checkout):
    main, sub = os.openpty()
    try:
        proc = subprocess.run([str(BIN / "marsad"), "sql", "select 1 as one"], cwd=analyst_checkout.home,
                              env=analyst_checkout.env, stdout=sub, stderr=subprocess.PIPE, timeout=60)
        os.close(sub)
        out = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(main)
    assert proc.returncode == 0, proc.stderr
    assert "┌" in out.decode("utf-8") and "one" in out.decode("utf-8")


@pytest.mark.parametrize(("sql", "code", "says"), [
    ("selec 1", 2, 'SQL error: Parser Error: syntax error at or near "selec"'),
    ("select * from artcles", 2, 'Did you mean "articles"'),
    ("delete from articles", 2, "marsad sql is read-only: DELETE statements are refused"),
    ("create table mine as select 1", 2, "marsad sql is read-only: CREATE statements are refused"),
    ("select 1; drop table topics", 2, "marsad sql is read-only: DROP statements are refused"),
    ("-- nothing", 2, "no SQL statement to run"),
])
def test_errors_are_one_line_and_writes_are_refused(analyst_checkout, sql, code, says):
    before = analyst_checkout.db.stat().st_mtime_ns, analyst_checkout.db.read_bytes()
    proc = analyst_checkout.sh(f'marsad sql -- "{sql}"')  # `--`: a query may start with "--"
    assert proc.returncode == code and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and says in lines[0], proc.stderr
    assert (analyst_checkout.db.stat().st_mtime_ns, analyst_checkout.db.read_bytes()) == before


def test_a_missing_warehouse_is_exit_3(tmp_path):
    proc = subprocess.run([str(BIN / "marsad"), "sql", "select 1"], cwd=tmp_path,
                          env={"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp_path)},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3 and proc.stderr.startswith("Error: no warehouse at data/marsad.duckdb")
    assert len(proc.stderr.splitlines()) == 1


def test_the_file_is_closed_before_the_output_is_written(analyst_checkout, tmp_path):
    """A reader that stops reading (`marsad sql … | less`) must not keep the warehouse: with
    marsad blocked writing ~1 MB into a full pipe, a writer opens the file at once."""
    db = tmp_path / "data" / "marsad.duckdb"
    db.parent.mkdir()
    shutil.copy(analyst_checkout.db, db)
    with subprocess.Popen([str(BIN / "marsad"), "sql", "--format", "csv", "select * from range(150000)"],
                          cwd=tmp_path, env={**analyst_checkout.env, "HOME": str(tmp_path)},
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.read(16)  # it has started writing, so the rows are fetched
        assert first.startswith(b"range\n")
        con = connect(db)  # a writer, no waiting: the lock must be free
        con.close()
        rest = proc.stdout.read()
        errors = proc.stderr.read()
    assert proc.returncode == 0, errors
    assert (first + rest).count(b"\n") == 150_001


def test_a_closed_pipe_ends_quietly(analyst_checkout):
    proc = analyst_checkout.sh('marsad sql "select * from range(200000)" | head -n 2')
    assert proc.returncode == 0 and proc.stdout == "range\n0\n" and proc.stderr == "", proc.stderr


# ---- marsad export, against the catalogue -------------------------------------------------

def test_export_writes_every_table_and_view_of_the_catalogue(analyst_checkout, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "export"
    line = ran(analyst_checkout.sh(f"marsad export --out {out} --csv"))
    relations = query(analyst_checkout, "select table_name from duckdb_tables() where not internal "
                                        "union all select view_name from duckdb_views() where not internal")
    names = {n for (n,) in relations}
    assert {"raw_pages", "schema_version", "v_article_topics", "v_digest_shown"} <= names
    assert {p.stem for p in out.glob("*.parquet")} == names == {p.stem for p in out.glob("*.csv")}
    # taxonomy_versions keeps each topics.toml whole (137 KB by round 24), beyond the csv
    # module's default 128 KB field limit: a reader's limit, not a fault of the file
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 24))
    for name in names:
        (n,) = query(analyst_checkout, f"select count(*) from {name}")[0]
        assert pq.read_table(out / f"{name}.parquet").num_rows == n, name
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            assert sum(1 for _ in csv.reader(fh)) == n + 1, name
    tables = query(analyst_checkout, "select count(*) from duckdb_tables() where not internal")[0][0]
    assert line.strip() == (f"wrote {len(names)} Parquet files and {len(names)} CSV files "
                            f"({tables} tables, {len(names) - tables} views) to {out}")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    excel = tmp_path / "excel"
    ran(analyst_checkout.sh(f"marsad export --out {excel} --bom"))  # --bom implies --csv
    assert {p.stem for p in excel.glob("*.csv")} == names
    assert (excel / "articles.csv").read_bytes() == b"\xef\xbb\xbf" + (out / "articles.csv").read_bytes()
