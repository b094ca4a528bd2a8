"""Quiet, offline-friendly Prefect defaults: the one copy (the CLI, the tests and the bench use it).

They must be in the environment before Prefect is imported (Prefect reads its settings at
import), and they are defaults: a variable the user set wins.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # no telemetry: this machine is offline
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",           # `make run` prints Marsad's summary, not Prefect's chatter
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    # The temporary server of a run without PREFECT_API_URL needs more than the default 20 s
    # to start on a busy 2-core machine; a timeout there would fail an otherwise good run.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def quiet_prefect(env: MutableMapping[str, str] | None = None) -> MutableMapping[str, str]:
    """Set the defaults above in `env` (default: this process's environment) unless already set."""
    target = os.environ if env is None else env
    for key, value in PREFECT_DEFAULTS.items():
        target.setdefault(key, value)
    return target
