"""Rule semantics added in issue 5 round 2: `none_near` + `veto_window` let a long sentence with
two clauses keep the clause a rule is about, while a veto next to the rule's first item still
blocks it and `none` still vetoes the whole sentence; misuse is a ConfigError naming the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.core.errors import ConfigError
from extractors.tagging.rules import Rule, parse_taxonomy

ALL = (frozenset({"restriction"}), frozenset({"chip"}))
GOODS = frozenset({"non_chip_goods"})


def rule(window: int | None, veto_window: int | None, *, near: bool = True) -> Rule:
    none, none_near = (frozenset(), GOODS) if near else (GOODS, frozenset())
    return Rule("export_controls", "r", ALL, none, frozenset(), 1.0, window, none_near, veto_window if near else None)


def test_none_vetoes_anywhere_in_the_sentence() -> None:
    groups = {"restriction": [100], "chip": [110], "non_chip_goods": [5]}
    assert not rule(None, None, near=False).fires(groups, set())
    assert not rule(150, None, near=False).fires(groups, set())


def test_none_near_ignores_a_far_veto_and_honours_a_near_one() -> None:
    far = {"restriction": [100], "chip": [110], "non_chip_goods": [5]}
    near = {"restriction": [100], "chip": [110], "non_chip_goods": [90]}
    assert rule(None, 40).fires(far, set())
    assert rule(150, 40).fires(far, set())
    assert not rule(150, 40).fires(near, set())
    assert not rule(None, 40).fires(near, set())


def test_the_anchor_away_from_the_veto_is_used() -> None:
    # "China curbed rare-earth exports (restriction@10, veto@20), in reply to US curbs (@100) on chips (@110)"
    groups = {"restriction": [10, 100], "chip": [110], "non_chip_goods": [20]}
    assert rule(40, 40).fires(groups, set())
    assert not rule(40, 40).fires({"restriction": [10], "chip": [30], "non_chip_goods": [20]}, set())


def test_window_still_applies() -> None:
    groups = {"restriction": [0], "chip": [200]}
    assert not rule(40, 30).fires(groups, set())
    assert rule(None, 30).fires(groups, set())


def _taxonomy(extra: dict) -> dict:
    rules = {t: {"rules": [{"all": ["a"]}]} for t in ("export_controls", "pricing", "privacy_bans", "market_impact")}
    rules["export_controls"]["rules"] = [{"name": "x", "all": ["a"], **extra}]
    return {"lexicons": {"a": {"terms": ["a"]}, "b": {"terms": ["b"]}}, "topics": rules}


def test_none_near_is_parsed() -> None:
    tax = parse_taxonomy(_taxonomy({"none_near": ["b"], "veto_window": 25}), Path("topics.toml"))
    parsed = tax.rules["export_controls"][0]
    assert (parsed.none_near, parsed.veto_window, parsed.none) == (frozenset({"b"}), 25, frozenset())


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"veto_window": 25}, "go together"),
        ({"none_near": ["b"]}, "go together"),
        ({"none_near": ["b"], "veto_window": -1}, "veto_window must be"),
        ({"none_near": ["nope"], "veto_window": 25}, "unknown lexicon 'nope'"),
    ],
)
def test_bad_near_veto_is_a_config_error(extra: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_taxonomy(_taxonomy(extra), Path("topics.toml"))


def test_unless_vetoes_from_anywhere_in_the_passage() -> None:
    """`unless` (round 6): a veto found in any sentence of the passage, e.g. an inquiry into a leak
    told in the sentence before; absent from the passage, the rule fires as before."""
    tax = parse_taxonomy(_taxonomy({"unless": ["b"]}), Path("topics.toml"))
    parsed = tax.rules["export_controls"][0]
    assert parsed.unless == frozenset({"b"}) and parsed.none == frozenset()
    sentence = {"a": [3]}
    assert parsed.fires(sentence, {"a"})
    assert not parsed.fires(sentence, {"a", "b"})  # "b" was found in another sentence
    with pytest.raises(ConfigError, match="unknown lexicon 'nope'"):
        parse_taxonomy(_taxonomy({"unless": ["nope"]}), Path("topics.toml"))


def test_a_mask_hides_the_groups_found_inside_its_terms() -> None:
    """`masks` (round 10): "business model" is not an AI model. Inside a business_model term the
    masked lexicons are not found; elsewhere in the same sentence they still are."""
    from extractors.tagging.tagger import unmasked

    hits = [("ai", 10, 15), ("business_model", 1, 15), ("ai", 30, 35), ("vc", 12, 14)]
    masks = {"business_model": frozenset({"ai"})}
    assert unmasked(hits, masks) == [("business_model", 1, 15), ("ai", 30, 35), ("vc", 12, 14)]
    assert unmasked(hits[2:], masks) == hits[2:]  # no masking term found: the hits as they were
    data = _taxonomy({})
    data["lexicons"]["b"]["masks"] = ["a"]
    assert parse_taxonomy(data, Path("topics.toml")).masks == {"b": frozenset({"a"})}


@pytest.mark.parametrize(("masks", "message"), [(["nope"], "not a lexicon"), (["b"], "cannot mask itself"),
                                                ("a", "list of lexicon names")])
def test_a_bad_mask_is_a_config_error(masks, message: str) -> None:
    data = _taxonomy({})
    data["lexicons"]["b"]["masks"] = masks
    with pytest.raises(ConfigError, match=message):
        parse_taxonomy(data, Path("topics.toml"))


def test_the_shipped_business_model_mask() -> None:
    """In the shipped taxonomy a business model is not an AI subject, an AI model still is."""
    from extractors.tagging.tagger import load_tagger

    tagger = load_tagger(Path(__file__).resolve().parents[1] / "config", model=False)
    found = tagger.analyse("Investors grew wary of its business model.").passage
    assert "business_model" in found and not found & {"ai", "ai_model", "app"}
    assert {"ai", "ai_model"} <= tagger.analyse("Investors grew wary of its new model.").passage
    assert not tagger.analyse("نموذج الأعمال الذي تتبعه الشركة").passage & {"ai", "ai_model"}
