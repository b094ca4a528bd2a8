"""Drift checks: every SQL file parses, every flow module imports, the tree passes ruff."""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SQL_FILES = sorted(p for d in ("warehouse", "dashboards") for p in (ROOT / d).rglob("*.sql"))


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_sql_file_parses(path):
    statements = duckdb.connect().extract_statements(path.read_text(encoding="utf-8"))
    assert statements, f"{path} holds no statement"


@pytest.mark.parametrize("module", sorted(p.stem for p in (ROOT / "flows").glob("*.py") if p.stem != "__init__"))
def test_flow_modules_import(module):
    importlib.import_module(f"flows.{module}")


def test_prefect_yaml_declares_the_served_deployment():
    """prefect.yaml and `marsad serve` declare the same deployment, entrypoint and schedule."""
    import yaml

    from extractors.core.settings import load_settings
    from flows.daily import DEPLOYMENT_NAME, FLOW_NAME
    from flows.deploy import daily_schedule

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    (dep,) = spec["deployments"]
    module, func = dep["entrypoint"].split(":")
    assert dep["name"] == DEPLOYMENT_NAME
    assert getattr(importlib.import_module(module.removesuffix(".py").replace("/", ".")), func).name == FLOW_NAME
    schedule = daily_schedule(load_settings(ROOT / "config", env={}))
    assert dep["schedules"] == [{"cron": schedule.cron, "timezone": schedule.timezone, "active": True}]


MODULES_WITH_ALL = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for d in ("extractors", "warehouse", "dashboards", "flows") for p in (ROOT / d).rglob("*.py")
    if "__all__" in p.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("module", MODULES_WITH_ALL)
def test_all_lists_what_the_module_defines(module):
    """`__all__` names only what exists; the pipeline's (with the fetch step's module) also
    names every step the flow binds."""
    mod = importlib.import_module(module)
    assert [name for name in mod.__all__ if not hasattr(mod, name)] == []
    if module == "flows.pipeline":
        from flows import fetching

        assert set(mod.Steps.__dataclass_fields__) <= set(mod.__all__) | set(fetching.__all__)
