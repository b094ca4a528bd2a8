"""The CLI contract: every command has help and is in the README; errors are one line + exit code.

Config mistakes go through the real `marsad` binary: exit 2, exactly one line on stderr, no
traceback, under 2 s, and Prefect never started (importing Prefect creates PREFECT_HOME, so
its absence proves it; an in-process run also checks `sys.modules`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from extractors.core.days import today_in
from extractors.core.errors import MarsadError, UsageError
from extractors.core.settings import Settings
from flows.cli import app

ROOT = Path(__file__).resolve().parents[1]
MARSAD = Path(sys.executable).with_name("marsad")
# The DESIGN.md contract's commands; the README and help checks below loop over every
# registered command, so a new one cannot skip them.
CONTRACT = {"run", "tag", "extract", "digest", "dashboard", "retag", "serve"}
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands if c.callback)
runner = CliRunner()


def test_every_command_is_registered_and_has_help():
    assert set(COMMANDS) >= CONTRACT
    for cmd in app.registered_commands:
        assert (cmd.callback.__doc__ or "").strip(), f"{cmd.callback.__name__} has no help text"
        result = runner.invoke(app, [cmd.name or cmd.callback.__name__, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert re.search(rf"`marsad {name}\b", readme), f"`marsad {name}` missing from README.md"
    for target in ("make run", "make test", "make bench"):
        assert target in readme


def test_bad_config_is_one_line_exit_2(tmp_path):
    (tmp_path / "marsad.toml").write_text("[digest]\ntimezone = 'Mars/Olympus'\n")
    proc = subprocess.run([str(MARSAD), "digest"], env={"MARSAD_CONFIG": str(tmp_path), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Mars/Olympus" in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(("args", "says"), [
    (["run", "--bogus"], "Error: No such option: --bogus (see marsad run -h)"),
    (["nosuch"], "Error: No such command 'nosuch' (see marsad -h)"),
    (["sql", "--format"], "Error: Option '--format' requires an argument (see marsad sql -h)"),
    (["digest", "--date"], "Error: Option '--date' requires an argument (see marsad digest -h)"),
])
def test_a_usage_error_is_one_line_exit_2(tmp_path, args, says):
    """The real binary: click's usage errors are one line like every other error (not a usage
    line, a hint and a box), naming the command whose help to read; `--debug` keeps click's form."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFECT_HOME": str(tmp_path / "prefect")}
    proc = subprocess.run([str(MARSAD), *args], env=env, capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout, proc.stderr.splitlines()) == (2, "", [says])
    debug = subprocess.run([str(MARSAD), "--debug", *args], env=env, capture_output=True, text=True, timeout=60)
    assert debug.returncode == 2 and "Error: " in debug.stderr and "(see marsad" not in debug.stderr


def test_help_and_bare_marsad_through_the_real_binary(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PREFECT_HOME": str(tmp_path / "prefect")}
    helped = subprocess.run([str(MARSAD), "run", "-h"], env=env, capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "Usage" in helped.stdout and helped.stderr == ""
    bare = subprocess.run([str(MARSAD)], env=env, capture_output=True, text=True, timeout=60)
    assert bare.returncode == 2 and "Usage" in bare.stdout and "Error" not in bare.stdout + bare.stderr
    shown = subprocess.run([str(MARSAD), "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and shown.stdout.startswith("marsad ")


def test_locked_warehouse_is_one_line_exit_3(project_env):
    """Someone holds the analysts' file open read-write (not read-only): a writer waits its
    [run] lock_wait_seconds for a consistent copy, then says exactly that, in one line."""
    from warehouse.db import connect

    with (Path(project_env["MARSAD_CONFIG"]) / "marsad.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[run]\nlock_wait_seconds = 1\n")
    con = connect(project_env["MARSAD_DB"])
    try:
        proc = subprocess.run([str(MARSAD), "digest"], env={**project_env, "PATH": "/usr/bin:/bin"},
                              capture_output=True, text=True, timeout=60)
    finally:
        con.close()
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and "is locked" in proc.stderr and "Traceback" not in proc.stderr
    assert "open for writing" in proc.stderr and "read_only=True" in proc.stderr


def test_bad_date_is_rejected(project_env):
    result = runner.invoke(app, ["digest", "--date", "26/11/2026"], env=project_env)
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_debug_raises_the_exception_instead_of_one_line(project_env):
    quiet = runner.invoke(app, ["digest", "--date", "nope"], env=project_env)
    assert quiet.exit_code == 2 and quiet.output.startswith("Error: ") and quiet.exception.__class__ is SystemExit
    loud = runner.invoke(app, ["--debug", "digest", "--date", "nope"], env=project_env)
    assert isinstance(loud.exception, MarsadError) and "YYYY-MM-DD" in str(loud.exception)
    assert loud.exit_code == 1
    binary = subprocess.run([str(MARSAD), "--debug", "digest", "--date", "nope"], env=project_env,
                            capture_output=True, text=True, timeout=60)  # through the console script too
    assert binary.returncode == 1 and "Traceback" in binary.stderr
    assert binary.stderr.strip().splitlines()[-1].startswith("extractors.core.errors.UsageError: --date must be")


@pytest.mark.parametrize("command", ["digest", "retag", "reextract", "dashboard"])
def test_maintenance_commands_need_an_existing_warehouse(command, project_env):
    result = runner.invoke(app, [command], env=project_env)
    assert result.exit_code == 3
    assert "no warehouse at" in result.output and "make run" in result.output
    assert not Path(project_env["MARSAD_DB"]).exists()


# ---- config mistakes fail fast, before Prefect -------------------------------------------

def broken_env(tmp_path: Path, marsad_toml: str | None = None, sources: str | None = None) -> dict[str, str]:
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    if marsad_toml is not None:
        (config / "marsad.toml").write_text(marsad_toml, encoding="utf-8")
    if sources is not None:
        (config / "sources.toml").write_text(sources, encoding="utf-8")
    return {"PATH": "/usr/bin:/bin", "MARSAD_CONFIG": str(config), "PREFECT_HOME": str(tmp_path / "prefect-home"),
            "MARSAD_DB": str(tmp_path / "data" / "marsad.duckdb"), "MARSAD_OUTBOX": str(tmp_path / "data" / "outbox")}


def fails_fast(args: list[str], env: dict[str, str]) -> str:
    """Run the binary; assert exit 2, one stderr line, no traceback, < 2 s, no Prefect, no DB."""
    started = time.monotonic()
    proc = subprocess.run([str(MARSAD), *args], env=env, capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert elapsed < 2.0, f"took {elapsed:.2f}s"
    assert not Path(env["PREFECT_HOME"]).exists(), "Prefect was imported before validation"
    assert not Path(env["MARSAD_DB"]).exists()
    return lines[0]


@pytest.mark.parametrize(("toml", "expected"), [
    ("[fetchh]\nmin_delay = 1\n", "marsad.toml: unknown section [fetchh] (did you mean [fetch]?)"),
    ("[digest]\ntopn = 3\n", "marsad.toml [digest]: unknown key 'topn' (did you mean 'top_n'?)"),
    ("[fetch]\nmax_agedays = 1\n", "marsad.toml [fetch]: unknown key 'max_agedays' (did you mean 'max_age_days'?)"),
    ("[fetch]\nretries = 'two'\n", "marsad.toml [fetch]: 'retries' must be an integer, got 'two'"),
    ("[compute]\nworkers = 0\n", "marsad.toml [compute]: 'workers' must be >= 1, got 0"),
])
def test_marsad_toml_typos_stop_the_run_before_prefect(tmp_path, toml, expected):
    line = fails_fast(["run"], broken_env(tmp_path, marsad_toml=toml))
    assert expected in line


def test_a_bad_source_stops_the_run_before_prefect(tmp_path):
    env = broken_env(tmp_path, sources='[[source]]\nname = "a"\nkind = "rss"\nurl = "https://x.example/"\nenabeld = false\n')
    assert "sources.toml [[source]] #1 (a): unknown key 'enabeld' (did you mean 'enabled'?)" in fails_fast(["run"], env)


def test_a_missing_sources_file_is_an_error(tmp_path):
    env = broken_env(tmp_path)
    line = fails_fast(["run", "--offline", "--sources", str(tmp_path / "no-such.toml")], env)
    assert f"sources file not found: {tmp_path}/no-such.toml" in line


@pytest.mark.parametrize("command", [["digest"], ["tag"], ["extract", "page.html"], ["dashboard"], ["serve"],
                                     ["sql", "select 1"], ["export"]])
def test_every_command_validates_all_config_first(tmp_path, command):
    env = broken_env(tmp_path, marsad_toml="[digest]\ntopn = 3\n")
    assert "unknown key 'topn'" in fails_fast(command, env)


def test_validation_happens_without_importing_prefect(tmp_path):
    """In-process: the CLI's config error leaves Prefect (and the flow) unimported."""
    env = {**os.environ, **broken_env(tmp_path, marsad_toml="[fetchh]\n")}
    code = ("import sys\nfrom flows.cli import app\n"
            "try:\n    app(['run'])\nexcept SystemExit as e:\n    code = e.code\n"
            "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('prefect', 'flows')))")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "2 ['flows', 'flows.cli', 'flows.cli_errors', 'flows.config', 'flows.prefect_env']", proc.stderr
    assert "unknown section [fetchh]" in proc.stderr


def test_a_config_deprecation_is_one_warning_line(tmp_path):
    """The CLI prints a ConfigDeprecationWarning (an old key name) as one `Warning:` line."""
    code = ("from flows.cli import app\n"
            "from extractors.core.config import parse\n"
            "from extractors.core.settings import DigestSection\n"
            "class Renamed(DigestSection):\n    renamed = {'topn': 'top_n'}\n"
            "@app.command('check-renamed')\n"
            "def check() -> None:\n    print(parse(Renamed, {'topn': 4}, where='marsad.toml [digest]').top_n)\n"
            "app(['check-renamed'])\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout == "4\n", proc.stderr
    assert proc.stderr.splitlines() == [
        "Warning: marsad.toml [digest]: 'topn' is an old name, write 'top_n' instead (still accepted for now)"]


# ---- inputs ----------------------------------------------------------------------------

def test_a_future_digest_date_is_refused(tmp_path):
    env = broken_env(tmp_path)
    tomorrow = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Riyadh")) + timedelta(days=1)).date()
    line = fails_fast(["digest", "--date", tomorrow.isoformat()], env)
    assert f"digest date {tomorrow} is after today" in line and "Asia/Riyadh" in line
    assert not Path(env["MARSAD_OUTBOX"]).exists()
    assert "is after today" in fails_fast(["run", "--offline", "--date", "2099-01-01"], env)


def test_today_is_judged_in_the_digest_time_zone():
    """UTC+14 and UTC-11 are 25 hours apart: their dates always differ, so the same day is
    today (or past) in one and the future in the other."""
    def settings(tz: str) -> Settings:
        return Settings(Path("c"), Path("d"), Path("o"), Path("b"), Path("s"), timezone=tz)

    now = datetime.now(UTC)  # one instant for every call: the test cannot straddle a midnight
    ahead, behind = settings("Pacific/Kiritimati"), settings("Pacific/Pago_Pago")
    day = today_in(ahead.tz, now)
    assert ahead.digest_day(day, now) == day and ahead.digest_day(None, now) == day
    assert behind.digest_day(today_in(behind.tz, now), now) == today_in(behind.tz, now) < day
    with pytest.raises(UsageError, match="after today") as info:
        behind.digest_day(day, now)
    assert info.value.exit_code == 2


def test_jsonl_lines_without_an_id_get_an_error_line(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><article><p>" + "قيود جديدة على تصدير الرقائق إلى الصين. " * 8
                    + "</p></article></body></html>", encoding="utf-8")
    env = {**broken_env(tmp_path), "PATH": os.environ["PATH"]}
    tag_in = "\n".join(json.dumps(x, ensure_ascii=False) for x in
                       [{"text": "قيود التصدير"}, {"id": "a", "text": "قيود التصدير"}, {"id": None, "text": "x"}])
    tag = subprocess.run([str(MARSAD), "tag"], input=tag_in + "\n", env=env, capture_output=True, text=True, timeout=60)
    rows = [json.loads(x) for x in tag.stdout.splitlines()]
    assert tag.returncode == 0 and [r["id"] for r in rows] == [None, "a", None]
    assert 'missing "id"' in rows[0]["error"] and "error" not in rows[1] and 'missing "id"' in rows[2]["error"]
    assert tag.stderr.splitlines() == ['Warning: 2 input line(s) could not be tagged (see their "error" field)']

    jobs = "\n".join(json.dumps(x) for x in [{"html_path": str(page)}, {"id": "p", "html_path": str(page)}])
    ext = subprocess.run([str(MARSAD), "extract", "--strict"], input=jobs + "\n", env=env, capture_output=True,
                         text=True, timeout=60)
    rows = [json.loads(x) for x in ext.stdout.splitlines()]
    assert ext.returncode == 1  # --strict: a failed line fails the command
    assert [r["id"] for r in rows] == [None, "p"] and rows[0]["error"] == 'line 1: missing "id"'
    assert rows[1]["lang"] == "ar" and "error" not in rows[1]


def test_version_and_short_help():
    proc = subprocess.run([str(MARSAD), "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout == f"marsad {version('marsad')}\n"
    for args in (["-h"], ["run", "-h"]):
        proc = subprocess.run([str(MARSAD), *args], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and "Usage: marsad" in proc.stdout


@pytest.mark.parametrize(("args", "says"), [
    (["sql", "--format", "xml", "select 1"], "--format must be one of table, csv, json, markdown, got 'xml'"),
    (["sql", "select 1", "-f", "q.sql"], "give the SQL either as an argument or with -f FILE, not both"),
    (["sql", "-f", "no-such.sql"], "cannot read the SQL file no-such.sql"),
    (["sql"], "no SQL to run"),  # CliRunner's stdin is empty, not a terminal
])
def test_marsad_sql_usage_errors_are_one_line_exit_2(tmp_path, args, says):
    env = broken_env(tmp_path)
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [result.stderr.strip()] and says in result.stderr
