"""The analysts' recipes, run exactly as written, on a warehouse filled by a real `marsad run`.

Every recipe of README.md ("The warehouse in your own tools") and every cookbook header's
`Run:` / `Or:` line is run in a folder laid out like a checkout (tests/analyst_world.py), and
what each returns is checked against the question it answers.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.analyst_world import BIN, ROOT, AnalystCheckout, query, ran, table_of

pytestmark = pytest.mark.slow  # one real `marsad run` (a temporary Prefect server) per session
TOPIC_IDS = {"export_controls", "pricing", "privacy_bans", "market_impact"}
DUCKDB_CLI = BIN / "duckdb"


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


