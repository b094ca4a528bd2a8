"""Extract and tag batches on a real Dask cluster, through a real `marsad run` flow run.

A `dask.distributed.LocalCluster` with two worker processes is started here (and stopped at
the end); a loopback web server serves 120 Arabic article pages over three hosts. The same
sources are run three times into three warehouses:

1. in-process (`run_daily`, no Prefect, no task runner): the reference rows;
2. `marsad run` with `[compute] scheduler` = the cluster: the extract and tag batches run on
   its workers; every warehouse row must equal the reference;
3. the same, with one worker process killed (SIGKILL) while it works on a batch: Dask runs the
   batch again elsewhere, and the rows must still equal the reference — nothing lost, nothing
   twice.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from flows.config import load_config
from flows.pipeline import run_daily
from tests.conftest import ROOT
from tests.data.extraction.articles import ARTICLES
from tests.webserver import WebServer, article_html, marsad_fetch_toml, rss

pytestmark = pytest.mark.slow
distributed = pytest.importorskip("distributed")

MARSAD = Path(sys.executable).with_name("marsad")
PAGES_PER_HOST = 40
BATCH = 40
PARAGRAPHS = [p for art in ARTICLES.values() for p in art["paragraphs"]]  # type: ignore[attr-defined]
TOPICS = ["ديب سيك", "إنفيديا", "الرقائق", "قيود التصدير"]  # watchlist terms: every page is kept
# A text-only line every page of host 1 carries (its template): only the cross-page rule removes it.
TEMPLATE_LINE = "تنويه: الآراء الواردة في الأخبار المنشورة على هذا الموقع تعبر عن مصادرها فقط."
# What a warehouse run writes that depends on the run itself, not on the pages.
TABLES = {
    "articles": "select article_id, url, canonical_url, source, title, text, lang, content_hash, author, "
                "published_at, site_name, story_id from articles order by article_id",
    "article_urls": "select article_id, url, source from article_urls order by all",
    "article_topics": "select * exclude (tagged_at, first_seen_at) from article_topics order by all",
    "tagging_log": "select article_id, taxonomy_version, topics from tagging_log order by all",
    "article_entities": "select * from article_entities order by all",
    "article_claims": "select * from article_claims order by all",
    "raw_pages": "select url, final_url, source, http_status from raw_pages order by url",
}


REFERENCE_DB = [""]  # the in-process run's warehouse, for the re-extraction tests


def page(host: int, i: int) -> str:
    n = len(PARAGRAPHS)
    topic = TOPICS[(host + i) % len(TOPICS)]
    body = " ".join(PARAGRAPHS[(i * 7 + host * 3 + k) % n] for k in range(3))
    title = f"{topic}: تقرير رقم {i} من الموقع {host}"
    html = article_html(title, f"{body} وقال مسؤول إن {topic} في صلب التقرير رقم {i}.")
    if host == 1:
        html = html.replace("</article>", f"</article><div>{TEMPLATE_LINE}</div>")
    return html


@pytest.fixture(scope="module")
def site():
    srv = WebServer().start()
    feeds = {}
    for host in range(3):
        items = []
        for i in range(PAGES_PER_HOST):
            path = f"/h{host}/news/{i}"
            srv.static(path, page(host, i))
            items.append((srv.url(path, host), f"{TOPICS[(host + i) % len(TOPICS)]} تقرير {i}", "خبر عن الرقائق"))
        srv.static(f"/h{host}/feed.xml", rss(items), "application/rss+xml")
        feeds[f"site{host}"] = f"/h{host}/feed.xml"
    yield srv, feeds
    srv.stop()


@pytest.fixture(scope="module")
def cluster():
    logging.getLogger("distributed").setLevel(logging.WARNING)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.WARNING) as cl, distributed.Client(cl) as client:
        yield cl, client


def sources_for(srv: WebServer, feeds: dict[str, str], tmp: Path) -> Path:
    body = "".join(f'[[source]]\nname = "{name}"\nkind = "rss"\nurl = "{srv.url(path, int(name[-1]))}"\n\n'
                   for name, path in feeds.items())
    out = tmp / "sources.toml"
    out.write_text(body, encoding="utf-8")
    return out


def configure(env: dict[str, str], compute: str) -> None:
    """Replace the [compute] table of the copied marsad.toml; let the fetcher reach loopback."""
    path = Path(env["MARSAD_CONFIG"]) / "marsad.toml"
    text = re.sub(r"\n\[compute\][^\[]*", "\n", path.read_text(encoding="utf-8"))
    path.write_text(f"{text}\n{marsad_fetch_toml()}\n[compute]\n{compute}\n", encoding="utf-8")


def rows(db: str, queries: dict[str, str] | None = None) -> dict[str, list[tuple]]:
    con = duckdb.connect(db, read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in (queries or TABLES).items()}
    finally:
        con.close()


def run_flow(env: dict[str, str], sources: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MARSAD), "run", "--sources", str(sources)], env=env, capture_output=True,
                          text=True, timeout=600)


def flow_env(project_env: dict[str, str], tmp: Path) -> dict[str, str]:
    return {**project_env, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PREFECT_HOME": str(tmp / "prefect"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


@pytest.fixture(scope="module")
def reference(site, tmp_path_factory):
    """The rows of an in-process run over the same pages (no Prefect, no task runner)."""
    srv, feeds = site
    tmp = tmp_path_factory.mktemp("inproc")
    shutil.copytree(ROOT / "config", tmp / "config")
    env = {"MARSAD_CONFIG": str(tmp / "config"), "MARSAD_DB": str(tmp / "marsad.duckdb"),
           "MARSAD_OUTBOX": str(tmp / "outbox"), "MARSAD_DASHBOARD": str(tmp / "dash"), "MARSAD_SEEDS": str(ROOT / "seeds")}
    configure(env, "workers = 1")
    config = load_config(env=env, sources_file=sources_for(srv, feeds, tmp))
    _, summary = run_daily(config)
    assert summary.counts["web_articles"] >= 100 and "compute" not in summary.info
    REFERENCE_DB[0] = env["MARSAD_DB"]
    return rows(env["MARSAD_DB"])


def test_the_reference_run_is_a_real_one(reference):
    texts = [r[5] for r in reference["articles"] if "/h1/" in r[1]]
    assert len(texts) == PAGES_PER_HOST and all(TEMPLATE_LINE not in t for t in texts)
    assert len(reference["articles"]) >= 3 * PAGES_PER_HOST and reference["article_topics"]


def test_batches_on_a_local_cluster_write_the_rows_of_an_in_process_run(site, cluster, reference, project_env, tmp_path):
    srv, feeds = site
    cl, client = cluster
    env = flow_env(project_env, tmp_path)
    configure(env, f'scheduler = "{cl.scheduler_address}"\nbatch_size = {BATCH}')
    before = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.transition_log))
    done = run_flow(env, sources_for(srv, feeds, tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stdout + done.stderr
    assert f"on the Dask cluster at {cl.scheduler_address}" in done.stdout
    # extract: 120 pages in batches of 40 (3 hosts kept whole); tag: 125 articles in 4 batches
    assert re.search(r"compute: 3 extract batches and 4 tag batches", done.stdout), done.stdout
    assert client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.transition_log)) > before
    assert all(client.run(lambda: "extractors.article.extract" in sys.modules).values())  # both workers worked
    assert rows(env["MARSAD_DB"]) == reference


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(site, cluster, reference, project_env, tmp_path):
    srv, feeds = site
    cl, client = cluster
    env = flow_env(project_env, tmp_path)
    configure(env, f'scheduler = "{cl.scheduler_address}"\nbatch_size = {BATCH}')
    pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_a_busy_worker() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not killed:
            busy = [w for w, tasks in client.processing().items() if tasks]
            if busy:
                time.sleep(0.3)  # well into the batch
                pid = pids.get(busy[0])
                if pid and psutil.pid_exists(pid):
                    psutil.Process(pid).kill()
                    killed.append(pid)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    done = run_flow(env, sources_for(srv, feeds, tmp_path))
    killer.join(5)
    assert killed, "no worker was busy to kill"
    assert done.returncode == 0, done.stderr[-3000:]
    assert "run again in the flow's process" not in done.stdout  # Dask itself ran the batch again
    assert rows(env["MARSAD_DB"]) == reference
    client.wait_for_workers(2, timeout=120)  # the nanny restarted the killed worker
    assert killed[0] not in client.run(os.getpid).values()


WEB_ONLY = {
    "articles": "select article_id, url, canonical_url, source, title, text, lang, content_hash, author, "
                "published_at, site_name from articles where source <> 'seeds' order by article_id",
    "article_topics": "select t.* exclude (tagged_at, first_seen_at) from article_topics t join articles a "
                      "using (article_id) where a.source <> 'seeds' order by all",
}


def emptied_copy(tmp: Path, workers: int, copies: int = 4) -> dict[str, str]:
    """The reference warehouse with `copies` × its raw pages (under new URLs) and no articles."""
    shutil.copytree(ROOT / "config", tmp / "config")
    env = {"MARSAD_CONFIG": str(tmp / "config"), "MARSAD_DB": str(tmp / "marsad.duckdb"),
           "MARSAD_OUTBOX": str(tmp / "outbox"), "MARSAD_DASHBOARD": str(tmp / "dash"), "MARSAD_SEEDS": str(ROOT / "seeds")}
    configure(env, f"workers = {workers}\nbatch_size = {BATCH}")
    shutil.copy(REFERENCE_DB[0], env["MARSAD_DB"])
    con = duckdb.connect(env["MARSAD_DB"])
    for k in range(1, copies):
        con.execute(f"insert into raw_pages by name select * replace (replace(url, '/news/', '/copy{k}/') as url, "
                    f"replace(final_url, '/news/', '/copy{k}/') as final_url) from raw_pages where url like '%/news/%'")
    for table in ("article_topics", "tagging_log", "article_entities", "article_claims", "article_urls", "articles"):
        con.execute(f"delete from {table}")
    con.close()
    return env


def web_rows(db: str) -> dict[str, list[tuple]]:
    return rows(db, WEB_ONLY)


def reextract(env: dict[str, str], tmp: Path) -> str:
    done = subprocess.run([str(MARSAD), "reextract"], env=flow_env(env, tmp), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "ERROR" not in done.stderr, done.stderr[-2000:]
    return done.stdout.strip()


def test_marsad_reextract_on_every_core_equals_the_in_process_run(reference, tmp_path):
    pages = 4 * 3 * PAGES_PER_HOST  # over the pool's threshold (POOL_FROM["extract"])
    one = emptied_copy(tmp_path / "one", workers=1)
    line = reextract(one, tmp_path / "one")
    assert line.startswith(f"re-extracted {pages} page(s): {pages} article(s) kept,") and "batches on" not in line, line
    two = emptied_copy(tmp_path / "two", workers=2)
    line = reextract(two, tmp_path / "two")
    assert line.startswith(f"re-extracted {pages} page(s): {pages} article(s) kept,"), line
    assert line.endswith("(batches on 2 local processes)"), line
    assert web_rows(two["MARSAD_DB"]) == web_rows(one["MARSAD_DB"])
    # the copies share their originals' texts: one article each, with all its URLs
    assert len(web_rows(two["MARSAD_DB"])["articles"]) == 3 * PAGES_PER_HOST
