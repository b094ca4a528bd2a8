"""Outlets and stories on a warehouse filled by a real run (seeds + one wire story in five
outlets, tests/real_world.py): names, home pages, "الجزيرة، العربية و3 أخرى", publication
times, seed files, one dashboard row per story, evidence that never repeats the headline."""

from __future__ import annotations

import re
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import duckdb
import pytest

from dashboards.delivery.email import build_digest_emails
from dashboards.delivery.recipients import Recipient
from dashboards.shown import evidence_of, highlighter
from dashboards.site import build_dashboard
from extractors.tagging.highlight import mark
from tests.real_world import ROOT, real_world, serve_wire
from tests.webserver import WebServer

MARSAD = Path(sys.executable).with_name("marsad")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    srv = WebServer().start()
    serve_wire(srv)
    try:
        yield real_world(tmp_path_factory.mktemp("world"), srv)
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def con(world):
    c = duckdb.connect(str(world.db), read_only=True)
    yield c
    c.close()


def test_outlet_names_fall_back_from_config_to_site_name_to_host(con):
    rows = {s: (n, en, url) for s, n, en, url in con.execute(
        "select source, outlet_name, outlet_name_en, outlet_url from v_article_outlets where source <> 'seeds'").fetchall()}
    assert rows["aljazeera"] == ("الجزيرة", "Al Jazeera", "https://www.aljazeera.net/")   # display_name table + home_url
    assert rows["skynews"][:2] == ("Sky News Arabia", "Sky News Arabia")                 # a plain display_name
    assert rows["alhurra"][:2] == ("الحرة", "الحرة")                                     # og:site_name, extracted
    assert rows["asharq"][0] == "127.0.0.1"                                              # the host
    assert re.match(r"^http://127\.0\.0\.1:\d+/$", rows["asharq"][2])                    # scheme + host
    seeds = con.execute("select seed_file, outlet_url from v_article_outlets where source = 'seeds' order by 1").fetchall()
    assert [f for f, _ in seeds] == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert {u for _, u in seeds} == {None}  # seeds have no home page: no dead link


def test_every_new_view_and_column_is_documented(con):
    missing = con.execute(
        "select table_name, column_name from duckdb_columns() where table_name in "
        "('v_article_outlets', 'v_digest_shown', 'source_health') and comment is null").fetchall()
    assert missing == []
    assert con.execute("select comment from duckdb_columns() where table_name = 'digest_items' "
                       "and column_name = 'outlet_list'").fetchone()[0]


def test_the_wire_story_is_one_digest_item_naming_its_five_outlets(con):
    rows = con.execute("select topic, outlets, [o.name for o in outlet_list], [o.url for o in outlet_list] "
                       "from digest_items where outlets > 1").fetchall()
    assert rows, "the five copies should cluster into one story"
    for _, outlets, names, urls in rows:
        assert outlets == 5 and names[:2] == ["الجزيرة", "العربية"] and len(names) == 5  # earliest first
        assert urls[:2] == ["https://www.aljazeera.net/", "https://www.alarabiya.net/"]


def _emails(world, lang):
    r = Recipient(name="A", email=f"{lang}@example.com", topics=tuple(world.config.recipients[0].topics), lang=lang,
                  timezone="Asia/Riyadh")
    con = duckdb.connect(str(world.db), read_only=True)
    try:
        (_, msg), = build_digest_emails(con, world.config.settings, world.day, recipients=[r])
    finally:
        con.close()
    msg = message_from_bytes(bytes(msg), policy=policy.default)
    return msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()


def test_the_email_names_and_links_the_outlets_and_says_when(world):
    text, html = _emails(world, "ar")
    assert "الجزيرة، العربية و3 أخرى · 5 منافذ" in text
    assert re.search(r'<a href="https://www.aljazeera.net/"[^>]*><span dir="rtl">الجزيرة</span></a>', html)
    assert "نُشر 2026-11-26" in text                           # the wire copy's own date
    assert "نُشر 2025-02-02 · رُصد" in text                     # a February seed says when it was published
    assert "تاريخ النشر غير معروف · رُصد" in text               # a seed without a date says so
    assert "ملف بذرة 004_f21fde1e7ed0869b.txt" in text
    assert "seed://" not in html                               # the file name, never a dead link
    text_en, _ = _emails(world, "en")
    assert "Al Jazeera, Al Arabiya and 3 others · 5 outlets" in text_en
    assert "published 2025-02-02 · first seen" in text_en


def test_the_dashboard_has_one_row_per_story_with_its_topics_as_chips(world, con, tmp_path):
    page = build_dashboard(con, tmp_path, today=world.day, settings=world.config.settings).read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-topics="([^"]+)" data-outlets="([^"]+)"', page)
    tags = con.execute("select count(*), count(distinct article_id) from article_topics").fetchone()
    stories = con.execute("select count(distinct coalesce(story_id, article_id)) from digest_items").fetchone()[0]
    assert len(rows) == stories == 6 and tags[0] > len(rows)  # 5 seeds + 1 wire story, not one row per tag
    wire = [r for r in rows if r[1].count("|") == 4]
    assert len(wire) == 1 and set(wire[0][1].split("|")) == {"aljazeera", "alarabiya", "skynews", "alhurra", "asharq"}
    assert page.count('class="chip"') == sum(len(t.split("|")) for t, _ in rows)


def test_evidence_never_repeats_the_headline_and_leads_with_a_marked_sentence(world, con):
    tagger = highlighter(Path(world.env["MARSAD_CONFIG"]))
    for topic, title, evidence in con.execute("select topic, title, evidence from v_digest_shown").fetchall():
        shown = evidence_of(topic, evidence, title, tagger)
        assert shown and all(e.text != title for e in shown)
        assert any(hit for _, hit in shown[0].pieces), (topic, shown[0].text)
    # a row from an older tagger (or filled by hand) that quotes the headline: dropped on display
    title = "ديب سيك تهز أسواق الرقائق"
    shown = evidence_of("export_controls", f"{title}\nفرضت واشنطن قيوداً على تصدير الرقائق إلى الصين.", title, tagger)
    assert [e.text for e in shown] == ["فرضت واشنطن قيوداً على تصدير الرقائق إلى الصين."]


def test_marks_are_spans_of_the_original_text_never_markup(world):
    tagger = highlighter(Path(world.env["MARSAD_CONFIG"]))
    hostile = "<script>alert(1)</script> فرضت واشنطن قيوداً على تصدير الرقائق إلى الصين."
    m = mark(tagger, "export_controls", hostile)
    assert "".join(t for t, _ in m.pieces()) == hostile      # pieces rejoin to the input: no markup added
    marked = [t for t, hit in m.pieces() if hit]
    assert "قيوداً" in marked and "الرقائق" in marked and all("<" not in t for t in marked)


def test_dashboard_lang_option(world, tmp_path):
    env = {**world.env, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([str(MARSAD), "dashboard", "--lang", "en", "--out", str(tmp_path / "en")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html dir="ltr" lang="en">' in page and "Marsad — monitoring dashboard" in page
    bad = subprocess.run([str(MARSAD), "dashboard", "--lang", "fr", "--out", str(tmp_path / "fr")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--lang" in bad.stderr and "Traceback" not in bad.stderr
