"""Quality gate: Marsad's extraction path must not score below its pinned floors.

Runs scripts/eval_extraction.py once (~25 s): the benchmark's score.py on `marsad extract`'s
batch mode (the installed binary), over the 305 shared pages and over our layout fixtures
(tests/data/extraction).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval" / "extraction"
SCRIPT = ROOT / "scripts" / "eval_extraction.py"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not (EVAL / "score.py").exists(), reason=f"extraction benchmark not found at {EVAL} (../shared absent)"
)]


PINNED = json.loads((ROOT / "tests" / "quality_baseline.json").read_text(encoding="utf-8"))["extraction"]


@pytest.fixture(scope="module")
def report() -> dict:
    proc = subprocess.run([sys.executable, str(SCRIPT), "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.stdout, f"eval produced no output: {proc.stderr[-800:]}"
    return json.loads(proc.stdout.splitlines()[-1])


def test_floors_are_never_below_bare_trafilatura():
    assert set(PINNED["floors"]) == set(PINNED["baseline"])
    for name, base in PINNED["baseline"].items():
        assert PINNED["floors"][name] >= base, f"floor for {name} is below the bare-trafilatura baseline"


def test_every_pinned_subset_meets_its_floor(report):
    groups = report["groups"]
    assert groups["all"]["n"] == 305 and groups["lang=ar"]["n"] == 2
    assert report["floors"] == PINNED["floors"]
    for name, floor in PINNED["floors"].items():
        assert groups[name]["F1"] >= floor, report["failures"]
    assert report["failures"] == []


def test_layout_fixtures_meet_every_class_floor_and_the_page_floor(report):
    layouts = report["layouts"]
    pinned = PINNED["layouts"]
    assert report["layout_floors"] == pinned["floors"]
    for name, floor in pinned["floors"].items():
        assert layouts[name]["F1"] >= floor, (name, layouts[name])
    pages = layouts["_pages"]
    assert len(pages) == layouts["all"]["n"] >= 36
    low = {page: f1 for page, f1 in pages.items() if f1 < pinned["min_page"]}
    assert low == {}, f"pages below the per-page floor {pinned['min_page']}: {low}"


def test_layout_floors_are_at_least_the_issue_targets():
    pinned = PINNED["layouts"]
    assert pinned["min_page"] >= 0.90
    assert all(floor >= 0.97 for floor in pinned["floors"].values())
    assert {"source=table", "source=amp", "source=sidebar"} <= set(pinned["floors"])
