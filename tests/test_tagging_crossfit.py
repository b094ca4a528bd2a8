"""The cross-validation's figures (extractors/tagging/training.py): the in-sample threshold
choice flatters a model that knows nothing, the cross-fitted figure does not."""

from __future__ import annotations

import random

from extractors.core.topics import TOPICS
from extractors.tagging.training import (
    CROSS_FIT_PARTS,
    CROSS_FIT_SPLITS,
    Example,
    Settings,
    _cross_fitted,
    cross_validate,
)

CROSS_FITTED = "hybrid, unseen rules, thresholds cross-fitted"


def noise_examples(rng: random.Random, n: int, source: str, real: bool) -> list[Example]:
    """Passages whose features are random words (the model can learn nothing) and whose rules
    find each gold topic 80% of the time and add a wrong one 10% of the time."""
    out = []
    for i in range(n):
        gold = {t for t in TOPICS if rng.random() < 0.3}
        rules = {t for t in gold if rng.random() < 0.8} | {t for t in TOPICS if t not in gold and rng.random() < 0.1}
        words = {f"w{rng.randrange(400)}" for _ in range(12)}
        feats = {w: 1 / len(words) ** 0.5 for w in words}
        out.append(Example(f"{source}{i:04d}", source + (":train" if real else ""), feats, gold, rules,
                           unseen=rules if real else None))
    return out


def test_a_passage_is_never_judged_by_a_choice_made_on_it() -> None:
    """A "choice" that memorises the passages it was made on and is right only on them: judged
    in-sample it would be perfect; cross-fitted it must be wrong on every passage."""
    real = range(100, 160)
    golds = [{TOPICS[i % 4]} for i in real]
    calls: list[set[int]] = []

    def choose(idx):
        calls.append(set(idx))
        return {"seen": set(idx)}, {}

    def predict(i, ths, vts, probs, ev):
        right = {TOPICS[i % 4]}
        return right if i in ths["seen"] else {TOPICS[(i + 1) % 4]}

    figures = _cross_fitted(real, golds, choose, predict, [([], [])])
    assert figures["micro"] == 0.0
    assert len(calls) == CROSS_FIT_SPLITS * CROSS_FIT_PARTS
    assert all(len(c) >= len(real) * (CROSS_FIT_PARTS - 1) // CROSS_FIT_PARTS for c in calls)  # each sees the rest
    assert predict(100, *choose(real), [], []) == golds[0]  # the same choice in-sample is right


def test_the_cross_validation_reports_the_cross_fitted_figure() -> None:
    """On passages where the model can learn nothing, no choice of thresholds helps when judged
    honestly; the in-sample choice can always fall back on adding nothing."""
    rng = random.Random(7)
    own = noise_examples(rng, 300, "own", real=False)
    real = noise_examples(rng, 240, "real", real=True)
    figures = cross_validate(own, real, Settings(repeats=2, shared_threshold=None))["real"]  # per topic
    rules = figures["unseen rules"]["micro"]
    assert figures["hybrid, unseen rules"]["micro"] >= rules
    assert figures[CROSS_FITTED]["micro"] <= rules + 0.005
    assert set(figures[CROSS_FITTED]) == {*TOPICS, "micro"}


def test_no_cross_fitted_figure_without_enough_real_passages() -> None:
    rng = random.Random(8)
    cv = cross_validate(noise_examples(rng, 200, "own", real=False),
                        noise_examples(rng, 2 * CROSS_FIT_PARTS - 1, "real", real=True), Settings(repeats=1))
    assert CROSS_FITTED not in cv["real"]


def test_a_shared_threshold_leaves_one_choice_the_veto() -> None:
    """The default: every topic adds at `shared_threshold`, one veto for all (round 8)."""
    rng = random.Random(9)
    cv = cross_validate(noise_examples(rng, 300, "own", real=False), noise_examples(rng, 240, "real", real=True),
                        Settings(repeats=1, shared_threshold=0.5))
    assert set(cv["thresholds"].values()) == {0.5}
    assert len(set(cv["vetoes"].values())) == 1
