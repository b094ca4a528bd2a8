"""Shared fixtures: the ../shared folder, isolated config and settings on a temp warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.prefect_env import quiet_prefect

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

quiet_prefect()  # the CLI's quiet-Prefect defaults, before any test imports Prefect


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repository (fixtures, eval sets); tests skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared not found at {SHARED}: shared fixtures and eval sets are unavailable")
    return SHARED


@pytest.fixture()
def project_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a Marsad run in isolation: temp DB, outbox, dashboard, a copy of config/."""
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    return {
        "MARSAD_CONFIG": str(config),
        "MARSAD_DB": str(tmp_path / "data" / "marsad.duckdb"),
        "MARSAD_OUTBOX": str(tmp_path / "data" / "outbox"),
        "MARSAD_DASHBOARD": str(tmp_path / "data" / "dashboard"),
        "MARSAD_SEEDS": str(ROOT / "seeds"),
    }


@pytest.fixture()
def config(project_env: dict[str, str]):
    """All config, validated, for an isolated, offline run (seeds only)."""
    from flows.config import load_config

    return load_config(env=project_env, offline=True)


@pytest.fixture()
def settings(config):
    """The Settings of `config`."""
    return config.settings


@pytest.fixture()
def fresh_db(tmp_path: Path):
    """An open connection to a new, migrated warehouse file (sqlite-utils' `fresh_db`, on disk:
    DuckDB files are what production uses, so the tests use them too)."""
    from warehouse.db import open_warehouse

    with open_warehouse(tmp_path / "w.duckdb") as con:
        yield con


@pytest.fixture(scope="session")
def analyst_checkout(tmp_path_factory):
    """A folder laid out like a checkout, whose `data/marsad.duckdb` a real `marsad run` filled
    (seeds + two loopback outlets); built once per session (~20 s: a Prefect flow run)."""
    from tests.analyst_world import build

    return build(tmp_path_factory.mktemp("analyst"))


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright (scripts/install-test-deps.sh installs both);
    the test is skipped, with the reason, where either is missing."""
    exe = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if not exe:
        pytest.skip("Debian chromium is not installed (scripts/install-test-deps.sh installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="python playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(exe), args=CHROMIUM_ARGS)
        yield b
        b.close()
