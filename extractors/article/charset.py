"""Turn the bytes of a fetched page or file into text, picking the charset the way browsers do.

Arabic news sites still serve windows-1256 and ISO-8859-6 pages, often with no charset
anywhere, while many pages re-saved as UTF-8 keep a stale `<meta charset=gb2312>` (or an HTTP
header that says ISO-8859-1 because that is the server's default). The order is therefore:

1. a byte-order mark (it cannot lie);
2. the HTTP `Content-Type` charset, then `<meta charset>` / `http-equiv` / the XML declaration;
   BUT when the body is valid UTF-8 and holds non-ASCII bytes, UTF-8 wins over any other
   declaration: legacy-encoded text is almost never valid UTF-8 by accident, while a stale
   declaration on a re-saved page is common (the "meta says gb2312 but bytes are UTF-8" case);
3. no usable declaration: valid UTF-8, else detection with `charset-normalizer`;
4. last resort: UTF-8 with replacement characters, so one odd page never stops a batch.

Labels are mapped the way the WHATWG Encoding standard does (latin-1 → windows-1252,
gb2312 → gb18030, …) because that is what the page's author saw in a browser.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# How far into the document a <meta charset> or XML declaration may sit (HTML5 says 1024 bytes;
# real pages put long <script> blocks first, so look a little further).
SNIFF_BYTES = 4096
# Detection looks at a bounded sample so that a 30 MB page costs the same as a 30 KB one.
DETECT_BYTES = 64 * 1024
# Undeclared bytes whose non-ASCII characters are at least this share Arabic letters in an Arabic
# code page are taken as that code page (Portuguese latin-1 in cp1256 is about half Arabic).
ARABIC_SHARE = 0.9

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.I)

# WHATWG label remapping: what browsers actually decode when a page declares these labels.
_WHATWG = {
    "iso-8859-1": "windows-1252",
    "latin-1": "windows-1252",
    "latin1": "windows-1252",
    "l1": "windows-1252",
    "ascii": "windows-1252",
    "us-ascii": "windows-1252",
    "iso-8859-9": "windows-1254",
    "iso-8859-11": "windows-874",
    "tis-620": "windows-874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "big5": "big5hkscs",
    "utf8": "utf-8",
    "unicode": "utf-16-le",
    "arabic": "iso-8859-6",
    "iso-8859-6-i": "iso-8859-6",
    "iso-8859-6-e": "iso-8859-6",
    "x-mac-arabic": "mac-arabic",
}
_UTF8_NAMES = {"utf-8", "utf_8", "utf8"}


def codec_name(label: str | None) -> str | None:
    """Python codec name for a charset label, with WHATWG remapping; None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WHATWG.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    """The `charset=` parameter of a Content-Type header, as a codec name (or None)."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return codec_name(match.group(1)) if match else None


def declared_charset(body: bytes) -> str | None:
    """The charset a document declares about itself (XML declaration or `<meta>`), or None."""
    head = body[:SNIFF_BYTES]
    match = _XML_DECL.match(head) or _META_CHARSET.search(head)
    name = codec_name(match.group(1).decode("ascii", "ignore")) if match else None
    # A document that could be read far enough to find this label is not UTF-16/32 (WHATWG).
    return "utf-8" if name and name.startswith(("utf-16", "utf-32")) else name


def _bom(body: bytes) -> tuple[str, int] | None:
    for mark, name in _BOMS:
        if body.startswith(mark):
            return name, len(mark)
    return None


def _utf8(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def detect_charset(body: bytes) -> str | None:
    """Best guess of charset-normalizer on a bounded sample (head and tail), or None."""
    sample = body if len(body) <= DETECT_BYTES else body[: DETECT_BYTES // 2] + body[-DETECT_BYTES // 2 :]
    best = from_bytes(sample).best()
    return codec_name(best.encoding) if best is not None else None


def _arabic_share(text: str) -> float:
    """Share of Arabic letters among the non-ASCII characters of `text`."""
    high = [c for c in text if ord(c) > 127]
    return sum("\u0600" <= c <= "\u06ff" for c in high) / len(high) if high else 0.0


def arabic_codepage(body: bytes, threshold: float = ARABIC_SHARE) -> tuple[str, str] | None:
    """Undeclared legacy Arabic (ISO-8859-6, then windows-1256), when the bytes read as Arabic.

    Statistical detection needs a few hundred bytes; a one-item feed or a short page in an
    Arabic code page is misread as Cyrillic or Baltic. Marsad reads Arabic media, so when one of
    the two Arabic code pages turns nearly all non-ASCII bytes into Arabic letters, that is the
    answer. ISO-8859-6 goes first: its strict decode fails on bytes it does not define, while
    windows-1256 defines almost every byte.
    """
    for codec in ("iso8859-6", "cp1256"):
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        if _arabic_share(text) >= threshold:
            return text, codec
    return None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode `body` and say which charset was used: `(text, codec_name)`.

    Why a function of our own: trafilatura ignores declarations (it tries UTF-8, then guesses),
    which mis-decodes short legacy Arabic pages; browsers trust declarations blindly, which
    mis-decodes re-saved pages. See the module docstring for the order.
    """
    if not body:
        return "", "utf-8"
    bom = _bom(body)
    if bom is not None:
        name, skip = bom
        return body[skip:].decode(name, "replace"), name

    as_utf8 = _utf8(body)
    for declared in (header_charset(content_type), declared_charset(body)):
        if declared is None:
            continue
        if as_utf8 is not None and (declared in _UTF8_NAMES or not body.isascii()):
            return as_utf8, "utf-8"  # valid UTF-8 beats a stale declaration
        try:
            return body.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            continue  # the declaration is wrong for these bytes: try the next clue

    if as_utf8 is not None:
        return as_utf8, "utf-8"
    arabic = arabic_codepage(body)
    if arabic is not None:
        return arabic
    guess = detect_charset(body)
    if guess is not None:
        try:
            return body.decode(guess), guess
        except (UnicodeDecodeError, LookupError):
            pass
    return body.decode("utf-8", "replace"), "utf-8"
