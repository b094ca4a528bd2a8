"""Where batch work runs: in this process, on every core (Prefect's ProcessPoolTaskRunner), or
on a Dask cluster (prefect-dask's DaskTaskRunner), from the `[compute]` table of marsad.toml
(validated with the rest of the config: `flows.config.ComputeSettings`).

    [compute]
    workers = 2                           # processes on this machine (default: every core)
    scheduler = "tcp://10.0.0.5:8786"     # a Dask scheduler; unset = this machine only
    batch_size = 300                      # pages (or articles) per batch task

Small runs stay in-process, so `make run` on the seeds and a quiet day never pay a pool or
cluster start-up. With `scheduler` set, every run of `DISTRIBUTE_FROM` (100) pages or
articles or more sends its batches to the cluster. Without it, a process pool of `workers`
(one worker = in-process) takes a step once its work is worth the pool's start-up (~5 s on
two busy cores: spawning interpreters that import Prefect and Marsad): from 400 pages to
extract (~12 s on one core) and from 3,000 articles to tag (~12 s). Workers only compute:
they return records, and the one load step of the run writes them (DuckDB stays
single-writer).

Task runs on workers report to the Prefect API this process uses. A flow run without a
server runs on a temporary one at 127.0.0.1; `shared_api` hands its URL to the workers
through Prefect's settings context, which reaches worker processes on this machine. A
cluster on other machines needs a Prefect server they can reach (PREFECT_API_URL), which is
what a deployment has; `check_reachable` says so instead of letting tasks hang.
"""

from __future__ import annotations

import ipaddress
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from extractors.core.errors import ConfigError
from flows.config import ComputeSettings

DISTRIBUTE_FROM = 100           # pages or articles: from here on, batches go to a configured cluster
POOL_FROM = {"extract": 400, "tag": 3000}  # … and to the local process pool (its start-up ~5 s)


def choose_runner(compute: ComputeSettings, items: int, step: str = "extract") -> Any | None:
    """The task runner for `items` pages (extract) or articles (tag), or None to stay in-process."""
    if compute.scheduler:
        if items < DISTRIBUTE_FROM:
            return None
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=compute.scheduler)
    if compute.workers > 1 and items >= POOL_FROM[step]:
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=compute.workers)
    return None


def where(compute: ComputeSettings) -> str:
    """Where batches of a big run go, in words for the run summary."""
    if compute.scheduler:
        return f"the Dask cluster at {compute.scheduler}"
    return f"{compute.workers} local processes" if compute.workers > 1 else "this process"


def _loopback(address: str) -> bool:
    host = urlsplit(address if "://" in address else f"tcp://{address}").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_reachable(compute: ComputeSettings, api_url: str | None) -> None:
    """A cluster on other machines cannot report to a temporary server at 127.0.0.1."""
    if compute.scheduler and not _loopback(compute.scheduler) and (not api_url or _loopback(api_url)):
        raise ConfigError(
            f"[compute] scheduler {compute.scheduler} is another machine, but this run's Prefect API "
            f"({api_url or 'a temporary server'}) is only reachable here",
            hint="start a Prefect server the workers can reach and set PREFECT_API_URL (or run the deployment)")


@contextmanager
def shared_api(compute: ComputeSettings) -> Iterator[None]:
    """Within the block, task runs started on workers report to this process's Prefect API."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        check_reachable(compute, configured)
        yield
        return
    with get_client(sync_client=True) as client:  # the run's temporary server (started if need be)
        url = str(client.api_url).rstrip("/")
    check_reachable(compute, url)
    with temporary_settings(updates={PREFECT_API_URL: url}):
        yield


@dataclass
class BatchOutcome:
    """What came back from one batch: its result, or the error it failed with."""

    result: Any = None
    error: str | None = None


def run_batches(runner: Any, compute: ComputeSettings, task: Any, calls: Sequence[dict[str, Any]]) -> list[BatchOutcome]:
    """Submit one task run per batch; outcomes in submission order (failures included).

    Prefect retries a task that raises; Dask runs a task again on another worker when its
    worker dies mid-batch. A batch that still fails is handed back as an error: the caller
    decides (the extract and tag steps re-run it in this process, so nothing is lost).
    """
    with shared_api(compute), runner, warnings.catch_warnings():
        # The pages are a batch's payload by design (fetched by this process); distributed
        # warns about any graph over 10 MB. At cluster scale, workers read stored raw pages
        # themselves instead (docs/SCALING.md).
        warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
        futures = [runner.submit(task, dict(call)) for call in calls]
        outcomes = []
        for future in futures:
            try:
                outcomes.append(BatchOutcome(result=future.result()))
            except Exception as exc:  # noqa: BLE001 — reported per batch, never swallowed
                outcomes.append(BatchOutcome(error=f"{type(exc).__name__}: {exc}"))
    return outcomes


def recover(outcomes: list[BatchOutcome], calls: Sequence[dict[str, Any]], fn: Callable[..., Any]) -> tuple[list[Any], list[str]]:
    """Results of every batch, failed ones computed again here; and one line per such batch."""
    results, redone = [], []
    for index, (outcome, call) in enumerate(zip(outcomes, calls, strict=True)):
        if outcome.error is None:
            results.append(outcome.result)
        else:
            results.append(fn(**call))
            redone.append(f"batch {index + 1} of {len(calls)} failed on the task runner ({outcome.error}); "
                          "it was run again in the flow's process")
    return results, redone
