"""Progress on long work: the observer the pipeline reports to, and what a terminal shows.

The pipeline (`flows.pipeline.run_steps`) calls `begin` / `update` / `end` on a `Progress`
with a stage name and the run's counts so far; it never prints. The CLI supplies the observer
(`for_terminal`): on a terminal, a live line per stage (rich) — sources done, pages fetched
and failed, articles extracted, tagged — each with its own clock, so a slow host is visible
as a ticking stage instead of silence; anywhere else (cron, CI, a pipe) nothing, and the run's
summary at the end says it all. No Prefect here: the observer reaches the flow's steps through
`reporting()` (a process-wide slot, because a flow's parameters go to the Prefect API and an
observer cannot).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TextIO

from warehouse.runlock import Holder

# What each stage's line says, from the run's counts (a missing count is 0).
STAGE_TEXT: dict[str, tuple[str, str]] = {  # stage -> (while running, when done)
    "prefect": ("starting a temporary Prefect server (`marsad server` keeps one up)", "temporary server up"),
    "seeds": ("reading seed files", "{seeds_loaded} loaded, {seeds_skipped} skipped"),
    "fetch": ("{sources_read}/{sources_total} sources read, {pages_fetched} pages fetched, {fetch_errors} failed",
              "{sources_read}/{sources_total} sources read, {pages_fetched} pages fetched, {fetch_errors} failed"),
    "extract": ("extracting {pages} pages", "{web_articles} articles kept of {pages} pages"),
    "store": ("loading the warehouse", "{articles_new} new, {articles_total} stored"),
    "tag": ("tagging", "{articles_tagged} articles tagged, {tags} topic tags"),
    "digest": ("clustering stories, building the digest", "{stories_changed} story ids changed, digest built"),
    "deliver": ("writing emails and the dashboard", "{emails} email(s), dashboard written"),
}


def stage_text(stage: str, counts: Mapping[str, int], *, done: bool) -> str:
    """The line a stage shows, e.g. `3/8 sources done, 42 pages fetched, 2 failed`."""
    running, finished = STAGE_TEXT.get(stage, ("", ""))
    return (finished if done else running).format_map(defaultdict(int, counts))


class Progress(Protocol):
    """What the pipeline tells its observer."""

    def begin(self, stage: str, counts: Mapping[str, int]) -> None: ...

    def update(self, stage: str, counts: Mapping[str, int]) -> None: ...

    def end(self, stage: str, counts: Mapping[str, int]) -> None: ...

    def watch(self, stage: str, read: Callable[[], Mapping[str, int]]) -> None:
        """Until `end(stage)`, the observer may call `read()` for live counts whenever it redraws."""


class NoProgress:
    """Hears everything, says nothing (tests, cron, CI, pipes)."""

    def begin(self, stage: str, counts: Mapping[str, int]) -> None:
        pass

    def update(self, stage: str, counts: Mapping[str, int]) -> None:
        pass

    def end(self, stage: str, counts: Mapping[str, int]) -> None:
        pass

    def watch(self, stage: str, read: Callable[[], Mapping[str, int]]) -> None:
        pass


NO_PROGRESS = NoProgress()
_current: list[Progress] = [NO_PROGRESS]


def current_progress() -> Progress:
    """The observer the CLI installed with `reporting()` (NO_PROGRESS otherwise)."""
    return _current[-1]


@contextmanager
def reporting(progress: Progress) -> Iterator[Progress]:
    """Install `progress` for runs started in this process during the block."""
    _current.append(progress)
    try:
        yield progress
    finally:
        _current.remove(progress)


def staged(progress: Progress, name: str, step: Callable[[], Any], summary: Any = None) -> Any:
    """Run one pipeline step between its `begin` and `end`, merging its report into `summary`
    (a StepReport; the first step's report becomes the summary)."""
    progress.begin(name, summary.counts if summary is not None else {})
    report = step()
    if summary is not None:
        summary.merge(report)
    progress.end(name, (summary if summary is not None else report).counts)
    return report


def fetch_counts(batch: Any, sources: Sequence[Any]) -> dict[str, int]:
    """Live counts of a fetch in progress (`batch`: the WebBatch it fills): sources read (their
    feed or index fetched), pages fetched, URLs failed. Called from the display's thread while
    the fetch appends: it copies the log and only takes lengths, never iterates a growing list."""
    if batch is None:
        return {}
    log = list(batch.log)
    own = {s.name: s.url for s in sources}
    read = {e.source for e in log if own.get(e.source) in (None, e.url)}
    return {"sources_read": len(read), "pages_fetched": len(batch.pages),
            "fetch_errors": sum(e.status not in ("ok", "not_modified", "skipped") for e in log)}


def say_waiting(holder: Holder | None, wait: float, stream: TextIO | None = None) -> None:
    """The one line a writer prints when the run lock is busy: who holds it, how long we wait."""
    who = holder.describe() if holder else "another process"
    print(f"Waiting up to {wait:g} s for the run lock, held by {who}", file=stream or sys.stderr, flush=True)


class LiveProgress:
    """A live table on a terminal: one row per stage, a spinner and a clock on the running one."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.live import Live

        self.rows: dict[str, tuple[str, bool, float, float | None]] = {}  # stage -> text, done, t0, t1
        self.watched: dict[str, Callable[[], Mapping[str, int]]] = {}
        self.lock = threading.Lock()  # the pipeline's thread writes rows, rich's refresh thread reads them
        self.console = Console(file=stream)
        self.live = Live(self, console=self.console, refresh_per_second=4, transient=False)

    def __rich__(self) -> Any:
        from rich.spinner import Spinner
        from rich.table import Table

        table = Table.grid(padding=(0, 1))
        now = time.monotonic()
        with self.lock:
            for stage, read in self.watched.items():
                _, done, t0, t1 = self.rows[stage]
                self.rows[stage] = (stage_text(stage, read(), done=False), done, t0, t1)
            rows = list(self.rows.items())
        for stage, (text, done, t0, t1) in rows:
            mark: Any = "[green]✓[/]" if done else Spinner("dots", style="cyan")
            table.add_row(mark, f"[bold]{stage:<8}[/]", text, f"[dim]{(t1 or now) - t0:5.1f} s[/]")
        return table

    def begin(self, stage: str, counts: Mapping[str, int]) -> None:
        with self.lock:
            self.rows[stage] = (stage_text(stage, counts, done=False), False, time.monotonic(), None)
        self.live.refresh()

    def update(self, stage: str, counts: Mapping[str, int]) -> None:
        with self.lock:
            _, done, t0, t1 = self.rows.get(stage, ("", False, time.monotonic(), None))
            self.rows[stage] = (stage_text(stage, counts, done=False), done, t0, t1)
        self.live.refresh()

    def watch(self, stage: str, read: Callable[[], Mapping[str, int]]) -> None:
        with self.lock:
            if stage in self.rows:
                self.watched[stage] = read

    def end(self, stage: str, counts: Mapping[str, int]) -> None:
        with self.lock:
            self.watched.pop(stage, None)
            _, _, t0, _ = self.rows.get(stage, ("", False, time.monotonic(), None))
            self.rows[stage] = (stage_text(stage, counts, done=True), True, t0, time.monotonic())
        self.live.refresh()


@contextmanager
def for_terminal(stream: TextIO | None = None) -> Iterator[Progress]:
    """The observer for the CLI: live lines on a terminal, silence elsewhere; installed for the block."""
    stream = stream or sys.stdout
    if not stream.isatty():
        with reporting(NO_PROGRESS) as quiet:
            yield quiet
        return
    live = LiveProgress(stream)
    with live.live, reporting(live):
        yield live


__all__ = ["NO_PROGRESS", "STAGE_TEXT", "LiveProgress", "NoProgress", "Progress", "current_progress",
           "for_terminal", "reporting", "say_waiting", "stage_text"]
