"""Quality gate: pinned F1 floors on the seed paragraphs (dev set) and our own labelled set.

A floor is never lowered silently: if an edit to config/topics.toml drops a figure below its
floor, fix the rule (scripts/eval_tagging.py --errors lists what broke) or explain in the
commit why the floor moves.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from extractors.topics import TOPICS, Tagger, load_tagger

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "eval" / "seeds-paragraphs.jsonl"
OWN = ROOT / "tests" / "data" / "passages.jsonl"

sys.path.insert(0, str(ROOT / "scripts"))
from eval_tagging import evaluate  # noqa: E402

# issue 5 targets on the seed paragraphs
SEED_MICRO_F1 = 0.95
SEED_TOPIC_F1 = 0.90
# our own set: what the taxonomy reaches today (0.97–0.99 per topic, 0.985 micro) minus a margin
OWN_MICRO_F1 = 0.96
OWN_TOPIC_F1 = {"export_controls": 0.96, "pricing": 0.94, "privacy_bans": 0.96, "market_impact": 0.96}
OWN_MIN_PASSAGES = 200
# round 2 (issue 5): batches written after the taxonomy, each scored BEFORE the rules were
# changed for it (docs/TAGGING.md has the per-batch figures); pinned at what the taxonomy
# reaches now (0.99 micro; 0.97–1.00 per topic) minus a margin
ROUND2 = ROOT / "tests" / "data" / "passages_r2.jsonl"
R2_MICRO_F1 = 0.97
R2_TOPIC_F1 = {"export_controls": 0.96, "pricing": 0.94, "privacy_bans": 0.96, "market_impact": 0.96}
R2_MIN_PASSAGES = 400
# round 3 (issue 5, pricing recall first): 8 batches, mostly pricing phrasings (fractions,
# comparatives, free vs paid) and hard negatives aimed at the new rules; pinned at what the
# taxonomy reaches now (0.979 micro; pricing 0.970, MI 0.982, EC and PB 1.000) minus a margin
ROUND3 = ROOT / "tests" / "data" / "passages_r3.jsonl"
R3_MICRO_F1 = 0.96
R3_TOPIC_F1 = {"export_controls": 0.93, "pricing": 0.94, "privacy_bans": 0.93, "market_impact": 0.93}
R3_MIN_PASSAGES = 250
# round 4 (issue 5, breadth): full 2–4 sentence news paragraphs imitating real Arabic and
# English coverage (most of them non-topic paragraphs from the same stories), each batch scored
# BEFORE the rules were changed for it; pinned at what the taxonomy reaches now minus a margin
ROUND4 = ROOT / "tests" / "data" / "passages_r4.jsonl"
R4_MICRO_F1 = 0.95
R4_TOPIC_F1 = {"export_controls": 0.93, "pricing": 0.93, "privacy_bans": 0.92, "market_impact": 0.93}
R4_MIN_PASSAGES = 150


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger(ROOT / "config")


def rows_of(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def seed_rows() -> list[dict]:
    if not SEEDS.exists():
        pytest.skip(f"seed paragraphs not found at {SEEDS} (../shared beside the repository)")
    return rows_of(SEEDS)


def assert_floors(scores, micro: float, per_topic: dict[str, float]) -> None:
    """Micro-F1 and every topic's F1 at or above their floors; the errors explain a failure."""
    assert scores.prf()[2] >= micro, "\n".join(scores.errors)
    for topic in TOPICS:
        assert scores.prf(topic)[2] >= per_topic[topic], f"{topic}\n" + "\n".join(scores.errors)


LABELLED_FLOORS = [
    (OWN, OWN_MICRO_F1, OWN_TOPIC_F1),
    (ROUND2, R2_MICRO_F1, R2_TOPIC_F1),
    (ROUND3, R3_MICRO_F1, R3_TOPIC_F1),
    (ROUND4, R4_MICRO_F1, R4_TOPIC_F1),
]


def test_seed_paragraph_floors(tagger: Tagger, seed_rows: list[dict]) -> None:
    assert_floors(evaluate(tagger, seed_rows), SEED_MICRO_F1, dict.fromkeys(TOPICS, SEED_TOPIC_F1))


@pytest.mark.parametrize(("path", "micro", "per_topic"), LABELLED_FLOORS, ids=lambda v: getattr(v, "stem", ""))
def test_labelled_set_floors(tagger: Tagger, path: Path, micro: float, per_topic: dict[str, float]) -> None:
    assert_floors(evaluate(tagger, rows_of(path)), micro, per_topic)


def check_well_formed(rows: list[dict]) -> None:
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == {"id", "text", "topics", "note"}, r["id"]
        assert r["text"].strip() and isinstance(r["note"], str)
        assert set(r["topics"]) <= set(TOPICS), r["id"]
        assert r["topics"] == [t for t in TOPICS if t in r["topics"]], f"{r['id']}: topics not in contract order"


def test_round2_set_is_well_formed_and_disjoint() -> None:
    rows = rows_of(ROUND2)
    assert len(rows) >= R2_MIN_PASSAGES
    check_well_formed(rows)
    own = rows_of(OWN)
    assert not {r["id"] for r in rows} & {r["id"] for r in own}
    assert not {r["text"] for r in rows} & {r["text"] for r in own}, "round-2 passages must be new"
    assert sum(1 for r in rows if not r["topics"]) >= 60
    for topic in TOPICS:
        assert sum(topic in r["topics"] for r in rows) >= 40, topic



def test_round3_set_is_well_formed_and_disjoint() -> None:
    rows = rows_of(ROUND3)
    assert len(rows) >= R3_MIN_PASSAGES
    check_well_formed(rows)
    earlier = rows_of(OWN) + rows_of(ROUND2)
    assert not {r["id"] for r in rows} & {r["id"] for r in earlier}
    assert not {r["text"] for r in rows} & {r["text"] for r in earlier}, "round-3 passages must be new"
    assert sum(1 for r in rows if not r["topics"]) >= 80
    assert sum("pricing" in r["topics"] for r in rows) >= 80, "round 3 is about pricing recall"
    for topic in TOPICS:
        assert sum(topic in r["topics"] for r in rows) >= 15, topic



def test_round4_set_is_well_formed_and_disjoint() -> None:
    rows = rows_of(ROUND4)
    assert len(rows) >= R4_MIN_PASSAGES
    check_well_formed(rows)
    earlier = rows_of(OWN) + rows_of(ROUND2) + rows_of(ROUND3)
    assert not {r["id"] for r in rows} & {r["id"] for r in earlier}
    assert not {r["text"] for r in rows} & {r["text"] for r in earlier}, "round-4 passages must be new"
    assert sum(1 for r in rows if not r["topics"]) >= 40
    arabic = sum(1 for r in rows if any("\u0600" <= ch <= "\u06ff" for ch in r["text"]))
    assert arabic >= len(rows) // 2
    for topic in TOPICS:
        assert sum(topic in r["topics"] for r in rows) >= 20, topic



def test_own_set_is_well_formed() -> None:
    rows = rows_of(OWN)
    assert len(rows) >= OWN_MIN_PASSAGES
    check_well_formed(rows)
    negatives = sum(1 for r in rows if not r["topics"])
    arabic = sum(1 for r in rows if any("\u0600" <= ch <= "\u06ff" for ch in r["text"]))
    assert negatives >= 60 and arabic >= len(rows) // 2
    for topic in TOPICS:
        assert sum(topic in r["topics"] for r in rows) >= 25, topic



def test_every_tag_has_evidence_from_the_text(tagger: Tagger) -> None:
    rows = rows_of(OWN) + rows_of(ROUND2) + rows_of(ROUND3) + rows_of(ROUND4) + (rows_of(SEEDS) if SEEDS.exists() else [])
    tagged = 0
    for row in rows:
        for tag in tagger.tag(row["id"], row["text"]).topics:
            tagged += 1
            assert tag.evidence, row["id"]
            for sentence in tag.evidence:
                assert sentence and sentence in row["text"], (row["id"], sentence)
    assert tagged > 100
