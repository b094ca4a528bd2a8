"""`marsad run --sources FILE` against a real loopback server: new coverage in, hostile cases logged.

Two feeds carry the same story (one via its AMP page), a page behind a 500, and hostile links
(404, hang, gzip bomb, redirect to a private address, robots-disallowed path, undeclared
windows-1256, a 30 MB page). The run must complete, keep the good articles once with canonical
URLs, log every failure in fetch_log, and a second run must add nothing and send conditional
requests for the feeds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.webserver import (
    WebServer,
    add_hostile_routes,
    marsad_fetch_toml,
    rss,
    write_sources_toml,
)

pytestmark = pytest.mark.slow
MARSAD = Path(sys.executable).with_name("marsad")
ETAG = '"feed-v1"'


@pytest.fixture(scope="module")
def site():
    srv = WebServer(ipv6=True).start()
    add_hostile_routes(srv)
    t = "ديب سيك"
    srv.static("/feed-a.xml", rss([
        ("/story/deepseek", f"{t} تهز الأسواق", "خبر عن إنفيديا"),
        ("/flaky", f"{t} بعد عطل", "ملخص"),
        ("/status/404", f"{t} صفحة محذوفة", "ملخص"),
        ("/hang", f"{t} خادم لا يجيب", "ملخص"),
        ("/bomb", f"{t} قنبلة", "ملخص"),
        ("/to-private", f"{t} تحويل", "ملخص"),
        ("/private/secret", f"{t} ممنوع", "ملخص"),
        ("/huge", f"{t} صفحة ضخمة", "ملخص"),
        ("/sports", "مباراة كرة القدم", "نتيجة المباراة"),
    ], base=srv.base()), "application/rss+xml", etag=ETAG)
    srv.static("/feed-b.xml", rss([("/amp/story", f"{t} تهز الأسواق (AMP)", "خبر")], base=srv.base()),
               "application/rss+xml", last_modified="Wed, 25 Nov 2026 10:00:00 GMT")
    yield srv
    srv.stop()


def run(env):
    return subprocess.run([str(MARSAD), "run", "--sources", env["SOURCES"]], env=env, capture_output=True,
                          text=True, timeout=600)


def test_run_against_local_sources(site, project_env, tmp_path):
    config = Path(project_env["MARSAD_CONFIG"])
    with (config / "marsad.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + marsad_fetch_toml())
    sources = write_sources_toml(tmp_path / "sources.toml", site, {"feed_a": "/feed-a.xml", "feed_b": "/feed-b.xml"})
    env = {**project_env, "SOURCES": str(sources), "PATH": "/usr/bin:/bin", "PREFECT_HOME": str(tmp_path / "ph"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}

    first = run(env)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Traceback" not in first.stdout + first.stderr

    con = duckdb.connect(project_env["MARSAD_DB"], read_only=True)
    try:
        web = con.execute("select canonical_url, lang, title from articles where source <> 'seeds' order by 1").fetchall()
        canon = [c for c, _, _ in web]
        assert site.url("/story/deepseek") in canon
        assert not any("/amp/" in c for c in canon)          # the AMP copy became its canonical article
        assert len(canon) == len(set(canon))
        assert all(lang == "ar" for _, lang, _ in web)
        statuses = dict(con.execute("select regexp_extract(url, ':[0-9]+(/.*)$', 1), status from fetch_log").fetchall())
        for path in ("/status/404", "/hang", "/bomb", "/to-private", "/private/secret", "/huge"):
            assert path in statuses and statuses[path] not in ("ok", "not_modified"), (path, statuses.get(path))
        n_articles = con.execute("select count(*) from articles").fetchall()[0][0]
        tagged = con.execute("select count(*) from article_topics t join articles a using (article_id) "
                             "where a.source <> 'seeds'").fetchall()[0][0]
        assert tagged >= 1
    finally:
        con.close()
    assert "/sports" not in {r.path for r in site.requests}  # filtered by the watchlist before fetching

    before = len(site.requests)
    second = run(env)
    assert second.returncode == 0, second.stderr[-3000:]
    con = duckdb.connect(project_env["MARSAD_DB"], read_only=True)
    try:
        assert con.execute("select count(*) from articles").fetchall()[0][0] == n_articles
    finally:
        con.close()
    later = site.requests[before:]
    feed_a = [r for r in later if r.path == "/feed-a.xml"]
    feed_b = [r for r in later if r.path == "/feed-b.xml"]
    assert feed_a and feed_a[0].headers.get("if-none-match") == ETAG
    assert feed_b and feed_b[0].headers.get("if-modified-since") == "Wed, 25 Nov 2026 10:00:00 GMT"
    assert not any(r.path == "/story/deepseek" for r in later)  # stored URLs are not fetched again
