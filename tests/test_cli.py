"""The CLI contract: every command has help and is in the README; errors are one line + exit code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.core.errors import MarsadError
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


def test_locked_warehouse_is_one_line_exit_3(project_env):
    from warehouse.db import connect

    con = connect(project_env["MARSAD_DB"])
    try:
        proc = subprocess.run([str(MARSAD), "digest"], env={**project_env, "PATH": "/usr/bin:/bin"},
                              capture_output=True, text=True, timeout=60)
    finally:
        con.close()
    assert proc.returncode == 3
    assert proc.stderr.count("\n") == 1 and "is locked" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_date_is_rejected(project_env):
    result = runner.invoke(app, ["digest", "--date", "26/11/2026"], env=project_env)
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_debug_raises_the_exception_instead_of_one_line(project_env):
    quiet = runner.invoke(app, ["digest", "--date", "nope"], env=project_env)
    assert quiet.exit_code == 2 and quiet.output.startswith("Error: ") and quiet.exception.__class__ is SystemExit
    loud = runner.invoke(app, ["--debug", "digest", "--date", "nope"], env=project_env)
    assert isinstance(loud.exception, MarsadError) and "YYYY-MM-DD" in str(loud.exception)
    assert loud.exit_code == 1


@pytest.mark.parametrize("command", ["digest", "retag", "reextract", "dashboard"])
def test_maintenance_commands_need_an_existing_warehouse(command, project_env):
    result = runner.invoke(app, [command], env=project_env)
    assert result.exit_code == 3
    assert "no warehouse at" in result.output and "make run" in result.output
    assert not Path(project_env["MARSAD_DB"]).exists()
