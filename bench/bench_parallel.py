"""Extraction on every core: 1 process vs Prefect's process pool vs a 2-worker Dask LocalCluster.

Pages: the 305 real pages of ../shared/eval/extraction, replicated to 5,000 (BENCH_PAGES to
change it), each copy under its own URL, as the fetcher hands them over. All paths run the
same batches (whole hosts, 300 pages) through `flows.dispatch.extract`, the daily flow's
extract step (extraction, language, relevance gate; no warehouse), measured by wall time:

- fast path, 1 core: the extraction Marsad ran before issue 10 (trafilatura fast mode, a full
  re-read under 500 characters, metadata, language, hash), rebuilt here from today's steps;
- quality path, 1 core: today's extraction in this process (`pipeline.extract_pages`);
- quality path, local task runner: `[compute] workers = 2` (ProcessPoolTaskRunner), pool
  start-up included;
- quality path, Dask: `[compute] scheduler` = a 2-worker LocalCluster started beforehand
  (its start-up is reported apart: a cluster outlives runs).

Goals (issue 10): ≥ 1.7× speed-up on 2 cores, and the quality path on 2 cores costing ≤ 1.0×
the wall time of the fast path on 1 core. The Prefect API (a temporary server) is started
before timing: it is the flow run's, not the task runner's.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import os
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from bench.table import print_table
from extractors.article.charset import decode_body
from extractors.article.dates import find_date
from extractors.article.dedup import content_hash
from extractors.article.extract import is_html
from extractors.article.language import detect_language
from extractors.article.metadata import htmldate, read_metadata
from extractors.article.urls import canonical_url
from extractors.core.records import RawPage
from flows.config import load_config

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "extraction"
PAGES = int(os.environ.get("BENCH_PAGES", "5000"))
SPEEDUP_GOAL, COST_GOAL = 1.7, 1.0


def _pages() -> list[RawPage]:
    bodies = [gzip.decompress(p.read_bytes()) for p in sorted((EVAL / "pages").glob("*.html.gz"))]
    now = datetime.now(UTC)
    return [RawPage(url=f"https://site{i % 40}.bench.example/news/{i}", final_url=f"https://site{i % 40}.bench.example/news/{i}",
                    source="bench", http_status=200, content_type="text/html", headers={}, body=bodies[i % len(bodies)],
                    fetched_at=now) for i in range(PAGES)]


def fast_path(page: RawPage) -> None:
    """Marsad's extraction before issue 10, from today's steps (what it cost on one core)."""
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    html = decode_body(page.body, page.content_type)[0]
    if not is_html(page.body, page.content_type):
        return
    tree = load_html(html)
    if tree is None:
        return
    with contextlib.suppress(ValueError, TypeError):
        doc = bare_extraction(tree, url=page.url, fast=True, include_comments=False)
        text = (getattr(doc, "text", None) or "").strip()
        if len(text) < 500:
            doc = bare_extraction(tree, url=page.url, include_comments=False)
            text = (getattr(doc, "text", None) or "").strip() or text
        meta = read_metadata(tree, page.url)
        meta["markup_date"] or find_date(text[:2000]) or htmldate(tree, page.url, extensive=True)
        canonical_url(html, page.url)
        detect_language(text)
        content_hash(text)


def _context(config: Path, compute: str):
    from flows.pipeline import RunContext

    (config / "marsad.toml").write_text(
        (ROOT / "config" / "marsad.toml").read_text(encoding="utf-8").split("\n[compute]\n")[0] + f"\n[compute]\n{compute}\n",
        encoding="utf-8")
    loaded = load_config(config, env={"MARSAD_DB": str(config / "bench.duckdb")}, offline=True)
    return RunContext(loaded, datetime.now(UTC).date(), "bench", datetime.now(UTC), loaded.settings.db_path)


def _cpu() -> float:
    """CPU seconds of this process and of its children that have exited (pool and Dask workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


TAG_ARTICLES = 8000


def _tag_figures(config_dir: Path) -> list[list[object]]:
    """The tag step's batches: in-process vs the process pool vs a 2-worker LocalCluster."""
    import distributed

    from flows import batches, dispatch
    from flows.compute import ComputeSettings, choose_runner, run_batches

    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    rows = [(f"a{i}", None, f"{seeds[i % len(seeds)]}\nتحديث رقم {i}.") for i in range(TAG_ARTICLES)]
    tagging = load_config(config_dir, env={}, offline=True).tagging
    version = batches.tagger_of(tagging).taxonomy_version
    calls = [{"tagging": tagging, "taxonomy_version": version, "rows": rows[i:i + 300]} for i in range(0, len(rows), 300)]
    batches.tag_batch_of(tagging, version, rows[:5])  # warm: the tagger is compiled once per process
    one, _ = _timed(lambda: [batches.tag_batch_of(**call) for call in calls])
    local = ComputeSettings(workers=2, scheduler=None, batch_size=300)
    pool, _ = _timed(lambda: run_batches(choose_runner(local, len(rows)), local, dispatch.tag_batch_task, calls))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        remote = ComputeSettings(workers=2, scheduler=cluster.scheduler_address, batch_size=300)
        dask, _ = _timed(lambda: run_batches(choose_runner(remote, len(rows)), remote, dispatch.tag_batch_task, calls))
    n = len(rows)
    return [["1 core (in-process)", one, n / one, 1.0], ["ProcessPoolTaskRunner, 2 workers", pool, n / pool, one / pool],
            ["Dask LocalCluster, 2 workers", dask, n / dask, one / dask]]


def main() -> None:
    logging.getLogger("distributed").setLevel(logging.ERROR)
    if not (EVAL / "pages").is_dir():
        print(f"bench_parallel: skipped, {EVAL} not found (../shared absent)")
        return
    import distributed
    from prefect.client.orchestration import get_client

    from flows import dispatch, pipeline

    pages = _pages()
    tmp = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    try:
        shutil.copytree(ROOT / "config", tmp / "config")
        for page in pages[:5]:  # warm up this process's imports and caches
            fast_path(page)
        pipeline.extract_pages(_context(tmp / "config", "workers = 1"), pages[:5])
        with get_client(sync_client=True) as client:  # the run's temporary Prefect server, started untimed
            client.hello()

        cpu: list[float] = [_cpu()]
        fast, _ = _timed(lambda: [fast_path(p) for p in pages])
        cpu.append(_cpu())
        one, ref = _timed(lambda: pipeline.extract_pages(_context(tmp / "config", "workers = 1"), pages))
        cpu.append(_cpu())
        pool, got_pool = _timed(lambda: dispatch.extract(_context(tmp / "config", "workers = 2\nbatch_size = 300"), pages))
        cpu.append(_cpu())
        start, cluster = _timed(lambda: distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                                                 dashboard_address=None, silence_logs=logging.ERROR))
        try:
            ctx = _context(tmp / "config", f'scheduler = "{cluster.scheduler_address}"\nbatch_size = 300')
            before = _cpu()
            dask, got_dask = _timed(lambda: dispatch.extract(ctx, pages))
        finally:
            cluster.close()  # its workers' CPU time is counted once they have exited
        cpu += [before, _cpu()]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    same = all((r.counts, r.skipped, [a.text for a in r.articles]) == (ref.counts, ref.skipped, [a.text for a in ref.articles])
               for r in (got_pool, got_dask))
    n = len(pages)
    used = [cpu[1] - cpu[0], cpu[2] - cpu[1], cpu[3] - cpu[2], cpu[5] - cpu[4]]
    walls = [fast, one, pool, dask]
    print_table(
        f"Extraction of {n:,} pages ({len(ref.articles):,} kept by the relevance gate), wall time, 2-core machine",
        ["path", "seconds", "pages/s", "ms/page", "speed-up vs quality 1 core", "cost vs fast 1 core",
         "CPU s", "cores busy"],
        [[name, wall, n / wall, 1000 * wall / n, one / wall, wall / fast, c, c / wall]
         for name, wall, c in zip(["fast path (before issue 10), 1 core", "quality path, 1 core (in-process)",
                                   "quality path, ProcessPoolTaskRunner, 2 workers",
                                   "quality path, Dask LocalCluster, 2 workers"], walls, used, strict=True)],
    )
    print("cores busy = CPU seconds of the bench and its worker processes / wall seconds: below ~1.9 on the "
          "parallel rows, other jobs on the machine took the second core")
    tag_rows = _tag_figures(ROOT / "config")
    print_table(f"Tagging {TAG_ARTICLES:,} whole articles (seed texts varied), wall time, batches of 300",
                ["path", "seconds", "articles/s", "speed-up vs 1 core"], tag_rows)
    best = min(pool, dask)
    print(f"Dask LocalCluster start-up (2 workers, not in the figures above): {start:.1f} s")
    print(f"same articles and skip counts on every path: {same}")
    print(f"goal: >= {SPEEDUP_GOAL}x on 2 cores -> pool {one / pool:.2f}x, Dask {one / dask:.2f}x: "
          f"{'met' if one / best >= SPEEDUP_GOAL else 'NOT met'}")
    print(f"goal: quality path on 2 cores <= {COST_GOAL}x the fast path on 1 core -> {best / fast:.2f}x: "
          f"{'met' if best / fast <= COST_GOAL else 'NOT met'}\n")


if __name__ == "__main__":
    main()
