"""Prefect retries only I/O failures: a config error, a bad date or a bug fails at once."""

from __future__ import annotations

import smtplib

import httpx
import pytest

from extractors.core.errors import (
    ConfigError,
    DeliveryError,
    ExtractError,
    FetchError,
    UsageError,
    WarehouseError,
    WarehouseLockedError,
)
from flows.retries import is_transient


def _raised_from(exc: BaseException, cause: BaseException) -> BaseException:
    try:
        raise exc from cause
    except BaseException as caught:  # noqa: BLE001 — building the chained exception under test
        return caught


@pytest.mark.parametrize("exc", [
    ConnectionResetError("reset"), TimeoutError("slow"), OSError("no route"),
    httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), smtplib.SMTPServerDisconnected("gone"),
    FetchError("one URL"), DeliveryError("relay down"), WarehouseLockedError("held"),
    _raised_from(ExtractError("cannot read"), OSError("disk")),
])
def test_io_failures_are_retried(exc):
    assert is_transient(exc)


@pytest.mark.parametrize("exc", [
    ConfigError("[fetch] typo"), UsageError("future date"), WarehouseError("bad migration"), ExtractError("no text"),
    ValueError("a bug"), KeyError("a bug"), TypeError("a bug"),
    _raised_from(ConfigError("cannot read topics.toml"), OSError("disk")),  # config: never, whatever the cause
])
def test_deterministic_failures_are_not(exc):
    assert not is_transient(exc)


def test_the_flow_retries_io_steps_only_on_io_failures():
    from flows import daily
    from flows.retries import retry_on_io

    for io_step in (daily.fetch_sources, daily.deliver):
        assert io_step.retries == 2 and io_step.retry_condition_fn is retry_on_io
    for step in (daily.ingest_seeds, daily.extract_pages, daily.store, daily.tag_pending, daily.cluster_and_digest):
        assert step.retries == 0, f"{step.name} is not I/O: it must not be retried"
