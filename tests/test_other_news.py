"""Real news about other things (extractors/tagging/other_news.py): how its paragraphs are cut,
split and labelled, how training uses them, and how often the shipped tagger fires on them."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from extractors.core.errors import ConfigError
from extractors.core.topics import TOPICS
from extractors.tagging.evaluate import false_tags, other_news
from extractors.tagging.other_news import CORPUS, LABELS, MIN_CHARS, paragraphs, split_of
from extractors.tagging.tagger import Tagger, load_tagger
from extractors.tagging.training import (
    Example,
    Settings,
    cross_validate,
    is_other_news,
    is_real,
    training_data,
    weight,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = (ROOT / CORPUS).resolve()
needs_corpus = pytest.mark.skipif(not SHARED_CORPUS.exists(), reason=f"{SHARED_CORPUS} not found (../shared beside the repository)")
LONG = "x" * MIN_CHARS


@pytest.fixture(scope="module")
def rules() -> Tagger:
    """The shipped rules without the model (compiled once for the module)."""
    return load_tagger(ROOT / "config", model=False)


def write_corpus(tmp_path: Path, pages: dict[str, list[str]], topics=None, excluded=None) -> tuple[Path, Path]:
    corpus, labels = tmp_path / "truth.jsonl", tmp_path / "labels.json"
    corpus.write_text("".join(json.dumps({"id": page, "text": "\n".join(lines)}) + "\n" for page, lines in pages.items()),
                      encoding="utf-8")
    labels.write_text(json.dumps({"topics": topics or {}, "excluded": excluded or {}}), encoding="utf-8")
    return corpus, labels


def test_paragraphs_are_long_lines_counted_from_zero_and_labelled_none_unless_listed(tmp_path: Path) -> None:
    corpus, labels = write_corpus(tmp_path, {"p1": ["short", f"first {LONG}", "", f"  second {LONG}  ", f"third {LONG}"]},
                                  topics={"p1:1": ["market_impact", "export_controls"]}, excluded={"p1:2": "borderline"})
    rows = paragraphs(corpus, labels)
    assert [r["id"] for r in rows] == ["p1:0", "p1:1"]  # "short" is not a paragraph; p1:2 is excluded
    assert rows[0]["text"] == f"first {LONG}" and rows[0]["topics"] == []
    assert rows[1]["text"] == f"second {LONG}" and rows[1]["topics"] == ["export_controls", "market_impact"]


def test_whole_pages_go_to_one_side_and_the_sides_are_about_even(tmp_path: Path) -> None:
    pages = {f"page-{i}": [f"{k} {LONG}" for k in range(3)] for i in range(200)}
    corpus, labels = write_corpus(tmp_path, pages)
    rows = paragraphs(corpus, labels)
    sides: dict[str, set[str]] = {}
    for r in rows:
        sides.setdefault(r["id"].rsplit(":", 1)[0], set()).add(r["split"])
    assert all(len(s) == 1 for s in sides.values())
    train = [p for p, s in sides.items() if s == {"train"}]
    assert 70 <= len(train) <= 130
    assert [r["id"] for r in paragraphs(corpus, labels, "test")] == [r["id"] for r in rows if r["split"] == "test"]
    assert all(split_of(p) == split_of(p) for p in pages)  # a hash, not a random draw


@pytest.mark.parametrize(("topics", "excluded", "says"), [
    ({"p1:7": ["pricing"]}, {}, "not in"),
    ({}, {"gone:0": "why"}, "not in"),
    ({"p1:0": ["prices"]}, {}, "unknown topics"),
])
def test_a_label_the_corpus_does_not_match_is_a_config_error(tmp_path: Path, topics, excluded, says) -> None:
    corpus, labels = write_corpus(tmp_path, {"p1": [LONG]}, topics=topics, excluded=excluded)
    with pytest.raises(ConfigError, match=says):
        paragraphs(corpus, labels)


def test_false_tags_count_wrong_tags_per_thousand() -> None:
    preds = [{"pricing"}, set(), {"pricing", "market_impact"}, {"export_controls"}]
    golds = [set(), set(), {"market_impact"}, {"export_controls"}]
    rate = false_tags(preds, golds)
    assert rate["pricing"] == 500.0 and rate["market_impact"] == 0.0 and rate["export_controls"] == 0.0
    assert rate["all"] == 500.0


def test_other_news_examples_weigh_as_set_and_are_not_real() -> None:
    ex = Example("p:0", CORPUS + ":train", {}, set(), set())
    assert is_other_news(ex) and not is_real(ex)
    assert weight(ex, Settings(other_news_weight=3.0)) == 3.0
    assert weight(Example("r", "../shared/eval/real-dev.jsonl:train", {}, set(), set()), Settings()) == Settings().real_weight


def test_the_cross_validation_reports_how_often_each_path_tags_other_news() -> None:
    rng = random.Random(11)

    def made(n: int, source: str, wrong: float) -> list[Example]:
        out = []
        for i in range(n):
            gold = {t for t in TOPICS if rng.random() < 0.3} if wrong == 0 else set()
            rules = gold | ({"pricing"} if rng.random() < wrong else set())
            words = {f"w{rng.randrange(300)}" for _ in range(10)}
            out.append(Example(f"{source}{i}", source, dict.fromkeys(words, 0.3), gold, rules,
                               unseen=rules if source.endswith("real:train") else None))
        return out

    others = made(200, CORPUS + ":train", wrong=0.1)
    cv = cross_validate([*made(200, "own", 0), *others], made(100, "real:train", 0), Settings(repeats=1))
    got = cv["other_news"]
    assert got["paragraphs"] == 200 and cv["own_passages"] == 200
    assert got["rules"]["pricing"] == round(1000 * sum("pricing" in ex.rules for ex in others) / 200, 2)
    assert got["rules"]["all"] == got["rules"]["pricing"] > 0
    assert set(got["hybrid"]) == {*TOPICS, "all"}
    assert "other_news" not in cross_validate(made(200, "own", 0), made(100, "real:train", 0), Settings(repeats=1))


@needs_corpus
def test_training_takes_only_the_train_half_and_only_when_weighted(rules: Tagger) -> None:
    own, _, digests = training_data(rules, Settings(other_news_weight=1.0), ROOT)
    others = [ex for ex in own if is_other_news(ex)]
    train = {r["id"] for r in paragraphs(SHARED_CORPUS, ROOT / LABELS, "train")}
    assert others and {ex.id for ex in others} == train
    assert CORPUS in digests and LABELS in digests
    own0, _, digests0 = training_data(rules, Settings(other_news_weight=0.0), ROOT)
    assert not any(map(is_other_news, own0)) and CORPUS not in digests0


@needs_corpus
def test_the_shipped_labels_name_paragraphs_of_the_corpus() -> None:
    rows = paragraphs(SHARED_CORPUS, ROOT / LABELS)
    spec = json.loads((ROOT / LABELS).read_text(encoding="utf-8"))
    assert {r["id"] for r in rows if r["topics"]} == set(spec["topics"])
    assert not {r["id"] for r in rows} & set(spec["excluded"])
    assert len(rows) > 5000


@needs_corpus
def test_the_tagger_rarely_tags_news_about_other_things() -> None:
    """Wrong tags per 1,000 held-out paragraphs of ordinary news stay under the pinned ceiling
    (tests/quality_baseline.json `tagging.other_news`)."""
    gate = other_news()
    assert gate.sha256 is None or hashlib.sha256(gate.corpus.read_bytes()).hexdigest() == gate.sha256, (
        f"{gate.corpus} changed since the ceiling was pinned: re-measure and update its sha256")
    rate = gate.rate(load_tagger(ROOT / "config"))
    print(f"other news ({gate.split}): wrong tags per 1,000 paragraphs {rate}")
    assert rate["all"] <= gate.ceiling, f"{rate['all']} wrong tags per 1,000 > ceiling {gate.ceiling}: {rate}"


@pytest.mark.parametrize(("text", "topic", "expected"), [
    ("“We received an inquiry from the office of the New York State Attorney General and are cooperating "
     "in the matter,” said a spokesperson for the office-space company.", "privacy_bans", False),
    ("The Texas attorney general opened an investigation into DeepSeek over how the app handles users' data.",
     "privacy_bans", True),
    ("The company shelved its plans for an initial public offering after investors grew wary of its losses "
     "and its business model.", "market_impact", False),
    ("Investors dumped chip stocks after DeepSeek's release, wiping $600 billion off Nvidia.", "market_impact", True),
    # round 10: English "compute" and "model" are whole words, bare "train" is not an AI word, and
    # the free-versus-paid tier rule needs AI (each negative was tagged by round 9's rules)
    ("Executives said a computer glitch slowed sign-ups; Disney's $6.99-a-month service is stocked with movies "
     "and classic shows.", "pricing", False),
    ("Renting compute for the model costs $2 per GPU hour, a fraction of last year's price.", "pricing", True),
    ("We also modeled the potential cost-effectiveness of this grant relative to other options.", "pricing", False),
    ("The model’s price was cut by 50% this week.", "pricing", True),
    ("Using the train, we blocked the system for safety reasons.", "privacy_bans", False),
    ("The game-streaming app launches tomorrow. More traditional free-to-play and premium subscription options "
     "arrive in early 2020.", "pricing", False),
    ("The chatbot app launches tomorrow. Free-to-play and premium subscription options arrive in early 2020.",
     "pricing", True),
])
def test_the_rules_leave_ordinary_news_alone_and_still_tag_the_story(rules: Tagger, text: str, topic: str,
                                                                     expected: bool) -> None:
    """The rule fixes from the `train` half. Round 9: a regulator's inquiry counts only about an app,
    AI or tech service or users' data (the rule's own name); an IPO is not market impact (ruling 6).
    Round 10: the English lexicon words of ordinary news (docs/TAGGING.md)."""
    assert (topic in {t.topic for t in rules.tag("x", text).topics}) is expected
