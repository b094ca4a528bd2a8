"""Per-topic precision, recall and F1 of the tagger on labelled JSONL sets.

Usage:
    .venv/bin/python scripts/eval_tagging.py [FILE.jsonl ...] [--config DIR] [--errors]
    .venv/bin/python scripts/eval_tagging.py --explain "some passage"

Without FILE it evaluates five sets: the seed paragraphs (`../shared/eval/seeds-paragraphs.jsonl`
beside the repository, skipped with a note when absent), our own `tests/data/passages.jsonl`,
the round-2 set `tests/data/passages_r2.jsonl`, the round-3 set `tests/data/passages_r3.jsonl`
and the round-4 set `tests/data/passages_r4.jsonl` (full news paragraphs imitating real
coverage) — batches written after the taxonomy, each scored before the rules were changed for
it; see docs/TAGGING.md.
Each line is {"id", "text", "topics": [...]}. `--errors` lists every false positive and false
negative with its evidence, which is what an analyst needs when editing config/topics.toml.

Why a script and not only tests: the tests pin floors; this prints the numbers an analyst
looks at after changing a rule.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.topics import TOPICS, Tagger, load_tagger  # noqa: E402

SEEDS = ROOT.parent / "shared" / "eval" / "seeds-paragraphs.jsonl"
OWN = ROOT / "tests" / "data" / "passages.jsonl"
ROUND2 = ROOT / "tests" / "data" / "passages_r2.jsonl"
ROUND3 = ROOT / "tests" / "data" / "passages_r3.jsonl"
ROUND4 = ROOT / "tests" / "data" / "passages_r4.jsonl"


@dataclass
class Scores:
    """Confusion counts per topic and the errors behind them."""

    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOPICS, 0))
    fp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOPICS, 0))
    fn: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOPICS, 0))
    errors: list[str] = field(default_factory=list)
    n: int = 0

    def prf(self, topic: str | None = None) -> tuple[float, float, float]:
        """(precision, recall, F1) for one topic, or micro-averaged when topic is None."""
        keys = TOPICS if topic is None else (topic,)
        tp = sum(self.tp[k] for k in keys)
        fp = sum(self.fp[k] for k in keys)
        fn = sum(self.fn[k] for k in keys)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def load_jsonl(path: Path) -> list[dict]:
    """The labelled rows of one file (blank lines ignored)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(tagger: Tagger, rows: list[dict]) -> Scores:
    """Tag every row and count agreements with its gold `topics`."""
    scores = Scores()
    for row in rows:
        scores.n += 1
        result = tagger.tag(str(row["id"]), row["text"])
        got = {t.topic: t for t in result.topics}
        gold = set(row["topics"])
        for topic in TOPICS:
            if topic in got and topic in gold:
                scores.tp[topic] += 1
            elif topic in got:
                scores.fp[topic] += 1
                scores.errors.append(f"FP {topic:16} {row['id']}: {' | '.join(got[topic].evidence)[:300]}")
            elif topic in gold:
                scores.fn[topic] += 1
                scores.errors.append(f"FN {topic:16} {row['id']}: {row['text'][:300]}")
    return scores


def report(name: str, scores: Scores) -> str:
    """A plain-text table: one row per topic, then micro-averaged."""
    lines = [f"{name}  ({scores.n} passages)", f"{'topic':18}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for topic in TOPICS:
        p, r, f = scores.prf(topic)
        lines.append(f"{topic:18}{p:7.3f}{r:7.3f}{f:7.3f}{scores.tp[topic]:5}{scores.fp[topic]:5}{scores.fn[topic]:5}")
    p, r, f = scores.prf()
    lines.append(f"{'micro':18}{p:7.3f}{r:7.3f}{f:7.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--config", type=Path, default=ROOT / "config")
    parser.add_argument("--errors", action="store_true", help="list false positives/negatives")
    parser.add_argument("--explain", metavar="TEXT", help="show groups and fired rules per sentence")
    args = parser.parse_args(argv)
    files = args.files or [SEEDS, OWN, ROUND2, ROUND3, ROUND4]
    tagger = load_tagger(args.config)
    if args.explain:
        for row in tagger.explain(args.explain):
            print(row["sentence"], "\n  groups:", " ".join(row["groups"]), "\n  fired:", row["fired"])
        return 0
    print(f"taxonomy_version {tagger.taxonomy_version}\n")
    for path in files:
        if not path.exists():
            print(f"{path}: not found, skipped\n")
            continue
        scores = evaluate(tagger, load_jsonl(path))
        print(report(path.name, scores))
        if args.errors:
            print("\n".join(scores.errors))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
