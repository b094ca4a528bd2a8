"""Which failures the flow retries: I/O that may heal, never a deterministic error.

A typo in a config file, a bug, a refused date or a SQL error fails the same way on every
attempt; retrying it only delays the loud failure (the old `[fetch]` typo was retried for
~80 s and then reported as a completed run). A dropped connection, a timeout, a relay that is
down or a warehouse held by another process may well be gone 5 or 30 seconds later.
"""

from __future__ import annotations

import smtplib
from typing import Any

import httpx

from extractors.core.errors import (
    ConfigError,
    DeliveryError,
    FetchError,
    MarsadError,
    UsageError,
    WarehouseLockedError,
)

# What may heal on its own; everything else (ConfigError, UsageError, WarehouseError, bugs) may not.
TRANSIENT: tuple[type[BaseException], ...] = (
    OSError,  # includes ConnectionError, TimeoutError and socket errors
    httpx.TransportError,
    smtplib.SMTPServerDisconnected,
    FetchError,
    DeliveryError,
    WarehouseLockedError,
)
NEVER: tuple[type[BaseException], ...] = (ConfigError, UsageError)


def is_transient(exc: BaseException) -> bool:
    """True when retrying the step that raised `exc` may succeed."""
    if isinstance(exc, NEVER):
        return False
    if isinstance(exc, TRANSIENT):
        return True
    # a MarsadError raised from an I/O error (`raise … from exc`) inherits its nature
    cause = exc.__cause__
    return isinstance(exc, MarsadError) and cause is not None and is_transient(cause)


def retry_on_io(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect `retry_condition_fn`: retry the failed task run only for a transient error."""
    try:
        state.result()
    except BaseException as exc:  # noqa: BLE001 — classified, not swallowed: Prefect re-raises it
        return is_transient(exc)
    return False
