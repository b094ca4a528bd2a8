"""Entities: cross-script aliases → one canonical name with mention counts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractors.core.errors import ConfigError
from extractors.tagging.tagger import Tagger, load_tagger

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger(ROOT / "config")


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("أطلقت ديب سيك نموذجها", "DeepSeek"),
        ("أطلقت ديبسيك نموذجها", "DeepSeek"),
        ("DeepSeek's model", "DeepSeek"),
        ("تراجع سهم إنفيديا", "Nvidia"),
        ("تراجع سهم انفيديا", "Nvidia"),
        ("شرائح نفيديا", "Nvidia"),
        ("لإنفيديا", "Nvidia"),
        ("NVIDIA shares", "Nvidia"),
        ("معدات هواوي", "Huawei"),
        ("Huawei's Ascend", "Huawei"),
        ("شركة أوبن إيه آي", "OpenAI"),
        ("مايكروسوفت وميتا", "Microsoft"),
        ("مايكروسوفت وميتا", "Meta"),
        ("علي بابا", "Alibaba"),
        ("TSMC and ASML", "TSMC"),
        ("شركة «إيه إس إم إل» الهولندية", "ASML"),
        ("the Commerce Department said", "US Commerce Department"),
        ("وزارة التجارة الأمريكية", "US Commerce Department"),
        ("Italy's Garante", "Italy's Garante"),
        ("هيئة «غارانتي»", "Italy's Garante"),
    ],
)
def test_aliases_across_scripts(tagger: Tagger, text: str, entity: str) -> None:
    assert entity in tagger.tag("x", text).entities


def test_mentions_are_counted_once_per_position(tagger: Tagger) -> None:
    text = "قالت إنفيديا إن Nvidia ستتأثر. وتراجع سهم انفيديا. أما ديب سيك (DeepSeek) فلم تعلق."
    entities = tagger.tag("x", text).entities
    assert entities["Nvidia"] == 3
    assert entities["DeepSeek"] == 2


def test_no_false_entities_from_substrings(tagger: Tagger) -> None:
    # "بديل" contains "ديل" (Dell) and "لا يزال" is no company at all
    assert tagger.tag("x", "بديل أرخص لا يزال متاحاً").entities == {}


def _config_copy(tmp_path: Path) -> Path:
    config = tmp_path / "config"
    config.mkdir()
    for name in ("topics.toml", "entities.toml"):
        shutil.copy(ROOT / "config" / name, config / name)
    return config


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[entities.X]\nkind = "ai"\n', "aliases must be a non-empty list"),
        ('[entities.X]\nkind = "fruit"\naliases = ["x"]\n', "kind must be one of"),
        ('[entities.X]\nkind = "ai"\naliases = ["x"]\ncolour = "red"\n', r"\[entities.X\]: unknown key 'colour'"),
        ('[entities.X]\nkind = "ai"\naliases = ["x"]\nnotes = "typo"\n', r"unknown key 'notes' \(did you mean 'note'\?\)"),
        ('[entities.X]\nkind = "ai"\naliases = ["x"]\n[entity.Y]\nkind = "ai"\n', r"unknown section \[entity\] \(did you mean \[entities\]\?\)"),
        ("title = 'no entities'\n", "needs an \\[entities"),
    ],
)
def test_bad_entities_config(tmp_path: Path, text: str, message: str) -> None:
    config = _config_copy(tmp_path)
    (config / "entities.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_tagger(config)


def test_overlapping_aliases_count_once_and_repeats_count_each() -> None:
    """Mentions of one entity whose hits overlap (an alias inside a longer alias) count once;
    separate mentions count each; hits of other groups are not entities."""
    from extractors.tagging.entities import count_entities

    hits = [("entity:Nvidia", 0, 7), ("entity:Nvidia", 3, 7), ("chip", 8, 12), ("entity:Nvidia", 2, 10),
            ("entity:DeepSeek", 11, 19), ("entity:Nvidia", 20, 27), ("entity:Nvidia", 27, 30)]
    assert count_entities(hits) == {"DeepSeek": 1, "Nvidia": 3}
