"""The warehouse in analysts' own tools, on a warehouse filled by a real `marsad run`.

Every recipe of README.md ("The warehouse in your own tools") and every cookbook header's
`Run:` / `Or:` line is run exactly as written, in a folder laid out like a checkout, and
what each returns is checked against the question it answers. The DuckDB 1.x CLI of the
`duckdb-cli` package (.venv/bin/duckdb) opens the file the run wrote, and a warehouse in
DuckDB 2's newest format is converted once by the next writer.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.analyst_world import BIN, ROOT, AnalystCheckout
from warehouse.db import STORAGE_VERSION, connect, storage_version

pytestmark = pytest.mark.slow  # one real `marsad run` (a temporary Prefect server) per session
TOPIC_IDS = {"export_controls", "pricing", "privacy_bans", "market_impact"}
DUCKDB_CLI = BIN / "duckdb"


def table_of(stdout: str) -> tuple[list[str], list[dict[str, str]]]:
    """The CSV `marsad sql` writes when piped: (header, rows as dicts)."""
    reader = csv.DictReader(io.StringIO(stdout))
    return list(reader.fieldnames or []), list(reader)


def ran(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr}"
    assert "Error" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout


def query(checkout: AnalystCheckout, sql: str) -> list[tuple]:
    con = duckdb.connect(str(checkout.db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ---- the storage format -------------------------------------------------------------------

def test_duckdb_cli_1x_opens_the_warehouse_a_real_run_wrote(analyst_checkout):
    version = ran(subprocess.run([str(DUCKDB_CLI), "--version"], capture_output=True, text=True, timeout=60))
    assert version.startswith("v1."), version  # the client analysts install, not our 2.x engine
    out = ran(analyst_checkout.sh("duckdb -readonly -csv data/marsad.duckdb "
                                  "\"select count(*) as n from articles; select count(*) as n from v_article_topics\""))
    counts = [int(line) for line in out.split() if line.isdigit()]
    assert counts == [query(analyst_checkout, "select count(*) from articles")[0][0],
                      query(analyst_checkout, "select count(*) from v_article_topics")[0][0]]
    assert counts[0] >= 7  # five seeds and the two outlets' copies
    con = duckdb.connect(str(analyst_checkout.db), read_only=True)
    try:
        assert storage_version(con) == "v1.0.0+"  # DuckDB's tag for the v1.1.0 format
    finally:
        con.close()


def test_a_newest_format_warehouse_is_converted_once_by_the_next_writer(analyst_checkout, tmp_path):
    """Rewrite the real warehouse in DuckDB 2's default format (what older Marsad wrote): the
    1.x CLI cannot open it; the next writer (`marsad digest`) converts it with one line, every
    row, key and comment kept; later writes by 2.x keep it readable; no second conversion."""
    old = tmp_path / "data" / "marsad.duckdb"
    old.parent.mkdir()
    con = duckdb.connect()
    con.execute(f"attach '{analyst_checkout.db}' as src (read_only)")
    con.execute(f"attach '{old}' as dst (storage_version 'latest')")
    con.execute("copy from database src to dst")
    con.close()
    refused = subprocess.run([str(DUCKDB_CLI), "-readonly", str(old), "select 1"], capture_output=True, text=True,
                             timeout=60)
    assert refused.returncode != 0 and "version number" in refused.stderr

    before = {t: query(analyst_checkout, f"select count(*) from {t}")[0][0]
              for (t,) in query(analyst_checkout, "select table_name from duckdb_tables() where not internal")}
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp_path), "MARSAD_DB": str(old),
           "MARSAD_OUTBOX": str(tmp_path / "outbox")}
    first = subprocess.run([str(BIN / "marsad"), "digest"], env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    lines = [ln for ln in first.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"marsad: converted {old}") and STORAGE_VERSION in lines[0], lines

    readable = subprocess.run([str(DUCKDB_CLI), "-readonly", "-csv", str(old),
                               "select comment from duckdb_columns() where table_name = 'articles' "
                               "and column_name = 'first_seen_at'"], capture_output=True, text=True, timeout=60)
    assert readable.returncode == 0, readable.stderr
    assert "digest" in readable.stdout  # the comment came across
    con = duckdb.connect(str(old), read_only=True)
    try:
        after = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in before}
        keys = con.execute("select count(*) from duckdb_constraints() where constraint_type = 'PRIMARY KEY'").fetchone()
    finally:
        con.close()
    assert {t: n for t, n in after.items() if t != "emails"} == {t: n for t, n in before.items() if t != "emails"}
    assert keys[0] >= 14
    assert not list(old.parent.glob(".*convert*"))

    second = subprocess.run([str(BIN / "marsad"), "digest"], env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0 and "converted" not in second.stderr, second.stderr
    again = subprocess.run([str(DUCKDB_CLI), "-readonly", str(old), "select count(*) from digest_items"],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr


def test_a_new_warehouse_is_created_in_the_compatible_format(tmp_path):
    con = connect(tmp_path / "new.duckdb")
    try:
        assert storage_version(con) == "v1.0.0+"
    finally:
        con.close()
    out = subprocess.run([str(DUCKDB_CLI), "-readonly", "-csv", str(tmp_path / "new.duckdb"),
                          "select count(*) from topics"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.split() == ["count_star()", "4"], out


# ---- README recipes, exactly as written ---------------------------------------------------

def readme_recipes() -> dict[int, tuple[str, str]]:
    """{N: (language, block)} for every fenced sh/python block of README.md that starts `# N.`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = {}
    for lang, body in re.findall(r"```(sh|python)\n(.*?)```", readme, flags=re.S):
        m = re.match(r"# (\d+)\. ", body)
        if m:
            found[int(m.group(1))] = (lang, body)
    return found


def run_recipe(checkout: AnalystCheckout, lang: str, block: str) -> str:
    if lang == "python":
        return ran(subprocess.run([str(BIN / "python"), "-c", block], cwd=checkout.home, env=checkout.env,
                                  capture_output=True, text=True, timeout=120))
    return ran(checkout.sh(block))


def _latest_digest(cols, rows, c):
    assert cols == ["digest_date", "topic", "rank", "title", "source", "outlets", "evidence"]
    (latest,) = query(c, "select max(digest_date)::varchar from digest_topics")[0]
    assert rows and {r["digest_date"] for r in rows} == {latest}
    assert {r["topic"] for r in rows} <= TOPIC_IDS and all(r["evidence"] for r in rows)
    assert any(r["outlets"] == "2" for r in rows)  # the wire story both outlets carried


def _tagged(cols, rows, c):
    assert cols == ["topic", "title", "source", "evidence"]
    assert len(rows) == query(c, "select count(*) from v_article_topics")[0][0]
    assert {"seeds", "outlet_a", "outlet_b"} <= {r["source"] for r in rows}


def _daily_counts(cols, rows, c):
    assert cols == ["digest_date", "topic", "articles", "baseline", "is_spike"]
    assert {r["topic"] for r in rows} == TOPIC_IDS and all(r["is_spike"] in ("true", "false") for r in rows)
    assert sum(int(r["articles"]) for r in rows) > 0


def _export_control_outlets(cols, rows, c):
    assert cols == ["source", "articles"]
    counts = [int(r["articles"]) for r in rows]
    assert counts == sorted(counts, reverse=True) and counts
    assert sum(counts) == query(c, "select count(*) from v_article_topics where topic = 'export_controls'")[0][0]


def _fetch_failures(cols, rows, c):
    assert cols == ["source", "url", "status", "http_status", "error"]
    gone = [r for r in rows if r["url"].endswith("/b/gone")]
    assert gone and gone[0]["status"] == "http_error" and gone[0]["http_status"] == "404"
    assert gone[0]["source"] == "outlet_b"


def _column_comments(cols, rows, c):
    assert cols == ["table_name", "column_name", "comment"]
    names = [r[0] for r in query(c, "select column_name from duckdb_columns() where table_name = 'articles' "
                                    "order by column_index")]
    assert [r["column_name"] for r in rows] == names and all(r["comment"].strip() for r in rows)
    assert "time zone" in next(r["comment"] for r in rows if r["column_name"] == "first_seen_at")


def _relations_markdown(out, c):
    lines = out.splitlines()
    assert lines[0] == "| name | comment |" and lines[1] == "| --- | --- |"
    cells = [ln.strip("| ").split(" | ", 1) for ln in lines[2:]]
    wanted = {"articles", "article_topics", "digest_topics", "digest_items", "sources", "fetch_log", "raw_pages",
              "runs", "v_article_topics", "v_digest", "v_fetch_failures"}
    assert wanted <= {name for name, _ in cells}
    assert all(comment.strip() for _, comment in cells)


def _cookbook_csv(cols, rows, c):
    assert cols == ["topic", "rank", "source", "articles", "stories", "share_pct"]
    assert {"outlet_a", "outlet_b", "seeds"} <= {r["source"] for r in rows}


def _duckdb_cli(out, c):
    assert "┌" in out and "export_controls" in out and "articles" in out


def _python(out, c):
    got = {}
    for line in out.splitlines():
        topic, articles, outlets = line.split()
        got[topic] = (int(articles), int(outlets))
    want = {t: (n, o) for t, n, o in query(c, "select topic, count(*), count(distinct source) "
                                              "from v_article_topics group by topic")}
    assert got == want and set(got) <= TOPIC_IDS


CSV_CHECKS = {1: _latest_digest, 2: _tagged, 3: _daily_counts, 4: _export_control_outlets, 5: _fetch_failures,
              6: _column_comments, 8: _cookbook_csv}
TEXT_CHECKS = {7: _relations_markdown, 9: _duckdb_cli, 10: _python}


def test_the_readme_lists_the_recipes_this_test_checks():
    assert sorted(readme_recipes()) == sorted({**CSV_CHECKS, **TEXT_CHECKS})


@pytest.mark.parametrize("number", sorted({**CSV_CHECKS, **TEXT_CHECKS}))
def test_readme_recipe(analyst_checkout, number):
    lang, block = readme_recipes()[number]
    out = run_recipe(analyst_checkout, lang, block)
    if number in CSV_CHECKS:
        cols, rows = table_of(out)
        CSV_CHECKS[number](cols, rows, analyst_checkout)
    else:
        TEXT_CHECKS[number](out, analyst_checkout)


# ---- the cookbook, as its headers say to run it -------------------------------------------

COOKBOOK = sorted((ROOT / "dashboards" / "cookbook").glob("*.sql"))


def header_command(path: Path, label: str) -> str:
    m = re.search(rf"^-- {label}:\s+(.+)$", path.read_text(encoding="utf-8"), flags=re.M)
    assert m, f"{path.name}: no '-- {label}:' line"
    return m.group(1).strip()


def _trend(cols, rows, c):
    assert cols == ["day", "topic", "articles", "sources", "baseline", "is_spike"]
    assert len(rows) == 30 * 4
    last = max(r["day"] for r in rows)
    assert sum(int(r["articles"]) for r in rows if r["day"] == last) > 0


def _top_outlets(cols, rows, c):
    assert cols == ["topic", "rank", "source", "articles", "stories", "share_pct"]
    for topic in {r["topic"] for r in rows}:
        mine = [r for r in rows if r["topic"] == topic]
        assert [int(r["rank"]) for r in mine] == list(range(1, len(mine) + 1))
        assert abs(sum(float(r["share_pct"]) for r in mine) - 100) < 1


def _new_entities(cols, rows, c):
    assert cols == ["entity", "first_mentioned", "articles", "mentions", "sources", "first_title"]
    assert "Nvidia" in {r["entity"] for r in rows}  # إنفيديا in every copy of the wire story
    assert all(int(r["articles"]) >= 1 and int(r["mentions"]) >= int(r["articles"]) for r in rows)


def _claims(cols, rows, c):
    assert cols == ["first_seen_at", "source", "kind", "value", "value_max", "currency", "unit", "sentence", "title",
                    "url"]
    assert any(r["kind"] == "money" and float(r["value"]) == 6_000_000 and r["currency"] == "USD" for r in rows)
    assert {r["kind"] for r in rows} <= {"money", "multiplier"}


def _stories(cols, rows, c):
    assert cols[:7] == ["story_id", "outlets", "articles", "first_seen", "first_source", "first_title", "all_outlets"]
    top = rows[0]
    assert top["outlets"] == "2" and top["all_outlets"] == "outlet_a, outlet_b"
    assert "market_impact" in top["topics"]


COOKBOOK_CHECKS = {"topic_trend": _trend, "top_outlets_per_topic": _top_outlets,
                   "new_entities_this_week": _new_entities, "claims_about_cost": _claims,
                   "stories_across_most_outlets": _stories}


def test_every_cookbook_query_has_a_check():
    assert {p.stem for p in COOKBOOK} == set(COOKBOOK_CHECKS)


@pytest.mark.parametrize("path", COOKBOOK, ids=lambda p: p.stem)
def test_cookbook_header_commands(analyst_checkout, path):
    run_line = header_command(path, "Run")
    assert run_line == f"marsad sql -f dashboards/cookbook/{path.name}"
    cols, rows = table_of(ran(analyst_checkout.sh(run_line)))
    assert rows, f"{path.name} returned nothing on a filled warehouse"
    COOKBOOK_CHECKS[path.stem](cols, rows, analyst_checkout)

    or_line = header_command(path, "Or")
    assert or_line.startswith("duckdb -readonly data/marsad.duckdb < ")
    box = ran(analyst_checkout.sh(or_line))  # the DuckDB 1.x CLI on the same file
    assert all(col in box for col in cols[:3])


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
    for name in names:
        (n,) = query(analyst_checkout, f"select count(*) from {name}")[0]
        assert pq.read_table(out / f"{name}.parquet").num_rows == n, name
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            assert sum(1 for _ in csv.reader(fh)) == n + 1, name
    tables = query(analyst_checkout, "select count(*) from duckdb_tables() where not internal")[0][0]
    assert line.strip() == (f"wrote {len(names)} Parquet files and {len(names)} CSV files "
                            f"({tables} tables, {len(names) - tables} views) to {out}")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
