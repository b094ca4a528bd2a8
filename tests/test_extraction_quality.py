"""Quality gate: Marsad's extraction path must not score below its pinned floors.

Runs scripts/eval_extraction.py (which runs ../shared/eval/extraction/score.py on
`python -m extractors.extract`, i.e. `marsad extract`'s batch mode) once, ~20 s.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval" / "extraction"
SCRIPT = ROOT / "scripts" / "eval_extraction.py"

pytestmark = pytest.mark.skipif(
    not (EVAL / "score.py").exists(), reason=f"extraction benchmark not found at {EVAL} (../shared absent)"
)


def _script_module():
    spec = importlib.util.spec_from_file_location("eval_extraction", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report() -> dict:
    proc = subprocess.run([sys.executable, str(SCRIPT), "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.stdout, f"eval produced no output: {proc.stderr[-800:]}"
    return json.loads(proc.stdout.splitlines()[-1])


def test_floors_are_never_below_bare_trafilatura():
    module = _script_module()
    for name, base in module.BASELINE.items():
        assert module.FLOORS[name] >= base, f"floor for {name} is below the bare-trafilatura baseline"


def test_overall_and_arabic_scores_meet_the_pinned_floors(report):
    groups, floors = report["groups"], report["floors"]
    assert groups["all"]["n"] == 305 and groups["lang=ar"]["n"] == 2
    assert groups["all"]["F1"] >= floors["all"], report["failures"]
    assert groups["lang=ar"]["F1"] >= floors["lang=ar"], report["failures"]
    assert report["failures"] == []


def test_human_annotated_subset_is_not_worse_than_baseline(report):
    # BASELINE.md: bare trafilatura scores 0.944 on the gold-human (scrapinghub) pages.
    assert report["groups"]["truth_kind=gold-human"]["F1"] >= 0.944
