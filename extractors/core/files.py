"""Replace a file whole or not at all: write beside it, then rename over it.

Analysts open the outputs while the daily job rewrites them (the dashboard in a browser, the
outbox in a mail client, the Parquet export in a BI tool), so no reader may ever see half a
file. `os.replace` is atomic on one file system; the temporary file sits in the same folder
(hidden, `.name.tmp`) for that reason, and is removed when writing fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """`with replacing(path) as tmp:` — write `tmp` (by any means); on success it becomes `path`."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write bytes (or UTF-8 text) to `path` so that a reader sees the old file or the new one."""
    with replacing(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
