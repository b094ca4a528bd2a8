"""Settings: defaults, file, environment — layered once and validated with clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.core.errors import ConfigError
from extractors.core.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_and_repo_config():
    s = load_settings(ROOT / "config", env={})
    assert s.db_path == Path("data/marsad.duckdb") and s.outbox == Path("data/outbox")
    assert s.timezone == "Asia/Riyadh" and s.cron == "0 6 * * *" and s.smtp.tls == "starttls"


def test_environment_overrides_file(tmp_path):
    s = load_settings(ROOT / "config", env={"MARSAD_DB": str(tmp_path / "x.duckdb"), "MARSAD_OUTBOX": "o",
                                            "MARSAD_SMTP_TLS": "ssl", "MARSAD_SMTP_PASSWORD": "hunter2"})
    assert s.db_path == tmp_path / "x.duckdb" and s.outbox == Path("o")
    assert s.smtp.tls == "ssl" and s.smtp.port == 465
    assert "hunter2" not in repr(s)  # secrets never printed


@pytest.mark.parametrize(("content", "needle"), [
    ("[digest]\ntimezone = 'Nowhere/City'\n", "Nowhere/City"),
    ("[digest]\ntop_n = 0\n", "top_n"),
    ("[digest\n", "invalid TOML"),
])
def test_bad_files_name_the_problem(tmp_path, content, needle):
    (tmp_path / "marsad.toml").write_text(content)
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path, env={})
    assert needle in info.value.one_line()


def test_bad_smtp_env(tmp_path):
    with pytest.raises(ConfigError, match="MARSAD_SMTP_TLS"):
        load_settings(ROOT / "config", env={"MARSAD_SMTP_TLS": "maybe"})
    with pytest.raises(ConfigError, match="config folder not found"):
        load_settings(tmp_path / "missing", env={})
