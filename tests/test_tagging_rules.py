"""Rule semantics added in issue 5 round 2: `veto_window` lets a long sentence with two
clauses keep the clause a rule is about, while a veto next to the rule's first item still
blocks it; misuse is a ConfigError naming the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.rules import Rule, parse_taxonomy
from marsad.errors import ConfigError

ALL = (frozenset({"restriction"}), frozenset({"chip"}))
NONE = frozenset({"non_chip_goods"})


def rule(window: int | None, veto_window: int | None) -> Rule:
    return Rule("export_controls", "r", ALL, NONE, frozenset(), 1.0, window, veto_window)


def test_without_veto_window_a_veto_anywhere_blocks() -> None:
    groups = {"restriction": [100], "chip": [110], "non_chip_goods": [5]}
    assert not rule(None, None).fires(groups, set())
    assert not rule(150, None).fires(groups, set())


def test_veto_window_ignores_a_far_veto_and_honours_a_near_one() -> None:
    far = {"restriction": [100], "chip": [110], "non_chip_goods": [5]}
    near = {"restriction": [100], "chip": [110], "non_chip_goods": [90]}
    assert rule(None, 40).fires(far, set())
    assert rule(150, 40).fires(far, set())
    assert not rule(150, 40).fires(near, set())


def test_veto_window_picks_the_anchor_away_from_the_veto() -> None:
    # "China curbed rare-earth exports (restriction@10, veto@20), in reply to US curbs (@100) on chips (@110)"
    groups = {"restriction": [10, 100], "chip": [110], "non_chip_goods": [20]}
    assert rule(40, 40).fires(groups, set())
    assert not rule(40, 40).fires({"restriction": [10], "chip": [30], "non_chip_goods": [20]}, set())


def test_window_still_applies_with_veto_window() -> None:
    groups = {"restriction": [0], "chip": [200]}
    assert not rule(40, 30).fires(groups, set())
    assert rule(None, 30).fires(groups, set())


def _taxonomy(extra: dict) -> dict:
    rules = {t: {"rules": [{"all": ["a"]}]} for t in ("export_controls", "pricing", "privacy_bans", "market_impact")}
    rules["export_controls"]["rules"] = [{"name": "x", "all": ["a"], **extra}]
    return {"lexicons": {"a": {"terms": ["a"]}, "b": {"terms": ["b"]}}, "topics": rules}


def test_veto_window_is_parsed() -> None:
    tax = parse_taxonomy(_taxonomy({"none": ["b"], "veto_window": 25}), Path("topics.toml"))
    assert tax.rules["export_controls"][0].veto_window == 25


@pytest.mark.parametrize(
    ("extra", "message"),
    [({"veto_window": 25}, "`veto_window` needs `none`"), ({"none": ["b"], "veto_window": -1}, "veto_window must be")],
)
def test_bad_veto_window_is_a_config_error(extra: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_taxonomy(_taxonomy(extra), Path("topics.toml"))
