"""Real news about other things: the paragraphs the tagger must leave alone.

Why: every passage the model was trained on is about the AI/chip story (our rounds, real-dev,
the analysts' labels), so it never saw ordinary news and had no reason to stay quiet there. Run
over the 6,020 paragraphs of the extraction benchmark's 305 real pages (shopping deals, sport,
trade wars, markets, science; ../shared/eval/extraction/truth.jsonl), the round-8 tagger tagged
71, nearly all wrongly — a Black Friday deal as pricing, a tariff on soybeans as export
controls, the Hang Seng as market impact (docs/TAGGING.md round 9). Each such paragraph lets an
off-topic article through the article gate and into the digest.

The pages are split in two halves by a hash of the page id (whole pages, so no page is on both
sides): `train` paragraphs are negative examples for the model (`training.training_data`);
`test` paragraphs measure how often the tagger fires on ordinary news (a pinned ceiling,
tests/quality_baseline.json, checked by tests/test_other_news.py). Labels are in tests/data/other_news_labels.json: every
paragraph has no topic unless listed, and borderline ones are left out.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from extractors.core.errors import ConfigError
from extractors.core.topics import TOPICS

CORPUS = "../shared/eval/extraction/truth.jsonl"  # relative to the repository root
LABELS = "tests/data/other_news_labels.json"
MIN_CHARS = 40  # a paragraph: a line of the article's text this long (as the seed paragraphs)


def split_of(page: str) -> str:
    """`train` or `test` for a whole page, from a hash of its id (stable, about half each)."""
    return "train" if hashlib.sha256(page.encode()).digest()[0] % 2 == 0 else "test"


def paragraphs(corpus: Path, labels: Path, split: str | None = None) -> list[dict[str, Any]]:
    """The labelled paragraphs (`{"id", "text", "topics", "split"}`), of one split if given;
    excluded ones are dropped. A label naming no paragraph of the corpus is a `ConfigError`
    (the corpus or the paragraph rule changed under the labels)."""
    spec = json.loads(labels.read_text(encoding="utf-8"))
    topics: dict[str, list[str]] = spec.get("topics", {})
    excluded = set(spec.get("excluded", {}))
    bad = sorted(t for ts in topics.values() for t in ts if t not in TOPICS)
    if bad:
        raise ConfigError(f"{labels}: unknown topics {bad}")
    rows, seen = [], set()
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        page = json.loads(line)
        side = split_of(page["id"])
        lines = [p.strip() for p in page["text"].split("\n") if len(p.strip()) >= MIN_CHARS]
        for k, text in enumerate(lines):
            pid = f"{page['id']}:{k}"
            seen.add(pid)
            if pid in excluded or (split is not None and side != split):
                continue
            rows.append({"id": pid, "text": text, "topics": [t for t in TOPICS if t in topics.get(pid, ())],
                         "split": side})
    unknown = sorted((set(topics) | excluded) - seen)
    if unknown:
        raise ConfigError(f"{labels}: labels for paragraphs not in {corpus}: {', '.join(unknown[:5])}")
    return rows
