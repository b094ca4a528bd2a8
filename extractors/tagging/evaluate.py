"""Precision, recall and F1 of the tagger on labelled passages, and the pinned quality floors.

Both the quality gate (tests/test_tagging_quality.py) and the analyst's script
(scripts/eval_tagging.py) call these functions and read the same floors from
`tests/quality_baseline.json`, so a figure the script prints is the figure the gate checks.
Each labelled line is {"id", "text", "topics": [...]}.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.core.topics import TOPICS
from extractors.tagging.intervals import Interval, Outcome, f1_interval, outcome
from extractors.tagging.other_news import paragraphs
from extractors.tagging.tagger import Tagger

ROOT = Path(__file__).resolve().parents[2]
BASELINE_FILE = ROOT / "tests" / "quality_baseline.json"


@dataclass
class Scores:
    """Confusion counts per topic, the errors behind them, and each passage's outcome as a
    count (no order, so no passage: what a bootstrap interval needs, extractors/tagging/intervals.py)."""

    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOPICS, 0))
    fp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOPICS, 0))
    fn: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOPICS, 0))
    errors: list[str] = field(default_factory=list)
    n: int = 0
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    # with `evaluate(..., against=other)`: counts of (other's outcome, this tagger's outcome) per
    # passage, the input of `intervals.difference_interval`
    joint: Counter[tuple[Outcome, Outcome]] = field(default_factory=Counter)

    def interval(self, topic: str | None = None) -> Interval:
        """F1 (micro when topic is None) with its 95% bootstrap interval over the passages."""
        return f1_interval(self.outcomes, topic)

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

    def below(self, micro: float, per_topic: dict[str, float]) -> list[str]:
        """One message per figure under its floor (empty when every floor is met)."""
        failures = []
        if (f := self.prf()[2]) < micro:
            failures.append(f"micro-F1 {f:.3f} < floor {micro}")
        for topic, floor in per_topic.items():
            if (f := self.prf(topic)[2]) < floor:
                failures.append(f"{topic} F1 {f:.3f} < floor {floor}")
        return failures


def false_tags(preds: Sequence[set[str]], golds: Sequence[set[str]]) -> dict[str, float]:
    """Wrong tags per 1,000 paragraphs, per topic and in all: the measure for text that is
    almost all negative, where F1 says nothing."""
    n = max(len(preds), 1)
    out = {t: round(1000 * sum(t in p and t not in g for p, g in zip(preds, golds, strict=True)) / n, 2) for t in TOPICS}
    out["all"] = round(sum(out[t] for t in TOPICS), 2)
    return out


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """The labelled rows of one file (blank lines ignored)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def topics_of(tagger: Tagger, row: Mapping[str, Any]) -> set[str]:
    """The topics `tagger` gives a labelled row's text (its label unread)."""
    return {t.topic for t in tagger.tag(str(row["id"]), row["text"]).topics}


def evaluate(tagger: Tagger, rows: list[dict[str, Any]], *, list_errors: bool = True,
             against: Tagger | None = None) -> Scores:
    """Tag every row and count agreements with its gold `topics`. With `list_errors=False`
    (a `test` split) only the counts are kept: which passages were missed is never recorded,
    so no script or test can show it while someone tunes. `against`: another tagger, tagged on
    the same rows, whose outcomes are paired with this one's in `Scores.joint` (is this tagger
    better than that one by more than the set's noise?)."""
    scores = Scores()
    for row in rows:
        scores.n += 1
        result = tagger.tag(str(row["id"]), row["text"])
        got = {t.topic: t for t in result.topics}
        gold = set(row["topics"])
        mine = outcome(set(got), gold)
        scores.outcomes[mine] += 1
        if against is not None:
            theirs = topics_of(against, row)
            scores.joint[outcome(theirs, gold), mine] += 1
        for topic in TOPICS:
            if topic in got and topic in gold:
                scores.tp[topic] += 1
            elif topic in got:
                scores.fp[topic] += 1
                if list_errors:
                    scores.errors.append(f"FP {topic:16} {row['id']}: {' | '.join(got[topic].evidence)[:300]}")
            elif topic in gold:
                scores.fn[topic] += 1
                if list_errors:
                    scores.errors.append(f"FN {topic:16} {row['id']}: {row['text'][:300]}")
    return scores


def changed(tagger: Tagger, against: Tagger, rows: list[dict[str, Any]]) -> int:
    """How many rows the two taggers tag differently. Reads no label: run on a `test` split it
    says whether a change moves that split at all (0 = its figure is unchanged) without looking
    at the split (docs/TAGGING.md round 10)."""
    return sum(topics_of(tagger, r) != topics_of(against, r) for r in rows)


def report(name: str, scores: Scores) -> str:
    """A plain-text table: one row per topic, then micro-averaged."""
    lines = [f"{name}  ({scores.n} passages)", f"{'topic':18}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for topic in TOPICS:
        p, r, f = scores.prf(topic)
        lines.append(f"{topic:18}{p:7.3f}{r:7.3f}{f:7.3f}{scores.tp[topic]:5}{scores.fp[topic]:5}{scores.fn[topic]:5}")
    p, r, f = scores.prf()
    lines.append(f"{'micro':18}{p:7.3f}{r:7.3f}{f:7.3f}")
    if scores.outcomes:
        ci = scores.interval()
        lines.append(f"micro-F1 95% interval {ci.low:.3f}–{ci.high:.3f} (bootstrap over the {scores.n} passages)")
    return "\n".join(lines)


@dataclass(frozen=True)
class LabelledSet:
    """One labelled file with its pinned floors (an entry of the baseline's `tagging.sets`)."""

    name: str
    path: Path
    sha256: str | None
    micro: float
    per_topic: dict[str, float]
    split: str | None = None  # only rows whose "split" is this (e.g. real-dev's "test")
    note: str = ""

    def digest(self) -> str:
        """sha256 of the file, compared with the pinned one to catch an unannounced edit."""
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    @property
    def blind(self) -> bool:
        """A `test` split: aggregate figures only, its errors are never listed."""
        return self.split == "test"

    def rows(self) -> list[dict[str, Any]]:
        rows = load_jsonl(self.path)
        return [r for r in rows if r.get("split") == self.split] if self.split else rows


def baseline(path: Path = BASELINE_FILE) -> dict[str, Any]:
    """The whole baseline file (tagging and extraction floors)."""
    return json.loads(path.read_text(encoding="utf-8"))


def labelled_sets(path: Path = BASELINE_FILE) -> list[LabelledSet]:
    """Every tagging set in the baseline, paths resolved against the repository root."""
    sets = []
    for name, entry in baseline(path)["tagging"]["sets"].items():
        per_topic = entry["topics"] if isinstance(entry["topics"], dict) else dict.fromkeys(TOPICS, entry["topics"])
        sets.append(LabelledSet(name, (ROOT / entry["path"]).resolve(), entry.get("sha256"), entry["micro"],
                                per_topic, entry.get("split"), entry.get("note", "")))
    return sets


@dataclass(frozen=True)
class OtherNews:
    """The news about other things (extractors/tagging/other_news.py) and the pinned ceiling on
    wrong tags per 1,000 of its held-out paragraphs (the baseline's `tagging.other_news`)."""

    corpus: Path
    labels: Path
    split: str
    sha256: str | None
    ceiling: float
    note: str = ""

    def rows(self) -> list[dict[str, Any]]:
        return paragraphs(self.corpus, self.labels, self.split)

    def rate(self, tagger: Tagger, rows: list[dict[str, Any]] | None = None) -> dict[str, float]:
        """Wrong tags per 1,000 paragraphs (`rows`, default `rows()`), per topic and in all (`false_tags`)."""
        rows = self.rows() if rows is None else rows
        return false_tags([topics_of(tagger, r) for r in rows],
                          [set(r["topics"]) for r in rows])


def other_news(path: Path = BASELINE_FILE) -> OtherNews:
    entry = baseline(path)["tagging"]["other_news"]
    return OtherNews((ROOT / entry["corpus"]).resolve(), ROOT / entry["labels"], entry["split"],
                     entry.get("sha256"), entry["ceiling"], entry.get("note", ""))
