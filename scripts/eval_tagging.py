"""Per-topic precision, recall and F1 of the tagger on labelled JSONL sets.

Usage:
    .venv/bin/python scripts/eval_tagging.py [FILE.jsonl ...] [--config DIR] [--errors]
    .venv/bin/python scripts/eval_tagging.py --explain "some passage"

Without FILE it evaluates every set pinned in tests/quality_baseline.json (the seed paragraphs
in ../shared, our own rounds 1-4, the lead's holdout, ...) against its floors, and exits 1 when
one is below: the same figures and floors as the quality gate (tests/test_tagging_quality.py).
Each line is {"id", "text", "topics": [...]}. `--errors` lists every false positive and false
negative with its evidence, which is what an analyst needs when editing config/topics.toml.

Why a script and not only tests: the tests pin floors; this prints the numbers an analyst
looks at after changing a rule.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from extractors.tagging.evaluate import evaluate, labelled_sets, load_jsonl, report
from extractors.tagging.tagger import load_tagger

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--config", type=Path, default=ROOT / "config")
    parser.add_argument("--errors", action="store_true", help="list false positives/negatives")
    parser.add_argument("--explain", metavar="TEXT", help="show groups and fired rules per sentence")
    args = parser.parse_args(argv)
    tagger = load_tagger(args.config)
    if args.explain:
        for row in tagger.explain(args.explain):
            print(row["sentence"], "\n  groups:", " ".join(row["groups"]), "\n  fired:", row["fired"])
        return 0
    print(f"taxonomy_version {tagger.taxonomy_version}\n")
    # (name, rows, floors) — the pinned sets by default, else the files given
    runs = ([(s.name, s.path, s.rows, (s.micro, s.per_topic)) for s in labelled_sets()] if not args.files
            else [(p.name, p, lambda p=p: load_jsonl(p), None) for p in args.files])
    failed = False
    for name, path, rows, floors in runs:
        if not path.exists():
            print(f"{path}: not found, skipped\n")
            continue
        scores = evaluate(tagger, rows())
        print(report(name, scores))
        if floors:
            below = scores.below(*floors)
            failed |= bool(below)
            print("floors: " + ("; ".join(below) if below else "all met"))
        if args.errors:
            print("\n".join(scores.errors))
        print()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
