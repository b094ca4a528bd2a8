"""The digest email against what Gmail, Outlook and Yahoo render (caniemail.com), and in Chromium.

The rules below are the caniemail features the template relies on or avoids, by their
caniemail names, with the verdicts for Gmail, Outlook and Yahoo that decide each one (read
from the caniemail repository's `_features/*.md`, 2026 snapshot). The HTML of every email of a
real run (both chromes) and of the hostile test world must use only the allowed tags,
attributes and CSS properties, with allowed values. A Chromium screenshot of each chrome is
written under the test's temp dir, and the English chrome's meta line must read left to right
("seeds · 1 outlet") inside the RTL story block.
"""

from __future__ import annotations

import base64
import re
from email import message_from_bytes, policy
from html.parser import HTMLParser

import duckdb
import pytest

from dashboards.delivery.email import build_digest_emails
from dashboards.delivery.recipients import Recipient
from extractors.core.settings import load_settings
from tests.delivery_world import DIGEST_DAY, fill
from tests.real_world import real_world, serve_wire
from tests.webserver import WebServer

# Tags: caniemail feature → verdict. Everything else is refused.
ALLOWED_TAGS = {
    "table": "html-table: y in Gmail, Outlook (all), Yahoo", "tr": "html-table", "td": "html-table",
    "p": "html-p: y everywhere", "span": "html-span: y everywhere", "div": "html-div: y everywhere",
    "img": "html-img: y everywhere", "h1": "html-h1-h6: y everywhere", "h2": "html-h1-h6",
    "strong": "html-strong: y everywhere", "a": "links (no caniemail entry: universal)",
    "html": "document", "head": "document", "body": "document", "meta": "document", "title": "document",
}
REFUSED_TAGS = {
    "bdi": "html-bdi: n in Gmail (all), Outlook (Windows, Outlook.com, iOS, Android, macOS 16.80), Yahoo (all)",
    "style": "html-style: n in Gmail mobile webmail; inline styles only",
    "section": "html-semantics: n in Outlook Windows and Yahoo", "header": "html-semantics", "footer": "html-semantics",
    "ul": "html-lists: partial everywhere; not needed", "mark": "no caniemail entry: a styled <span> instead",
}
# Attributes: caniemail feature → verdict.
ALLOWED_ATTRS = {
    "dir": "html-dir: y Gmail, Yahoo; Outlook Windows 'buggy on <a>' (so never on <a>)",
    "lang": "html-lang: y Gmail, Outlook; Yahoo partial", "width": "html-width", "height": "html-height",
    "align": "html-align: y Gmail, Outlook, Yahoo", "cellpadding": "html-cellpadding", "cellspacing": "html-cellspacing",
    "border": "html-table", "style": "inline CSS (checked below)", "href": "links", "src": "html-img", "alt": "html-img",
    "charset": "meta", "name": "meta", "content": "meta",
}
# CSS properties: caniemail feature → verdict; values checked where the feature is partial.
ALLOWED_CSS = {
    "background-color": "css-background-color: y everywhere",
    "border": "css-border", "border-top": "css-border", "border-left": "css-border", "border-right": "css-border",
    "color": "universal", "font-family": "universal",
    "font-size": "css-font-size", "font-weight": "css-font-weight", "line-height": "css-line-height",
    "margin": "css-margin: partial — no negative values, no auto (Outlook Windows)",
    "padding": "css-padding", "text-align": "css-text-align: partial — no start/end (Outlook, Yahoo)",
    "text-decoration": "css-text-decoration", "width": "css-width", "max-width": "css-max-width",
}
REFUSED_CSS = {
    "display": "css-display-flex / css-display-grid: n in Outlook Windows; css-display partial",
    "padding-inline-start": "css-padding-inline-start-end: n in Gmail, Outlook, Yahoo",
    "margin-inline-start": "css-margin-inline-start-end: n in Gmail, Outlook, Yahoo",
    "border-inline-start": "css-border-inline-block-longhand: n in Gmail, Outlook, Yahoo",
    "border-radius": "css-border-radius: n in Outlook Windows",
    "height": "css-height: n in Yahoo", "white-space": "css-white-space: n in Outlook Windows",
}


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[tuple[str, dict]] = []
        self.ltr_texts: list[tuple[str, str | None]] = []  # (text, the nearest dir around it)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>: {REFUSED_TAGS.get(tag, 'not in the allowed list')}")
        for name in a:
            if name not in ALLOWED_ATTRS:
                self.problems.append(f"<{tag} {name}>: attribute not in the allowed list")
        if tag == "a" and "dir" in a:
            self.problems.append("<a dir>: html-dir is buggy on <a> in Outlook Windows")
        for decl in filter(None, (d.strip() for d in (a.get("style") or "").split(";"))):
            prop, _, value = (x.strip().lower() for x in decl.partition(":"))
            if prop not in ALLOWED_CSS:
                self.problems.append(f"{prop}: {REFUSED_CSS.get(prop, 'CSS property not in the allowed list')}")
            if prop == "text-align" and value not in ("left", "right", "center"):
                self.problems.append(f"text-align:{value}: css-text-align start/end unsupported")
            if prop == "margin" and ("auto" in value or "-" in value):
                self.problems.append(f"margin:{value}: css-margin auto/negative unsupported")
        if tag not in ("meta", "img"):
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "title":
            return  # <title> holds text only (and is not shown in the message)
        if re.search(r"\d{4}-\d{2}-\d{2}", data):
            around = next((a["dir"] for _, a in reversed(self.stack) if "dir" in a), None)
            self.ltr_texts.append((data.strip(), around))


def audit(html: str) -> Audit:
    a = Audit()
    a.feed(html)
    return a


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    srv = WebServer().start()
    serve_wire(srv)
    try:
        yield real_world(tmp_path_factory.mktemp("world"), srv)
    finally:
        srv.stop()


def emails(world, *langs):
    recipients = [Recipient(name=lang, email=f"{lang}@example.com", lang=lang, timezone="Asia/Riyadh") for lang in langs]
    con = duckdb.connect(str(world.db), read_only=True)
    try:
        built = build_digest_emails(con, world.config.settings, world.day, recipients=recipients)
    finally:
        con.close()
    return {r.lang: message_from_bytes(bytes(m), policy=policy.default) for r, m in built}


def test_the_rules_catch_what_real_clients_drop():
    """The audit can fail: the old template's constructs are each reported."""
    old = ('<div style="display:flex;border-radius:6px"><bdi>x</bdi><ul style="padding-inline-start:20px"></ul>'
           '<p style="text-align:start;margin:0 auto">y</p><a dir="rtl" href="#">z</a></div>')
    found = "\n".join(audit(old).problems)
    for rule in ("html-bdi", "css-display-flex", "css-border-radius", "css-padding-inline-start-end", "html-lists",
                 "css-text-align", "css-margin", "html-dir"):
        assert rule in found, rule


def test_real_run_emails_use_only_what_gmail_outlook_and_yahoo_render(world):
    for lang, msg in emails(world, "ar", "en").items():
        html = msg.get_body(("html",)).get_content()
        a = audit(html)
        assert a.problems == [], (lang, a.problems[:10])
        # every date (a Latin run) sits in an ltr span or cell, whatever the chrome's direction
        assert a.ltr_texts and all(d == "ltr" for _, d in a.ltr_texts), (lang, [t for t in a.ltr_texts if t[1] != "ltr"])


def test_hostile_world_emails_pass_the_same_rules(fresh_db):
    fill(fresh_db)
    settings = load_settings(None, env={"MARSAD_TIMEZONE": "Asia/Riyadh"})
    r = Recipient(name="x", email="x@example.com", lang="en", timezone="Asia/Riyadh")
    (_, msg), = build_digest_emails(fresh_db, settings, DIGEST_DAY, recipients=[r])
    assert audit(msg.get_body(("html",)).get_content()).problems == []


def _inline_images(msg) -> str:
    html = msg.get_body(("html",)).get_content()
    for part in msg.walk():
        cid = part.get("Content-ID")
        if cid and part.get_content_type() == "image/png":
            data = base64.b64encode(part.get_payload(decode=True)).decode()
            html = html.replace("cid:" + cid.strip("<>"), "data:image/png;base64," + data)
    return html


@pytest.mark.slow
def test_both_chromes_in_chromium_and_the_english_meta_line_reads_left_to_right(world, browser, tmp_path):
    for lang, msg in emails(world, "ar", "en").items():
        page = browser.new_page(viewport={"width": 760, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.set_content(_inline_images(msg))
        shot = tmp_path / f"email_{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 20_000 and errors == []
        # the meta line of a seed story: "seeds · 1 outlet" (en) must keep its order on screen
        cell = page.locator("td", has_text=re.compile("^seeds · ")).first
        order = cell.evaluate("""td => {
            const span = td.querySelector('span');
            const text = [...td.childNodes].find(n => n.nodeType === 3 && /\\S/.test(n.textContent));
            const r = document.createRange(); r.selectNodeContents(text);
            return [span.getBoundingClientRect().left, r.getBoundingClientRect().left, getComputedStyle(td).direction];
        }""")
        seeds_x, count_x, direction = order
        if lang == "en":
            assert direction == "ltr" and seeds_x < count_x, order   # "seeds · 1 outlet", not "outlet 1 · seeds"
            assert "seeds · 1 outlet" in cell.inner_text()
        else:
            assert direction == "rtl" and seeds_x > count_x, order   # "seeds · منفذ واحد" read right to left
        page.close()
