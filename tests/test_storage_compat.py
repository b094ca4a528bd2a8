"""The warehouse file opens in the analysts' DuckDB 1.x tools.

The DuckDB 1.x CLI of the `duckdb-cli` package (.venv/bin/duckdb) opens the file a real
`marsad run` wrote, a new warehouse is created in the compatible format, and a warehouse in
DuckDB 2's newest format is converted once by the next writer.
"""

from __future__ import annotations

import subprocess

import duckdb
import pytest

from tests.analyst_world import BIN, query, ran
from warehouse.db import STORAGE_VERSION, connect, storage_version

pytestmark = pytest.mark.slow  # one real `marsad run` (a temporary Prefect server) per session
TOPIC_IDS = {"export_controls", "pricing", "privacy_bans", "market_impact"}
DUCKDB_CLI = BIN / "duckdb"


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


