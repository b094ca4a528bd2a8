"""extract_article and the `marsad extract` contracts, on the real pages in ../shared/fixtures."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.article.dedup import article_id_for, content_hash
from extractors.article.extract import extract_article
from extractors.article.urls import site_key
from extractors.core.errors import ExtractError
from extractors.web.settings import FetchSettings
from flows.commands import JSONL_KEYS, extract_jsonl, extract_one

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"


def manifest_rows() -> list[dict[str, str]]:
    path = FIXTURES / "MANIFEST.tsv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["path"].startswith("html/")]


ROWS = manifest_rows()
needs_shared = pytest.mark.skipif(not ROWS, reason=f"../shared fixtures not found at {FIXTURES}")


def page(name: str) -> bytes:
    path = FIXTURES / "html" / name
    if not path.exists():
        pytest.skip(f"{path} missing: ../shared is not beside the repo")
    return path.read_bytes()


def note_url(row: dict[str, str]) -> str | None:
    found = re.search(r"url=(\S+)", row["note"])
    return found.group(1) if found else None


@needs_shared
@pytest.mark.parametrize("row", ROWS, ids=[r["path"] for r in ROWS])
def test_real_pages_give_text_language_and_stated_date(row):
    url = note_url(row) or f"https://fixtures.example/{row['path']}"
    art = extract_article((FIXTURES / row["path"]).read_bytes(), url, "text/html")
    assert len(art.text) > 200 and "\ufffd" not in art.text
    assert art.title
    assert art.lang == row["language"].split("-")[0].lower()
    published = re.search(r"published (\d{4}-\d{2}-\d{2})", row["note"])
    if published:  # the manifest gives the local calendar day; published_at is UTC
        stated = datetime.fromisoformat(published.group(1)).date()
        assert art.published_at is not None and art.published_at.tzinfo is not None
        assert abs((art.published_at.date() - stated).days) <= 1
    assert site_key(art.canonical_url) == site_key(url)
    assert art.article_id == article_id_for(art.canonical_url)
    assert art.content_hash == content_hash(art.text)


def test_expected_and_excluded_strings_of_the_assabah_interview():
    art = extract_article(page("ar_assabah-tn_interview.html"), "http://www.assabah.com.tn/article/164913/x")
    for needed in ("منذ بدء", "كل المجالات", "وماذا عن حقيقة"):
        assert needed in art.text
    for boilerplate in ("كورونا يقتل", "غائم جزئيا", "إضافة تعليق جديد"):
        assert boilerplate not in art.text


def test_wrong_html_lang_attribute_does_not_fool_language_detection():
    raw = page("ar_beirutobserver_2020-11-09.html")
    assert b'lang="en-US"' in raw
    assert extract_article(raw, "https://www.beirutobserver.com/2020/11/2338761/").lang == "ar"


def test_persian_stays_persian_and_gb2312_meta_does_not_garble_chinese():
    assert extract_article(page("fa_khabaronline_2020-02-18.html"), "https://www.khabaronline.ir/news/1353889/").lang == "fa"
    zh = extract_article(page("zh_qq_meta-gb2312-but-utf8.html"), "https://tech.qq.com/a/1.htm")
    assert zh.lang == "zh" and "DeepMind" in zh.text and "人工智能" in zh.text


def test_undeclared_arabic_snippets_extract_to_the_same_text():
    a = extract_article(page("ar_snippet_windows-1256_undeclared.html"), "https://a.example/1")
    b = extract_article(page("ar_snippet_iso-8859-6_undeclared.html"), "https://a.example/1")
    assert a.text == b.text and a.lang == b.lang == "ar"
    assert "كتائب الشهيد عز الدين القسام" in a.text
    assert a.content_hash == b.content_hash and a.article_id == b.article_id


def test_canonical_link_of_a_real_page_sets_the_article_id():
    raw = page("ar_elbaladtv_2020-12-25.html")
    art = extract_article(raw, "https://elbaladtv.net/?p=1234&utm_source=facebook")
    assert art.canonical_url.startswith("https://elbaladtv.net/%D8%AA%D8%B1%D9%83%D9%89-")
    assert art.article_id == article_id_for(art.canonical_url)
    assert art.urls == [art.canonical_url, "https://elbaladtv.net/?p=1234&utm_source=facebook"]
    assert extract_article(raw, "https://elbaladtv.net/?p=1", article_id="fixed").article_id == "fixed"


TEXT = "الصين ترد على قيود الرقائق\n\nالقاهرة، 2 فبراير 2025 — قالت وزارة التجارة الصينية إن القيود الأمريكية الجديدة على تصدير الرقائق المتقدمة تضر بسلاسل الإمداد العالمية."


def test_plain_text_is_kept_as_is_with_title_and_stated_date():
    art = extract_article(TEXT.encode("utf-8"), "https://news.example/a?utm_source=x", "text/plain; charset=utf-8", source="paste")
    assert art.text == TEXT and art.title == "الصين ترد على قيود الرقائق"
    assert art.published_at == datetime(2025, 2, 2, tzinfo=UTC)
    assert art.lang == "ar" and art.source == "paste"
    assert art.canonical_url == "https://news.example/a"
    # str input takes the same path
    assert extract_article(TEXT, "https://news.example/a").content_hash == art.content_hash


def test_html_is_sniffed_without_a_content_type():
    body = ("<!DOCTYPE html><html><head><title>عنوان</title></head><body><article><h1>عنوان الخبر</h1>"
            + "".join(f"<p>{TEXT} فقرة رقم {i}.</p>" for i in range(6)) + "</article></body></html>")
    art = extract_article(body.encode("utf-8"), "https://news.example/b")
    assert "<p>" not in art.text and "فقرة رقم 5" in art.text
    assert art.title in {"عنوان", "عنوان الخبر"}


def test_content_hash_ignores_arabic_spelling_variants():
    assert content_hash("أعلنت إنفيديا") == content_hash("اعلنت انفيديا")
    assert content_hash("أعلنت إنفيديا") != content_hash("أعلنت جوجل")
    assert len(article_id_for("x")) == 16 and article_id_for("x") == article_id_for("x") != article_id_for("y")


@pytest.mark.parametrize(
    ("body", "ctype"),
    [(b"", None), (b"   \n", "text/plain"), (b"<html><body><nav><a href='/'>x</a></nav></body></html>", "text/html")],
)
def test_no_article_text_raises_extract_error(body, ctype):
    with pytest.raises(ExtractError, match="https://e.example/x"):
        extract_article(body, "https://e.example/x", ctype)


def test_extract_jsonl_one_line_out_per_job_in_order(tmp_path):
    good = tmp_path / "good.html"
    good.write_bytes(f"<html><body><article><p>{TEXT}</p><p>{TEXT}</p></article></body></html>".encode("cp1256"))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    jobs = [
        json.dumps({"id": "a", "html_path": str(good), "url": "https://news.example/c#x"}),
        "",
        json.dumps({"id": 7, "html_path": str(empty)}),
        json.dumps({"id": "gone", "html_path": str(tmp_path / "missing.html")}),
        "{not json",
        json.dumps({"id": "nopath"}),
        json.dumps({"id": "b", "html_path": str(good)}),
        json.dumps({"html_path": str(good)}),  # no id: an error line in its place
    ]
    out = io.StringIO()
    errors = extract_jsonl(iter(line + "\n" for line in jobs), out)
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [x["id"] for x in lines] == ["a", 7, "gone", None, "nopath", "b", None]
    assert errors == 5
    for item in lines:
        assert set(JSONL_KEYS) <= set(item)
    assert lines[0]["lang"] == "ar" and "قيود" in lines[0]["text"] and "error" not in lines[0]
    assert lines[0]["canonical_url"] == "https://news.example/c"
    assert lines[0]["published_at"] == "2025-02-02T00:00:00+00:00"  # stated in the text, no markup date
    assert lines[5]["canonical_url"] == good.resolve().as_uri()
    for bad in lines[1:5]:
        assert bad["text"] == "" and bad["error"]
    assert "missing.html" in lines[2]["error"]
    assert lines[6]["text"] == "" and lines[6]["error"] == 'line 8: missing "id"'


def test_module_entry_point_speaks_the_score_py_protocol(tmp_path):
    """`python -m flows.cli extract`: the fallback scripts/eval_extraction.py uses without the binary."""
    page_file = tmp_path / "p.html"
    page_file.write_text(f"<html><body><p>{TEXT}</p></body></html>", encoding="utf-8")
    jobs = json.dumps({"id": "p1", "html_path": str(page_file)}) + "\n"
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "extract"], input=jobs, capture_output=True,
                          text=True, cwd=ROOT, timeout=60, check=True)
    [line] = proc.stdout.splitlines()
    result = json.loads(line)
    assert result["id"] == "p1" and "الرقائق" in result["text"]


def test_extract_one_reads_a_file_and_explains_a_missing_one(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = extract_one(str(path), FetchSettings())
    assert set(result) == set(JSONL_KEYS) - {"id"}
    assert result["title"] == "الصين ترد على قيود الرقائق" and result["lang"] == "ar"
    assert result["published_at"] == "2025-02-02T00:00:00+00:00"
    with pytest.raises(ExtractError, match="cannot read"):
        extract_one(str(tmp_path / "nope.html"), FetchSettings())


def test_a_bare_html_fragment_is_still_read():
    fragment = f"<div><p>{TEXT}</p></div>"
    art = extract_article(fragment.encode("utf-8"), "https://news.example/frag", "text/html")
    assert "قيود" in art.text and "<p>" not in art.text and art.lang == "ar"


def test_site_name_segment_leaves_the_title_and_junk_authors_are_dropped():
    from extractors.article.extract import clean_author, clean_title

    assert clean_title("DeepSeek shakes markets | Reuters", "Reuters") == "DeepSeek shakes markets"
    assert clean_title("اليوم السابع - إنفيديا تخسر 600 مليار دولار", "اليوم السابع") == "إنفيديا تخسر 600 مليار دولار"
    assert clean_title("The real cost of AI - Pricing", "AI") == "The real cost of AI - Pricing"
    assert clean_title("No separator here", "Reuters") == "No separator here"
    assert clean_author("Sputnik https; Cdnarabic; I; Logo Png") is None  # a real page's "authors"
    assert clean_author("PAP; Rafał Guz") == "PAP; Rafał Guz"
    assert clean_author("https://example.com/author") is None


def test_korean_mobile_title_loses_its_site_prefix():
    art = extract_article(page("ko_daejonilbo_meta-euc-kr-but-utf8.html"), "http://m.daejonilbo.com/mnews.asp?pk_no=1412361")
    assert art.title == "코로나19 극복 성금 기탁 줄 잇는다" and art.site_name == "대전일보"


def test_xhtml_with_a_legacy_xml_declaration_is_not_decoded_twice():
    body = ('<?xml version="1.0" encoding="windows-1256"?><!DOCTYPE html>'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body><article>'
            f"<p>{TEXT}</p><p>{TEXT}</p></article></body></html>")
    art = extract_article(body.encode("cp1256"), "https://e.example/x", "application/xhtml+xml")
    assert "قالت وزارة التجارة الصينية" in art.text and art.lang == "ar"
