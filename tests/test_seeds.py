"""read_seeds: good seed files become articles; empty, binary and non-UTF-8 ones become notes."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.article.dedup import content_hash
from extractors.article.seeds import read_seeds

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture()
def seed_files() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    if len(files) < 5:
        pytest.skip(f"expected the five seed files in {SEEDS}")
    return files


def test_the_five_seeds_load_as_arabic_articles(seed_files):
    articles, notes = read_seeds(SEEDS)
    assert notes == []
    assert [a.url for a in articles] == [f"seed://{p.name}" for p in seed_files]
    for art, path in zip(articles, seed_files, strict=True):
        text = path.read_text("utf-8")
        assert art.source == "seeds"
        assert art.lang == "ar", path.name
        assert art.canonical_url == art.url and art.urls == [art.url]
        assert art.title == next(line.strip() for line in text.splitlines() if line.strip())
        assert art.text == text.strip()
        assert art.content_hash == content_hash(text.strip())
        assert art.article_id == hashlib.sha256(f"seeds/{path.name}".encode()).hexdigest()[:16]
    by_name = {a.url.removeprefix("seed://")[:3]: a for a in articles}
    assert by_name["004"].published_at == datetime(2025, 2, 2, tzinfo=UTC)


def test_ids_are_stable_across_runs_and_folders(seed_files, tmp_path):
    first, _ = read_seeds(SEEDS)
    copy = tmp_path / "elsewhere"
    shutil.copytree(SEEDS, copy)
    second, _ = read_seeds(copy)
    assert [a.article_id for a in first] == [a.article_id for a in second]
    assert len({a.article_id for a in first}) == len(first)


def test_broken_seed_folder_keeps_good_files_and_reports_bad_ones(seed_files, tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for good in seed_files[:2]:
        shutil.copy(good, folder / good.name)
    (folder / "010_empty.txt").write_bytes(b"")
    (folder / "011_blank.txt").write_bytes(b"  \n\t\n")
    (folder / "012_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "013_latin1.txt").write_bytes("Café crème: prix de la puce électronique".encode("latin-1"))
    (folder / "014_controls.txt").write_bytes(b"abc\x01\x02\x03\x04\x05\x06def" * 10)
    (folder / "README.md").write_text("not a seed", encoding="utf-8")

    articles, notes = read_seeds(folder)

    assert [a.url for a in articles] == [f"seed://{p.name}" for p in seed_files[:2]]
    assert all(a.lang == "ar" for a in articles)
    assert [n.item for n in notes] == ["010_empty.txt", "011_blank.txt", "012_binary.txt",
                                       "013_latin1.txt", "014_controls.txt"]
    assert all(n.level == "warning" and n.stage == "seeds" for n in notes)
    reasons = {n.item: n.message for n in notes}
    assert "empty" in reasons["010_empty.txt"] and "empty" in reasons["011_blank.txt"]
    assert "binary" in reasons["012_binary.txt"] and "binary" in reasons["014_controls.txt"]
    assert "not UTF-8" in reasons["013_latin1.txt"] and "0xe9" in reasons["013_latin1.txt"]
    assert "re-save" in reasons["013_latin1.txt"]


def test_utf8_bom_and_crlf_are_accepted(tmp_path):
    text = "عنوان الخبر\r\nفرضت الولايات المتحدة قيوداً جديدة على تصدير الرقائق إلى الصين في 3 مارس 2025.\r\n"
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    [art], notes = read_seeds(tmp_path)
    assert notes == []
    assert art.title == "عنوان الخبر" and "\r" not in art.text
    assert art.published_at == datetime(2025, 3, 3, tzinfo=UTC)


def test_missing_folder_is_a_note_not_a_crash(tmp_path):
    articles, notes = read_seeds(tmp_path / "nope")
    assert articles == []
    assert len(notes) == 1 and "not found" in notes[0].message


def test_seeds_go_through_extract_article_and_keep_their_names_exactly(tmp_path):
    """The seed path is the text/plain extraction path; only the id and the seed:// URL are the seed's.

    File names are case-sensitive: "Notes.txt" and "notes.txt" are two seeds with two URLs
    (article_urls is keyed by URL), so the seed URL is never normalised like a web URL.
    """
    from extractors.article.dedup import article_id_for
    from extractors.article.extract import extract_article

    text = "عنوان المذكرة\n\nقالت الشركة في 2 فبراير 2025 إن النموذج كلف أقل من ستة ملايين دولار."
    (tmp_path / "Notes.txt").write_text(text, encoding="utf-8")
    (tmp_path / "notes.txt").write_text(text + "\nنسخة ثانية.", encoding="utf-8")
    articles, notes = read_seeds(tmp_path)
    assert notes == []
    assert [(a.url, a.canonical_url, a.urls) for a in articles] == [
        ("seed://Notes.txt", "seed://Notes.txt", ["seed://Notes.txt"]),
        ("seed://notes.txt", "seed://notes.txt", ["seed://notes.txt"]),
    ]
    first = articles[0]
    same = extract_article(text, "seed://Notes.txt", "text/plain", source="seeds",
                           article_id=article_id_for("seeds/Notes.txt"))
    assert first == same
    assert first.published_at == datetime(2025, 2, 2, tzinfo=UTC) and first.title == "عنوان المذكرة"
