"""The per-host scheduler: politeness and the circuit breaker, shared by every request of a run.

One `HostScheduler` serves the whole `collect()` — every source group, every robots.txt, every
redirect hop — so politeness holds across all of them: two groups listing pages of one host
take turns at that host's gate, and a redirect to the same host waits its turn like any other
request (each hop is its own request through the gate). It is policy, not a pool: asyncio
tasks queue on a per-host semaphore and sleep until the host's `not_before`; the HTTP client
does the I/O.

The breaker counts, per host, consecutive failures that mean "this host is not answering":
- `httpx.ConnectError` — connection refused, reset or unreachable while connecting (TCP or TLS
  handshake): error_class `connect`;
- `httpx.ConnectTimeout` — error_class `connect_timeout`;
- a read timeout or the total deadline before the response's status line arrived (the host
  accepted the connection but never answered: error_class `read_timeout`/`total_timeout`
  with `answered=False`).
It does NOT count a dropped connection after connecting (`httpx.RemoteProtocolError`,
`httpx.ReadError`: the host is there, one exchange died), a slow body (timeout after the status
line), HTTP errors, caps, content types or the SSRF guard; any response (or a dropped exchange)
resets the count. After `max_host_failures` the host's remaining URLs are logged `skipped`
without a connection, each row saying why.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from extractors.core.records import FetchLogEntry

CONNECT_FAILURES = frozenset({"connect", "connect_timeout"})
DROPPED = frozenset({"RemoteProtocolError", "ReadError"})


@dataclass
class HostGate:
    """One host's turn-taking state: slots in flight, the earliest next start, the breaker."""

    sem: asyncio.Semaphore
    delay: float
    not_before: float = 0.0
    failures: int = 0            # consecutive "not answering" failures (see the module docstring)
    streak: set[str] = field(default_factory=set)  # kinds of failure in the current streak
    broken: str | None = None    # why the host is skipped for the rest of the run, once tripped


class HostScheduler:
    """Per-host gates for one run: `async with scheduler.turn(host)` around every request."""

    def __init__(self, slots: int, delay: float, max_delay: float, max_failures: int) -> None:
        self.slots = slots
        self.delay = delay
        self.max_delay = max_delay
        self.max_failures = max_failures
        self._gates: dict[str, HostGate] = {}

    def gate(self, host: str) -> HostGate:
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = HostGate(asyncio.Semaphore(self.slots), self.delay)
        return gate

    def slow_down(self, host: str, delay: float) -> None:
        """Raise one host's delay (robots.txt Crawl-delay), never above `max_delay`."""
        gate = self.gate(host)
        gate.delay = max(gate.delay, min(delay, self.max_delay))

    def pause(self, host: str, seconds: float) -> None:
        """Hold every request to `host` for `seconds` (a 429/503 Retry-After pauses the host)."""
        gate = self.gate(host)
        gate.not_before = max(gate.not_before, time.monotonic() + seconds)

    @asynccontextmanager
    async def turn(self, host: str) -> AsyncIterator[HostGate]:
        """Wait for a slot on `host` and for its delay to pass; the delay restarts at exit.

        The caller checks `gate.broken` inside (the breaker may have tripped while it queued).
        """
        gate = self.gate(host)
        async with gate.sem:
            wait = gate.not_before - time.monotonic()
            if wait > 0 and not gate.broken:
                await asyncio.sleep(wait)
            try:
                yield gate
            finally:
                gate.not_before = max(gate.not_before, time.monotonic() + gate.delay)

    def record(self, host: str, entry: FetchLogEntry, *, answered: bool) -> None:
        """Feed one URL's outcome to the host's breaker (see the module docstring for the rules)."""
        gate = self.gate(host)
        cls = entry.error_class or ""
        if cls in CONNECT_FAILURES or (entry.status == "timeout" and not answered):
            gate.failures += 1
            gate.streak.add("connect failures" if cls in CONNECT_FAILURES else "unanswered requests")
            if gate.failures >= self.max_failures and not gate.broken:
                what = " or ".join(sorted(gate.streak))
                gate.broken = (f"host {host} unreachable after {gate.failures} consecutive {what} "
                               f"(last: {entry.error}) — skipped for the rest of this run")
        elif answered or cls in DROPPED:
            gate.failures = 0  # the host accepted a connection: it is there
            gate.streak.clear()
