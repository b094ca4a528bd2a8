"""Bootstrap intervals of tagging figures (extractors/tagging/intervals.py) and the eval script's
`--against` difference: the interval is honest (it covers the true F1 about as often as it says),
deterministic, order-free, and a paired difference sees a real improvement."""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest

from extractors.core.topics import TOPICS
from extractors.tagging.evaluate import Scores, evaluate
from extractors.tagging.intervals import difference_interval, f1_interval, joint_outcomes, outcome
from extractors.tagging.tagger import load_tagger

ROOT = Path(__file__).resolve().parents[1]
EC, PR, PB, MI = TOPICS


def test_an_outcome_is_tp_fp_fn_per_topic_in_contract_order() -> None:
    o = outcome({EC, PR}, {EC, MI})
    assert len(o) == 3 * len(TOPICS)
    assert o[0:3] == (1, 0, 0)  # export controls: found and gold
    assert o[3:6] == (0, 1, 0)  # pricing: found, not gold
    assert o[6:9] == (0, 0, 0)  # privacy bans: neither
    assert o[9:12] == (0, 0, 1)  # market impact: gold, missed


def sample(rng: random.Random, n: int, p_hit: float) -> Counter:
    """n passages with one gold topic each: found with probability p_hit, else missed and a
    wrong topic found instead (so F1 = P = R = the share found)."""
    out: Counter = Counter()
    for _ in range(n):
        gold = rng.choice(TOPICS)
        got = {gold} if rng.random() < p_hit else {TOPICS[(TOPICS.index(gold) + 1) % 4]}
        out[outcome(got, {gold})] += 1
    return out


def test_the_figure_is_the_sets_f1_and_lies_inside_its_interval() -> None:
    counts = sample(random.Random(1), 120, 0.9)
    ci = f1_interval(counts)
    expected = sum(c for o, c in counts.items() if sum(o[0::3])) / 120  # tp passages / n
    assert ci.value == pytest.approx(expected, abs=1e-4)
    assert ci.low < ci.value < ci.high
    assert 0.04 < ci.high - ci.low < 0.15  # ~±0.05 on 120 passages at F1 0.9
    assert f1_interval(counts) == ci  # a fixed seed: the same counts print the same interval


def test_four_times_the_passages_halve_the_interval() -> None:
    counts = sample(random.Random(2), 100, 0.85)
    wide = f1_interval(counts)
    narrow = f1_interval(Counter({o: 4 * c for o, c in counts.items()}))
    assert narrow.value == wide.value
    ratio = (narrow.high - narrow.low) / (wide.high - wide.low)
    assert 0.4 < ratio < 0.6


def test_a_perfect_or_empty_set_has_no_spread() -> None:
    perfect = Counter({outcome({EC}, {EC}): 30, outcome(set(), set()): 10})
    assert (f1_interval(perfect).low, f1_interval(perfect).high) == (1.0, 1.0)
    assert f1_interval(Counter()).value == 1.0
    assert f1_interval(perfect, PB).value == 1.0  # no gold, nothing found: the convention of Scores.prf


def test_the_interval_covers_the_true_f1_about_as_often_as_it_says() -> None:
    """200 sets of 120 passages drawn from a tagger that finds 88% of topics: the 95% interval
    must contain 0.88 in most of them (a broken resampler — too narrow, or centred wrong — fails)."""
    rng = random.Random(3)
    covered = sum(ci.low <= 0.88 <= ci.high for ci in (f1_interval(sample(rng, 120, 0.88), resamples=500)
                                                      for _ in range(200)))
    assert covered >= 0.88 * 200


def test_a_paired_difference_sees_what_two_intervals_cannot() -> None:
    """b fixes 6 of a's 120 passages and breaks none: +0.05, too small for the two separate
    intervals to part, but the paired interval excludes 0."""
    rng = random.Random(4)
    golds = [{TOPICS[i % 4]} for i in range(120)]
    hits = [rng.random() < 0.85 for _ in golds]
    fixed = [i for i, hit in enumerate(hits) if not hit][:6]
    assert len(fixed) == 6

    def outcomes(found: list[bool]) -> list[tuple[int, ...]]:
        return [outcome(g if hit else {TOPICS[(TOPICS.index(next(iter(g))) + 1) % 4]}, g)
                for g, hit in zip(golds, found, strict=True)]

    a = outcomes(hits)
    b = outcomes([hit or i in fixed for i, hit in enumerate(hits)])
    joint = joint_outcomes(a, b)
    d = difference_interval(joint)
    assert d.value == pytest.approx(f1_interval(Counter(b)).value - f1_interval(Counter(a)).value, abs=1e-4)
    assert d.value > 0 and d.low > 0
    ca, cb = f1_interval(Counter(a)), f1_interval(Counter(b))
    assert cb.low < ca.high  # the separate intervals overlap
    same = difference_interval(joint_outcomes(a, a))
    assert (same.value, same.low, same.high) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="same passages"):
        joint_outcomes(a, b[:-1])


def test_evaluate_keeps_outcomes_without_their_order() -> None:
    tagger = load_tagger(ROOT / "config")
    rows = [{"id": "a", "text": "فرضت واشنطن قيودا جديدة على تصدير رقائق الذكاء الاصطناعي إلى الصين.",
             "topics": [EC]},
            {"id": "b", "text": "انعقد الاجتماع السنوي في العاصمة.", "topics": []},
            {"id": "c", "text": "انعقد الاجتماع السنوي في العاصمة.", "topics": [PR]}]
    scores = evaluate(tagger, rows, list_errors=False)
    assert isinstance(scores.outcomes, Counter) and sum(scores.outcomes.values()) == 3
    assert scores.interval().value == pytest.approx(scores.prf()[2], abs=1e-4)
    assert scores.errors == []
    assert Scores().interval().value == 1.0


def test_eval_script_prints_the_difference_from_another_taxonomy(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """`--against DIR`: the rules-only taxonomy (a copy without the model) against the shipped
    hybrid, on a file of ours; the printed difference is F1(config) − F1(DIR)."""
    from scripts.eval_tagging import main

    rules_only = tmp_path / "rules"
    rules_only.mkdir()
    for name in ("topics.toml", "entities.toml"):
        shutil.copy(ROOT / "config" / name, rules_only / name)
    rows = [json.loads(line) for line in (ROOT / "tests/data/passages_r6.jsonl").read_text(encoding="utf-8").splitlines()][:120]
    data = tmp_path / "some.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    main([str(data), "--against", str(rules_only)])
    out = capsys.readouterr().out
    assert "micro-F1 95% interval" in out and f"difference from {rules_only}" in out
    hybrid, rules = load_tagger(ROOT / "config"), load_tagger(rules_only)
    expected = evaluate(hybrid, rows).prf()[2] - evaluate(rules, rows).prf()[2]
    line = next(x for x in out.splitlines() if x.strip().startswith("micro ") and "…" in x)
    assert float(line.split()[1]) == pytest.approx(expected, abs=1e-3)
    joint = evaluate(hybrid, rows, list_errors=False, against=rules).joint
    assert sum(joint.values()) == len(rows)
    assert difference_interval(joint).value == pytest.approx(expected, abs=1e-4)


def test_changed_counts_passages_tagged_differently_and_reads_no_label(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`changed` (and `eval_tagging.py --changed --against DIR`): the rows carry no `topics` at
    all, so the count cannot come from labels; the hybrid adds a model topic the rules miss on
    the first row only."""
    from extractors.tagging.evaluate import changed
    from scripts.eval_tagging import main

    rules_only = tmp_path / "rules"
    rules_only.mkdir()
    for name in ("topics.toml", "entities.toml"):
        shutil.copy(ROOT / "config" / name, rules_only / name)
    hybrid, rules = load_tagger(ROOT / "config"), load_tagger(rules_only)
    rows = [{"id": "a", "text": "تكلفة الرسالة الواحدة على المنصة لا تتجاوز سنتا واحدا."},
            {"id": "b", "text": "فرضت واشنطن قيودا جديدة على تصدير الرقائق المتقدمة إلى الصين."},
            {"id": "c", "text": "انعقد الاجتماع السنوي في العاصمة."}]
    assert {t.topic for t in hybrid.tag("a", rows[0]["text"]).topics} != {t.topic for t in rules.tag("a", rows[0]["text"]).topics}
    assert changed(hybrid, rules, rows) == 1
    assert changed(hybrid, hybrid, rows) == 0
    data = tmp_path / "some.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert main([str(data), "--changed", "--against", str(rules_only)]) == 0
    assert "some.jsonl: tagged differently 1 of 3" in capsys.readouterr().out
    # --rules-only drops DIR's model too: the shipped config's rules against a copy of them
    assert main([str(data), "--config", str(rules_only), "--rules-only", "--changed", "--against", str(ROOT / "config")]) == 0
    assert "some.jsonl: tagged differently 0 of 3" in capsys.readouterr().out
