"""The tagger: topics with evidence, entities and claims for one text, no Prefect, no DB.

Why one object: `config/topics.toml` and `config/entities.toml` are read, validated and
compiled into a single Aho-Corasick automaton once (`load_tagger`); tagging an article is
then one pass of that automaton over the normalised sentences plus rule checks, fast enough
for `marsad tag` on a whole archive and for `marsad retag` after an analyst edits a rule.

`taxonomy_version` is a short hash of both config files, so every row in `article_topics`
says which rules produced it and a retag keeps the old rows for comparison.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from extractors.core.arabic import normalize_lines, sentence_spans
from extractors.core.errors import ConfigError
from extractors.core.records import Claim, TagResult, TopicTag
from extractors.core.settings import read_toml
from extractors.core.topics import TOPICS
from extractors.tagging.claims import HINTS as CLAIM_HINTS
from extractors.tagging.claims import find_claims_at
from extractors.tagging.entities import count_entities, parse_entities
from extractors.tagging.lexicon import Hit, Matcher
from extractors.tagging.rules import Taxonomy, parse_taxonomy, score_topics

__all__ = ["TOPICS", "Tagger", "load_tagger", "tag_jsonl"]

# Only sentences with a claim hint (a currency, %, "مرة"… found by the automaton pass that
# runs anyway) go through the claims regexes, which are the slow part.
_HINT = "~"


class Tagger:
    """Compiled taxonomy + entity aliases; `tag()` is pure and safe to call from many threads."""

    def __init__(self, taxonomy: Taxonomy, entity_groups: dict[str, tuple[list[str], list[str]]],
                 entity_kinds: dict[str, str], topics_toml: str, entities_toml: str) -> None:
        self.taxonomy = taxonomy
        self.topics_toml = topics_toml
        self.entities_toml = entities_toml
        digest = hashlib.sha256(topics_toml.encode() + b"\0" + entities_toml.encode()).hexdigest()
        self.taxonomy_version = digest[:12]
        self.matcher = Matcher({**taxonomy.lexicons, **entity_groups},
                               raw={_HINT + kind: terms for kind, terms in CLAIM_HINTS.items()})
        self._kind = entity_kinds

    def tag(self, id: str, text: str, title: str | None = None) -> TagResult:  # noqa: A002 (contract name)
        """Topics (with evidence sentences as written), entities and claims of one text."""
        sentences, groups, hits, claims = self._analyse(text, title)
        passage = set().union(*groups) if groups else set()
        scored = score_topics(self.taxonomy, groups, passage)
        topics = [
            TopicTag(topic, scored[topic][0], [sentences[i] for i in scored[topic][1]])
            for topic in TOPICS
            if topic in scored
        ]
        return TagResult(id=id, topics=topics, entities=count_entities(hits), claims=claims)

    def explain(self, text: str, title: str | None = None) -> list[dict]:
        """Per sentence: the lexicon groups found and the rules that fired — the answer to an
        analyst's "why was this tagged?" (used by scripts/eval_tagging.py --explain)."""
        sentences, groups, _, _ = self._analyse(text, title)
        passage = set().union(*groups) if groups else set()
        return [
            {
                "sentence": sentence,
                "groups": sorted(g for g in found if not g.startswith("entity:")),
                "fired": [f"{r.topic}: {r.name}" for rules in self.taxonomy.rules.values()
                          for r in rules if r.fires(found, passage)],
            }
            for sentence, found in zip(sentences, groups, strict=True)
        ]

    def _analyse(
        self, text: str, title: str | None
    ) -> tuple[list[str], list[dict[str, list[int]]], list[Hit], list[Claim]]:
        """Split, normalise, match once, and collect each sentence's groups."""
        sentences: list[str] = []
        if title and title.strip():
            sentences.append(title.strip())
        sentences.extend(text[a:b] for a, b in sentence_spans(text or ""))
        norms = normalize_lines(sentences)
        starts: list[int] = []
        pos = 0
        for n in norms:
            starts.append(pos)
            pos += len(n) + 1
        joined = "\n".join(norms)
        hits = self.matcher.find(joined)

        # per sentence: group -> offsets (in `joined`) where it was found
        groups: list[dict[str, list[int]]] = [{} for _ in sentences]
        kind = self._kind
        hinted: dict[int, set[str]] = {}
        for group, start, _ in hits:
            i = bisect_right(starts, start) - 1
            if group[0] == _HINT:
                hinted.setdefault(i, set()).add(group[1:])
                continue
            found = groups[i]
            if group in found:
                found[group].append(start)
            else:
                found[group] = [start]
            if group in kind:
                found.setdefault(kind[group], []).append(start)
        claims: list[Claim] = []
        for i, kinds in sorted(hinted.items()):
            norm = norms[i]
            for offset, claim in find_claims_at(norm, sentences[i], kinds):
                claims.append(claim)
                for name in ("@figure", "@" + claim.kind):
                    groups[i].setdefault(name, []).append(starts[i] + offset)
        return sentences, groups, hits, claims


def load_tagger(config_dir: Path) -> Tagger:
    """Read `topics.toml` and `entities.toml` from `config_dir` once; ConfigError if bad."""
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
    return Tagger(taxonomy, entities, kinds, raw["topics.toml"], raw["entities.toml"])


def tag_jsonl(lines: Iterable[str], out: TextIO, tagger: Tagger) -> int:
    """`marsad tag`: JSONL {"id","text"} in → JSONL {"id","topics","evidence"} out, one line
    per input line in the same order; a bad line gets an `error` field. Returns error count."""
    errors = 0
    for n, line in enumerate(lines, 1):
        if not line.strip():
            errors += 1
            _write(out, {"id": None, "topics": [], "evidence": {}, "error": f"line {n}: empty line"})
            continue
        item_id = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("expected a JSON object")
            item_id = item.get("id")
            text = item.get("text")
            if not isinstance(text, str):
                raise ValueError('missing or non-string "text"')
            title = item.get("title") if isinstance(item.get("title"), str) else None
            result = tagger.tag("" if item_id is None else str(item_id), text, title)
        except (ValueError, TypeError) as exc:
            errors += 1
            _write(out, {"id": item_id, "topics": [], "evidence": {}, "error": f"line {n}: {exc}"})
            continue
        except Exception as exc:  # noqa: BLE001 — one odd text must not end the stream
            errors += 1
            _write(out, {"id": item_id, "topics": [], "evidence": {},
                         "error": f"line {n}: could not tag ({type(exc).__name__}: {exc})"})
            continue
        _write(out, {
            "id": item_id,
            "topics": [t.topic for t in result.topics],
            "evidence": {t.topic: t.evidence for t in result.topics},
        })
    return errors


def _write(out: TextIO, obj: dict) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
