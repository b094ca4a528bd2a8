"""Seed articles: the `seeds/*.txt` files that every run ingests, offline or not.

A seed is a UTF-8 text file: first non-empty line = title, the whole file = text. It is read
here (strictly: see below) and extracted by `extract.extract_article` as text/plain, like any
other page. Its id comes from its file name (`article_id_for("seeds/" + name)`), so the same
file keeps the same id on every run and a re-run neither duplicates nor drops it. A file that cannot be a seed
(empty, binary, not UTF-8) is skipped with a RunNote that says which file and why; the
others still load — one bad file never stops the run.

Why strict UTF-8 instead of guessing: a latin-1 or windows-1256 file decoded by a guess may
come out as plausible-looking garbage that then gets tagged and mailed to analysts. Refusing
it with a clear "save it as UTF-8" note is cheaper than explaining a wrong digest.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from extractors.article.dedup import article_id_for
from extractors.article.extract import extract_article
from extractors.core.errors import ExtractError, SeedError
from extractors.core.records import Article, RunNote

SEED_GLOB = "*.txt"
SEED_SCHEME = "seed://"
MAX_SEED_BYTES = 5 * 1024 * 1024  # a seed is one article; anything bigger is a mistake
# Share of control characters (other than tab/newline/CR/form feed) above which a UTF-8
# decodable file is still binary rather than text.
MAX_CONTROL_SHARE = 0.01


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls / max(len(text), 1)


def seed_text(path: Path) -> str:
    """The text of one seed file; raises SeedError saying why the file is not a usable seed."""
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise SeedError(f"cannot read: {exc.strerror or exc}") from exc
    if not body.strip():
        raise SeedError("empty file: nothing to ingest")
    if len(body) > MAX_SEED_BYTES:
        raise SeedError(f"file is {len(body) // 1024} KB; a seed is one article (max {MAX_SEED_BYTES // 2**20} MB)")
    if b"\x00" in body[:8192]:
        raise SeedError("binary file (NUL bytes): seeds must be UTF-8 text")
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8):]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # No charset guess in the message: on a short file a guess is as likely wrong as right.
        raise SeedError(
            f"not UTF-8 (invalid byte 0x{body[exc.start]:02x} at offset {exc.start})",
            hint="re-save the file as UTF-8; latin-1 or windows-1256 seeds are not read",
        ) from exc
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise SeedError("binary file (control characters): seeds must be UTF-8 text")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise SeedError("empty file: only whitespace")
    return text


def read_seed(path: Path) -> Article:
    """One seed file → one Article (source "seeds", url and canonical_url "seed://<name>").

    The text goes through `extract_article` as text/plain, the one extraction path (title =
    first non-empty line, stated date, language, content hash); only the id is the seed's own.
    """
    return extract_article(seed_text(path), SEED_SCHEME + path.name, "text/plain", source="seeds",
                           article_id=article_id_for("seeds/" + path.name))


def read_seeds(seeds_dir: Path) -> tuple[list[Article], list[RunNote]]:
    """Every `*.txt` seed in `seeds_dir`, sorted by file name, plus a note per skipped file.

    A missing folder is a warning, not a failure: the run can still cover the web sources.
    """
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.is_dir():
        return [], [RunNote(level="warning", stage="seeds", item=str(seeds_dir),
                            message=f"seeds folder not found: {seeds_dir}; no seed articles this run")]
    articles: list[Article] = []
    notes: list[RunNote] = []
    for path in sorted(p for p in seeds_dir.glob(SEED_GLOB) if not p.name.startswith(".")):
        if not path.is_file():
            continue
        try:
            articles.append(read_seed(path))
        except (SeedError, ExtractError) as exc:
            notes.append(RunNote(level="warning", stage="seeds", item=path.name,
                                 message=f"skipped seed {path.name}: {exc.one_line()}"))
    return articles, notes
