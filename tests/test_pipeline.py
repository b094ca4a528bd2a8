"""The daily job's steps without Prefect, on a real temp warehouse: idempotence, bad seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from extractors.core.errors import ConfigError
from flows.config import load_config
from flows.pipeline import run_daily
from tests.loopback import free_port

ROOT = Path(__file__).resolve().parents[1]
TABLES = ["articles", "article_urls", "article_topics", "article_entities", "article_claims", "tagging_log",
          "digest_topics", "digest_items", "emails"]


def counts(db: str) -> dict[str, int]:
    con = duckdb.connect(db, read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}
    finally:
        con.close()


def test_two_runs_of_the_same_day_leave_identical_counts(config, settings):
    _, first = run_daily(config)
    after_first = counts(str(settings.db_path))
    _, second = run_daily(config)
    assert counts(str(settings.db_path)) == after_first
    assert first.counts["articles_new"] == 5 and second.counts["articles_new"] == 0
    assert after_first["articles"] == 5 and after_first["digest_topics"] == 4
    # 5 articles, top_n = 5: every tagged (article, topic) pair is a digest item (seeds are
    # distinct stories); one configured recipient gets one email
    assert after_first["digest_items"] == after_first["article_topics"] and after_first["emails"] == 1
    assert after_first["article_entities"] > 0 and after_first["article_claims"] > 0  # filled by the daily run
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        assert con.execute("select count(*) from runs where status = 'completed'").fetchall() == [(2,)]
        assert con.execute("select count(*) from article_topics where trim(evidence) = ''").fetchall() == [(0,)]
        assert con.execute("select count(distinct topic) from article_topics").fetchall() == [(4,)]
        kinds = dict(con.execute("select kind, count(*) from sources group by kind").fetchall())
        assert kinds["seeds"] == 1 and kinds.get("rss", 0) >= 1  # configured sources recorded even offline
    finally:
        con.close()


def test_broken_seed_folder_loads_the_good_and_reports_the_bad(project_env, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for p in sorted((ROOT / "seeds").glob("*.txt"))[:2]:
        shutil.copy(p, seeds / p.name)
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (seeds / "latin1.txt").write_bytes("Café crème, prix élevés pour l'IA\n".encode("latin-1") * 5)
    config = load_config(env={**project_env, "MARSAD_SEEDS": str(seeds)}, offline=True)
    settings = config.settings
    ctx, summary = run_daily(config)
    assert summary.counts["seeds_loaded"] == 2 and summary.counts["seeds_skipped"] == 3
    reported = {n.item for n in summary.notes if n.stage == "seeds"}
    assert reported == {"empty.txt", "binary.txt", "latin1.txt"}
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        assert con.execute("select count(*) from articles").fetchall() == [(2,)]
        logged = {r[0] for r in con.execute("select item from run_log where run_id = ? and stage = 'seeds'",
                                            [ctx.run_id]).fetchall()}
        assert logged == reported
        assert con.execute("select seeds_loaded, seeds_skipped from runs").fetchall() == [(2, 3)]
    finally:
        con.close()


def test_a_fetch_step_that_crashes_becomes_a_note(config):
    from flows.fetching import fetch_sources_or_note
    from flows.pipeline import RunContext

    ctx = RunContext(config, None, "r", None, None)  # type: ignore[arg-type]
    report = fetch_sources_or_note(ctx, [object()], set(), {})  # not a Source: collect() raises
    assert report.counts["fetch_errors"] == 1
    assert [n.item for n in report.notes] == ["sources"]
    assert "fetching sources failed: AttributeError" in report.notes[0].message


def run_statuses(db: str) -> list[str]:
    con = duckdb.connect(db, read_only=True)
    try:
        return [r[0] for r in con.execute("select status from runs order by started_at").fetchall()]
    finally:
        con.close()


def test_an_smtp_config_error_stops_the_run(project_env):
    """Credentials in clear text to a remote relay is a config mistake: the run fails loudly
    (refused before any connection), it does not become a note in a 'completed' run."""
    env = {**project_env, "MARSAD_SMTP_HOST": "smtp.example.org", "MARSAD_SMTP_USER": "marsad",
           "MARSAD_SMTP_PASSWORD": "secret", "MARSAD_SMTP_TLS": "none"}
    with pytest.raises(ConfigError, match="clear text"):
        run_daily(load_config(env=env, offline=True))
    assert run_statuses(env["MARSAD_DB"]) == ["failed"]


def test_an_unreachable_relay_is_a_note_and_the_run_completes(project_env):
    config_dir = Path(project_env["MARSAD_CONFIG"])
    toml = config_dir / "marsad.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[smtp]\n", "[smtp]\nretries = 0\n"), encoding="utf-8")
    env = {**project_env, "MARSAD_SMTP_HOST": "127.0.0.1", "MARSAD_SMTP_PORT": str(free_port()), "MARSAD_SMTP_TLS": "none"}
    _, summary = run_daily(load_config(env=env, offline=True))  # nothing listens there: refused
    assert [n.stage for n in summary.notes if n.item == "smtp"] == ["deliver"]
    assert "could not be sent" in next(n.message for n in summary.notes if n.item == "smtp")
    assert run_statuses(env["MARSAD_DB"]) == ["completed"]


def test_a_rerun_reads_only_the_seed_files_not_stored_yet(project_env, tmp_path):
    """Stored seeds are not extracted again (the warehouse keeps an article's first version
    anyway): a warm run skips trafilatura and langdetect for them; a new file is still read."""
    seeds = tmp_path / "seeds"
    shutil.copytree(Path(project_env["MARSAD_SEEDS"]), seeds)
    env = {**project_env, "MARSAD_SEEDS": str(seeds)}
    run_daily(load_config(env=env, offline=True))
    first = sorted(seeds.glob("*.txt"))[0]
    before = first.read_text(encoding="utf-8")
    first.write_text("نص معدل لا يقرأ من جديد", encoding="utf-8")
    (seeds / "zz_new.txt").write_text(before + "\nفقرة جديدة تماما عن قيود تصدير الرقائق.", encoding="utf-8")
    _, summary = run_daily(load_config(env=env, offline=True))
    c = summary.counts
    assert (c["seeds_loaded"], c["seeds_stored"], c["seeds_skipped"], c["articles_new"]) == (6, 5, 0, 1)
    con = duckdb.connect(env["MARSAD_DB"], read_only=True)
    try:
        texts = [t for (t,) in con.execute("select text from articles where source = 'seeds'").fetchall()]
    finally:
        con.close()
    assert len(texts) == 6 and not any("نص معدل" in t for t in texts)
