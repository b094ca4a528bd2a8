"""Topic rules from `config/topics.toml`: validated once, evaluated per sentence.

Why rules and not a keyword list: a keyword list tags every "ban" (football), every "price"
(phones, oil) and every "shares fell" (banks). TOPICS.md defines each topic as a *relation*
— a restriction word together with a chip/AI trade object, a money figure together with an AI
cost subject — so a rule is a set of lexicon groups that must co-occur in one sentence, minus
groups that veto it, optionally requiring a group somewhere in the passage (context).

    [[topics.pricing.rules]]
    name   = "training cost figure"
    all    = ["cost_word", "@money", ["ai_model", "ai_company"]]   # every item, same sentence
    none   = ["hypothetical"]                                       # any of these vetoes it
    context = ["ai_any"]                                            # anywhere in the passage
    window = 80        # optional: every `all` item within 80 characters of the first one
                       # (default: the top-level `window`; 0 = anywhere in the sentence)
    weight = 1.0

An item in `all` may itself be a list: any one of its groups satisfies it. Groups starting
with `@` are filled by Marsad itself: `@money`, `@percent`, `@multiplier`, `@figure` (any
claim) from the claims extractor, and `@ai`, `@chip`, `@tech`, `@regulator`,
`@trade_authority`, `@government` when an entity of that kind (entities.toml) is mentioned
in the sentence.
A topic's score is 1 - Π(1 - s·w) over the sentences where a rule fired (w = the best rule
weight in that sentence, s = the top-level `sentence_strength`, default 0.6): one evidence
sentence scores 0.6, two 0.84, three 0.94 — so the digest can rank well-evidenced articles
first. The topic is assigned when the score reaches its threshold (default 0.5).

A topic's `model_unless` (groups anywhere in the passage) keeps the topic model from *adding*
that topic, as a rule's `unless` keeps the rule from firing: the passage has ruled it out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.core.config import check_keys
from extractors.core.errors import ConfigError
from extractors.core.topics import TOPICS

CLAIM_GROUPS = frozenset({"@money", "@percent", "@multiplier", "@figure"})
# Entity kinds from entities.toml (an entity of that kind was mentioned in the sentence).
ENTITY_GROUPS = frozenset({"@ai", "@chip", "@tech", "@regulator", "@trade_authority", "@government"})
PSEUDO_GROUPS = CLAIM_GROUPS | ENTITY_GROUPS
DEFAULT_THRESHOLD = 0.5
DEFAULT_SENTENCE_STRENGTH = 0.6
_RULE_KEYS = {"name", "all", "none", "none_near", "veto_window", "context", "unless", "weight", "window", "note"}
_TOP_KEYS = {"lexicons", "topics", "threshold", "window", "max_evidence", "sentence_strength"}
_LEXICON_KEYS = {"terms", "verbs", "masks", "note"}
_TOPIC_KEYS = {"rules", "threshold", "model_unless", "note"}


@dataclass(frozen=True, slots=True)
class Rule:
    topic: str
    name: str
    all: tuple[frozenset[str], ...]
    none: frozenset[str]
    context: frozenset[str]
    weight: float
    window: int | None = None
    # `none` vetoes anywhere in the sentence; `none_near` only within `veto_window` characters
    # of the rule's first item, so a long sentence with two clauses ("China curbed rare-earth
    # exports, in reply to US curbs on chips") keeps the clause the rule is about.
    none_near: frozenset[str] = frozenset()
    veto_window: int | None = None
    # `unless` vetoes anywhere in the passage: "the DPC opened an inquiry … on behalf of the EU"
    # is about the leak two sentences earlier (ruling 12), whatever this sentence says
    unless: frozenset[str] = frozenset()

    def fires(self, groups: Mapping[str, Sequence[int]], passage: AbstractSet[str]) -> bool:
        """True when every `all` item is present in the sentence (within `window` characters
        of the first item, if set), no `none` veto is, no `none_near` veto lies near that
        item, and the passage has the context (if any)."""
        for need in self.all:
            if need.isdisjoint(groups):
                return False
        if self.none and not self.none.isdisjoint(groups):
            return False
        if self.context and self.context.isdisjoint(passage):
            return False
        if self.unless and not self.unless.isdisjoint(passage):
            return False
        near = self.none_near and not self.none_near.isdisjoint(groups)
        if self.window is None and not near:
            return True
        return self._close(groups)

    def _close(self, groups: Mapping[str, Sequence[int]]) -> bool:
        w = self.window
        anchors = [p for g in self.all[0] for p in groups.get(g, ())]
        rest = [[p for g in need for p in groups.get(g, ())] for need in self.all[1:]] if w is not None else []
        vetoes = [p for g in self.none_near for p in groups.get(g, ())]
        vw = self.veto_window or 0
        for a in anchors:
            if rest and not all(any(abs(p - a) <= w for p in ps) for ps in rest):  # type: ignore[operator]
                continue
            if any(abs(v - a) <= vw for v in vetoes):
                continue
            return True
        return False


@dataclass(frozen=True)
class Taxonomy:
    lexicons: dict[str, tuple[list[str], list[str]]]
    rules: dict[str, tuple[Rule, ...]]  # topic -> rules, in contract order
    thresholds: dict[str, float]
    max_evidence: int
    sentence_strength: float = DEFAULT_SENTENCE_STRENGTH
    # lexicon -> the groups not found inside its terms ("business model" is not an AI model)
    masks: dict[str, frozenset[str]] = field(default_factory=dict)
    # topic -> groups that, found anywhere in the passage, stop the model from *adding* the topic
    # (`model_unless` in [topics.<id>]): the rules' `unless` for the model's additions, e.g. a
    # block the passage says was for gambling, content or a company's commercial reasons
    model_unless: dict[str, frozenset[str]] = field(default_factory=dict)
    # group -> rules whose first `all` item contains that group: a sentence only checks the
    # rules it could satisfy (keeps tagging fast as analysts add rules)
    triggers: dict[str, tuple[Rule, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index: dict[str, list[Rule]] = {}
        for rules in self.rules.values():
            for rule in rules:
                for group in rule.all[0]:
                    index.setdefault(group, []).append(rule)
        self.triggers.update({g: tuple(rs) for g, rs in index.items()})


def parse_taxonomy(data: Mapping[str, Any], path: Path) -> Taxonomy:
    """Validate `topics.toml`; every problem is a ConfigError naming the file and the key."""
    lex_table = data.get("lexicons")
    if not isinstance(lex_table, dict) or not lex_table:
        raise ConfigError(f"{path}: needs [lexicons.<name>] tables with `terms`")
    check_keys(data, _TOP_KEYS, str(path))
    lexicons: dict[str, tuple[list[str], list[str]]] = {}
    for name, spec in lex_table.items():
        if not isinstance(spec, dict):
            raise ConfigError(f"{path}: [lexicons.{name}] must be a table with `terms` and/or `verbs`")
        check_keys(spec, _LEXICON_KEYS, f"{path} [lexicons.{name}]")
        terms, verbs = spec.get("terms", []), spec.get("verbs", [])
        for key, value in (("terms", terms), ("verbs", verbs)):
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                raise ConfigError(f"{path}: [lexicons.{name}] {key} must be a list of strings")
        if not terms and not verbs:
            raise ConfigError(f"{path}: [lexicons.{name}] is empty; give it `terms` or `verbs`")
        lexicons[name] = (terms, verbs)
    masks = {name: _masks(name, spec.get("masks", []), lex_table, path) for name, spec in lex_table.items() if spec.get("masks")}

    topics = data.get("topics")
    if not isinstance(topics, dict):
        raise ConfigError(f"{path}: needs [topics.<id>] tables for {', '.join(TOPICS)}")
    unknown = set(topics) - set(TOPICS)
    if unknown:
        raise ConfigError(f"{path}: unknown topic ids {sorted(unknown)}; the contract ids are {', '.join(TOPICS)}")
    default = _number(data.get("threshold", DEFAULT_THRESHOLD), f"{path}: threshold")
    window = _window(data.get("window", 0), f"{path}: window")
    rules: dict[str, tuple[Rule, ...]] = {}
    thresholds: dict[str, float] = {}
    model_unless: dict[str, frozenset[str]] = {}
    for topic in TOPICS:
        spec = topics.get(topic)
        if not isinstance(spec, dict) or not isinstance(spec.get("rules"), list) or not spec["rules"]:
            raise ConfigError(f"{path}: [topics.{topic}] needs at least one [[topics.{topic}.rules]]")
        check_keys(spec, _TOPIC_KEYS, f"{path} [topics.{topic}]")
        thresholds[topic] = _number(spec.get("threshold", default), f"{path}: [topics.{topic}] threshold")
        rules[topic] = tuple(_rule(topic, i, r, lexicons, path, window) for i, r in enumerate(spec["rules"]))
        if spec.get("model_unless"):
            model_unless[topic] = _groups(spec["model_unless"], lexicons, f"{path}: [topics.{topic}] model_unless")
    max_ev = data.get("max_evidence", 3)
    if not isinstance(max_ev, int) or max_ev < 1:
        raise ConfigError(f"{path}: max_evidence must be a positive integer, got {max_ev!r}")
    strength = _number(data.get("sentence_strength", DEFAULT_SENTENCE_STRENGTH), f"{path}: sentence_strength")
    return Taxonomy(lexicons, rules, thresholds, max_ev, strength, masks, model_unless)


def _groups(value: Any, lexicons: Mapping[str, Any], where: str) -> frozenset[str]:
    if not isinstance(value, list) or not value or not all(isinstance(g, str) for g in value):
        raise ConfigError(f"{where} must be a non-empty list of lexicon names")
    unknown = sorted(set(value) - set(lexicons) - PSEUDO_GROUPS)
    if unknown:
        raise ConfigError(f"{where} names unknown lexicons {unknown}", hint="define them under [lexicons] or fix the spelling")
    return frozenset(value)


def _masks(name: str, value: Any, lexicons: Mapping[str, Any], path: Path) -> frozenset[str]:
    """A lexicon's `masks`: other lexicons whose matches inside its terms do not count."""
    if not isinstance(value, list) or not all(isinstance(g, str) for g in value):
        raise ConfigError(f"{path}: [lexicons.{name}] masks must be a list of lexicon names")
    unknown = sorted(set(value) - set(lexicons))
    if unknown or name in value:
        raise ConfigError(f"{path}: [lexicons.{name}] masks {unknown or [name]}: "
                          + ("not a lexicon" if unknown else "a lexicon cannot mask itself"))
    return frozenset(value)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ConfigError(f"{where} must be a number in (0, 1], got {value!r}")
    return float(value)


def _window(value: Any, where: str) -> int | None:
    """A proximity window in characters; 0 means the whole sentence."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where} must be a whole number of characters (0 = whole sentence), got {value!r}")
    return value or None


def _rule(topic: str, i: int, spec: Any, lexicons: Mapping[str, Any], path: Path, default_window: int | None) -> Rule:
    where = f"{path}: [[topics.{topic}.rules]] #{i + 1}"
    if not isinstance(spec, dict):
        raise ConfigError(f"{where} must be a table")
    name = str(spec.get("name", f"{topic} rule {i + 1}"))
    where += f" ({name!r})"
    check_keys(spec, _RULE_KEYS, where)
    items = spec.get("all")
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{where}: `all` must be a non-empty list of lexicon names")

    def group_set(value: Any, key: str) -> frozenset[str]:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise ConfigError(f"{where}: `{key}` items must be lexicon names or lists of names")
        for n in names:
            if n not in lexicons and n not in PSEUDO_GROUPS:
                raise ConfigError(f"{where}: `{key}` names unknown lexicon {n!r}", hint="define it under [lexicons] or fix the spelling")
        return frozenset(names)

    all_sets = tuple(group_set(item, "all") for item in items)
    none = group_set(spec["none"], "none") if spec.get("none") else frozenset()
    context = group_set(spec["context"], "context") if spec.get("context") else frozenset()
    unless = group_set(spec["unless"], "unless") if spec.get("unless") else frozenset()
    weight = _number(spec.get("weight", 1.0), f"{where}: weight")
    window = _window(spec["window"], f"{where}: window") if "window" in spec else default_window
    none_near = group_set(spec["none_near"], "none_near") if spec.get("none_near") else frozenset()
    veto_window = _window(spec["veto_window"], f"{where}: veto_window") if "veto_window" in spec else None
    if bool(none_near) != (veto_window is not None):
        raise ConfigError(f"{where}: `none_near` and `veto_window` go together (which vetoes count only nearby, and how near)")
    return Rule(topic, name, all_sets, none, context, weight, window, none_near, veto_window, unless)


def score_topics(
    taxonomy: Taxonomy, sentence_groups: Sequence[Mapping[str, Sequence[int]]], passage: AbstractSet[str]
) -> dict[str, tuple[float, list[int], list[str]]]:
    """Topic → (score, indexes of the sentences where it fired, best first, and the names of
    the rules that fired there, best first) for the topics that pass threshold; the caller
    keeps `max_evidence` of those sentences."""
    fired: dict[str, list[tuple[float, int, str]]] = {}
    triggers = taxonomy.triggers
    for idx, groups in enumerate(sentence_groups):
        best: dict[str, tuple[float, str]] = {}
        for group in groups:
            for rule in triggers.get(group, ()):
                if rule.weight > best.get(rule.topic, (0.0, ""))[0] and rule.fires(groups, passage):
                    best[rule.topic] = (rule.weight, rule.name)
        for topic, (weight, name) in best.items():
            fired.setdefault(topic, []).append((weight, idx, name))
    out: dict[str, tuple[float, list[int], list[str]]] = {}
    for topic in TOPICS:
        if topic not in fired:
            continue
        miss = 1.0
        for weight, _, _ in fired[topic]:
            miss *= 1.0 - taxonomy.sentence_strength * weight
        score = 1.0 - miss
        if score >= taxonomy.thresholds[topic] - 1e-9:
            ranked = sorted(fired[topic], key=lambda f: (-f[0], f[1]))
            names = list(dict.fromkeys(name for _, _, name in ranked))
            out[topic] = (round(score, 3), [i for _, i, _ in ranked], names)
    return out
