"""Quality gate: Marsad's extraction path must not score below its pinned floors.

Runs scripts/eval_extraction.py (which runs ../shared/eval/extraction/score.py on
`marsad extract`'s batch mode, the installed binary) once, ~20 s.
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
