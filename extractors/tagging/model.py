"""The statistical half of the hybrid tagger: a small linear model that adds topics the rules miss.

Why: the rules (topics.toml) are precise and explainable, but on real news they miss what no
lexicon lists — paraphrases, a regulator's findings without the word "ban", costs stated as a
bill, a topic spread over two sentences. A logistic regression per topic, over features that
generalise beyond one event, catches many of those; it only ever *adds* a topic the rules did
not assign, when its probability clears a threshold chosen by cross-validation
(extractors/tagging/training.py, `make model`).

Features of a text (the same function at training and at tagging time):

* `w:` normalised word unigrams and bigrams (Arabic spelling folded by `arabic.normalize`);
* `g:` the lexicon groups of topics.toml found anywhere (`restriction`, `chip`, `@money`, …):
  the analysts' synonym lists, which carry over to events the training text never named;
* `p:` pairs of groups found in one sentence (`chip|restriction`): the relation the rules
  look for, without the rules' all-or-nothing.

Each block is L2-normalised (every feature 1/√n of its block) and the group blocks are scaled
by `group_weight`. The artifact is gzip'd JSON (`config/topic_model.json.gz`): weights per
feature per topic, the biases, the thresholds and how they were chosen; no scikit-learn at
tagging time — scoring is a dictionary lookup per feature.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.core.errors import ConfigError
from extractors.core.topics import TOPICS

MODEL_FILE = "topic_model.json.gz"
FORMAT = 1
_WORD = re.compile(r"\w+")
_SKIP_GROUP = "entity:"  # entity mentions enter through their kind (@chip, @ai…), not by name


def word_features(norm: str) -> list[str]:
    """`w:` unigrams and bigrams of one normalised sentence."""
    words = _WORD.findall(norm)
    feats = ["w:" + w for w in words]
    feats += ["w:" + a + " " + b for a, b in zip(words, words[1:], strict=False)]
    return feats


def group_features(groups: Mapping[str, Sequence[int]]) -> tuple[list[str], list[str]]:
    """(`g:` groups, `p:` within-sentence pairs) of one sentence's groups."""
    names = sorted(g for g in groups if not g.startswith(_SKIP_GROUP))
    pairs = [f"p:{a}|{b}" for i, a in enumerate(names) for b in names[i + 1:]]
    return ["g:" + g for g in names], pairs


def features(norms: Sequence[str], groups: Sequence[Mapping[str, Sequence[int]]],
             group_weight: float) -> dict[str, float]:
    """Feature → value for a passage (several sentences) or one sentence; see the module doc."""
    words: set[str] = set()
    gs: set[str] = set()
    pairs: set[str] = set()
    for norm, found in zip(norms, groups, strict=True):
        words.update(word_features(norm))
        g, p = group_features(found)
        gs.update(g)
        pairs.update(p)
    out: dict[str, float] = {}
    for block, scale in ((words, 1.0), (gs, group_weight), (pairs, group_weight)):
        if block:
            value = scale / math.sqrt(len(block))
            for f in block:
                out[f] = value
    return out


@dataclass
class TopicModel:
    """Per-topic logistic regression weights, thresholds, and where they came from."""

    weights: dict[str, list[float]]  # feature -> one weight per topic, in TOPICS order
    bias: list[float]
    thresholds: dict[str, float]
    group_weight: float
    digest: str = ""  # sha256 of the artifact's bytes (part of taxonomy_version)
    info: dict[str, Any] = field(default_factory=dict)  # training sets, CV figures, settings

    def logits(self, feats: Mapping[str, float], topics: Sequence[int]) -> list[float]:
        """Raw scores for the topic indexes asked for (the others are not computed)."""
        out = [self.bias[j] for j in topics]
        weights = self.weights
        for f, v in feats.items():
            w = weights.get(f)
            if w is not None:
                for k, j in enumerate(topics):
                    out[k] += w[j] * v
        return out

    def probabilities(self, feats: Mapping[str, float], topics: Sequence[str] = TOPICS) -> dict[str, float]:
        idx = [TOPICS.index(t) for t in topics]
        return {t: sigmoid(z) for t, z in zip(topics, self.logits(feats, idx), strict=True)}

    def to_bytes(self) -> bytes:
        """Deterministic bytes (sorted keys, rounded weights, gzip without a timestamp)."""
        doc = {
            "format": FORMAT, "topics": list(TOPICS), "group_weight": self.group_weight,
            "bias": [round(b, 6) for b in self.bias],
            "thresholds": {t: round(self.thresholds[t], 4) for t in TOPICS},
            "info": self.info,
            "weights": {f: [round(x, 5) for x in w] for f, w in sorted(self.weights.items())},
        }
        raw = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        return gzip.compress(raw, compresslevel=9, mtime=0)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


def load_model(path: Path) -> TopicModel:
    """Read an artifact written by `TopicModel.to_bytes`; ConfigError when it is unreadable."""
    try:
        data = path.read_bytes()
        doc = json.loads(gzip.decompress(data))
    except (OSError, EOFError, ValueError) as exc:
        raise ConfigError(f"{path}: not a topic model ({exc})", hint="rebuild it with `make model`") from exc
    if doc.get("format") != FORMAT or doc.get("topics") != list(TOPICS):
        raise ConfigError(f"{path}: topic model format {doc.get('format')} / topics {doc.get('topics')} "
                          f"do not match this Marsad (format {FORMAT})", hint="rebuild it with `make model`")
    return TopicModel(weights=doc["weights"], bias=doc["bias"], thresholds=doc["thresholds"],
                      group_weight=doc["group_weight"], digest=hashlib.sha256(data).hexdigest(),
                      info=doc.get("info", {}))
