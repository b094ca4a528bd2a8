"""The run lock: one Marsad writer at a time per warehouse, whoever it is, however it ends.

DuckDB's own file lock cannot serve: every reader takes it too (an analyst's read-only
connection blocked the old in-place writer), and it says nothing about who holds it. So a
writer (the daily run, `marsad digest`, `retag`, `reextract`) first takes an exclusive
`fcntl.flock` on a small file beside the warehouse (`data/marsad.duckdb.lock`) and keeps it
for its whole session. The file's content (JSON) says who holds it: PID, command, start time,
and once known the run id and digest date.

The kernel drops a flock when its holder dies, even by `kill -9`, so a lock left by a dead
process is free at once: the next writer gets it immediately and finds the dead holder's
description still in the file (a clean release empties the `holder` field). That is how a
killed run is detected without guessing from timestamps or PIDs (which are reused). Dead
holders are kept in the file's `dead` list until a writer has recorded them in the warehouse
(`WriterSession` marks their runs `interrupted`) and published.

The file itself is never deleted: unlinking a lock file races with a waiter that opened the
old inode. Within one process the lock is re-entrant (the CLI takes it before Prefect
starts, the flow's `run_daily` takes it again), counted per lock path.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extractors.core.errors import RunLockedError

POLL_SECONDS = 0.2


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    """The run lock of a warehouse: `<db>.lock` beside it."""
    db = Path(db_path)
    return db.with_name(db.name + ".lock")


@dataclass
class Holder:
    """Who holds (or held) the run lock, as written in the lock file."""

    pid: int
    command: str
    started_at: str  # ISO 8601, UTC
    run_id: str | None = None
    digest_date: str | None = None  # ISO date, for a daily run
    flow_run_id: str | None = None

    @classmethod
    def now(cls, command: str) -> Holder:
        return cls(pid=os.getpid(), command=command, started_at=datetime.now(UTC).isoformat(timespec="seconds"))

    @classmethod
    def from_json(cls, data: Any) -> Holder | None:
        if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
            return None
        known = {k: data.get(k) for k in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in known.items() if v is not None})

    def describe(self) -> str:
        """`run 1a2b3c (PID 4242, marsad run, started 2026-12-01 06:00:02 UTC)`."""
        started = self.started_at.replace("T", " ").replace("+00:00", " UTC")
        who = f"run {self.run_id}" if self.run_id else f"`{self.command}`"
        extra = f", {self.command}" if self.run_id else ""
        return f"{who} (PID {self.pid}{extra}, started {started})"


@dataclass
class LockState:
    """The lock file's content: the live holder (None when free) and dead holders not yet recorded."""

    holder: Holder | None = None
    dead: list[Holder] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> LockState:
        try:
            data = json.loads(text) if text.strip() else {}
        except ValueError:
            return cls()  # torn or foreign content: nothing we can act on
        if not isinstance(data, dict):
            return cls()
        dead = [h for h in (Holder.from_json(d) for d in data.get("dead") or []) if h]
        return cls(Holder.from_json(data.get("holder")), dead)

    def dump(self) -> str:
        as_dict = lambda h: {k: v for k, v in h.__dict__.items() if v is not None}  # noqa: E731
        return json.dumps({"holder": as_dict(self.holder) if self.holder else None,
                           "dead": [as_dict(h) for h in self.dead]}, ensure_ascii=False) + "\n"


class RunLock:
    """An acquired run lock (an open file holding the flock); see the module docstring."""

    def __init__(self, path: Path, fd: int, state: LockState) -> None:
        self.path = path
        self._fd = fd
        self.state = state

    @property
    def holder(self) -> Holder:
        assert self.state.holder is not None
        return self.state.holder

    @property
    def dead(self) -> list[Holder]:
        """Holders that died with the lock and are not recorded in the warehouse yet."""
        return list(self.state.dead)

    def update(self, **info: str | None) -> None:
        """Say more about this holder in the lock file (run id, digest date, flow run id)."""
        for key, value in info.items():
            setattr(self.holder, key, value)
        self._write()

    def forget_dead(self) -> None:
        """The dead holders are recorded (published in the warehouse): drop them from the file."""
        self.state.dead = []
        self._write()

    def _write(self) -> None:
        # In place, never by rename: the flock belongs to this inode. Readers only read the
        # content after failing to get the lock, and tolerate a torn write (LockState.parse).
        data = self.state.dump().encode("utf-8")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)

    def release(self) -> None:
        """Empty the holder field, then drop the flock (closing the file)."""
        try:
            self.state.holder = None
            self._write()
        finally:
            os.close(self._fd)  # closing the descriptor releases the flock


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def peek(db_path: str | os.PathLike[str]) -> LockState:
    """What the lock file says right now (for messages and tests; it takes no lock)."""
    path = lock_path(db_path)
    try:
        return LockState.parse(path.read_text(encoding="utf-8", errors="replace"))
    except FileNotFoundError:
        return LockState()


def is_held(db_path: str | os.PathLike[str]) -> bool:
    """True when a live process holds the run lock (tries, and at once drops, the flock)."""
    path = lock_path(db_path)
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also drops the flock if we got it
    return False


def acquire(db_path: str | os.PathLike[str], command: str, *, wait: float = 0.0,
            on_wait: Callable[[Holder | None, float], None] | None = None) -> RunLock:
    """Take the run lock, waiting up to `wait` seconds for a live holder.

    `on_wait(holder, wait)` is called once, when the lock is busy, with what the file says
    about the holder. Raises RunLockedError naming the holder when the wait runs out. A holder
    found in the file although the lock was free died holding it: it joins `dead`.
    """
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_CLOEXEC: a child process (the temporary Prefect server) must not inherit the lock.
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    deadline = time.monotonic() + wait
    told = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = LockState.parse(_read(fd)).holder
                if time.monotonic() >= deadline:
                    who = holder.describe() if holder else "another process"
                    raise RunLockedError(f"another Marsad writer holds the run lock {path}: {who}") from None
                if not told and on_wait is not None:
                    on_wait(holder, wait)
                told = True
                time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
    except BaseException:
        os.close(fd)
        raise
    state = LockState.parse(_read(fd))
    if state.holder is not None:  # it held the lock and never released it: it died
        state.dead.append(state.holder)
    state.holder = Holder.now(command)
    lock = RunLock(path, fd, state)
    lock._write()
    return lock


# ---- re-entrant within a process -----------------------------------------------------------

_held: dict[Path, tuple[RunLock, int]] = {}
_guard = threading.Lock()


@contextmanager
def run_lock(db_path: str | os.PathLike[str], command: str, *, wait: float = 0.0,
             on_wait: Callable[[Holder | None, float], None] | None = None) -> Iterator[RunLock]:
    """`with run_lock(db, "marsad run", wait=900) as lock:` — held for the block; re-entrant
    in this process (an inner `run_lock` on the same warehouse reuses the outer one)."""
    key = lock_path(db_path).resolve()
    with _guard:
        outer = _held.get(key)
        if outer is not None:
            _held[key] = (outer[0], outer[1] + 1)
    if outer is None:
        lock = acquire(db_path, command, wait=wait, on_wait=on_wait)
        with _guard:
            _held[key] = (lock, 1)
    else:
        lock = outer[0]
    try:
        yield lock
    finally:
        with _guard:
            held, depth = _held[key]
            if depth > 1:
                _held[key] = (held, depth - 1)
            else:
                del _held[key]
        if outer is None:
            lock.release()


__all__ = ["Holder", "LockState", "RunLock", "acquire", "is_held", "lock_path", "peek", "run_lock"]
