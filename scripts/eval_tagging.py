"""Per-topic precision, recall and F1 of the tagger on labelled JSONL sets.

Usage:
    .venv/bin/python scripts/eval_tagging.py [FILE.jsonl ...] [--config DIR] [--errors]
    .venv/bin/python scripts/eval_tagging.py --explain "some passage"

Without FILE it evaluates every set pinned in tests/quality_baseline.json (the seed paragraphs
in ../shared, our own rounds 1-4, the lead's holdout, ...) against its floors, and exits 1 when
one is below: the same figures and floors as the quality gate (tests/test_tagging_quality.py).
Each line is {"id", "text", "topics": [...]}. `--errors` lists every false positive and false
negative with its evidence, which is what an analyst needs when editing config/topics.toml —
except for a `test` split (real-dev's `test`): its figures are printed, its errors never, so
that it stays an unseen measure (../shared/eval/README-real-dev.md). Then the wrong tags per
1,000 held-out paragraphs of real news about other things, against their pinned ceiling
(extractors/tagging/other_news.py). `--rules-only` evaluates
without the topic model (approach (a) in docs/TAGGING.md).

Every micro-F1 comes with its 95% bootstrap interval over the set's passages
(extractors/tagging/intervals.py): on 120 passages one passage is ~0.008, so a change smaller
than the interval's width is not a change the set can see. `--against DIR` also tags each set
with the taxonomy in DIR (e.g. a `git worktree` of main's config) and prints the difference
(--config minus DIR) with its paired interval: the figure to decide a change by. `--changed`
with `--against DIR` prints instead, per set, how many passages the two tag differently, and
reads no label: on the `test` split 0 means the change leaves its figure as it was, so it needs
no look at `test` (docs/TAGGING.md round 10).

Why a script and not only tests: the tests pin floors; this prints the numbers an analyst
looks at after changing a rule.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from extractors.core.topics import TOPICS
from extractors.tagging.evaluate import (
    Scores,
    changed,
    evaluate,
    labelled_sets,
    load_jsonl,
    other_news,
    report,
)
from extractors.tagging.intervals import difference_interval
from extractors.tagging.tagger import Tagger, load_tagger

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--config", type=Path, default=ROOT / "config")
    parser.add_argument("--errors", action="store_true", help="list false positives/negatives")
    parser.add_argument("--explain", metavar="TEXT", help="show groups and fired rules per sentence")
    parser.add_argument("--rules-only", action="store_true", help="without config/topic_model.json.gz (DIR's too)")
    parser.add_argument("--against", type=Path, metavar="DIR",
                        help="also print the difference from the taxonomy in DIR, with its paired interval")
    parser.add_argument("--changed", action="store_true",
                        help="with --against: only count the passages tagged differently (reads no label)")
    args = parser.parse_args(argv)
    if args.changed and not args.against:
        parser.error("--changed needs --against DIR")
    tagger = load_tagger(args.config, model=not args.rules_only)
    baseline = load_tagger(args.against, model=not args.rules_only) if args.against else None
    if args.explain:
        for row in tagger.explain(args.explain):
            print(row["sentence"], "\n  groups:", " ".join(row["groups"]), "\n  fired:", row["fired"])
        for tag in tagger.all_topics(tagger.analyse(args.explain)):
            print(f"{tag.topic}: {tag.path} (score {tag.score})")
        if tagger.model is not None:
            print("model:", {t: round(p, 3) for t, p in tagger.probabilities(args.explain).items()})
        return 0
    model = "rules only" if tagger.model is None else f"model {tagger.model.digest[:12]}"
    print(f"taxonomy_version {tagger.taxonomy_version} ({model})\n")
    # (name, path, rows, floors, blind) — the pinned sets by default, else the files given
    runs = ([(s.name, s.path, s.rows, (s.micro, s.per_topic), s.blind) for s in labelled_sets()] if not args.files
            else [(p.name, p, lambda p=p: _not_test(load_jsonl(p)), None, False) for p in args.files])
    if args.changed:
        assert baseline is not None
        return count_changes(tagger, baseline, [(name, path, rows) for name, path, rows, _, _ in runs])
    failed = False
    for name, path, rows, floors, blind in runs:
        if not path.exists():
            print(f"{path}: not found, skipped\n")
            continue
        scores = evaluate(tagger, rows(), list_errors=not blind, against=baseline)
        print(report(name, scores) + ("\n(test split: aggregate figures only, errors are never listed)" if blind else ""))
        if floors:
            below = scores.below(*floors)
            failed |= bool(below)
            print("floors: " + ("; ".join(below) if below else "all met"))
        if baseline is not None:
            print(difference(scores, args.against))
        if args.errors:
            print("\n".join(scores.errors))
        print()
    if not args.files:
        failed |= not ordinary_news(tagger, baseline)
    return 1 if failed else 0


def count_changes(tagger: Tagger, baseline: Tagger, runs: list) -> int:
    """`--changed`: per set (and the held-out news about other things), how many passages the
    two taxonomies tag differently; no label is read, so the `test` split may be counted."""
    gate = other_news()
    if gate.corpus.exists():
        runs = [*runs, (f"other news, {gate.split} half", gate.corpus, gate.rows)]
    for name, path, rows in runs:
        if not path.exists():
            print(f"{path}: not found, skipped")
            continue
        texts = rows()
        print(f"{name}: tagged differently {changed(tagger, baseline, texts)} of {len(texts)}")
    return 0


def ordinary_news(tagger: Tagger, baseline: Tagger | None) -> bool:
    """Print wrong tags per 1,000 held-out paragraphs of news about other things (and DIR's);
    False when above the pinned ceiling. `--errors` does not list them: they are held out too."""
    gate = other_news()
    if not gate.corpus.exists():
        print(f"{gate.corpus}: not found, other news skipped")
        return True
    rows = gate.rows()
    rate = gate.rate(tagger, rows)
    print(f"other news, {gate.split} half ({len(rows)} paragraphs): wrong tags per 1,000 "
          + ", ".join(f"{t} {rate[t]:.2f}" for t in TOPICS) + f"; all {rate['all']:.2f} (ceiling {gate.ceiling})")
    if baseline is not None:
        print(f"  the taxonomy compared against: all {gate.rate(baseline, rows)['all']:.2f}")
    return rate["all"] <= gate.ceiling


def difference(scores: Scores, against: Path) -> str:
    """F1 of --config minus F1 of DIR on the same passages, micro and per topic, each with its
    paired 95% interval; '(seen)' when the interval excludes 0."""
    joint = scores.joint
    lines = [f"difference from {against} (paired 95% intervals):"]
    for topic in (None, *TOPICS):
        d = difference_interval(joint, topic)
        seen = "  (seen)" if d.low > 0 or d.high < 0 else ""
        lines.append(f"  {topic or 'micro':16}{d.value:+7.3f}   {d.low:+.3f} … {d.high:+.3f}{seen}")
    return "\n".join(lines)


def _not_test(rows: list[dict]) -> list[dict]:
    """A file given by hand may hold a `test` split: leave it to its pinned entry (aggregate only)."""
    kept = [r for r in rows if r.get("split") != "test"]
    if len(kept) < len(rows):
        print(f"({len(rows) - len(kept)} rows of the test split skipped: see the pinned real_dev_test figures)")
    return kept


if __name__ == "__main__":
    raise SystemExit(main())
