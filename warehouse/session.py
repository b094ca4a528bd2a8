"""A writer session: shadow write on a private copy, publish atomically; readers never block it.

The file analysts open (`MARSAD_DB`, default `data/marsad.duckdb`) is never written in place.
A writer holds the run lock (`warehouse.runlock`) for the whole session and:

1. removes a work file a killed writer left (it holds the lock, so nobody else is using it);
2. copies the published file to its private work file beside it (`data/.marsad.duckdb.work`),
   holding a read-only DuckDB connection on the published file during the copy so that no
   read-write connection (an analyst who forgot `read_only`) can change it half-way;
3. opens the work file, migrates it, and records as `interrupted` every run that died with
   the lock (and any row a killed writer of an older version left `running`);
4. lets the steps open and close the work file as often as they like (`session.work`);
5. `publish()`: folds any WAL, fsyncs, and `os.replace`s the work file over the published path.

On Linux a reader that had the published file open keeps reading the old inode (its snapshot)
until it reconnects, and a new reader sees the new file whole: the publish is the commit point
of the whole session, so nobody sees articles loaded but not yet tagged. A session that is not
published (an error, Ctrl-C) discards its work file; a killed one leaves it for the next writer
to remove. Cost: one file copy per session (copy_file_range: a reflink on btrfs/XFS).
Verified with duckdb 2.0.1: a read-only connection blocks an in-place writer ("Could not set
lock on file") but not this cycle (tests/test_readers.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from extractors.core.errors import WarehouseError
from extractors.core.records import RunNote
from warehouse import runs
from warehouse.db import connect, convert_and_say, is_compatible, storage_version
from warehouse.runlock import Holder, RunLock, run_lock


def work_path(published: str | os.PathLike[str]) -> Path:
    """The private work file of a warehouse: `.<name>.work` beside it (hidden from `ls`)."""
    db = Path(published)
    return db.with_name(f".{db.name}.work")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove(path: Path) -> None:
    for p in (path, _wal(path)):
        p.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_file(src: Path, dst: Path) -> None:
    """Copy bytes in the kernel (copy_file_range: a reflink where the filesystem can)."""
    try:
        with src.open("rb") as fin, dst.open("wb") as fout:
            left = os.fstat(fin.fileno()).st_size
            while left > 0:
                n = os.copy_file_range(fin.fileno(), fout.fileno(), left)
                if n == 0:
                    break
                left -= n
    except OSError:  # a filesystem without copy_file_range (EXDEV, ENOSYS, …)
        shutil.copyfile(src, dst)


def copy_published(published: Path, work: Path, wait: float) -> None:
    """The work file starts as a consistent copy of the published one (absent: a new file).

    The read-only connection held during the copy excludes any read-write connection to the
    published file (DuckDB's shared lock), so the bytes copied are one committed state. A
    published file in a storage format newer than the one analysts' clients read is converted
    on the copy (`warehouse.db.convert_and_say`, one line naming the published file): the
    publish then replaces it whole.
    """
    if _wal(published).exists():
        # A WAL beside the published file: an in-place writer (older Marsad, or an analyst's
        # read-write connection) died before checkpointing. Fold it in once, in place.
        connect(published, migrate_schema=False, wait=wait).close()
    if not published.exists():
        return
    probe = connect(published, read_only=True, migrate_schema=False, wait=wait)
    try:
        version = storage_version(probe)
        copy_file(published, work)
    finally:
        probe.close()
    if not is_compatible(version):
        convert_and_say(work, version, shown_as=published)


class WriterSession:
    """One writer's private copy of the warehouse; see the module docstring."""

    def __init__(self, published: Path, lock: RunLock, wait: float) -> None:
        self.published = published
        self.work = work_path(published)
        self.lock = lock
        self.wait = wait
        self.interrupted: list[Holder] = []  # runs found dead with the lock, marked interrupted
        self.published_count = 0

    def begin(self) -> WriterSession:
        """Start (or restart) the work file from the published one."""
        _remove(self.work)  # a killed writer's leftovers, or this session's discarded work
        try:
            copy_published(self.published, self.work, self.wait)
        except OSError as exc:  # a full disk, a read-only folder: one clear line, not a traceback
            raise WarehouseError(f"cannot copy {self.published} to its work file {self.work}: {exc}",
                                 hint="a writer needs room for a second copy of the warehouse beside it") from exc
        con = connect(self.work)  # creates a new warehouse, or migrates the copy
        try:
            self.interrupted = runs.record_interrupted(con, self.lock.dead)
        finally:
            con.close()
        return self

    def interrupted_notes(self) -> list[RunNote]:
        """One run note per run found dead with the lock (killed) and now marked interrupted."""
        return [RunNote("warning", "run", h.run_id or "", f"run {h.run_id} (PID {h.pid}, started "
                        f"{h.started_at.replace('T', ' ')}) ended without finishing; marked interrupted")
                for h in self.interrupted]

    def publish(self) -> None:
        """Make the work file the published one, atomically; the session may begin again."""
        if _wal(self.work).exists():
            connect(self.work, migrate_schema=False).close()  # fold the WAL: one self-contained file
        try:
            _fsync(self.work)
            os.replace(self.work, self.published)
        except OSError as exc:
            raise WarehouseError(f"cannot publish {self.work} as {self.published}: {exc}") from exc
        with contextlib.suppress(OSError):  # the rename itself is durable once the folder is synced
            _fsync(self.published.parent)
        self.lock.forget_dead()
        self.published_count += 1

    def rollback(self) -> None:
        """Drop this session's unpublished work and start again from the published file."""
        self.begin()

    def discard(self) -> None:
        """Drop the unpublished work file (nothing of it reaches the published file)."""
        _remove(self.work)


@contextmanager
def writer_session(db_path: str | os.PathLike[str], command: str, *, wait: float = 0.0,
                   on_wait: Callable[[Holder | None, float], None] | None = None) -> Iterator[WriterSession]:
    """`with writer_session(db, "marsad digest", wait=…) as s: … s.publish()` — the run lock for
    the block, a work copy to write; whatever is not published when the block ends is discarded."""
    published = Path(db_path)
    with run_lock(published, command, wait=wait, on_wait=on_wait) as lock:
        session = WriterSession(published, lock, wait)
        try:
            yield session.begin()
        finally:
            session.discard()


__all__ = ["WriterSession", "copy_file", "copy_published", "work_path", "writer_session"]
