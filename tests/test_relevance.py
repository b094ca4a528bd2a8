"""Relevance gates end to end on a loopback news site: feeds → fetch → extract → tag.

On-topic stories whose feed titles (and summaries) name no watchlist term must all be fetched,
kept and tagged; off-topic stories must still be dropped, each drop counted per source and
reason; an analyst's `urls` list and a `watchlist_filter = false` feed are never filtered.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extractors.tagging.relevance import Relevance
from extractors.tagging.tagger import load_tagger
from extractors.tagging.watchlist import load_watchlist
from flows.config import load_config
from flows.pipeline import run_daily
from tests.webserver import WebServer, article_html, marsad_fetch_toml, rss

pytestmark = pytest.mark.network
ROOT = Path(__file__).resolve().parents[1]

# (path, feed title, feed summary, article body): no watchlist term anywhere in title or summary
ON_TOPIC = [
    ("/pb", "وزارة الدفاع تمنع جنودها من استخدام تطبيقات المراسلة الأجنبية",
     "القرار جاء لأسباب تتعلق بأمن المعلومات",
     "منعت وزارة الدفاع جنودها من استخدام تطبيقات المراسلة الأجنبية على هواتف الخدمة لأسباب تتعلق بأمن "
     "المعلومات، وقالت إن البيانات الشخصية للعسكريين قد تصل إلى جهات خارجية."),
    ("/pr", "خفض أسعار واجهة البرمجة إلى النصف",
     "المطورون سيدفعون دولاراً واحداً لكل مليون رمز",
     "أعلنت الشركة خفض أسعار واجهة البرمجة لنموذجها اللغوي إلى النصف، وسيدفع المطورون دولاراً واحداً لكل "
     "مليون رمز بدلاً من دولارين، في أحدث جولة من حرب الأسعار بين مزودي النماذج."),
    ("/mi", "أسهم التكنولوجيا تفقد 500 مليار دولار من قيمتها",
     "موجة بيع في الأسواق",
     "فقدت أسهم شركات التكنولوجيا الأمريكية نحو 500 مليار دولار من قيمتها السوقية في جلسة واحدة، وتراجع "
     "مؤشر ناسداك 3 في المئة مع موجة بيع واسعة."),
    ("/ec", "واشنطن تشدد القيود على بيع المعالجات إلى بكين",
     "قواعد جديدة للتراخيص",
     "شددت الولايات المتحدة القيود على بيع المعالجات المتقدمة إلى الصين، وباتت الشركات تحتاج إلى ترخيص "
     "قبل شحن أي معالجات تستخدم في تدريب النماذج."),
]
# (path, title, summary, body): off topic; the first is dropped before fetching, the second
# has a feed entry with nothing to judge (no title, no summary) and is dropped after extraction
OFF_PREFILTER = ("/sports", "مباراة كرة القدم تنتهي بالتعادل", "نتيجة المباراة",
                 "انتهت مباراة كرة القدم بين الفريقين بالتعادل في الدوري المحلي أمس.")
OFF_EXTRACT = ("/weather", "تقرير: انخفاض ملحوظ بنسبة كبيرة", "",
               "توقعت الأرصاد الجوية انخفاض درجات الحرارة بشكل ملحوظ خلال عطلة نهاية الأسبوع مع هطول أمطار "
               "غزيرة على المناطق الساحلية، ودعت السائقين إلى توخي الحذر على الطرق السريعة.")
URLS_OFF = ("/pasted-recipe", "وصفة الكبسة", "", "طريقة تحضير الكبسة باللحم والأرز والبهارات في المنزل خطوة بخطوة.")
UNFILTERED_OFF = ("/open-feed-story", "افتتاح معرض الكتاب", "زوار كثر",
                  "افتتح معرض الكتاب أبوابه أمس بمشاركة مئات دور النشر من مختلف الدول العربية.")


@pytest.fixture(scope="module")
def site():
    srv = WebServer().start()
    for path, title, _, body in [*ON_TOPIC, OFF_PREFILTER, OFF_EXTRACT, URLS_OFF, UNFILTERED_OFF]:
        srv.static(path, article_html(title, body))
    base = srv.base()
    items = [(p, t, s) for p, t, s, _ in [*ON_TOPIC, OFF_PREFILTER]] + [(OFF_EXTRACT[0], "", "")]
    srv.static("/news.xml", rss(items, base=base), "application/rss+xml")
    srv.static("/open.xml", rss([(UNFILTERED_OFF[0], UNFILTERED_OFF[1], UNFILTERED_OFF[2])], base=base),
               "application/rss+xml")
    yield srv
    srv.stop()


def test_no_watchlist_term_in_the_feed_entries_of_the_on_topic_stories() -> None:
    watchlist = load_watchlist(ROOT / "config" / "watchlist.toml")
    for _, title, summary, body in ON_TOPIC:
        assert not watchlist.matches(f"{title} {summary}")
        assert not watchlist.matches(body)  # the old gates would have dropped every one of them


def test_gates_keep_every_on_topic_story_and_drop_the_off_topic(site, project_env, tmp_path) -> None:
    config = Path(project_env["MARSAD_CONFIG"])
    with (config / "marsad.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + marsad_fetch_toml())
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "news"\nkind = "rss"\nurl = "{site.url("/news.xml")}"\n\n'
        f'[[source]]\nname = "open"\nkind = "rss"\nurl = "{site.url("/open.xml")}"\nwatchlist_filter = false\n\n'
        f'[[source]]\nname = "pasted"\nkind = "urls"\nurls = ["{site.url(URLS_OFF[0])}"]\n',
        encoding="utf-8")
    config = load_config(env={**project_env, "MARSAD_SOURCES": str(sources)}, offline=False)
    settings = config.settings
    _, summary = run_daily(config)

    fetched = {r.path for r in site.requests}
    assert {p for p, *_ in ON_TOPIC} <= fetched               # the pre-filter let them through
    assert OFF_PREFILTER[0] not in fetched                      # … but not the football match
    assert summary.skipped["news"].get("not_in_watchlist") == 1
    assert summary.skipped["news"].get("off_topic") == 1        # the weather page, after extraction
    assert "open" not in summary.skipped or not summary.skipped["open"].get("off_topic")
    assert summary.counts["kept_by_tagger"] == len(ON_TOPIC)

    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        stored = dict(con.execute("select regexp_extract(url, ':[0-9]+(/.*)$', 1), article_id from articles "
                                  "where source <> 'seeds'").fetchall())
        tagged = {path: {t for (t,) in con.execute("select topic from article_topics where article_id = ?",
                                                   [aid]).fetchall()} for path, aid in stored.items()}
        runs = con.execute("select summary_json from runs").fetchall()
    finally:
        con.close()
    expected = {"/pb": "privacy_bans", "/pr": "pricing", "/mi": "market_impact", "/ec": "export_controls"}
    for path, topic in expected.items():
        assert topic in tagged[path], (path, tagged.get(path))   # kept and tagged: 0 on-topic drops
    assert OFF_EXTRACT[0] not in stored and OFF_PREFILTER[0] not in stored
    assert URLS_OFF[0] in stored and UNFILTERED_OFF[0] in stored  # never filtered
    assert runs and '"off_topic": 1' in runs[-1][0]               # the counts are kept with the run


def test_item_prefilter_leans_to_recall() -> None:
    gate = Relevance(load_watchlist(ROOT / "config" / "watchlist.toml"), load_tagger(ROOT / "config"))
    for _, title, summary, _ in ON_TOPIC:
        assert gate.item(f"{title} {summary}"), title
    assert not gate.item(f"{OFF_PREFILTER[1]} {OFF_PREFILTER[2]}")
    assert gate.item("")  # nothing to judge: fetch it, the article gate decides
    keep, why = gate.article(OFF_EXTRACT[1], OFF_EXTRACT[3])
    assert (keep, why) == (False, "off_topic")
    assert gate.article(None, "تراجعت أسهم إنفيديا 5%") == (True, "watchlist")
