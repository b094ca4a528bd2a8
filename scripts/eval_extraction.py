"""Score Marsad's extraction path on ../shared/eval/extraction and on our layout fixtures.

Usage:
    .venv/bin/python scripts/eval_extraction.py            # summary tables + floor check
    .venv/bin/python scripts/eval_extraction.py --json     # the same figures as one JSON object
    .venv/bin/python scripts/eval_extraction.py --pages    # also every page's P/R/F1

Two sets, one scorer (the benchmark's own score.py, whitespace tokens, P/R/F1 per page):
- the shared benchmark: 305 real pages, mostly English (the regression gate);
- the layout fixtures in tests/data/extraction (table-based, AMP and sidebar-heavy Arabic
  pages, windows-1256 among them, plus real Arabic pages with hand-made truth, plus a
  held-out set written after the rules): every class mean and every page's F1 has a floor.

It runs the benchmark's own `score.py` with the command `marsad extract` (falling back to
`python -m flows.cli extract`), the batch mode (JSONL {"id","html_path"} in, {"id","text",…} out), so the
score is that of the exact path the daily flow uses. Both the overall mean F1 and the lang=ar
subset come from one run. Exit status 1 when a figure is below its floor.

Floors are pinned in tests/quality_baseline.json, which tests/test_extraction_quality.py reads
too: never lower one without saying why in docs/EXTRACTION.md. Bare `trafilatura.extract` scores
0.9371 overall and 0.957 on lang=ar (BASELINE.md); Marsad must not fall below either.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT.parent / "shared" / "eval" / "extraction"
# Baseline (bare trafilatura 2.3.1, BASELINE.md) and pinned floors (Marsad's score when the
# floor was last set, never below the baseline) live in the one baseline file the tests read.
# Extraction is deterministic, so a drop below a floor means a real regression.
_PINNED = json.loads((ROOT / "tests" / "quality_baseline.json").read_text(encoding="utf-8"))["extraction"]
BASELINE: dict[str, float] = _PINNED["baseline"]
FLOORS: dict[str, float] = _PINNED["floors"]
LAYOUTS_DIR = ROOT / "tests" / "data" / "extraction"
LAYOUT_SETS: list[str] = _PINNED["layouts"]["sets"]
LAYOUT_FLOORS: dict[str, float] = _PINNED["layouts"]["floors"]
LAYOUT_MIN_PAGE: float = _PINNED["layouts"]["min_page"]
# The installed CLI itself (`marsad extract`, batch mode), so the gate scores what users run.
_CLI = Path(sys.executable).with_name("marsad")
EXTRACT_COMMAND = [str(_CLI), "extract"] if _CLI.exists() else [sys.executable, "-m", "flows.cli", "extract"]
_GROUP = re.compile(r"^# (\S+)\s+n=(\d+)\s+mean_P=([\d.]+) mean_R=([\d.]+) mean_F1=([\d.]+)")
_WALL = re.compile(r"command wall time ([\d.]+)s for (\d+) pages")


def run_score(truth: Path | None = None, timeout: float = 600) -> tuple[dict[str, dict[str, float]], str]:
    """Run score.py over every page of a truth file; return ({group: {n, P, R, F1}}, raw output).

    Per-page F1s are returned too, under the group "_pages" ({id: F1}).
    """
    score = EVAL_DIR / "score.py"
    if not score.exists():
        raise FileNotFoundError(f"{score} not found: put ../shared beside the repository")
    truth = truth or EVAL_DIR / "truth.jsonl"
    cmd = [sys.executable, str(score), str(truth), "--timeout", str(timeout), "--", *EXTRACT_COMMAND]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout + 60, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"score.py failed (exit {proc.returncode}): {proc.stdout[-500:]}{proc.stderr[-500:]}")
    groups: dict[str, dict[str, float]] = {"_pages": {}}
    for line in proc.stdout.splitlines():
        if match := _GROUP.match(line):
            name, n, p, r, f1 = match.groups()
            groups[name] = {"n": int(n), "P": float(p), "R": float(r), "F1": float(f1)}
        elif match := _WALL.search(line):
            groups["_timing"] = {"wall_s": float(match.group(1)), "pages": int(match.group(2))}
        elif (cells := line.split("\t")) and len(cells) == 9 and cells[0] != "id":
            groups["_pages"][cells[0]] = float(cells[5])
    return groups, proc.stdout


def layout_truth(folder: Path) -> Path:
    """The layout fixture sets as one truth file (absolute page paths) for score.py."""
    out = folder / "layouts.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for name in LAYOUT_SETS:
            for raw in (LAYOUTS_DIR / name).read_text(encoding="utf-8").splitlines():
                if raw.strip():
                    row = json.loads(raw)
                    row["page"] = str((LAYOUTS_DIR / row["page"]).resolve())
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


def run_layouts(timeout: float = 600) -> tuple[dict[str, dict[str, float]], str]:
    with tempfile.TemporaryDirectory(prefix="marsad-layouts-") as tmp:
        return run_score(layout_truth(Path(tmp)), timeout)


def check_floors(groups: dict[str, dict[str, float]], layouts: dict[str, dict[str, float]] | None = None) -> list[str]:
    """One message per figure below its floor (empty when all pass)."""
    failures = []
    for name, floor in FLOORS.items():
        got = groups.get(name, {}).get("F1")
        if got is None or got < floor:
            failures.append(f"{name}: mean F1 {got} below the pinned floor {floor}")
    if layouts is not None:
        for name, floor in LAYOUT_FLOORS.items():
            got = layouts.get(name, {}).get("F1")
            if got is None or got < floor:
                failures.append(f"layouts {name}: mean F1 {got} below the pinned floor {floor}")
        for page, f1 in layouts.get("_pages", {}).items():
            if f1 < LAYOUT_MIN_PAGE:
                failures.append(f"layouts page {page}: F1 {f1} below the per-page floor {LAYOUT_MIN_PAGE}")
    return failures


def _print_groups(groups: dict[str, dict[str, float]], order: list[str], base: dict[str, float],
                  floors: dict[str, float]) -> None:
    print(f"{'subset':<30} {'n':>4} {'mean P':>7} {'mean R':>7} {'mean F1':>8} {'baseline':>9} {'floor':>7}")
    for name in order:
        if name in groups:
            g, b, f = groups[name], base.get(name), floors.get(name)
            print(f"{name:<30} {g['n']:>4} {g['P']:>7.4f} {g['R']:>7.4f} {g['F1']:>8.4f} "
                  f"{'' if b is None else f'{b:.4f}':>9} {'' if f is None else f'{f:.4f}':>7}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--pages", action="store_true", help="also print score.py's per-page lines")
    args = ap.parse_args(argv)
    try:
        groups, raw = run_score()
        layouts, raw_layouts = run_layouts()
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    failures = check_floors(groups, layouts)
    if args.json:
        print(json.dumps({"groups": groups, "layouts": layouts, "floors": FLOORS, "baseline": BASELINE,
                          "layout_floors": LAYOUT_FLOORS, "layout_min_page": LAYOUT_MIN_PAGE,
                          "failures": failures}))
        return 1 if failures else 0
    if args.pages:
        for out in (raw, raw_layouts):
            print("\n".join(line for line in out.splitlines() if not line.startswith(("#", "mean_f1"))))
    timing = groups.get("_timing", {})
    print(f"Marsad extraction path on {EVAL_DIR} ({timing.get('pages', '?')} pages, "
          f"{timing.get('wall_s', '?')} s wall for the whole command)")
    _print_groups(groups, ["all", "lang=ar", "truth_kind=gold-human", "truth_kind=silver-parser",
                           "truth_kind=silver-extractor", "lang=en", "lang=de", "lang=ja", "lang=zh"], BASELINE, FLOORS)
    pages = layouts.get("_pages", {})
    worst = min(pages.items(), key=lambda kv: kv[1]) if pages else ("?", 0.0)
    print(f"\nLayout fixtures in {LAYOUTS_DIR.relative_to(ROOT)} ({len(pages)} Arabic pages; "
          f"lowest page F1 {worst[1]:.4f} ({worst[0]}), floor {LAYOUT_MIN_PAGE})")
    _print_groups(layouts, ["all", "source=table", "source=amp", "source=sidebar", "source=real",
                            "truth_kind=written", "truth_kind=real-hand", "truth_kind=holdout"], {}, LAYOUT_FLOORS)
    print("FAIL: " + "; ".join(failures) if failures else "PASS: every pinned floor is met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
