"""The tagger's contract: `marsad tag` JSONL in/out, evidence, taxonomy versions, config errors."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from extractors.core.errors import ConfigError
from extractors.core.topics import TOPICS
from extractors.tagging.model import load_model
from extractors.tagging.tagger import Tagger, load_tagger
from flows.commands import tag_jsonl

ROOT = Path(__file__).resolve().parents[1]

EC = "فرضت الولايات المتحدة قيوداً جديدة على تصدير الرقائق المتقدمة إلى الصين."
PR = "وبلغت تكلفة تدريب النموذج 5.58 مليون دولار فقط."
PB = "Italy's data protection authority ordered DeepSeek to block its chatbot over privacy concerns."
MI = "وتراجعت أسهم إنفيديا بنسبة ١٧٪ في جلسة الاثنين."
NONE = "قفزت أسعار النفط بنسبة 3 في المئة بعد قرار أوبك+ خفض الإنتاج."


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger(ROOT / "config")


def test_topics_contract_order() -> None:
    assert TOPICS == ("export_controls", "pricing", "privacy_bans", "market_impact")


@pytest.mark.parametrize(("text", "topic"), [(EC, "export_controls"), (PR, "pricing"), (PB, "privacy_bans"), (MI, "market_impact")])
def test_each_topic_with_evidence(tagger: Tagger, text: str, topic: str) -> None:
    result = tagger.tag("a1", text)
    assert [t.topic for t in result.topics] == [topic]
    (tag,) = result.topics
    assert tag.evidence == [text]
    assert 0 < tag.score <= 1


def test_hard_negative_gets_nothing(tagger: Tagger) -> None:
    assert tagger.tag("n", NONE).topics == []


def test_topics_come_in_contract_order_with_original_sentences(tagger: Tagger) -> None:
    text = " ".join([MI, NONE, EC, PR])
    result = tagger.tag("a2", text)
    assert [t.topic for t in result.topics] == ["export_controls", "pricing", "market_impact"]
    by_topic = {t.topic: t.evidence for t in result.topics}
    assert by_topic["market_impact"] == [MI]
    assert by_topic["pricing"] == [PR]
    assert by_topic["export_controls"] == [EC]
    assert result.claims and {c.kind for c in result.claims} >= {"money", "percent"}


def test_title_counts_but_is_never_quoted_as_evidence(tagger: Tagger) -> None:
    # a topic stated only in the headline is still assigned; its evidence is a body sentence
    result = tagger.tag("t", "نص بلا موضوع.", title=MI)
    assert [(t.topic, t.evidence) for t in result.topics] == [("market_impact", ["نص بلا موضوع."])]
    # when the body states it in its own words, that sentence is the evidence
    own_words = "وهبط سهم إنفيديا ١٧٪ في تعاملات الاثنين."
    result = tagger.tag("t", f"{PR} {own_words}", title=MI)
    tags = {t.topic: t for t in result.topics}
    assert tags["market_impact"].evidence == [own_words] and tags["pricing"].evidence == [PR]
    assert tags["market_impact"].path.startswith("rule: ")
    # a body that opens with the headline (extracted pages, seed files) does not quote it back
    again = tagger.tag("t", f"{MI}\n{PR}", title=MI)
    assert [(t.topic, t.evidence) for t in again.topics if t.topic == "pricing"] == [("pricing", [PR])]
    assert all(MI not in s for t in again.topics for s in t.evidence)


def test_every_tag_records_its_path(tagger: Tagger) -> None:
    for text in (EC, PR, PB, MI):
        for t in tagger.tag("p", text).topics:
            assert t.path.startswith("rule: ") or t.path.startswith("model p="), t
    rules = {r.name for rs in tagger.taxonomy.rules.values() for r in rs}
    assert tagger.tag("p", EC).topics[0].path.removeprefix("rule: ") in rules


def test_one_tagger_tags_each_passage_on_its_own(tagger: Tagger) -> None:
    """Nothing carries over from one passage to the next (the daily step tags a batch in a loop)."""
    results = [tagger.tag(i, t) for i, t in [("1", PB), ("2", NONE), ("3", EC)]]
    assert [r.id for r in results] == ["1", "2", "3"]
    assert [[t.topic for t in r.topics] for r in results] == [["privacy_bans"], [], ["export_controls"]]


def test_tag_jsonl_contract(tagger: Tagger) -> None:
    lines = [
        json.dumps({"id": "a", "text": EC + " " + MI}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": 7, "text": NONE}, ensure_ascii=False),
        json.dumps({"id": "b"}),
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "c", "text": PR}, ensure_ascii=False),
        json.dumps({"text": PR}, ensure_ascii=False),
        json.dumps({"id": None, "text": PR}, ensure_ascii=False),
    ]
    out = io.StringIO()
    errors = tag_jsonl((line + "\n" for line in lines), out, tagger)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == len(lines)
    assert errors == 6
    assert rows[0] == {"id": "a", "topics": ["export_controls", "market_impact"],
                       "evidence": {"export_controls": [EC], "market_impact": [MI]}}
    assert rows[1]["id"] is None and rows[1]["topics"] == [] and rows[1]["evidence"] == {} and "line 2" in rows[1]["error"]
    assert rows[2] == {"id": 7, "topics": [], "evidence": {}}
    assert rows[3]["id"] == "b" and "text" in rows[3]["error"]
    assert rows[4]["id"] is None and "error" in rows[4]
    assert "error" in rows[5]
    assert rows[6] == {"id": "c", "topics": ["pricing"], "evidence": {"pricing": [PR]}}
    for row, n in ((rows[7], 8), (rows[8], 9)):  # no id: an error line in its place, never a tagged row
        assert row == {"id": None, "topics": [], "evidence": {}, "error": f'line {n}: missing "id"'}


def _config_copy(tmp_path: Path) -> Path:
    config = tmp_path / "config"
    config.mkdir()
    for name in ("topics.toml", "entities.toml", "topic_model.json.gz"):
        shutil.copy(ROOT / "config" / name, config / name)
    return config


def test_taxonomy_version_follows_config_content(tmp_path: Path, tagger: Tagger) -> None:
    config = _config_copy(tmp_path)
    same = load_tagger(config)
    assert same.taxonomy_version == tagger.taxonomy_version
    assert same.topics_toml == (ROOT / "config" / "topics.toml").read_text(encoding="utf-8")
    topics = config / "topics.toml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n# an analyst's note\n", encoding="utf-8")
    changed = load_tagger(config)
    assert changed.taxonomy_version != tagger.taxonomy_version
    assert len(changed.taxonomy_version) == 12
    entities = config / "entities.toml"
    entities.write_text(entities.read_text(encoding="utf-8") + '\n[entities.Sakana]\nkind = "ai"\naliases = ["ساكانا"]\n', encoding="utf-8")
    again = load_tagger(config)
    assert again.taxonomy_version not in {changed.taxonomy_version, tagger.taxonomy_version}
    assert "Sakana" not in tagger.tag("x", "أطلقت ساكانا نموذجاً").entities
    assert again.tag("x", "أطلقت ساكانا نموذجاً").entities == {"Sakana": 1}


def test_taxonomy_version_covers_the_model(tmp_path: Path, tagger: Tagger) -> None:
    config = _config_copy(tmp_path)
    model_file = config / "topic_model.json.gz"
    assert tagger.model is not None and load_tagger(config).taxonomy_version == tagger.taxonomy_version
    model = load_model(model_file)
    model.thresholds["pricing"] = 0.99  # a different model, same rules
    model_file.write_bytes(model.to_bytes())
    other = load_tagger(config)
    assert other.rules_version == tagger.rules_version
    assert other.taxonomy_version != tagger.taxonomy_version
    model_file.unlink()  # rules only: yet another version
    rules_only = load_tagger(config)
    assert rules_only.model is None
    assert rules_only.taxonomy_version not in {tagger.taxonomy_version, other.taxonomy_version}
    model_file.write_bytes(b"not a model")
    with pytest.raises(ConfigError, match="not a topic model"):
        load_tagger(config)


def test_an_analyst_edit_changes_tags(tmp_path: Path, tagger: Tagger) -> None:
    text = "The watchdog said the chatbot was throttled over privacy concerns."
    assert tagger.tag("x", text).topics == []
    config = _config_copy(tmp_path)
    topics = config / "topics.toml"
    toml = topics.read_text(encoding="utf-8")
    toml = toml.replace('"restrict", "suspend", "remove",', '"restrict", "suspend", "remove", "throttled",', 1)
    topics.write_text(toml, encoding="utf-8")
    assert [t.topic for t in load_tagger(config).tag("x", text).topics] == ["privacy_bans"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('all = ["ec_phrase"]', 'all = ["ec_phrasse"]', "unknown lexicon 'ec_phrasse'"),
        ("[topics.pricing]", "[topics.prices]", "unknown topic ids \\['prices'\\]"),
        ("max_evidence = 3", "max_evidnce = 3", "unknown key 'max_evidnce' \\(did you mean 'max_evidence'\\?\\)"),
        ("[lexicons.ai]", "[lexicons.ai]\nterm = ['x']", "\\[lexicons.ai\\]: unknown key 'term' \\(did you mean 'terms'\\?\\)"),
        ("[topics.pricing]", "[topics.pricing]\nthreshhold = 0.4", "\\[topics.pricing\\]: unknown key 'threshhold'"),
        ("[lexicons.ai]", "[lexicon.x]\nterms = ['x']\n[lexicons.ai]", "unknown section \\[lexicon\\] \\(did you mean \\[lexicons\\]\\?\\)"),
        ("threshold = 0.5", "threshold = 5", "threshold must be a number in"),
        ('all = ["ec_phrase"]', 'all = []', "`all` must be a non-empty list"),
        ('all = ["ec_phrase"]', 'all = ["ec_phrase"]\nwindow = -3', "window must be a whole number"),
        ("window = 150", "window = 1.5", "window must be a whole number"),
        ('all = ["ec_phrase"]', 'all = ["ec_phrase"]\nweigth = 1', "unknown key 'weigth' \\(did you mean 'weight'\\?\\)"),
        ("max_evidence = 3", "max_evidence = 0", "max_evidence must be a positive"),
        ("[lexicons.ai]", "[lexicons.ai]\nterms = 3\n[lexicons.ai_old]", "terms must be a list"),
        ("[lexicons.ai]", "[lexicons.ai", "invalid TOML"),
    ],
)
def test_bad_topics_config_is_a_clear_config_error(tmp_path: Path, old: str, new: str, message: str) -> None:
    config = _config_copy(tmp_path)
    topics = config / "topics.toml"
    text = topics.read_text(encoding="utf-8")
    assert old in text
    topics.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_tagger(config)
    assert "topics.toml" in str(info.value)


def test_missing_config_file(tmp_path: Path) -> None:
    config = _config_copy(tmp_path)
    (config / "entities.toml").unlink()
    with pytest.raises(ConfigError, match="config file not found: .*entities.toml"):
        load_tagger(config)


def test_every_topic_needs_rules(tmp_path: Path) -> None:
    config = _config_copy(tmp_path)
    topics = config / "topics.toml"
    text = topics.read_text(encoding="utf-8")
    cut = text.index("[topics.market_impact]")
    topics.write_text(text[:cut], encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[topics.market_impact\] needs at least one"):
        load_tagger(config)


def test_score_grows_with_evidence(tagger: Tagger) -> None:
    one = tagger.tag("1", MI).topics[0].score
    two = tagger.tag("2", MI + " " + "وهبط سهم برودكوم 17 في المئة.").topics[0]
    assert one == pytest.approx(0.6)
    assert two.score == pytest.approx(0.84) and len(two.evidence) == 2
