"""Tagging engine throughput: passages per second on one core, load time reported apart.

Corpus: our labelled passages plus the seed paragraphs (when ../shared is present), repeated
to a few thousand passages, plus a set of long articles (12 passages joined). Baselines
measured in the same run, so the ratios mean something on any machine:

* fold only   — `normalize()` of each passage: the floor any Arabic-aware tagger pays;
* naive scan  — every lexicon term searched with `in` on the folded text (the "keyword list"
                approach the rules replace: no clitics, no rules, no evidence).

Targets: >= 5,000 passages/s for the engine (`Tagger.tag`, rules + topic model; issue 5),
>= 300 whole articles/s (the pipeline bench's articles: seeds with variations, ~6,500
characters each, with their titles) and a
topic-model load under 1 s (issue 13). The rules-only engine is measured beside the hybrid so
the model's cost shows. The process is pinned to one CPU when the OS allows it; figures are
CPU time (process_time) so other load on the machine disturbs them less, and wall time is
shown beside them.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from bench.bench_pipeline import make_seeds
from bench.table import print_table
from extractors.article.seeds import read_seeds
from extractors.core.arabic import normalize
from extractors.tagging.model import MODEL_FILE, load_model
from extractors.tagging.tagger import load_tagger
from flows.commands import tag_jsonl

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "tests" / "data" / "passages.jsonl", ROOT.parent / "shared" / "eval" / "seeds-paragraphs.jsonl"]
TARGET = 5_000
ARTICLE_TARGET = 300
REPEAT = 5


def _texts() -> list[str]:
    texts: list[str] = []
    for path in CORPORA:
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


def _best(fn, repeat: int = REPEAT) -> tuple[float, float]:
    """Best (cpu, wall) seconds of `repeat` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(cpu), min(wall)


class _Sink:
    def write(self, _: str) -> int:
        return 0


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    loads = []
    for _ in range(3):
        t0 = time.perf_counter()
        tagger = load_tagger(ROOT / "config")
        loads.append(time.perf_counter() - t0)
    model_loads = []
    for _ in range(3):
        t0 = time.perf_counter()
        load_model(ROOT / "config" / MODEL_FILE)
        model_loads.append(time.perf_counter() - t0)
    rules_only = load_tagger(ROOT / "config", model=False)
    with tempfile.TemporaryDirectory() as tmp:  # the pipeline bench's articles: seeds with variations
        make_seeds(Path(tmp), 300)
        whole, _ = read_seeds(Path(tmp))
    base = _texts()
    passages = (base * (4000 // max(len(base), 1) + 1))[:4000]
    articles = [" ".join(base[i : i + 12]) for i in range(0, len(base) - 12, 12)] * 3
    terms = sorted({normalize(t.strip("=*")) for terms, verbs in tagger.taxonomy.lexicons.values() for t in [*terms, *verbs]})
    for i, t in enumerate(passages[:200]):  # warm caches
        tagger.tag(str(i), t)

    def fold() -> None:
        for t in passages:
            normalize(t)

    def naive() -> None:
        for t in passages:
            n = normalize(t)
            [term for term in terms if term in n]

    def engine() -> None:
        for i, t in enumerate(passages):
            tagger.tag(str(i), t)

    lines = [json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(passages)]

    def cli() -> None:
        tag_jsonl(lines, _Sink(), tagger)  # type: ignore[arg-type]

    def long() -> None:
        for i, t in enumerate(articles):
            tagger.tag(str(i), t)

    def rules() -> None:
        for i, t in enumerate(passages):
            rules_only.tag(str(i), t)

    def whole_articles() -> None:
        for a in whole:
            tagger.tag(a.article_id, a.text, a.title)

    n = len(passages)
    chars = sum(map(len, passages)) / n
    results = {name: _best(fn) for name, fn in
               (("fold only", fold), ("naive scan", naive), ("rules only (no model)", rules),
                ("engine: Tagger.tag", engine), ("marsad tag (JSONL)", cli))}
    long_cpu, long_wall = _best(long, 3)
    whole_cpu, whole_wall = _best(whole_articles, 3)
    naive_rate = n / results["naive scan"][0]
    rows = []
    for name, (cpu, wall) in results.items():
        rows.append([name, n, n / cpu, n / wall, (n / cpu) / naive_rate])
    rows.append([f"long articles (~{sum(map(len, articles)) // len(articles):,} chars)", len(articles),
                 len(articles) / long_cpu, len(articles) / long_wall, float("nan")])
    rows.append([f"whole articles (~{sum(len(a.text) for a in whole) // len(whole):,} chars, + title)",
                 len(whole), len(whole) / whole_cpu, len(whole) / whole_wall, float("nan")])
    print(f"corpus: {len(base)} labelled passages → {n} passages, {chars:.0f} chars avg; "
          f"{len(terms)} lexicon terms, {tagger.matcher.size} automaton keys; one CPU")
    print_table("tagging throughput", ["step", "items", "per s (cpu)", "per s (wall)", "× naive scan"], rows)
    engine_rate = n / results["engine: Tagger.tag"][0]
    print_table("load and target", ["figure", "value"], [
        ["load_tagger (median of 3), ms", sorted(loads)[1] * 1000],
        ["engine passages/s (cpu)", engine_rate],
        ["target passages/s", float(TARGET)],
        ["engine / target", engine_rate / TARGET],
        ["whole articles/s (cpu)", len(whole) / whole_cpu],
        ["whole-article target/s", float(ARTICLE_TARGET)],
        ["whole articles / target", len(whole) / whole_cpu / ARTICLE_TARGET],
        ["topic model load (median of 3), ms", sorted(model_loads)[1] * 1000],
        ["topic model file, MB", (ROOT / "config" / MODEL_FILE).stat().st_size / 1e6],
    ])


if __name__ == "__main__":
    main()
