"""The tagger: topics with evidence, entities and claims for one text, no Prefect, no DB.

Why one object: `config/topics.toml` and `config/entities.toml` are read, validated and
compiled into a single Aho-Corasick automaton once (`load_tagger`); tagging an article is
then one pass of that automaton over the normalised sentences plus rule checks, fast enough
for `marsad tag` on a whole archive and for `marsad retag` after an analyst edits a rule.

Hybrid: the rules decide first (precise, analyst-editable, each tag citing the sentences where
its rule fired). When `config/topic_model.json.gz` is present, its linear model then *adds* a
topic the rules missed if the topic's probability clears the model's threshold; such a tag
cites the sentence(s) the model scores highest. Every tag says how it was made (`path`).
A title counts for the decision but is never quoted as evidence (the digest shows it anyway).

`taxonomy_version` is a short hash of the two config files and the model, so every row in
`article_topics` says which rules and model produced it and a retag keeps the old rows.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from extractors.core.arabic import normalize_lines, sentence_spans
from extractors.core.errors import ConfigError
from extractors.core.records import Claim, TagResult, TopicTag
from extractors.core.settings import read_toml
from extractors.core.topics import TOPICS
from extractors.tagging.claims import HINTS as CLAIM_HINTS
from extractors.tagging.claims import find_claims_at
from extractors.tagging.entities import count_entities, parse_entities
from extractors.tagging.lexicon import Hit, Matcher
from extractors.tagging.model import MODEL_FILE, TopicModel, load_model, sigmoid
from extractors.tagging.rules import Taxonomy, parse_taxonomy, score_topics

__all__ = ["TOPICS", "VETOED", "Analysis", "Tagger", "TaggingConfig", "load_tagger", "read_tagging_config",
           "versions_of"]

_ALL = tuple(range(len(TOPICS)))
# The path of a rule tag the model vetoed (shown by --explain, never stored or returned by tag()).
VETOED = "vetoed: "
# Only sentences with a claim hint (a currency, %, "مرة"… found by the automaton pass that
# runs anyway) go through the claims regexes, which are the slow part.
_HINT = "~"
CLAIM_HINT = _HINT  # the prefix of those groups' names (the evidence highlighter skips them)


@dataclass(slots=True)
class Analysis:
    """One text taken apart: sentences as written, normalised, and each one's groups."""

    sentences: list[str]
    norms: list[str]
    groups: list[dict[str, list[int]]]
    hits: list[Hit]
    claims: list[Claim]
    has_title: bool  # sentence 0 is the title: it counts, but is never quoted as evidence
    # the model's logits per sentence index, all topics, filled on demand (evidence and vetoes
    # score the same sentences for several topics)
    sentence_logits: dict[int, list[float]] = field(default_factory=dict)

    @property
    def passage(self) -> set[str]:
        return set().union(*self.groups) if self.groups else set()


# The model was trained on passages (all under 1,000 characters); on a long article it reads the lead,
# which is where news states its facts, and which keeps whole-article tagging fast.
MODEL_LEAD_CHARS = 1_000


def model_lead(norms: list[str]) -> int:
    """How many sentences, from the first, fit in MODEL_LEAD_CHARS (at least one)."""
    total = 0
    for i, norm in enumerate(norms):
        total += len(norm)
        if total > MODEL_LEAD_CHARS:
            return max(i, 1)
    return len(norms)


def versions_of(topics_toml: str, entities_toml: str, model: TopicModel | None) -> tuple[str, str]:
    """(rules_version, taxonomy_version): short hashes of the rules alone (what a model was
    trained against), and of everything that decides a tag — rules, entities and the model."""
    rules = hashlib.sha256(topics_toml.encode() + b"\0" + entities_toml.encode())
    rules_version = rules.hexdigest()[:12]
    if model is not None:
        rules.update(b"\0" + model.digest.encode())
    return rules_version, rules.hexdigest()[:12]


_GROUP = itemgetter(0)


def unmasked(hits: list[Hit], masks: dict[str, frozenset[str]]) -> list[Hit]:
    """The hits minus those of a masked group lying inside a hit of the lexicon that masks it:
    "business model" is not an AI model, a customs code (رمز جمركي) is not an AI token. Most texts
    hit no masking lexicon, and then the list is returned as it is."""
    masking = masks.keys()
    if masking.isdisjoint(map(_GROUP, hits)):  # C-level: the usual case costs a few µs
        return hits
    spans = [(start, end, masks[group]) for group, start, end in hits if group in masking]
    hidden = frozenset().union(*(masked for _, _, masked in spans))
    return [h for h in hits if h[0] not in hidden
            or not any(h[0] in masked and start <= h[1] and h[2] <= end for start, end, masked in spans)]


class Tagger:
    """Compiled taxonomy + entity aliases (+ the model); `tag()` is pure and thread-safe."""

    def __init__(self, taxonomy: Taxonomy, entity_groups: dict[str, tuple[list[str], list[str]]],
                 entity_kinds: dict[str, str], topics_toml: str, entities_toml: str,
                 model: TopicModel | None = None) -> None:
        self.taxonomy = taxonomy
        self.topics_toml = topics_toml
        self.entities_toml = entities_toml
        self.model = model
        self.rules_version, self.taxonomy_version = versions_of(topics_toml, entities_toml, model)
        self.matcher = Matcher({**taxonomy.lexicons, **entity_groups},
                               raw={_HINT + kind: terms for kind, terms in CLAIM_HINTS.items()})
        self._kind = entity_kinds

    @property
    def entity_kinds(self) -> dict[str, str]:
        """Entity group → its kind (`@chip`, `@ai`, …), as the rules' pseudo-groups use them."""
        return self._kind

    def tag(self, id: str, text: str, title: str | None = None) -> TagResult:  # noqa: A002 (contract name)
        """Topics (with evidence sentences as written and their path), entities and claims."""
        a = self.analyse(text, title)
        return TagResult(id=id, topics=self.topics(a), entities=count_entities(a.hits), claims=a.claims)

    def topics(self, a: Analysis) -> list[TopicTag]:
        """The rules' topics, plus those the model adds, minus those it vetoes, in contract order."""
        return [t for t in self.all_topics(a) if not t.path.startswith(VETOED)]

    def all_topics(self, a: Analysis) -> list[TopicTag]:
        """`topics` plus the rule tags the model vetoed, whose path starts with `VETOED` and says
        why ("vetoed: rule: <name>; model p=0.02 < 0.05") — what `--explain` shows."""
        tags = {t.topic: t for t in self.rule_topics(a)}
        model = self.model
        if model is None or not a.sentences:
            return [tags[t] for t in TOPICS if t in tags]
        vetoes = model.vetoes
        n = model_lead(a.norms)
        # A rule's tag is vetoed only if the model doubts the text *and* its evidence sentences.
        # Which to score first is a matter of cost: when some topic is missing the text is
        # scored anyway (for additions), so the evidence only where the text is doubted; when the
        # rules found every topic, the evidence first (a sentence, usually clearing), the text
        # only for what it does not clear.
        vetoable = [t for t in tags if vetoes.get(t, 0.0) > 0]
        if len(tags) == len(TOPICS):
            vetoable = [t for t in vetoable if not self._evidence_clears(a, tags[t], vetoes[t])]
        # a topic the passage rules out for the model (`model_unless`) is not asked for an addition
        blocked = self.taxonomy.model_unless
        passage = a.passage if blocked else frozenset()
        asked = [t for t in TOPICS if t in vetoable
                 or (t not in tags and (t not in blocked or blocked[t].isdisjoint(passage)))]
        if asked:
            if n == 1:  # the lead is one sentence: its logits are that sentence's (and cached)
                z = self._sentence_logits(a, 0)
                probs = {t: sigmoid(z[TOPICS.index(t)]) for t in asked}
            else:
                probs = model.probabilities_for(a.norms[:n], a.groups[:n], asked)
            for topic, p in probs.items():
                if topic in tags:
                    if p < vetoes[topic] and (len(tags) == len(TOPICS)
                                              or not self._evidence_clears(a, tags[topic], vetoes[topic])):
                        rule = tags[topic]
                        tags[topic] = TopicTag(topic, rule.score, rule.evidence,
                                               f"{VETOED}{rule.path}; model p={p:.2f} < {vetoes[topic]:.2f}")
                elif p >= model.thresholds[topic]:
                    evidence = self._model_evidence(a, topic, n)
                    if evidence:
                        tags[topic] = TopicTag(topic, round(p, 3), evidence, f"model p={p:.2f}")
        return [tags[t] for t in TOPICS if t in tags]

    def rule_topics(self, a: Analysis) -> list[TopicTag]:
        """What the rules alone assign; evidence: where the best rules fired, the title aside."""
        out = []
        body = list(range(1 if a.has_title else 0, len(a.sentences)))
        for topic, (score, ranked, names) in score_topics(self.taxonomy, a.groups, a.passage).items():
            keep = [i for i in ranked if i >= body[0]][: self.taxonomy.max_evidence] if body else [0]
            if not keep:  # fired in the title only: quote the body sentence closest to it
                keep = self._best_sentences(a, topic, body)[:1] or [self._closest_to_title(a, body)]
            out.append(TopicTag(topic, score, [a.sentences[i] for i in sorted(keep)], "rule: " + names[0]))
        return out

    def _evidence_clears(self, a: Analysis, tag: TopicTag, veto: float) -> bool:
        """Whether the model gives the tag's topic at least `veto` on one of the rule's evidence
        sentences alone: a multi-topic article dilutes each topic in the whole-text score, so a
        veto needs the model to doubt the very sentences the rule fired on as well. Stops at the
        first sentence that clears (the usual case)."""
        j = TOPICS.index(tag.topic)
        quoted = set(tag.evidence)
        return any(sigmoid(self._sentence_logits(a, i)[j]) >= veto
                   for i in range(len(a.sentences)) if a.sentences[i] in quoted)

    def _sentence_logits(self, a: Analysis, i: int) -> list[float]:
        z = a.sentence_logits.get(i)
        if z is None:
            assert self.model is not None
            z = a.sentence_logits[i] = self.model.logits_for([a.norms[i]], [a.groups[i]], _ALL)
        return z

    def _model_evidence(self, a: Analysis, topic: str, n: int) -> list[str]:
        body = list(range(1 if a.has_title else 0, n))
        return [a.sentences[i] for i in self._best_sentences(a, topic, body)]

    def _best_sentences(self, a: Analysis, topic: str, candidates: list[int]) -> list[int]:
        """The candidate sentence the model scores highest for `topic`, and the others that clear
        its threshold on their own (at most `max_evidence` in all), in text order."""
        model = self.model
        if model is None or not candidates:
            return []
        j = TOPICS.index(topic)
        scored = sorted(((self._sentence_logits(a, i)[j], i) for i in candidates), key=lambda s: (-s[0], s[1]))
        th = model.thresholds[topic]
        keep = [scored[0][1]] + [i for z, i in scored[1:] if sigmoid(z) >= th]
        return sorted(keep[: self.taxonomy.max_evidence])

    @staticmethod
    def _closest_to_title(a: Analysis, body: list[int]) -> int:
        """Without a model: the body sentence sharing most lexicon groups with the title."""
        title = set(a.groups[0])
        return max(body, key=lambda i: (len(title & set(a.groups[i])), -i))

    def explain(self, text: str, title: str | None = None) -> list[dict]:
        """Per sentence: the lexicon groups found and the rules that fired — the answer to an
        analyst's "why was this tagged?" (used by scripts/eval_tagging.py --explain)."""
        a = self.analyse(text, title)
        passage = a.passage
        return [
            {
                "sentence": sentence,
                "groups": sorted(g for g in found if not g.startswith("entity:")),
                "fired": [f"{r.topic}: {r.name}" for rules in self.taxonomy.rules.values()
                          for r in rules if r.fires(found, passage)],
            }
            for sentence, found in zip(a.sentences, a.groups, strict=True)
        ]

    def probabilities(self, text: str, title: str | None = None) -> dict[str, float]:
        """The model's probability per topic for a text (empty without a model)."""
        if self.model is None:
            return {}
        a = self.analyse(text, title)
        n = model_lead(a.norms)
        return self.model.probabilities_for(a.norms[:n], a.groups[:n])

    def analyse(self, text: str, title: str | None = None) -> Analysis:
        """Split, normalise, match once, and collect each sentence's groups."""
        sentences: list[str] = []
        text = text or ""
        head = (title or "").strip()
        has_title = bool(head)
        if has_title:
            sentences.append(head)
            # extracted articles and seed files often repeat the headline as their first line:
            # it counts once, as the title, and is never quoted back as evidence
            body = text.lstrip()
            if body.startswith(head):
                text = body[len(head):]
        sentences.extend(text[a:b] for a, b in sentence_spans(text))
        norms = normalize_lines(sentences)
        if has_title and any(n == norms[0] for n in norms[1:]):  # the headline again, mid-text
            keep = [0] + [i for i in range(1, len(norms)) if norms[i] != norms[0]]
            sentences, norms = [sentences[i] for i in keep], [norms[i] for i in keep]
        starts: list[int] = []
        pos = 0
        for n in norms:
            starts.append(pos)
            pos += len(n) + 1
        joined = "\n".join(norms)
        hits = self.matcher.find(joined)
        if self.taxonomy.masks:
            hits = unmasked(hits, self.taxonomy.masks)

        # per sentence: group -> offsets (in `joined`) where it was found
        groups: list[dict[str, list[int]]] = [{} for _ in sentences]
        kind = self._kind
        hinted: dict[int, set[str]] = {}
        # Hits come in order of their end and never span a line break, so the sentence index
        # only moves forward: walk it instead of a bisect per hit (whole articles have ~1,000 hits).
        nexts = [*starts[1:], pos + 1]
        i, nxt = 0, nexts[0] if nexts else 0
        found = groups[0] if groups else {}
        for group, start, _ in hits:
            if start >= nxt:
                i = bisect_right(starts, start) - 1
                nxt = nexts[i]
                found = groups[i]
            if group[0] == _HINT:
                hinted.setdefault(i, set()).add(group[1:])
                continue
            offsets = found.get(group)
            if offsets is None:
                found[group] = [start]
            else:
                offsets.append(start)
            k = kind.get(group)
            if k is not None:
                offsets = found.get(k)
                if offsets is None:
                    found[k] = [start]
                else:
                    offsets.append(start)
        claims: list[Claim] = []
        for i, kinds in sorted(hinted.items()):
            norm = norms[i]
            for offset, claim in find_claims_at(norm, sentences[i], kinds):
                claims.append(claim)
                for name in ("@figure", "@" + claim.kind):
                    groups[i].setdefault(name, []).append(starts[i] + offset)
        return Analysis(sentences, norms, groups, hits, claims, has_title)


class TaggingConfig:
    """topics.toml, entities.toml and the topic model, read and validated but not compiled
    (cheap to carry: the flow validates them before the run and compiles the Tagger in the
    tag step).

    A plain class, not a dataclass, on purpose: an orchestrator walks every dataclass it is
    handed, element by element (Prefect does, looking for futures in task inputs), and doing
    that over ~100 lexicons cost ~35 ms per task run. Nothing here needs walking.
    """

    _FIELDS = ("taxonomy", "entity_groups", "entity_kinds", "topics_toml", "entities_toml", "model")
    __slots__ = (*_FIELDS, "_compiled")

    def __init__(self, taxonomy: Taxonomy, entity_groups: dict[str, tuple[list[str], list[str]]],
                 entity_kinds: dict[str, str], topics_toml: str, entities_toml: str,
                 model: TopicModel | None = None) -> None:
        self.taxonomy = taxonomy
        self.entity_groups = entity_groups
        self.entity_kinds = entity_kinds
        self.topics_toml = topics_toml
        self.entities_toml = entities_toml
        self.model = model
        self._compiled: Tagger | None = None

    @property
    def taxonomy_version(self) -> str:
        """The Tagger's `taxonomy_version`, without compiling it (a run with nothing to tag
        never needs the ~0.2 s compile)."""
        return versions_of(self.topics_toml, self.entities_toml, self.model)[1]

    def tagger(self) -> Tagger:
        """The compiled Tagger (~0.1 s to build): built on first use, then reused by every step
        of the run in this process (the relevance gates, extraction, tagging)."""
        if self._compiled is None:
            self._compiled = Tagger(self.taxonomy, self.entity_groups, self.entity_kinds, self.topics_toml,
                                    self.entities_toml, self.model)
        return self._compiled

    def __getstate__(self) -> dict[str, object]:
        # sent to another process (a Dask worker) without the compiled automaton: it rebuilds it there
        return {name: getattr(self, name) for name in self._FIELDS}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self._compiled = None


def read_tagging_config(config_dir: Path, *, model: bool = True) -> TaggingConfig:
    """Read and validate `topics.toml`, `entities.toml` and (when present and `model`) the topic
    model from `config_dir`; ConfigError if bad. Without a model file the tagger is rules only."""
    config_dir = Path(config_dir)
    paths = {name: config_dir / name for name in ("topics.toml", "entities.toml")}
    raw: dict[str, str] = {}
    for name, path in paths.items():
        try:
            raw[name] = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ConfigError(
                f"config file not found: {path}",
                hint="set MARSAD_CONFIG to the folder with topics.toml and entities.toml",
            ) from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 text ({exc})") from exc
    taxonomy = parse_taxonomy(read_toml(paths["topics.toml"]), paths["topics.toml"])
    entities, kinds = parse_entities(read_toml(paths["entities.toml"]), paths["entities.toml"])
    clash = set(taxonomy.lexicons) & set(entities)
    if clash:
        raise ConfigError(f"{paths['topics.toml']}: lexicon names clash with entity groups: {sorted(clash)}")
    model_path = config_dir / MODEL_FILE
    topic_model = load_model(model_path) if model and model_path.exists() else None
    return TaggingConfig(taxonomy, entities, kinds, raw["topics.toml"], raw["entities.toml"], topic_model)


def load_tagger(config_dir: Path, *, model: bool = True) -> Tagger:
    """Read `topics.toml`, `entities.toml` and the topic model from `config_dir` once and compile them."""
    return read_tagging_config(config_dir, model=model).tagger()
