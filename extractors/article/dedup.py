"""Duplicates: exact ones by a content key, near ones (the same story, other outlets) by clustering.

Exact duplicates: `content_hash` is the sha256 of the Arabic-normalised text, so the same text
however spelled (أ/ا, ة/ه, digits) shares one key, and `article_id_for` gives a stable id for a
canonical URL or a seed file name. Every extraction computes both (`extract.extract_article`);
the warehouse keeps one article per content hash.

Near duplicates: Wire pieces are republished with small edits — an outlet's dateline, a dropped last paragraph,
spelling variants (أ/ا, ة/ه), tatweel, Arabic-Indic digits. We fold those away with
`extractors.core.arabic.normalize`, cut the text into overlapping word 3-shingles, and compare
sets by Jaccard similarity. Comparing every pair is quadratic, so MinHash signatures and
LSH banding (`datasketch`) propose candidate pairs in roughly linear time; each candidate is
then confirmed on the exact shingle sets, so LSH's false positives never merge two stories.
Confirmed pairs are joined with union–find into clusters.

Pure functions: no database, no Prefect. `warehouse.stories` applies the clusters to
`articles.story_id`.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache

from extractors.core.arabic import normalize

SHINGLE_WORDS = 3
MAX_WORDS = 600        # the opening of a story identifies it; the tail only costs time
NUM_PERM = 64          # signature length: enough for a 0.5 threshold, cheap to compute
_WORD = re.compile(r"\w+")


def content_hash(text: str) -> str:
    """sha256 hex of the Arabic-normalised text: equal texts, however spelled, share a hash."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def article_id_for(key: str) -> str:
    """16 hex characters of sha256(key): a stable id for a canonical URL or a seed file name."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _identity(value: int) -> int:
    return value


def _hashed(text: str, k: int) -> set[int]:
    # Shingles as deterministic 32-bit hashes (Python's hash() is salted per process): the same
    # input gives the same signature and the same clusters on every run, and int sets make the
    # exact Jaccard check cheap.
    return {zlib.crc32(s) for s in shingles(text, k)}


@lru_cache(maxsize=262_144)
def _words(token: str) -> tuple[str, ...]:
    # `normalize` is character-local, so folding token by token equals folding the whole text;
    # news vocabulary repeats, so caching per token makes shingling several times faster.
    return tuple(_WORD.findall(normalize(token)))


def shingles(text: str, k: int = SHINGLE_WORDS, max_words: int = MAX_WORDS) -> set[bytes]:
    """Overlapping k-word shingles of the normalised text (a short text is one shingle)."""
    words = [w for token in (text or "").split()[:max_words] for w in _words(token)][:max_words]
    if len(words) <= k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)  # the earlier document stays the root


def cluster(
    docs: Sequence[tuple[str, str]],
    *,
    threshold: float = 0.5,
    num_perm: int = NUM_PERM,
    k: int = SHINGLE_WORDS,
) -> dict[str, str]:
    """Map each doc id to its cluster's representative: the first member in input order.

    `docs` is (id, text) in the order that decides representatives — pass them oldest first
    and the representative is the story's earliest article. Two docs join a cluster when the
    exact Jaccard similarity of their shingle sets is at least `threshold` (directly or
    through a chain of such pairs).
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    # Imported here: datasketch (with scipy) takes ~0.7 s to import, and every extraction
    # imports this module for `content_hash` while only the clustering step needs MinHash.
    from datasketch import MinHash, MinHashLSH

    sets = [_hashed(text, k) for _, text in docs]
    # LSH a little below the confirmation threshold: it only proposes, so favour recall.
    lsh = MinHashLSH(threshold=max(0.05, threshold * 0.8), num_perm=num_perm)
    sigs = MinHash.bulk((sorted(s) for s in sets), num_perm=num_perm, hashfunc=_identity)
    with lsh.insertion_session() as session:
        for i, (sig, s) in enumerate(zip(sigs, sets, strict=True)):
            if s:
                session.insert(i, sig, check_duplication=False)
    uf = _UnionFind(len(docs))
    for i, (sig, s) in enumerate(zip(sigs, sets, strict=True)):
        if not s:
            continue
        for j in lsh.query(sig):
            if j > i and uf.find(i) != uf.find(j) and jaccard(s, sets[j]) >= threshold:
                uf.union(i, j)
    return {doc_id: docs[uf.find(i)][0] for i, (doc_id, _) in enumerate(docs)}


def pair_scores(
    predicted: dict[str, str], truth: dict[str, str], ids: Iterable[str] | None = None
) -> tuple[float, float]:
    """Pairwise (precision, recall) of a clustering against labelled stories.

    A pair of documents is positive when both are in the same cluster; precision is the share
    of predicted same-story pairs that are truly the same story, recall the share of true pairs
    found. Used by the quality test and the benchmark.
    """
    keys = sorted(ids if ids is not None else truth)
    tp = fp = fn = 0
    for a_i, a in enumerate(keys):
        for b in keys[a_i + 1 :]:
            same_pred = predicted[a] == predicted[b]
            same_true = truth[a] == truth[b]
            tp += same_pred and same_true
            fp += same_pred and not same_true
            fn += same_true and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall
