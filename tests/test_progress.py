"""Progress on long work: the pipeline tells an observer; a terminal shows live lines, a pipe nothing."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.config import load_config
from flows.pipeline import run_daily
from flows.progress import NO_PROGRESS, current_progress, for_terminal, reporting, stage_text
from tests.webserver import (
    ARABIC_STORY,
    WebServer,
    article_html,
    marsad_fetch_toml,
    rss,
    write_sources_toml,
)

MARSAD = Path(sys.executable).with_name("marsad")
STAGES = ["seeds", "store", "tag", "digest", "deliver"]


class Recorder:
    """An observer that writes down what it hears, as the terminal would show it."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, str]] = []
        self.watched = {}

    def begin(self, stage, counts):
        self.events.append(("begin", stage, stage_text(stage, counts, done=False)))

    def update(self, stage, counts):
        self.events.append(("update", stage, stage_text(stage, counts, done=False)))

    def end(self, stage, counts):
        self.events.append(("end", stage, stage_text(stage, counts, done=True)))

    def watch(self, stage, read):
        self.watched[stage] = read

    def ends(self) -> dict[str, str]:
        return {stage: text for kind, stage, text in self.events if kind == "end"}


def test_each_stage_begins_and_ends_with_its_counts(config):
    seen = Recorder()
    _, summary = run_daily(config, progress=seen)
    assert [(k, s) for k, s, _ in seen.events] == [(k, s) for s in STAGES for k in ("begin", "end")]
    ends = seen.ends()
    assert ends["seeds"] == "5 loaded, 0 skipped"
    assert ends["store"] == "5 new, 5 stored"
    assert ends["tag"] == f"5 articles tagged, {summary.counts['tags']} topic tags"
    assert ends["deliver"] == "1 email(s), dashboard written"


def test_fetching_reports_sources_done_and_pages_fetched_and_failed(project_env, tmp_path):
    srv = WebServer(hosts=("127.0.0.1",)).start()
    srv.robots["127.0.0.1"] = "User-agent: *\nAllow: /\n"
    try:
        srv.static("/a", article_html("ديب سيك تهز الأسواق", f"{ARABIC_STORY} أ"))
        srv.static("/b", article_html("إنفيديا بعد ديب سيك", f"{ARABIC_STORY} ب"))
        items = [("/a", "ديب سيك تهز الأسواق", "ديب سيك"), ("/b", "إنفيديا بعد ديب سيك", "ديب سيك"),
                 ("/gone", "ديب سيك: صفحة محذوفة", "ديب سيك")]
        srv.static("/feed.xml", rss(items, base=srv.base()), "application/rss+xml")
        with (Path(project_env["MARSAD_CONFIG"]) / "marsad.toml").open("a", encoding="utf-8") as fh:
            fh.write("\n" + marsad_fetch_toml())
        sources = write_sources_toml(tmp_path / "sources.toml", srv, {"feed": "/feed.xml"})
        seen = Recorder()
        with reporting(seen):  # how the CLI hands its observer to the flow
            run_daily(load_config(env=project_env, sources_file=sources))
    finally:
        srv.stop()
    fetch = [(k, t) for k, s, t in seen.events if s == "fetch"]
    assert fetch == [("begin", "0/1 sources read, 0 pages fetched, 0 failed"),
                     ("end", "1/1 sources read, 2 pages fetched, 1 failed")]
    # what a terminal reads live while the fetch runs (here: after it, so everything is in)
    live = seen.watched["fetch"]()
    assert (live["sources_read"], live["pages_fetched"], live["fetch_errors"]) == (1, 2, 1)
    assert seen.ends()["extract"] == "2 articles kept of 2 pages"


def test_a_pipe_gets_no_progress():
    with for_terminal(io.StringIO()) as progress:
        assert progress is NO_PROGRESS and current_progress() is NO_PROGRESS


@pytest.mark.slow
def test_a_terminal_gets_a_live_line_per_stage(project_env, tmp_path):
    """`marsad run` on a pseudo-terminal: one line per stage with its counts, a tick when done."""
    master, slave = pty.openpty()
    env = {**project_env, "PATH": "/usr/bin:/bin", "PREFECT_HOME": str(tmp_path / "ph"), "TERM": "xterm",
           "COLUMNS": "120"}
    proc = subprocess.Popen([str(MARSAD), "run", "--offline"], env=env, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(master)
    raw = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, raw[-2000:]
    assert "\x1b[" in raw  # drawn live, with cursor movements
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)
    final = {m.group(1): m.group(2).strip() for m in re.finditer(r"✓ (\w+)\s+(.+?)\s+\d+\.\d s", text)}
    assert list(final) == ["prefect", *STAGES]  # a temporary server here: its start is a stage too
    assert final["seeds"] == "5 loaded, 0 skipped" and final["tag"].startswith("5 articles tagged")
    assert "Marsad run " in text and "completed" in text  # and the summary after it
