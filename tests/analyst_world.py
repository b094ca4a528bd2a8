"""A warehouse as analysts find it: filled by a real `marsad run` (Prefect flow, seeds and two
loopback outlets), in a folder laid out like a checkout, for the tests that run the analysts'
recipes exactly as the README and the cookbook write them.

The folder holds `data/marsad.duckdb` (the default `[paths] db`, relative to the working
directory) and a `dashboards` link to the repository's cookbook, so a recipe run there with
no MARSAD_* variable reads what an analyst in a checkout reads. The two outlets carry the same
wire story with small edits (one story, two outlets), and one feed links a page that answers
404 (a fetch failure for "what went wrong today?").
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tests.webserver import (
    ARABIC_STORY,
    WebServer,
    article_html,
    marsad_fetch_toml,
    rss,
    write_sources_toml,
)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # .venv/bin: marsad, python and duckdb (duckdb-cli)
WIRE_COPY = ARABIC_STORY.replace("أعلنت شركة", "بكين - أعلنت شركة").replace("نحو ستة", "قرابة ستة")


@dataclass(frozen=True)
class AnalystCheckout:
    """Where the filled warehouse is, and the environment a recipe runs in there."""

    home: Path  # the working directory: data/marsad.duckdb, dashboards -> the repository's

    @property
    def db(self) -> Path:
        return self.home / "data" / "marsad.duckdb"

    @property
    def env(self) -> dict[str, str]:
        """An analyst's shell with the venv on PATH, and no MARSAD_* variable (the defaults)."""
        return {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(self.home), "LANG": "C.UTF-8"}

    def sh(self, command: str, *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run one shell command exactly as written, in the checkout-like folder."""
        return subprocess.run(["bash", "-c", command], cwd=self.home, env=self.env, capture_output=True,
                              text=True, timeout=timeout)


def _site() -> WebServer:
    srv = WebServer(hosts=("127.0.0.1",)).start()
    t = "ديب سيك"
    srv.static("/a/deepseek", article_html(f"{t} تهز أسواق الرقائق"))
    srv.static("/b/deepseek", article_html(f"{t} تهز أسواق الرقائق العالمية", WIRE_COPY))
    srv.static("/a/feed.xml", rss([("/a/deepseek", f"{t} تهز أسواق الرقائق", "إنفيديا")], base=srv.base()),
               "application/rss+xml")
    srv.static("/b/feed.xml", rss([("/b/deepseek", f"{t} تهز الأسواق", "إنفيديا"),
                                   ("/b/gone", f"{t} صفحة محذوفة", "ملخص")], base=srv.base()),
               "application/rss+xml")  # /b/gone has no route: 404
    return srv


def build(tmp: Path) -> AnalystCheckout:
    """Run `marsad run --sources …` once into `tmp/data/marsad.duckdb`; return the checkout."""
    home = tmp / "checkout"
    (home / "data").mkdir(parents=True)
    os.symlink(ROOT / "dashboards", home / "dashboards")
    config = tmp / "config"  # the run's own config (loopback allowed), not the analyst's
    shutil.copytree(ROOT / "config", config)
    with (config / "marsad.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + marsad_fetch_toml())
    srv = _site()
    try:
        sources = write_sources_toml(tmp / "sources.toml", srv, {"outlet_a": "/a/feed.xml", "outlet_b": "/b/feed.xml"})
        env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp), "MARSAD_CONFIG": str(config),
               "MARSAD_DB": str(home / "data" / "marsad.duckdb"), "MARSAD_OUTBOX": str(tmp / "outbox"),
               "MARSAD_DASHBOARD": str(tmp / "dashboard"), "MARSAD_SEEDS": str(ROOT / "seeds"),
               "PREFECT_HOME": str(tmp / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        proc = subprocess.run([str(BIN / "marsad"), "run", "--sources", str(sources)], env=env,
                              capture_output=True, text=True, timeout=600)
    finally:
        srv.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"marsad run failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return AnalystCheckout(home)


def table_of(stdout: str) -> tuple[list[str], list[dict[str, str]]]:
    """The CSV `marsad sql` writes when piped: (header, rows as dicts)."""
    reader = csv.DictReader(io.StringIO(stdout))
    return list(reader.fieldnames or []), list(reader)


def ran(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr}"
    assert "Error" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout


def query(checkout: AnalystCheckout, sql: str) -> list[tuple]:
    con = duckdb.connect(str(checkout.db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
