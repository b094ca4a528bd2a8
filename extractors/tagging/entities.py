"""Entities: one canonical name per organisation, whatever the script or spelling.

Why: Arabic outlets write Nvidia as إنفيديا، انفيديا، نفيديا، إنفيديا or in Latin letters, and
DeepSeek as ديب سيك or ديبسيك. Analysts want one row per organisation in `article_entities`
so that "which outlets mention Huawei with export controls?" is a simple join. The aliases live
in `config/entities.toml`; matching reuses the clitic-aware lexicon matcher (so "لإنفيديا" and
"Nvidia's" count), and an entity is counted once per position even when two aliases overlap.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from extractors.core.config import check_keys
from extractors.core.errors import ConfigError
from extractors.tagging.lexicon import Hit

ENTITY_PREFIX = "entity:"
ENTITY_KINDS = ("ai", "chip", "tech", "regulator", "trade_authority", "government")


def parse_entities(
    data: dict[str, Any], path: Path
) -> tuple[dict[str, tuple[list[str], list[str]]], dict[str, str]]:
    """Validate `entities.toml`; return matcher groups `entity:<Name>` → aliases, and each
    group's rule group `@<kind>` (so topic rules can say "an AI company")."""
    table = data.get("entities")
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"{path}: needs an [entities.<Name>] table with aliases", hint="see docs/TAGGING.md")
    check_keys(data, {"entities"}, str(path))
    groups: dict[str, tuple[list[str], list[str]]] = {}
    kinds: dict[str, str] = {}
    for name, spec in table.items():
        if not isinstance(spec, dict):
            raise ConfigError(f"{path}: [entities.{name}] must be a table with an `aliases` list")
        aliases = spec.get("aliases")
        if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ConfigError(f"{path}: [entities.{name}] aliases must be a non-empty list of strings")
        check_keys(spec, {"aliases", "kind", "note"}, f"{path} [entities.{name}]")
        kind = spec.get("kind")
        if kind not in ENTITY_KINDS:
            raise ConfigError(f"{path}: [entities.{name}] kind must be one of {', '.join(ENTITY_KINDS)}, got {kind!r}")
        groups[ENTITY_PREFIX + name] = ([name, *aliases], [])
        kinds[ENTITY_PREFIX + name] = "@" + kind
    return groups, kinds


def count_entities(hits: Iterable[Hit]) -> dict[str, int]:
    """Mentions per canonical entity; overlapping alias hits of one entity count once.

    The hits come as the matcher finds them, in order of their end, so a hit overlaps a counted
    mention of its entity exactly when it starts before the last one's end: one comparison per
    hit instead of a scan of the mentions so far."""
    ends: dict[str, int] = {}  # entity -> end of its last counted mention
    counts: dict[str, int] = {}
    skip = len(ENTITY_PREFIX)
    for group, start, end in hits:
        if not group.startswith(ENTITY_PREFIX):
            continue
        name = group[skip:]
        last = ends.get(name)
        if last is not None and start < last:
            continue
        ends[name] = end
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))
