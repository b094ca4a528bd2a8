"""Two `marsad run` at once (cron plus a manual run) against a real loopback site.

The second waits for the run lock with one line naming the first, then runs on what the first
published: every article page is requested once in all, the feed a second time only as a
conditional GET. Before the lock, both fetched everything (every page twice, the per-host
delay broken between them).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from tests.webserver import (
    ARABIC_STORY,
    WebServer,
    article_html,
    marsad_fetch_toml,
    rss,
    write_sources_toml,
)
from warehouse.runlock import peek

pytestmark = pytest.mark.slow
MARSAD = Path(sys.executable).with_name("marsad")
ETAG = '"feed-1"'
PAGES = [f"/story/{i}" for i in range(6)]
TITLES = ["ديب سيك تهز أسهم إنفيديا", "قيود التصدير على الرقائق", "حظر ديب سيك في إيطاليا",
          "تكلفة تدريب النموذج", "أسهم أشباه الموصلات", "إنفيديا بعد ديب سيك"]


@pytest.fixture()
def site():
    srv = WebServer(hosts=("127.0.0.1",)).start()
    for i, path in enumerate(PAGES):
        srv.static(path, article_html(f"{TITLES[i]} ({i})", f"{ARABIC_STORY} الخبر رقم {i} من السلسلة."))
    srv.static("/feed.xml", rss([(p, f"{TITLES[i]} ({i})", "ديب سيك") for i, p in enumerate(PAGES)],
                                base=srv.base()), "application/rss+xml", etag=ETAG)
    yield srv
    srv.stop()


def test_two_runs_at_once_fetch_each_page_once(site, project_env, tmp_path):
    config = Path(project_env["MARSAD_CONFIG"])
    with (config / "marsad.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + marsad_fetch_toml(min_delay=0.3))  # a polite run takes a few seconds
    sources = write_sources_toml(tmp_path / "sources.toml", site, {"feed": "/feed.xml"})
    env = {**project_env, "PATH": "/usr/bin:/bin", "PREFECT_HOME": str(tmp_path / "ph"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    argv = [str(MARSAD), "run", "--sources", str(sources)]
    db = Path(project_env["MARSAD_DB"])

    first = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not ((h := peek(db).holder) and h.pid == first.pid):  # the first holds the run lock
        assert first.poll() is None and time.monotonic() < deadline, first.stderr.read() if first.stderr else ""
        time.sleep(0.05)
    second = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)

    assert first.returncode == 0, err1[-2000:]
    assert second.returncode == 0, err2[-2000:]
    waiting = [line for line in err2.splitlines() if line.startswith("Waiting up to")]
    assert len(waiting) == 1 and f"PID {first.pid}" in waiting[0], err2
    assert "Traceback" not in err1 + err2

    hits = Counter(r.path for r in site.requests)
    assert {p: hits[p] for p in PAGES} == dict.fromkeys(PAGES, 1)  # each page once, across both runs
    feeds = site.requests_to("/feed.xml")
    assert len(feeds) == 2 and feeds[1].headers.get("if-none-match") == ETAG  # the second: conditional

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from articles where source = 'feed'").fetchall() == [(len(PAGES),)]
        runs = con.execute("select status, pages_fetched from runs order by started_at").fetchall()
    finally:
        con.close()
    assert runs == [("completed", len(PAGES)), ("completed", 0)]
    assert f"{len(PAGES)} pages fetched" in out1 and f"{len(PAGES)} new" not in out2
