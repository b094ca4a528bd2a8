"""Atomic replacement of output files: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import pytest

from extractors.core.files import replacing, write_atomic


def test_write_atomic_replaces_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "index.html"
    write_atomic(path, "قديم")
    write_atomic(path, "جديد")
    assert path.read_text(encoding="utf-8") == "جديد"
    write_atomic(path, b"\x00bytes")
    assert path.read_bytes() == b"\x00bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "a.eml"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(path) as tmp:
        tmp.write_text("half a messa", encoding="utf-8")
        raise RuntimeError("disk full")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.eml"]
