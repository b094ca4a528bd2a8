"""Fetch throughput with politeness on: 2,000 pages over 50 loopback hosts (127.0.0.1–50).

The server runs in a child process (so its CPU is not charged to Marsad), on 50 loopback
addresses sharing one port, serving a 12 KB Arabic article page per URL and no robots.txt
(404: allowed, but still one robots.txt request per host, as in production).

Measured in the same run, on the same URLs:
- baseline: bare `httpx.AsyncClient`, 50 requests in flight, no politeness, no guard;
- Marsad: `extractors.web.batch.collect` — per-host gate (1 in flight, min delay), robots.txt,
  SSRF guard, streaming caps, log entries and RawPages.
Figures: pages/s, client CPU seconds, peak RSS of the client process (goals: >= 300 pages/s,
RSS < 500 MB). Loopback only; finishes in well under a minute.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import resource
import time

import httpx

from bench.table import print_table

HOSTS = 50
PAGES = 2_000
MIN_DELAY = 0.02  # seconds between two requests to one host (production default: 1.0)


def _serve(port_box, ready, stop) -> None:  # child process
    from tests.webserver import WebServer, article_html  # the tests' real loopback server

    srv = WebServer(tuple(f"127.0.0.{i}" for i in range(1, HOSTS + 1)), fixtures=None).start()
    body = article_html("إنفيديا و ديب سيك: عنوان الخبر").encode()
    for i in range(PAGES):
        srv.static(f"/page/{i}", body)
    port_box.value = srv.port
    ready.set()
    stop.wait()
    srv.stop()


def _urls(port: int) -> list[str]:
    return [f"http://127.0.0.{(i % HOSTS) + 1}:{port}/page/{i}" for i in range(PAGES)]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def _bare(urls: list[str]) -> int:
    sem = asyncio.Semaphore(50)
    ok = 0
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=100)) as client:
        async def one(url: str) -> None:
            nonlocal ok
            async with sem:
                r = await client.get(url)
                ok += r.status_code == 200 and len(r.content) > 0
        await asyncio.gather(*(one(u) for u in urls))
    return ok


def _marsad(urls: list[str]) -> tuple[int, int]:
    from extractors.tagging.watchlist import WatchGroup, Watchlist
    from extractors.web.batch import collect
    from extractors.web.settings import FetchSettings
    from extractors.web.sources import Source

    settings = FetchSettings(allowed_networks=("127.0.0.0/8",), min_delay=MIN_DELAY, per_host_concurrency=1,
                             concurrency=50, robots=True, retries=1)
    batch = collect([Source("bench", "urls", urls=tuple(urls), max_items=PAGES, watchlist_filter=False)],
                    settings=settings, watchlist=Watchlist([WatchGroup("x", ("ديب سيك",), ())]),
                    known_urls=set(), feed_state={})
    return len(batch.pages), len(batch.log)


def main() -> None:
    ctx = mp.get_context("spawn")
    port_box, ready, stop = ctx.Value("i", 0), ctx.Event(), ctx.Event()
    server = ctx.Process(target=_serve, args=(port_box, ready, stop), daemon=True)
    server.start()
    try:
        if not ready.wait(60):
            raise SystemExit("bench server did not start")
        urls = _urls(port_box.value)
        rows = []
        t0, c0 = time.perf_counter(), _cpu()
        ok = asyncio.run(_bare(urls))
        bare_s, bare_cpu = time.perf_counter() - t0, _cpu() - c0
        rss_after_bare = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(["bare httpx (no politeness)", ok, bare_s, ok / bare_s, bare_cpu, rss_after_bare, 1.0])
        t0, c0 = time.perf_counter(), _cpu()
        pages, log_rows = _marsad(urls)
        m_s, m_cpu = time.perf_counter() - t0, _cpu() - c0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append([f"Marsad collect (1/host, {MIN_DELAY * 1000:.0f} ms delay, robots)", pages, m_s, pages / m_s,
                     m_cpu, rss, (pages / m_s) / (ok / bare_s)])
        print_table(f"fetch: {PAGES:,} pages over {HOSTS} loopback hosts (server in a separate process)",
                    ["client", "pages", "wall s", "pages/s", "CPU s", "peak RSS MB", "x bare"], rows)
        print(f"Marsad log rows: {log_rows:,} (pages + one robots.txt per host); "
              f"goals: >= 300 pages/s -> {'met' if pages / m_s >= 300 else 'NOT met'}, "
              f"RSS < 500 MB -> {'met' if rss < 500 else 'NOT met'}")
        print(f"politeness floor: {PAGES // HOSTS} pages/host x {MIN_DELAY * 1000:.0f} ms = "
              f"{PAGES // HOSTS * MIN_DELAY:.1f} s minimum wall time per host")
    finally:
        stop.set()
        server.join(10)
        if server.is_alive():
            server.terminate()


if __name__ == "__main__":
    main()
