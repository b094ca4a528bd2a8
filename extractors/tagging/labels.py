"""Analysts' labels: real coverage an analyst has tagged by hand, fed back to the topic model.

Why: the tagger's measured gap is recall on real coverage, and what moved it so far came from
real passages — their errors showed which rule classes to write, and they choose the model's
thresholds and vetoes. Analysts read the digest every day and see the misses first; `marsad
label ID|URL TOPIC…` writes what they decide into `config/labels.jsonl`, one line per article,
beside the rules they can already edit, and `make model` trains on it with the real-dev `train`
passages (same weight; in the cross-validation's real part, so thresholds are chosen on them
too). The file is also a reviewed record of the tagger's misses on the sources Marsad reads.
What labels do to the model's figures must be measured, not assumed: as training examples
alone, real-dev's 279 passages moved its out-of-fold figure by nothing measurable
(docs/TAGGING.md, round 7's learning curve).

The file is part of the repository like topics.toml: reviewed, versioned, and the artifact
records its sha256 (`scripts/build_model.py --check` and its test fail until the model is
rebuilt after a change). A line is `{"id", "url", "title", "text", "topics", "note",
"labelled_at"}`; topics in contract order, `[]` = about none of the four.

What must not be trained on is refused by `marsad label` or left out at training
(`training.analyst_examples`): seed articles (the seed paragraphs are a dev set) and any article
that contains a passage of an evaluation set — the seed paragraphs, the lead's holdout, real-dev's
`test` split (`held_out`) — so their figures stay honest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from extractors.core.errors import ConfigError, UsageError
from extractors.core.files import write_atomic
from extractors.core.topics import TOPICS

LABELS_FILE = "labels.jsonl"
FIELDS = ("id", "url", "title", "text", "topics", "note", "labelled_at")
SHINGLE = 5  # words per shingle, as the disjointness checks of tests/test_tagging_quality.py
CONTAINED = 0.5  # a test passage is "in" an article when half its shingles are


def topics_in_order(names: Iterable[str]) -> list[str]:
    """The topics named (contract ids), in contract order; UsageError naming an unknown one."""
    wanted = set(names)
    unknown = sorted(wanted - set(TOPICS))
    if unknown:
        raise UsageError(f"unknown topic {', '.join(map(repr, unknown))}", hint="topics: " + ", ".join(TOPICS))
    return [t for t in TOPICS if t in wanted]


def read_labels(path: Path) -> list[dict[str, Any]]:
    """Every line of a labels file, validated (ConfigError with the line number); [] when absent."""
    if not path.exists():
        return []
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ConfigError(f"{where}: not JSON ({exc})") from None
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not isinstance(row.get("text"), str) \
                or not row["text"].strip() or not isinstance(row.get("topics"), list):
            raise ConfigError(f"{where}: a label needs a string id, a non-empty text and a topics list")
        try:
            topics = topics_in_order(row["topics"])
        except UsageError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if topics != row["topics"]:
            raise ConfigError(f"{where}: topics must be distinct and in contract order: {topics}")
        if row["id"] in seen:
            raise ConfigError(f"{where}: id {row['id']!r} is labelled twice")
        seen.add(row["id"])
        rows.append(row)
    return rows


def upsert_label(path: Path, row: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Add or replace the label of `row["id"]`; write the file sorted by id, atomically.
    Returns (every label now in the file, the label it replaced or None)."""
    rows = {r["id"]: r for r in read_labels(path)}
    old = rows.get(row["id"])
    rows[row["id"]] = {k: row.get(k) for k in FIELDS}
    ordered = [rows[k] for k in sorted(rows)]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered))
    except OSError as exc:
        raise ConfigError(f"cannot write the labels file {path}: {exc.strerror or exc}",
                          hint="label in a checkout whose config folder is writable (MARSAD_CONFIG)") from None
    return ordered, old


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i:i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}


def held_out(labels: Sequence[dict[str, Any]], passages: Sequence[str]) -> list[str]:
    """Ids of the labels whose text contains one of `passages` (half its 5-word shingles or more):
    those articles carry an evaluation passage and are left out of training."""
    probes = [s for s in map(_shingles, passages) if s]
    out = []
    for row in labels:
        have = _shingles(row["text"])
        if any(len(p & have) >= CONTAINED * len(p) for p in probes):
            out.append(row["id"])
    return out
