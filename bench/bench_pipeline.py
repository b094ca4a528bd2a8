"""Per 1,000 articles: the steps of the daily job, and the whole flow vs the same steps bare.

Articles are the five seeds replicated with variations (paragraphs rotated, a distinct
closing sentence) so every copy has its own content hash. Prints seconds and articles/s for
normalise+tag, langdetect, the DuckDB bulk load and the digest build, then the whole daily
job as a Prefect flow vs `flows.pipeline.run_daily` (same steps as bare calls): the ratio is
Prefect's overhead, which batching keeps to a handful of task runs per run.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.table import print_table
from extractors.core.settings import PROJECT_ROOT
from flows.config import load_config
from flows.prefect_env import quiet_prefect

os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")  # the bench prints only its tables
quiet_prefect()  # before flows.daily imports Prefect

N = 1_000


def make_seeds(folder: Path, n: int = N) -> None:
    """n seed files: the five seeds, paragraphs rotated, each ending with a unique sentence."""
    seeds = sorted((PROJECT_ROOT / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8").splitlines() for p in seeds]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        lines = texts[i % len(texts)]
        title, body = lines[0], [ln for ln in lines[1:] if ln.strip()]
        k = (i // len(texts)) % max(len(body), 1)
        body = body[k:] + body[:k]
        (folder / f"{i:05d}.txt").write_text("\n".join([title, *body, f"تحديث رقم {i} من المتابعة اليومية."]),
                                              encoding="utf-8")


def env_for(tmp: Path, name: str, seeds: Path) -> dict[str, str]:
    return {"MARSAD_CONFIG": str(PROJECT_ROOT / "config"), "MARSAD_DB": str(tmp / name / "m.duckdb"),
            "MARSAD_OUTBOX": str(tmp / name / "outbox"), "MARSAD_DASHBOARD": str(tmp / name / "dash"),
            "MARSAD_SEEDS": str(seeds)}


def step_figures(tmp: Path, seeds: Path) -> list[tuple]:
    from extractors.article.language import detect_language
    from extractors.article.seeds import read_seeds
    from extractors.tagging.tagger import load_tagger
    from warehouse import load
    from warehouse.db import open_warehouse
    from warehouse.digest import build_digest

    articles, _ = read_seeds(seeds)
    t0 = time.perf_counter()
    tagger = load_tagger(PROJECT_ROOT / "config")
    load_s = time.perf_counter() - t0
    rows = []

    def timed(name, fn):
        t = time.perf_counter()
        out = fn()
        s = time.perf_counter() - t
        rows.append((name, s, len(articles) / s if s else float("inf")))
        return out

    results = timed("normalise + tag", lambda: [tagger.tag(a.article_id, a.text, a.title) for a in articles])
    timed("langdetect (bounded prefix)", lambda: [detect_language(a.text) for a in articles])
    with open_warehouse(tmp / "steps.duckdb") as con:
        timed("DuckDB bulk load (articles + tags)", lambda: (
            load.load_articles(con, articles, run_id="bench", seen_at=datetime.now(UTC)),
            load.load_tags(con, results, taxonomy_version=tagger.taxonomy_version, topics_toml="")))
        timed("digest build", lambda: build_digest(con, datetime.now(UTC).date(), tz="UTC", top_n=5,
                                                   taxonomy_version=tagger.taxonomy_version))
    rows.append(("(tagger load, once)", load_s, ""))
    return rows


def flow_vs_bare(tmp: Path, seeds: Path) -> list[tuple]:
    from flows.daily import daily
    from flows.pipeline import run_daily

    small = tmp / "small-seeds"
    make_seeds(small, 5)
    os.environ.update(env_for(tmp, "warm", small))
    daily(offline=True)  # starts Prefect's temporary server once, outside the timing

    t0 = time.perf_counter()  # config is loaded inside the timing, as the flow does at its top
    run_daily(load_config(env=env_for(tmp, "bare", seeds), offline=True))
    bare = time.perf_counter() - t0

    os.environ.update(env_for(tmp, "flow", seeds))
    t0 = time.perf_counter()
    daily(offline=True)
    flow = time.perf_counter() - t0
    return [("bare function calls (run_daily)", bare, N / bare), ("Prefect flow (daily)", flow, N / flow),
            ("ratio flow / bare", flow / bare, "")]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        seeds = tmp / "seeds"
        make_seeds(seeds)
        print_table(f"Daily-job steps on {N:,} articles", ["step", "seconds", "articles/s"], step_figures(tmp, seeds))
        print_table(f"Whole daily job on {N:,} seed articles (offline)", ["path", "seconds", "articles/s"],
                    flow_vs_bare(tmp, seeds))


if __name__ == "__main__":
    main()
