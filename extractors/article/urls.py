"""URL normalisation and canonical URLs: one story, one key, however it was linked.

The same article reaches Marsad as `…?utm_source=twitter`, through a Google Alerts redirect
(`google.com/url?…&url=<article>`), with a `#comments` fragment, as an AMP page, or with its
Arabic path percent-encoded in lower or upper case. Dedup and `article_id` need one stable
string for all of them, so `normalize_url` is deterministic (same input → same output) and
idempotent (normalising twice changes nothing).

We use our own explicit list of tracking parameters instead of courlan's `TRACKERS_RE`:
courlan's pattern also drops legitimate parameters such as `gallery=`, `id`-like `cid=` or
`source=` on some news CMSs, which would merge different articles. courlan is still used for
what it does well: turning punycode hosts into a single form.
"""

from __future__ import annotations

import posixpath
import re
from html import unescape as html_unescape
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from courlan.clean import decode_punycode

from extractors.article.charset import decode_body

# Query parameters that only say where a click came from. Exact names, lower case.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
        "ocid", "cmpid", "ncid", "sr_share", "share", "ref_src", "ref_url", "spm", "smid",
        "xtor", "at_medium", "at_campaign", "at_source", "rss", "s_cid", "cmp", "__twitter_impression",
    }
)
# Parameter-name prefixes with the same purpose (utm_source, utm_medium, pk_campaign, …).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "itm_", "vero_", "oly_")
# Google's click-through wrappers: google.<tld>/url?q=<target> or ?url=<target>.
_GOOGLE_HOST = re.compile(r"^(www\.)?google\.[a-z.]{2,6}$")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left as they are in a path (RFC 3986 sub-delims, ':' and '@', and '%' escapes).
_PATH_SAFE = "/:@!$&'()*+,;=%-._~"
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Second-level labels under which a country TLD hands out names (bbc.co.uk, ahram.org.eg).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "edu", "ac", "news", "info", "gob"})


def _fix_escapes(part: str) -> str:
    """Decode escapes of unreserved characters, upper-case the others, escape raw non-ASCII."""

    def one(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return quote(_PERCENT.sub(one, part), safe=_PATH_SAFE)


def _clean_path(path: str) -> str:
    if not path:
        return "/"
    trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
    resolved = posixpath.normpath(path)
    resolved = "/" + resolved.lstrip("/")  # normpath keeps '//' at the start; URLs do not need it
    if trailing and not resolved.endswith("/"):
        resolved += "/"
    return _fix_escapes(resolved)


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def _unwrap_google(parts) -> str | None:
    host = (parts.hostname or "").lower()
    if not (_GOOGLE_HOST.match(host) and parts.path == "/url"):
        return None
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    target = params.get("url") or params.get("q")
    return target if target and target.lower().startswith(("http://", "https://")) else None


def _host(parts) -> str:
    host = (parts.hostname or "").rstrip(".")
    try:
        host = decode_punycode(host)
        host = host.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        pass  # keep the lower-cased host as it is rather than failing the URL
    host = host.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    if port and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    if parts.username:
        cred = parts.username + (f":{parts.password}" if parts.password else "")
        host = f"{cred}@{host}"
    return host


def normalize_url(url: str, base: str | None = None) -> str:
    """One stable form of a URL: absolute, lower-case host, no fragment, no tracking params.

    Why: dedup, `article_id` and "skip URLs already stored" all compare URLs as strings.
    Raises ValueError for a relative URL without a base.
    """
    url = url.strip()
    if url.startswith("<![CDATA[") and url.endswith("]]>"):
        url = url[9:-3].strip()
    if base:
        url = urljoin(base, url)
    for _ in range(3):  # a wrapper inside a wrapper happens; deeper nesting does not
        parts = urlsplit(url)
        target = _unwrap_google(parts)
        if target is None:
            break
        url = target
    scheme = parts.scheme.lower()
    if not scheme or (scheme in _DEFAULT_PORTS and not parts.netloc):
        raise ValueError(f"not an absolute URL: {url!r} (give a base URL)")
    if scheme not in _DEFAULT_PORTS:
        return urlunsplit((scheme, parts.netloc.lower(), parts.path, parts.query, ""))
    try:
        host = _host(parts)
    except ValueError as exc:  # e.g. a non-numeric port
        raise ValueError(f"bad host in URL {url!r}: {exc}") from exc
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    query.sort()
    encoded = urlencode(query, quote_via=quote, safe="/:@!$'()*,;")
    return urlunsplit((scheme, host, _clean_path(parts.path), encoded, ""))


def site_key(url: str) -> str:
    """The registrable part of a URL's host (`www.bbc.co.uk` → `bbc.co.uk`), approximately.

    Good enough to ask "is this canonical link on the same site?"; not a public-suffix list.
    """
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _same_site(candidate: str, page: str) -> bool:
    page_host = (urlsplit(page).hostname or "").lower()
    if urlsplit(page).scheme not in _DEFAULT_PORTS:
        return True  # a local file or seed: the page's own canonical is the best we know
    if page_host.endswith(".cdn.ampproject.org"):  # Google AMP cache serves other sites' pages
        return True
    return site_key(candidate) == site_key(page)


def _amp_to_canonical(url: str) -> str:
    """Drop the usual AMP markers: `/amp` path suffix, `amp=1`/`outputType=amp`, `amp.` host."""
    parts = urlsplit(url)
    path = re.sub(r"/amp/?$", "/", parts.path)
    path = re.sub(r"\.amp(?=\.html?$)|\.amp$", "", path)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not (k.lower() == "amp" or (k.lower() == "outputtype" and v.lower() == "amp"))
    ]
    netloc = parts.netloc[4:] if parts.netloc.startswith("amp.") else parts.netloc
    return urlunsplit((parts.scheme, netloc, path, urlencode(query), ""))


_TAG = re.compile(r"<(link|meta)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.I)
HEAD_SCAN_CHARS = 256 * 1024  # canonical links live in <head>; never scan a 30 MB body


def _tags_from_text(text: str):
    """(tag, attributes) of every <link>/<meta> in the head, without building a DOM.

    A regex scan costs well under a millisecond; parsing the page again only to read two
    attributes would cost more than the rest of URL handling together.
    """
    end = _HEAD_END.search(text, 0, HEAD_SCAN_CHARS)
    head = text[: end.start() if end else HEAD_SCAN_CHARS]
    for match in _TAG.finditer(head):
        attrs = {
            m.group(1).lower(): html_unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(match.group(2))
        }
        yield match.group(1).lower(), attrs


def _tags_from_tree(tree):
    for el in tree.iter("link", "meta"):
        yield el.tag, {k.lower(): v for k, v in el.attrib.items()}


def _candidates(html_or_tree) -> list[str]:
    if html_or_tree is None:
        return []
    if isinstance(html_or_tree, bytes):
        html_or_tree = decode_body(html_or_tree)[0]
    tags = _tags_from_text(html_or_tree) if isinstance(html_or_tree, str) else _tags_from_tree(html_or_tree)
    canonical: list[str] = []
    og: list[str] = []
    for tag, attrs in tags:
        if tag == "link" and "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href"):
            canonical.append(attrs["href"])
        elif tag == "meta" and (attrs.get("property") or attrs.get("name") or "").lower() == "og:url" \
                and attrs.get("content"):
            og.append(attrs["content"])
    return canonical + og


def canonical_url(html_or_tree, url: str) -> str:
    """The URL the publisher says is the page's real address, else the normalised `url`.

    `rel=canonical` first, then `og:url`; a candidate is taken only when it is http(s), on the
    same site (CMSs sometimes point every page at another domain) and not the bare home page
    of an article (a common template bug). An AMP page without one loses its AMP marker.
    """
    try:
        page = normalize_url(url)
    except ValueError:
        page = url
    page_path = urlsplit(page).path
    for raw in _candidates(html_or_tree):
        try:
            cand = normalize_url(raw, base=page if urlsplit(page).scheme in _DEFAULT_PORTS else None)
        except ValueError:
            continue
        if urlsplit(cand).scheme not in _DEFAULT_PORTS or not _same_site(cand, page):
            continue
        if urlsplit(cand).path == "/" and page_path not in ("", "/") and urlsplit(page).scheme in _DEFAULT_PORTS:
            continue  # canonical → home page on an article: template bug, ignore it
        return cand
    if urlsplit(page).scheme in _DEFAULT_PORTS:
        return normalize_url(_amp_to_canonical(page))
    return page
