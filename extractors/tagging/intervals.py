"""How far a tagging figure can be trusted: bootstrap intervals over the passages of a set.

Why: the sets that decide the tagger are small — real-dev's `test` has 120 passages, so one
passage moves micro-F1 by about 0.008 and two honest measurements of the same tagger on two
samples of real news can differ by several hundredths. Rounds 5–8 (docs/TAGGING.md) chose
changes that gained +0.01–0.02 on cross-validation and then lost about as much on `test`. A
figure without its interval invites that over-reading; with it, an analyst sees at once whether
a change is larger than the noise of the set it was measured on.

What is resampled: each passage's outcome — per topic (tp, fp, fn) — kept as a *count of
outcomes*, not as a list in passage order, so a blind split's record never says which passage
had which outcome (extractors/tagging/evaluate.py). A bootstrap resample draws n outcomes with
replacement (a multinomial over the distinct outcomes: the same distribution as drawing
passages); the interval is the percentile interval of F1 over the resamples. Paired
differences resample the *joint* outcome of two taggers on the same passage, which is what
makes a difference between two taggers much tighter than either interval alone.

Deterministic: a fixed seed, so the same counts always print the same interval.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from extractors.core.topics import TOPICS

RESAMPLES = 2000
LEVEL = 0.95
SEED = 0
# one outcome = (tp, fp, fn) for each topic in TOPICS order, flattened: 3 * len(TOPICS) ints
Outcome = tuple[int, ...]


def outcome(got: set[str], gold: set[str]) -> Outcome:
    """The (tp, fp, fn) of one passage for every topic, flattened in TOPICS order."""
    out: list[int] = []
    for topic in TOPICS:
        out += [int(topic in got and topic in gold), int(topic in got and topic not in gold),
                int(topic not in got and topic in gold)]
    return tuple(out)


def _f1(counts: np.ndarray, topic: str | None) -> np.ndarray:
    """F1 per row of summed outcomes (rows × 3·topics), micro-averaged when topic is None.
    The conventions of `Scores.prf`: no gold and no prediction is a perfect 1.0."""
    cols = range(len(TOPICS)) if topic is None else (TOPICS.index(topic),)
    tp = sum(counts[:, 3 * j] for j in cols)
    fp = sum(counts[:, 3 * j + 1] for j in cols)
    fn = sum(counts[:, 3 * j + 2] for j in cols)
    denominator = 2 * tp + fp + fn
    return np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 1.0)


def _sums(outcomes: Counter[Outcome], resamples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(the summed outcomes of the set: 1 × width, the summed outcomes of each resample:
    resamples × width)."""
    keys = sorted(outcomes)
    matrix = np.array(keys, dtype=np.int64).reshape(len(keys), -1)
    counts = np.array([outcomes[k] for k in keys], dtype=np.int64)
    n = int(counts.sum())
    draws = np.random.default_rng(seed).multinomial(n, counts / n, size=resamples)
    return counts[None, :] @ matrix, draws @ matrix


def _quantiles(boot: np.ndarray, level: float) -> tuple[float, float]:
    low, high = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2])
    return round(float(low), 4), round(float(high), 4)


@dataclass(frozen=True)
class Interval:
    """A figure and its bootstrap percentile interval."""

    value: float
    low: float
    high: float
    level: float = LEVEL


def f1_interval(outcomes: Counter[Outcome], topic: str | None = None, *, level: float = LEVEL,
                resamples: int = RESAMPLES, seed: int = SEED) -> Interval:
    """F1 of one topic (micro when None) and its bootstrap interval over the passages."""
    if not outcomes:
        return Interval(1.0, 1.0, 1.0, level)
    total, sums = _sums(outcomes, resamples, seed)
    return Interval(round(float(_f1(total, topic)[0]), 4), *_quantiles(_f1(sums, topic), level), level)


def difference_interval(joint: Counter[tuple[Outcome, Outcome]], topic: str | None = None, *,
                        level: float = LEVEL, resamples: int = RESAMPLES, seed: int = SEED) -> Interval:
    """F1(b) − F1(a) from the joint outcomes (a's, b's) of two taggers on the same passages,
    with its paired bootstrap interval: an interval that excludes 0 is a difference the set
    can see."""
    if not joint:
        return Interval(0.0, 0.0, 0.0, level)
    width = 3 * len(TOPICS)
    flat: Counter[Outcome] = Counter({(*a, *b): c for (a, b), c in joint.items()})
    total, sums = _sums(flat, resamples, seed)

    def diff(rows: np.ndarray) -> np.ndarray:
        return _f1(rows[:, width:], topic) - _f1(rows[:, :width], topic)

    return Interval(round(float(diff(total)[0]), 4), *_quantiles(diff(sums), level), level)


def joint_outcomes(a: Sequence[Outcome], b: Sequence[Outcome]) -> Counter[tuple[Outcome, Outcome]]:
    """Pair two taggers' outcomes passage by passage (same passages, same order) and keep only
    the counts of each pair — the order is dropped here, as for one tagger's outcomes."""
    if len(a) != len(b):
        raise ValueError(f"paired outcomes need the same passages: {len(a)} vs {len(b)}")
    return Counter(zip(a, b, strict=True))
