"""The statistical half of the hybrid tagger: a small linear model that adds topics the rules miss.

Why: the rules (topics.toml) are precise and explainable, but on real news they miss what no
lexicon lists — paraphrases, a regulator's findings without the word "ban", costs stated as a
bill, a topic spread over two sentences. A logistic regression per topic, over features that
generalise beyond one event, catches many of those; it only ever *adds* a topic the rules did
not assign, when its probability clears the artifact's threshold, and drops a rule's tag it all
but rules out (the veto); both are chosen by cross-validation (extractors/tagging/training.py,
`make model`).

Features of a text (the same function at training and at tagging time):

* normalised word unigrams and bigrams (Arabic spelling folded by `arabic.normalize`);
* `g:` the lexicon groups of topics.toml found anywhere (`restriction`, `chip`, `@money`, …):
  the analysts' synonym lists, which carry over to events the training text never named
  (not the rules-only `veto_…` lexicons);
* `p:` pairs of groups found in one sentence (`chip|restriction`): the relation the rules
  look for, without the rules' all-or-nothing.

Each block is normalised (every feature 1/√n of its block; for pairs n counts pair occurrences
per sentence) and the group blocks are scaled by `group_weight`. The artifact is gzip'd JSON (`config/topic_model.json.gz`): weights per
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
from itertools import combinations, repeat
from pathlib import Path
from typing import Any

import numpy as np

from extractors.core.errors import ConfigError
from extractors.core.topics import TOPICS

MODEL_FILE = "topic_model.json.gz"
FORMAT = 1
_WORD = re.compile(r"\w+")
# Groups the model never sees: entity mentions enter through their kind (@chip, @ai…), not by
# name; and lexicons named `veto_…` in topics.toml are the rules' alone (a veto added to stop
# one rule misfiring must not shift the model's features for every text it occurs in).
_SKIP_GROUP = ("entity:", "veto_")
# up to this many known features, `logits_for` sums packed weight rows (numpy's per-call cost
# dominates below that; the packing's fields hold that many rows)
_SMALL = 400


# A weight row packed into one int: per topic a field of _BITS bits holding round(w * _SCALE)
# + _OFFSET (the artifact keeps 5 decimals, so this is exact), and a last field counting rows.
# Summing up to _SMALL packed rows sums every field without a carry between them
# (_SMALL * 2 * _OFFSET < 2 ** _BITS); each field less its rows' offsets is the topic's sum.
_SCALE = 100_000
_BITS = 40
_OFFSET = 1 << 30  # |w| * _SCALE < 2 ** 30: weights under 10,000 in absolute value
_MASK = (1 << _BITS) - 1
_COUNT = _BITS * len(TOPICS)


def _pack_rows(weights: np.ndarray) -> list[int]:
    """One packed int per row of an (n, topics) weight matrix. Built from bytes (each field's low
    5 bytes, little-endian) rather than int arithmetic per weight: ~50,000 rows at load."""
    q = np.rint(weights * _SCALE).astype(np.int64)
    if q.size and int(np.abs(q).max()) >= _OFFSET:
        raise ConfigError(f"topic model: a weight out of range (|w| >= {_OFFSET / _SCALE:,.0f})")
    n, width = len(q), _BITS // 8
    fields = np.empty((n, len(TOPICS) + 1), dtype="<i8")
    fields[:, :-1] = q + _OFFSET
    fields[:, -1] = 1
    raw = fields.view(np.uint8).reshape(n, -1, 8)[:, :, :width].tobytes()
    size = width * (len(TOPICS) + 1)
    return [int.from_bytes(raw[i:i + size], "little") for i in range(0, n * size, size)]


def _pack(w: Sequence[float]) -> int:
    return _pack_rows(np.array([w], dtype=np.float64))[0]


def _field(packed: int, j: int) -> float:
    """Topic j's sum of the rows packed and summed in `packed` (0 for no row)."""
    return (((packed >> (_BITS * j)) & _MASK) - (packed >> _COUNT) * _OFFSET) / _SCALE


def word_features(norm: str) -> list[str]:
    """Unigrams and bigrams of one normalised sentence (no prefix: a word never holds ':')."""
    words = _WORD.findall(norm)
    return words + [a + " " + b for a, b in zip(words, words[1:], strict=False)]


def _names(groups: Mapping[str, Sequence[int]]) -> list[str]:
    return sorted(g for g in groups if not g.startswith(_SKIP_GROUP))


def features(norms: Sequence[str], groups: Sequence[Mapping[str, Sequence[int]]],
             group_weight: float) -> dict[str, float]:
    """Feature → value for a passage (several sentences) or one sentence; see the module doc.
    The pair block is normalised by the number of (sentence, pair) occurrences, which the
    fast scorer (`TopicModel.logits_for`) can count without listing every pair."""
    words: set[str] = set()
    gs: set[str] = set()
    pairs: set[str] = set()
    n_pairs = 0
    for norm, found in zip(norms, groups, strict=True):
        words.update(word_features(norm))
        names = _names(found)
        gs.update(names)
        n_pairs += len(names) * (len(names) - 1) // 2
        pairs.update(f"p:{a}|{b}" for i, a in enumerate(names) for b in names[i + 1:])
    out: dict[str, float] = {}
    for block, scale, n in ((words, 1.0, len(words)), ({"g:" + g for g in gs}, group_weight, len(gs)),
                            (pairs, group_weight, n_pairs)):
        if block:
            value = scale / math.sqrt(n)
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
    # a rule's tag is dropped when the model gives its topic less than this (0 = never): chosen by
    # cross-validation per topic, it removes rule tags the model is all but sure are wrong
    vetoes: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Per block, feature -> its weight row packed into one int (`_pack_rows`: a lookup lands on
        # one object, and summing rows is one C-level `sum` — with ~48,000 features and a small
        # CPU cache, following a list to four float objects per row cost more than the
        # arithmetic); a pair under its two groups in sorted order, as `features` writes it.
        # Long texts use one numpy matrix (row 0 = zeros) and a row index per feature instead.
        self._w_words: dict[str, int] = {}
        self._w_groups: dict[str, int] = {}
        self._w_pairs: dict[tuple[str, str], int] = {}
        self._index: dict[str, int] = {}
        self._matrix = np.array([[0.0] * len(TOPICS), *self.weights.values()], dtype=np.float64)
        self._bias = np.array(self.bias, dtype=np.float64)
        for row, (f, packed) in enumerate(zip(self.weights, _pack_rows(self._matrix[1:]), strict=True), start=1):
            self._index[f] = row
            kind = f[:2]
            if kind == "g:":
                self._w_groups[f[2:]] = packed
            elif kind == "p:":
                a, b = f[2:].split("|", 1)
                self._w_pairs[(a, b)] = packed
            else:
                self._w_words[f] = packed

    def logits(self, feats: Mapping[str, float], topics: Sequence[int]) -> list[float]:
        """Raw scores from a feature dict (as `features` builds it), for the topic indexes asked."""
        out = [self.bias[j] for j in topics]
        weights = self.weights
        for f, v in feats.items():
            w = weights.get(f)
            if w is not None:
                for k, j in enumerate(topics):
                    out[k] += w[j] * v
        return out

    def logits_for(self, norms: Sequence[str], groups: Sequence[Mapping[str, Sequence[int]]],
                   topics: Sequence[int]) -> list[float]:
        """The same scores as `logits(features(norms, groups, …))`, computed without building
        the feature dict: sets of words and groups, and the weight rows of the pairs the model
        knows (every pair of a sentence's sorted groups looked up at C level)."""
        words: set[str] = set()
        gs: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        n_pairs = 0
        for norm, found in zip(norms, groups, strict=True):
            ws = _WORD.findall(norm)
            words.update(ws)
            if len(ws) > 1:
                words.update(map(" ".join, zip(ws, ws[1:], strict=False)))
            names = sorted(g for g in found if not g.startswith(_SKIP_GROUP))
            gs.update(names)
            n_pairs += len(names) * (len(names) - 1) // 2
            pairs.update(combinations(names, 2))
        vw = 1 / math.sqrt(len(words)) if words else 0.0
        vg = self.group_weight / math.sqrt(len(gs)) if gs else 0.0
        vp = self.group_weight / math.sqrt(n_pairs) if n_pairs else 0.0
        # only the features the model knows (an unknown one adds 0)
        sw = sum(map(self._w_words.get, words, repeat(0)))
        sg = sum(map(self._w_groups.get, gs, repeat(0)))
        sp = sum(map(self._w_pairs.get, pairs, repeat(0)))
        if (sw >> _COUNT) + (sg >> _COUNT) + (sp >> _COUNT) <= _SMALL:
            # a passage or a sentence: exact integer sums of the packed rows, unpacked per topic
            bias = self.bias
            return [bias[j] + vw * _field(sw, j) + vg * _field(sg, j) + vp * _field(sp, j) for j in topics]
        m, index = self._matrix, self._index
        z = (self._bias + vw * m[[index[f] for f in words if f in index]].sum(axis=0)
             + vg * m[[index["g:" + g] for g in gs if "g:" + g in index]].sum(axis=0)
             + vp * m[[index[f"p:{a}|{b}"] for a, b in pairs if f"p:{a}|{b}" in index]].sum(axis=0))
        return [float(z[j]) for j in topics]

    def probabilities(self, feats: Mapping[str, float], topics: Sequence[str] = TOPICS) -> dict[str, float]:
        idx = [TOPICS.index(t) for t in topics]
        return {t: sigmoid(z) for t, z in zip(topics, self.logits(feats, idx), strict=True)}

    def probabilities_for(self, norms: Sequence[str], groups: Sequence[Mapping[str, Sequence[int]]],
                          topics: Sequence[str] = TOPICS) -> dict[str, float]:
        idx = [TOPICS.index(t) for t in topics]
        return {t: sigmoid(z) for t, z in zip(topics, self.logits_for(norms, groups, idx), strict=True)}

    def to_bytes(self) -> bytes:
        """Deterministic bytes (sorted keys, rounded weights, gzip without a timestamp)."""
        doc = {
            "format": FORMAT, "topics": list(TOPICS), "group_weight": self.group_weight,
            "bias": [round(b, 6) for b in self.bias],
            "thresholds": {t: round(self.thresholds[t], 4) for t in TOPICS},
            **({"vetoes": {t: round(v, 4) for t, v in sorted(self.vetoes.items()) if v > 0}} if any(self.vetoes.values()) else {}),
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
    return TopicModel(weights=doc["weights"], bias=doc["bias"], thresholds=doc["thresholds"], vetoes=doc.get("vetoes", {}),
                      group_weight=doc["group_weight"], digest=hashlib.sha256(data).hexdigest(),
                      info=doc.get("info", {}))


# How far a rebuilt number may sit from the shipped one and still be the same model: weights are
# written to 5 decimals, and a new scikit-learn / numpy / BLAS build moves liblinear's last bits
# (2026-12-02: 15 of ~48,000 weights one unit of the 5th decimal apart after the registry moved).
# A change of inputs (labels, rules, features) moves hundreds of weights by far more, or the keys.
REBUILD_TOLERANCE = 1e-4


def rebuild_differences(shipped: bytes, rebuilt: bytes, tolerance: float = REBUILD_TOLERANCE) -> tuple[list[str], int]:
    """What separates two artifacts beyond rounding: (differences, numbers that differ within
    `tolerance`). Keys, strings, counts and thresholds must match exactly; floats to `tolerance`."""
    found: list[str] = []
    within = 0

    def walk(a: Any, b: Any, path: str) -> None:
        nonlocal within
        if len(found) >= 20:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) ^ set(b))[:5]:
                found.append(f"{path}/{k}: only in the {'shipped' if k in a else 'rebuilt'} model")
            for k in sorted(set(a) & set(b)):
                walk(a[k], b[k], f"{path}/{k}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{path}[{i}]")
        elif isinstance(a, float) and isinstance(b, float) and "/thresholds" not in path and "/vetoes" not in path:
            if abs(a - b) > tolerance:
                found.append(f"{path}: {a} shipped, {b} rebuilt")
            elif a != b:
                within += 1
        elif a != b or type(a) is not type(b):
            found.append(f"{path}: {a!r:.60} shipped, {b!r:.60} rebuilt")

    walk(json.loads(gzip.decompress(shipped)), json.loads(gzip.decompress(rebuilt)), "")
    return found, within
