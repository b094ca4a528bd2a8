"""The hybrid's model half: artifact round trip, what a model-added tag looks like, the path in the
warehouse and in `marsad tag --explain`, and that the shipped model is the one `make model` builds."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from extractors.core.errors import ConfigError
from extractors.core.topics import TOPICS
from extractors.tagging.model import (
    MODEL_FILE,
    TopicModel,
    features,
    load_model,
    rebuild_differences,
)
from extractors.tagging.tagger import VETOED, Tagger, load_tagger
from flows.commands import tag_jsonl

ROOT = Path(__file__).resolve().parents[1]
MARSAD = Path(sys.executable).with_name("marsad")
# no rule of topics.toml fires on these sentences; a hand-made model keys on "زنبق" (a made-up cue)
PLAIN = "انعقد الاجتماع السنوي في العاصمة."
CUE = "وقالت اللجنة إن زنبق سيبقى موقوفا حتى إشعار آخر."


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger(ROOT / "config")


def hand_model(tmp_path: Path) -> Path:
    """A config copy whose model adds privacy_bans when the word زنبق appears."""
    config = tmp_path / "config"
    config.mkdir()
    for name in ("topics.toml", "entities.toml"):
        shutil.copy(ROOT / "config" / name, config / name)
    pb = TOPICS.index("privacy_bans")
    weights = {"زنبق": [0.0] * len(TOPICS)}
    weights["زنبق"][pb] = 60.0  # features are 1/sqrt(n) of their block: a strong cue
    model = TopicModel(weights=weights, bias=[-4.0] * len(TOPICS), thresholds=dict.fromkeys(TOPICS, 0.8),
                       group_weight=1.0, info={"note": "test"})
    (config / MODEL_FILE).write_bytes(model.to_bytes())
    return config


def test_artifact_round_trip_is_byte_stable(tmp_path: Path) -> None:
    config = hand_model(tmp_path)
    data = (config / MODEL_FILE).read_bytes()
    model = load_model(config / MODEL_FILE)
    assert model.to_bytes() == data and model.info == {"note": "test"}
    assert model.thresholds["privacy_bans"] == 0.8


def test_a_model_added_tag_cites_its_best_sentence_never_the_title(tmp_path: Path) -> None:
    tagger = load_tagger(hand_model(tmp_path))
    assert load_tagger(tmp_path / "config", model=False).tag("x", f"{PLAIN} {CUE}").topics == []
    result = tagger.tag("x", f"{PLAIN} {CUE}", title="زنبق في العنوان")
    assert [t.topic for t in result.topics] == ["privacy_bans"]
    tag = result.topics[0]
    assert tag.evidence == [CUE]  # the highest-scoring sentence, not the title
    assert tag.path.startswith("model p=") and 0.8 <= tag.score <= 1.0
    assert tagger.tag("y", PLAIN).topics == []  # below the threshold: nothing added
    # a title alone does not make the model cite the title
    only_title = tagger.tag("z", PLAIN, title="زنبق")
    assert all("زنبق" not in s for t in only_title.topics for s in t.evidence)


def test_explain_shows_paths_and_probabilities(tmp_path: Path, tagger: Tagger) -> None:
    hand = load_tagger(hand_model(tmp_path))
    lines = [json.dumps({"id": "m", "text": f"{PLAIN} {CUE}"}, ensure_ascii=False),
             json.dumps({"id": "r", "text": "تراجعت أسهم إنفيديا بنسبة ١٧٪ في جلسة الاثنين."}, ensure_ascii=False)]
    out = io.StringIO()
    assert tag_jsonl(lines, out, hand, explain=True) == 0
    m, r = (json.loads(x) for x in out.getvalue().splitlines())
    assert m["paths"]["privacy_bans"].startswith("model p=") and m["probabilities"]["privacy_bans"] >= 0.8
    assert r["paths"] == {"market_impact": r["paths"]["market_impact"]} and r["paths"]["market_impact"].startswith("rule: ")
    plain = io.StringIO()
    tag_jsonl(lines[1:], plain, tagger)
    assert set(json.loads(plain.getvalue())) == {"id", "topics", "evidence"}  # the contract, unchanged


def test_marsad_tag_explain_cli(project_env: dict[str, str]) -> None:
    line = json.dumps({"id": "1", "text": "تراجعت أسهم إنفيديا بنسبة ١٧٪ في جلسة الاثنين."}, ensure_ascii=False)
    proc = subprocess.run([str(MARSAD), "tag", "--explain"], input=line + "\n", env={**project_env, "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert row["topics"] == ["market_impact"] and row["paths"]["market_impact"].startswith("rule: ")
    assert set(row["probabilities"]) == set(TOPICS)


def test_the_path_lands_in_article_topics(config, settings, project_env) -> None:
    from flows.pipeline import run_daily

    run_daily(config)
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        paths = [p for (p,) in con.execute("select path from article_topics").fetchall()]
        view = con.execute("select count(*) from v_article_topics where path is not null").fetchone()[0]
        model = con.execute("select model_sha256 from taxonomy_versions").fetchall()
    finally:
        con.close()
    assert paths and all(p.startswith("rule: ") or p.startswith("model p=") for p in paths)
    assert view == len(paths)
    assert model == [(load_model(ROOT / "config" / MODEL_FILE).digest,)]


def test_shipped_model_is_small_and_loads_fast(tagger: Tagger) -> None:
    path = ROOT / "config" / MODEL_FILE
    assert path.stat().st_size < 20_000_000
    # CPU time, best of three: the load's own cost (~0.2 s), not a busy moment of a shared machine
    # (one wall-clock load took 1.04 s while the rest of the suite ran beside it)
    loads = []
    for _ in range(3):
        t0 = time.process_time()
        model = load_model(path)
        loads.append(time.process_time() - t0)
    assert min(loads) < 1.0, loads
    assert tagger.model is not None and tagger.model.digest == model.digest
    assert model.info["rules_version"] == tagger.rules_version, (
        "config/topic_model.json.gz was built for other rules: run `make model` after editing topics.toml")
    assert set(model.thresholds) == set(TOPICS)


def test_features_are_the_same_for_a_passage_and_its_analysis(tagger: Tagger) -> None:
    text = "حظرت الحكومة التطبيق على الأجهزة الرسمية. وقالت إن البيانات الشخصية في خطر."
    a = tagger.analyse(text)
    feats = features(a.norms, a.groups, 1.0)
    assert "حظرت" in feats and "حظرت الحكومه" in feats and any(f.startswith("g:") for f in feats)
    assert any(f.startswith("p:") for f in feats)
    assert feats == features(tagger.analyse(text).norms, tagger.analyse(text).groups, 1.0)


def test_fast_scorer_equals_the_feature_dict(tagger: Tagger) -> None:
    """`logits_for` (tagging) and `logits(features(...))` (training, evidence) must agree."""
    model = tagger.model
    assert model is not None
    rows = [json.loads(x) for x in (ROOT / "tests" / "data" / "passages_r4.jsonl").read_text(encoding="utf-8").splitlines()[:60]]
    idx = list(range(len(TOPICS)))
    for row in rows:
        a = tagger.analyse(row["text"])
        slow = model.logits(features(a.norms, a.groups, model.group_weight), idx)
        fast = model.logits_for(a.norms, a.groups, idx)
        assert fast == pytest.approx(slow, abs=1e-9), row["id"]


def test_packed_rows_sum_like_floats_at_the_extremes() -> None:
    """The packed rows (`model._pack`) of the scorer sum without a carry between topics up to
    `_SMALL` rows, at the largest weights either sign, and refuse a weight they cannot hold."""
    from extractors.tagging import model as m

    big = 9_999.99999
    rows = [[big, -big, 0.00001, -0.00001], [-big, big, -0.5, 0.25]]
    for n in (1, 2, m._SMALL - 1, m._SMALL):
        picked = [rows[i % 2] for i in range(n)]
        total = sum(map(m._pack, picked))
        assert total >> m._COUNT == n
        for j in range(len(TOPICS)):
            assert m._field(total, j) == pytest.approx(sum(r[j] for r in picked), abs=1e-6)
    assert m._field(0, 0) == 0
    with pytest.raises(ConfigError, match="out of range"):
        m._pack([0.0, 0.0, 0.0, -11_000.0])


@pytest.mark.slow
def test_make_model_rebuilds_the_shipped_artifact() -> None:
    """Deterministic and reproducible from the labelled files (needs ../shared for the train split):
    the same bytes, or numbers within the toolchain's rounding when scikit-learn / numpy moved."""
    pytest.importorskip("sklearn")
    if not (ROOT.parent / "shared" / "eval" / "real-dev.jsonl").exists():
        pytest.skip("../shared/eval/real-dev.jsonl not found: the shipped model cannot be rebuilt here")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_model.py"), "--check"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "up to date" in proc.stdout


def test_a_rebuild_is_the_same_model_within_rounding_and_not_beyond() -> None:
    """`make model --check` accepts a rebuild whose weights moved in the last rounded digit (a newer
    numeric toolchain) and refuses one whose keys, thresholds or weights differ for real."""
    shipped = load_model(ROOT / "config" / MODEL_FILE)

    def variant(change) -> bytes:
        copy = TopicModel(weights={f: list(w) for f, w in shipped.weights.items()}, bias=list(shipped.bias),
                          thresholds=dict(shipped.thresholds), vetoes=dict(shipped.vetoes),
                          group_weight=shipped.group_weight, info=shipped.info)
        change(copy)
        return copy.to_bytes()

    same = variant(lambda m: None)
    feature = sorted(shipped.weights)[len(shipped.weights) // 2]
    nudged = variant(lambda m: m.weights[feature].__setitem__(0, m.weights[feature][0] + 1e-5))
    assert rebuild_differences(same, nudged) == ([], 1)
    moved = variant(lambda m: m.weights[feature].__setitem__(0, m.weights[feature][0] + 1e-3))
    assert [d.split(":")[0] for d in rebuild_differences(same, moved)[0]] == [f"/weights/{feature}[0]"]
    dropped = variant(lambda m: m.weights.pop(feature))
    assert rebuild_differences(same, dropped)[0] == [f"/weights/{feature}: only in the shipped model"]
    threshold = variant(lambda m: m.thresholds.__setitem__("pricing", m.thresholds["pricing"] + 0.01))
    assert rebuild_differences(same, threshold)[0][0].startswith("/thresholds/pricing:")
    biased = variant(lambda m: m.bias.__setitem__(2, m.bias[2] - 0.01))
    assert rebuild_differences(same, biased)[0][0].startswith("/bias[2]:")


def test_a_veto_needs_the_model_to_doubt_the_text_and_the_rule_evidence(tmp_path: Path) -> None:
    """A rule's tag is dropped only when the model gives its topic less than the veto on the whole
    text *and* on the sentences the rule fired on: a multi-topic article dilutes each topic in the
    whole-text score, which must not cost it a true tag. --explain shows what was vetoed and why."""
    config = tmp_path / "config"
    config.mkdir()
    for name in ("topics.toml", "entities.toml"):
        shutil.copy(ROOT / "config" / name, config / name)
    mi = TOPICS.index("market_impact")
    weights = {"زنبق": [0.0] * len(TOPICS)}
    weights["زنبق"][mi] = -80.0  # the made-up cue makes the model sure it is not market impact
    bias = [-4.0] * len(TOPICS)
    bias[mi] = 4.0
    model = TopicModel(weights=weights, bias=bias, thresholds=dict.fromkeys(TOPICS, 0.999), group_weight=1.0,
                       vetoes={"market_impact": 0.1})
    (config / MODEL_FILE).write_bytes(model.to_bytes())
    assert load_model(config / MODEL_FILE).vetoes == {"market_impact": 0.1}
    tagger = load_tagger(config)
    move = "تراجعت أسهم إنفيديا بنسبة ١٧٪ في جلسة الاثنين"
    assert [t.topic for t in tagger.tag("a", move + ".").topics] == ["market_impact"]
    # the cue elsewhere in the text: the evidence sentence itself is not doubted, the tag stays
    assert [t.topic for t in tagger.tag("b", f"{move}. {CUE}").topics] == ["market_impact"]
    # the cue in the very sentence the rule fired on: vetoed
    doubted = f"{move} زنبق."
    assert tagger.tag("c", doubted).topics == []
    [tag] = tagger.all_topics(tagger.analyse(doubted))
    assert tag.path.startswith(VETOED + "rule: ") and "< 0.10" in tag.path
    out = io.StringIO()
    tag_jsonl([json.dumps({"id": "c", "text": doubted}, ensure_ascii=False)], out, tagger, explain=True)
    line = json.loads(out.getvalue())
    assert line["topics"] == [] and line["vetoed"]["market_impact"].startswith(VETOED)


def test_the_blind_sets_are_never_trained_on() -> None:
    """Since round 12 the model trains on our later batches, r7's included: its `test` half
    (`own_r7_test`) must stay out, rounds 13-27's batches and the twenty-fifth to thirtieth
    are tuned on, not trained on, and round 28's and the one after round 33 are only measured
    (docs/TAGGING.md, rounds 12-34). Reads only our own files, so it runs without ../shared."""
    from extractors.tagging.evaluate import labelled_sets
    from extractors.tagging.training import Settings, training_data

    sets = {s.name: s for s in labelled_sets()}
    own, _, _ = training_data(load_tagger(ROOT / "config", model=False), Settings(other_news_weight=0.0), ROOT,
                              labels=ROOT / "no-labels.jsonl")
    trained = {ex.id for ex in own}
    assert not trained & {r["id"] for r in sets["own_r7_test"].rows()}
    for name in ("own_r15", "own_r16", "own_r17", "own_r18", "own_r19", "own_r20", "own_r21",
                 "own_r22", "own_r23", "own_r24", "own_r25", "own_r26", "own_r27", "own_r28",
                 "own_r29", "own_r30", "own_r31", "own_r32", "own_r33", "own_r34", "own_r35", "own_r36", "own_r37"):  # r30, r37 measured, the rest tuned
        assert not trained & {r["id"] for r in sets[name].rows()}, name
    for name in ("own_r7", "own_r8", "own_r14"):  # the batches it does train on
        assert {r["id"] for r in sets[name].rows()} <= trained, name


# privacy bans' `model_unless` line as config/topics.toml ships it (the tests below remove or break it)
_PRIVACY_BANS_GATES = 'model_unless = ["other_reason", "veto_awareness", "veto_privacy_policy", "veto_all_firms", "veto_how_to"]'


def _cue_taggers(tmp_path: Path, topic: str, key: str) -> dict[str, Tagger]:
    """Two taggers whose model is sure the made-up cue زنبق means `topic`: one with the shipped
    topics.toml, one with its line `key` removed (what `model_unless` changes)."""
    weights = {"زنبق": [0.0] * len(TOPICS)}
    weights["زنبق"][TOPICS.index(topic)] = 80.0
    model = TopicModel(weights=weights, bias=[-4.0] * len(TOPICS), thresholds=dict.fromkeys(TOPICS, 0.5),
                       group_weight=1.0)
    shipped = (ROOT / "config" / "topics.toml").read_text(encoding="utf-8")
    assert key + "\n" in shipped
    taggers = {}
    for name, topics_toml in (("with", shipped), ("without", shipped.replace(key + "\n", ""))):
        config = tmp_path / name
        config.mkdir()
        (config / "topics.toml").write_text(topics_toml, encoding="utf-8")
        shutil.copy(ROOT / "config" / "entities.toml", config / "entities.toml")
        (config / MODEL_FILE).write_bytes(model.to_bytes())
        taggers[name] = load_tagger(config)
    return taggers


def test_model_unless_stops_the_model_adding_a_topic_the_passage_rules_out(tmp_path: Path) -> None:
    """`model_unless` in [topics.<id>] is the rules' passage-wide `unless` for the model's
    additions: the shipped privacy-bans topic names `other_reason`, so a block the passage says was
    for gambling gets no privacy-ban tag from the model either, nor (rounds 30, 32) an awareness
    campaign, a privacy-policy update or a deadline for all firms; without the key it would."""
    for name, tagger in _cue_taggers(tmp_path, "privacy_bans", _PRIVACY_BANS_GATES).items():
        [added] = tagger.tag("a", "زنبق.").topics
        assert (added.topic, added.path) == ("privacy_bans", "model p=1.00")
        for other in ("وقالت الهيئة إن الموقع يروج للقمار.", "وأطلقت الهيئة حملة توعية.",
                      "The company said so in an update to its privacy policy.",
                      "والمهلة تسري على جميع الشركات.", "سألني قارئ: كيف أمنع المساعد من حفظ محادثاتي؟"):
            tags = [t.topic for t in tagger.tag("b", "زنبق. " + other).topics]
            assert tags == ([] if name == "with" else ["privacy_bans"]), other


@pytest.mark.parametrize(("topic", "lexicon", "other"), [
    ("market_impact", "other_cause", "بعد أن نزل خام برنت دون 60 دولارا للبرميل."),  # round 24 (ruling 6)
    ("export_controls", "arms_trade", "ولن توافق الحكومة على تراخيص لتصدير معدات عسكرية."),  # round 25 (ruling 9)
    ("pricing", "streaming_service, veto_gaming_cards, veto_hiring", "ورفعت Netflix سعر باقتها الشهرية."),  # round 25 (ruling 4)
    ("pricing", "streaming_service, veto_gaming_cards, veto_hiring", "وارتفع سعر كروت الشاشة."),  # round 32 (ruling 4)
    ("pricing", "streaming_service, veto_gaming_cards, veto_hiring", "وتشمل كلفة استقطاب المهندسين السكن والبدلات."),  # round 33
])
def test_the_other_model_unless_gates(tmp_path: Path, topic: str, lexicon: str, other: str) -> None:
    """The shipped market-impact, export-controls and pricing topics name a `model_unless` too: the
    model adds no market move to a passage that blames oil, rates or an election, no export control
    to one about arms exports, no AI price to one about a streaming plan, and still adds each topic
    where the passage names no such thing."""
    line = "model_unless = [" + ", ".join(f'"{x}"' for x in lexicon.split(", ")) + "]"
    for name, tagger in _cue_taggers(tmp_path, topic, line).items():
        assert [t.topic for t in tagger.tag("a", "زنبق.").topics] == [topic]
        gated = [t.topic for t in tagger.tag("b", f"زنبق. {other}").topics]
        assert gated == ([] if name == "with" else [topic])


def test_the_model_never_reads_a_veto_lexicon(tmp_path: Path) -> None:
    """A lexicon named `veto_…` in topics.toml is the rules' alone (round 26): a veto added to stop
    one rule misfiring ("معالج رسومي" read as a fee, رسوم) must not move the model on every text
    it occurs in. A model that would tag pricing on the group `veto_graphics` tags nothing there,
    while the same weight on an ordinary group (`chip`) does tag."""
    weights = {"g:veto_graphics": [0.0] * len(TOPICS), "g:chip": [0.0] * len(TOPICS)}
    weights["g:veto_graphics"][TOPICS.index("pricing")] = 80.0
    weights["g:chip"][TOPICS.index("export_controls")] = 80.0
    model = TopicModel(weights=weights, bias=[-4.0] * len(TOPICS), thresholds=dict.fromkeys(TOPICS, 0.5),
                       group_weight=1.0)
    for name in ("topics.toml", "entities.toml"):
        shutil.copy(ROOT / "config" / name, tmp_path / name)
    (tmp_path / MODEL_FILE).write_bytes(model.to_bytes())
    tagger = load_tagger(tmp_path)
    graphics = "كشفت الشركة عن معالجها الرسومي الجديد."
    assert "veto_graphics" in tagger.analyse(graphics).passage  # the rules see it
    assert tagger.tag("a", graphics).topics == []
    assert [t.topic for t in tagger.tag("b", "كشفت الشركة عن رقائقها الجديدة.").topics] == ["export_controls"]


def test_model_unless_names_known_lexicons(tmp_path: Path) -> None:
    shipped = (ROOT / "config" / "topics.toml").read_text(encoding="utf-8")
    (tmp_path / "topics.toml").write_text(shipped.replace(_PRIVACY_BANS_GATES, 'model_unless = ["other_raeson"]'),
                                          encoding="utf-8")
    shutil.copy(ROOT / "config" / "entities.toml", tmp_path / "entities.toml")
    with pytest.raises(ConfigError, match=r"privacy_bans\] model_unless names unknown lexicons \['other_raeson'\]"):
        load_tagger(tmp_path, model=False)
