"""decode_body: header → meta/XML declaration → detection, with valid UTF-8 beating a stale label."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import pytest

from extractors.article.charset import codec_name, declared_charset, decode_body, header_charset

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HTML = SHARED / "fixtures" / "html"


def fixture_bytes(name: str) -> bytes:
    path = HTML / name
    if not path.exists():
        pytest.skip(f"shared fixture missing: {path} (../shared beside the repo holds the real pages)")
    return path.read_bytes()


def body_of(text: str) -> str:
    """The <body> part: the Arabic snippets differ only in their <title> (the charset's name)."""
    return text[text.index("<body"):]


def test_undeclared_arabic_legacy_pages_decode_to_identical_text():
    w1256, name_a = decode_body(fixture_bytes("ar_snippet_windows-1256_undeclared.html"))
    iso, name_b = decode_body(fixture_bytes("ar_snippet_iso-8859-6_undeclared.html"))
    assert name_a == "cp1256" and name_b == "iso8859-6"
    assert body_of(w1256) == body_of(iso)
    assert "كتائب الشهيد عز الدين القسام" in w1256
    assert "\ufffd" not in w1256 + iso


def test_valid_utf8_beats_a_stale_meta_charset():
    raw = fixture_bytes("zh_qq_meta-gb2312-but-utf8.html")
    assert declared_charset(raw) == "gb18030"  # the page does claim GB2312
    text, name = decode_body(raw)
    assert name == "utf-8"
    assert text == raw.decode("utf-8")
    text_ko, name_ko = decode_body(fixture_bytes("ko_daejonilbo_meta-euc-kr-but-utf8.html"))
    assert name_ko == "utf-8" and "대전일보" in text_ko


@pytest.mark.parametrize(
    ("name", "codec", "expected"),
    [
        ("pl_rp-pl_windows-1250.html", "cp1250", "Unijne fundusze coraz bliżej"),
        ("de_die-tagespost_iso-8859-1.html", "cp1252", "Demut"),
    ],
)
def test_declared_legacy_charset_is_used_when_bytes_are_not_utf8(name, codec, expected):
    text, used = decode_body(fixture_bytes(name))
    assert used == codec
    assert expected in text and "\ufffd" not in text


def test_manifest_encodings_never_produce_replacement_characters():
    manifest = SHARED / "fixtures" / "MANIFEST.tsv"
    if not manifest.exists():
        pytest.skip(f"{manifest} missing: ../shared is not beside the repo")
    with manifest.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["path"].startswith("html/")]
    assert len(rows) >= 10
    for row in rows:
        text, _ = decode_body((SHARED / "fixtures" / row["path"]).read_bytes())
        assert "\ufffd" not in text, row["path"]


def test_http_header_charset_wins_over_detection_but_not_over_valid_utf8():
    arabic = "تقرير عن الرقائق الإلكترونية وقيود التصدير الأمريكية على الصين"
    legacy = f"<html><body><p>{arabic}</p></body></html>".encode("cp1256")
    text, used = decode_body(legacy, "text/html; charset=windows-1256")
    assert used == "cp1256" and arabic in text
    utf8 = f"<p>{arabic}</p>".encode()
    text, used = decode_body(utf8, "text/html; charset=ISO-8859-1")  # a server's wrong default
    assert used == "utf-8" and arabic in text


def test_bom_wrong_declaration_and_empty_body():
    assert decode_body(b"\xef\xbb\xbfhello", "text/html; charset=latin-1") == ("hello", "utf-8")
    assert decode_body(codecs.BOM_UTF16_LE + "نص".encode("utf-16-le")) == ("نص", "utf-16-le")
    assert decode_body(b"") == ("", "utf-8")
    # A declaration the bytes cannot satisfy falls through to the next clue.
    text, used = decode_body("<meta charset=ascii><p>café</p>".encode("cp1252"), "text/html; charset=utf-8")
    assert used == "cp1252" and "café" in text


def test_label_mapping_follows_browsers():
    assert codec_name("ISO-8859-1") == "cp1252"
    assert codec_name("gb2312") == "gb18030"
    assert codec_name("no-such-charset") is None
    assert header_charset('text/html; charset="UTF-8"') == "utf-8"
    assert header_charset("text/html") is None
    assert declared_charset(b'<?xml version="1.0" encoding="windows-1256"?><rss/>') == "cp1256"
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=utf-16">') == "utf-8"


def test_short_undeclared_arabic_code_pages_read_as_arabic():
    """A one-item feed or short page in an Arabic code page is too short for statistics."""
    text = "أعلنت ديب سيك عن نموذج جديد وتراجعت أسهم إنفيديا."
    for codec in ("cp1256", "iso8859_6"):
        decoded, used = decode_body(text.encode(codec))
        assert decoded == text, codec
        assert used in ("cp1256", "iso8859-6")
