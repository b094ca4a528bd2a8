"""Digest build cost follows the day, not the history.

Two synthetic warehouses with the same digest day (2,000 tagged articles on it) and a history
of 10,000 vs 1,000,000 articles over 365 days (each with its URL in `article_urls`, one in ten
also copied word for word by another outlet); built with DuckDB SQL (`range()`), never row
by row. Prints the build time of one day's digest on each and their ratio (goal <= 1.5).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.table import print_table
from warehouse.db import connect, open_warehouse
from warehouse.digest import build_digest

DAY = date(2026, 11, 26)
PER_DAY_ON_D = 2_000


def fill(con, total: int) -> None:
    """`total` articles: PER_DAY_ON_D on DAY, the rest spread evenly over the 364 days before."""
    history = total - PER_DAY_ON_D
    con.execute(f"""
        insert into articles (article_id, url, canonical_url, source, title, first_seen_at, lang, text, content_hash)
        select 'a' || i, 'https://s' || (i % 40) || '.example/' || i, null, 's' || (i % 40), 'عنوان ' || i,
               case when i < {history}
                    then timestamptz '{DAY}' - interval 364 day + (i * (364 * 86400 / {max(history, 1)}) ) * interval 1 second
                    else timestamptz '{DAY}' + interval 8 hour + (i % 3600) * interval 1 second end,
               'ar', 'نص ' || i, 'h' || i
        from range({total}) t(i)""")
    # every article's URL is in article_urls (as the load writes it), plus one word-for-word copy
    # in another outlet for every tenth article: the digest names the copies' outlets too
    con.execute("""
        insert into article_urls (url, article_id, source, first_seen_at)
        select url, article_id, source, first_seen_at from articles
        union all
        select url || '?copy', article_id, 's' || ((hash(article_id) % 40) + 40), first_seen_at
        from articles where hash(article_id) % 10 = 0""")
    con.execute("""
        insert into article_topics (article_id, topic, score, evidence, taxonomy_version, first_seen_at)
        select a.article_id, p.topic, 1.0 + (hash(a.article_id) % 7) / 10.0,
               'دليل ' || a.article_id, 'bench', a.first_seen_at
        from articles as a
        inner join topics as p on p.position = 1 + hash(a.article_id) % (select count(*) from topics)""")
    con.execute("insert into taxonomy_versions (taxonomy_version) values ('bench')")
    con.execute("checkpoint")


def time_digests(dbs: list[Path], repeat: int = 11) -> list[float]:
    """Median build time per warehouse, runs interleaved so machine load hits both alike."""
    cons = [connect(db) for db in dbs]
    try:
        runs: list[list[float]] = [[] for _ in dbs]
        for r in range(repeat + 1):
            for i, con in enumerate(cons):
                t0 = time.perf_counter()
                build_digest(con, DAY, tz="Asia/Riyadh", top_n=5, taxonomy_version="bench")
                if r:  # the first round warms caches
                    runs[i].append(time.perf_counter() - t0)
        return [statistics.median(x) for x in runs]
    finally:
        for con in cons:
            con.close()


def main() -> None:
    rows = []
    totals = (10_000, 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        dbs, fills = [], []
        for total in totals:
            db = Path(tmp) / f"w{total}.duckdb"
            t0 = time.perf_counter()
            with open_warehouse(db) as con:
                fill(con, total)
            fills.append(time.perf_counter() - t0)
            dbs.append(db)
        times = time_digests(dbs)
    for total, load_s, t in zip(totals, fills, times, strict=True):
        rows.append((f"{total:,} articles", load_s, t * 1000))
    rows.append(("ratio 1,000,000 / 10,000", "", times[1] / times[0]))
    print_table(f"Digest build for one day ({PER_DAY_ON_D:,} articles on the day); goal ratio <= 1.5",
                ["warehouse", "synthetic fill (s)", "digest build (ms, median of 11, interleaved)"], rows)


if __name__ == "__main__":
    main()
