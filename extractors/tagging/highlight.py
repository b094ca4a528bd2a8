"""Which words of an evidence sentence made its tag: spans to highlight, and the best sentence.

The digest and the dashboard show a tag's evidence with the matched terms marked (as Media
Cloud and Meltwater mark query terms) and lead with its best sentence. Both are recomputed here
from the stored sentence with the current tagger, at render time, rather than stored at tag
time: it works on every row already in the warehouse (older taxonomy versions, hand-filled
rows) without a migration or a re-tag, it costs one automaton pass per shown sentence (a few
dozen per email), and the marks then follow the rules an analyst reads in topics.toml today.

A sentence is folded the way the tagger folds it (`extractors.core.arabic`), character by
character so every folded position maps back to the original text; the lexicon matcher and
the claims extractor run on the folded text; the rules of the tag's topic that fire in the
sentence name the groups whose hits are marked (when none fires — a tag the model added — the
groups any rule of the topic uses). Spans are offsets into the sentence as given: the caller
escapes each piece (dashboards/safe_text.py), this module never produces markup.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from extractors.core.arabic import fold_with_offsets
from extractors.tagging.claims import find_claim_spans
from extractors.tagging.rules import CLAIM_GROUPS, Rule
from extractors.tagging.tagger import CLAIM_HINT, Tagger

Span = tuple[int, int]


@dataclass(frozen=True)
class Marked:
    """One evidence sentence: its text, the [start, end) spans to mark, and how strongly it
    supports the topic (best firing rule's weight, then how many distinct groups matched)."""

    text: str
    spans: tuple[Span, ...]
    strength: tuple[float, int]

    def pieces(self) -> list[tuple[str, bool]]:
        """The sentence as (text, marked) pieces in order, for a template to escape and wrap."""
        out: list[tuple[str, bool]] = []
        pos = 0
        for a, b in self.spans:
            if a > pos:
                out.append((self.text[pos:a], False))
            out.append((self.text[a:b], True))
            pos = b
        if pos < len(self.text):
            out.append((self.text[pos:], False))
        return out


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


def _in_word(ch: str) -> bool:
    # letters, digits, Arabic diacritics and tatweel: a mark never splits a word (Arabic letters
    # join across it, and "[طور]ت" reads worse than "[طورت]")
    return ch.isalnum() or unicodedata.category(ch) == "Mn" or ch == "\u0640"


def _whole_words(text: str, a: int, b: int) -> Span:
    while a > 0 and _in_word(text[a - 1]):
        a -= 1
    while b < len(text) and _in_word(text[b]):
        b += 1
    return a, b


def _rule_groups(rule: Rule) -> set[str]:
    return {g for need in rule.all for g in need}


def mark(tagger: Tagger, topic: str, sentence: str) -> Marked:
    """The spans of `sentence` that made (or would make) a `topic` tag, and their strength."""
    folded, index = fold_with_offsets(sentence)
    kinds = tagger.entity_kinds
    hits: dict[str, list[tuple[int, int]]] = {}
    hinted: set[str] = set()
    for group, start, end in tagger.matcher.find(folded):
        if group[0] == CLAIM_HINT:
            hinted.add(group[1:])
            continue
        hits.setdefault(group, []).append((start, end))
        if group in kinds:
            hits.setdefault(kinds[group], []).append((start, end))
    for start, end, claim in find_claim_spans(folded, sentence, hinted) if hinted else ():
        for name in ("@figure", "@" + claim.kind):
            hits.setdefault(name, []).append((start, end))
    groups = {g: [s for s, _ in found] for g, found in hits.items()}
    rules = tagger.taxonomy.rules.get(topic, ())
    # the passage's context was there when the article was tagged: count it as present
    passage = set(groups).union(*(r.context for r in rules))
    fired = [r for r in rules if r.fires(groups, passage)]
    wanted = set().union(*map(_rule_groups, fired or rules)) if rules else set()
    marked = [_whole_words(sentence, index[s], index[e - 1] + 1)
              for g in wanted & set(hits) for s, e in hits[g] if e > s]
    strength = (max((r.weight for r in fired), default=0.0),
                len({g for g in wanted & set(hits) if g not in CLAIM_GROUPS}))
    return Marked(sentence, _merge(marked), strength)


def best_first(marked: list[Marked]) -> list[Marked]:
    """The strongest sentence first (ties: the earlier one), then the others in text order."""
    if not marked:
        return []
    best = max(range(len(marked)), key=lambda i: (marked[i].strength, -i))
    return [marked[best]] + [m for i, m in enumerate(marked) if i != best]
