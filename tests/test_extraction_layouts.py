"""The layout fixtures (tests/data/extraction), page by page: what must and must not be in the
text, the headline never in it, the date line read, legacy charsets decoded, and the lines a
host repeats on every page removed only when its pages are extracted together.

P/R/F1 of the same pages is the quality gate in tests/test_extraction_quality.py.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import trafilatura

from extractors.article.boilerplate import strip_repeated
from extractors.article.cleanup import clean_text, line_key
from extractors.article.extract import PageJob, extract_article, extract_batch, plan_batches
from extractors.core.arabic import normalize
from extractors.core.errors import ExtractError
from flows.commands import extract_jsonl

DATA = Path(__file__).resolve().parent / "data" / "extraction"
SETS = ("written.jsonl", "real.jsonl", "holdout.jsonl")


def rows_of(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


ROWS = [row for name in SETS for row in rows_of(name)]
IDS = [row["id"] for row in ROWS]


def page_of(row: dict) -> Path:
    return (DATA / row["page"]).resolve()


@pytest.fixture(scope="module")
def extracted() -> dict[str, object]:
    """Every fixture page, each set extracted as one batch (as the daily flow does)."""
    out: dict[str, object] = {}
    for name in SETS:
        rows = [r for r in rows_of(name) if page_of(r).exists()]
        jobs = [PageJob(page_of(r).read_bytes(), r.get("url") or page_of(r).as_uri()) for r in rows]
        out.update(zip((r["id"] for r in rows), extract_batch(jobs), strict=True))
    return out


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_article_text_is_there_and_the_page_furniture_is_not(row, extracted):
    if row["id"] not in extracted:
        pytest.skip(f"{page_of(row)} not found (../shared absent)")
    art = extracted[row["id"]]
    assert not isinstance(art, Exception), art
    missing = [s for s in row["must_contain"] if s not in art.text]
    leaked = [s for s in row["must_not_contain"] if s in art.text]
    assert missing == [] and leaked == [], f"missing {missing}, leaked {leaked}"
    assert art.lang == "ar" and "\ufffd" not in art.text


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_headline_is_the_title_and_never_a_line_of_the_text(row, extracted):
    if row["id"] not in extracted:
        pytest.skip("../shared absent")
    art = extracted[row["id"]]
    assert normalize(art.title) == normalize(row["title"])
    title_key = line_key(row["title"])
    assert all(line_key(line) != title_key for line in art.text.splitlines())
    assert not normalize(art.text).startswith(normalize(row["title"]))


@pytest.mark.parametrize("row", [r for r in ROWS if r.get("published")], ids=lambda r: r["id"])
def test_the_date_line_under_the_headline_is_the_publication_date(row, extracted):
    assert extracted[row["id"]].published_at.date().isoformat() == row["published"]


def test_windows_1256_pages_are_real_legacy_bytes_declared_or_not():
    legacy = [r for r in ROWS if r["encoding"] == "windows-1256"]
    assert len(legacy) >= 9
    for row in legacy:
        raw = page_of(row).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert "ال" in raw.decode("cp1256")
    undeclared = [r for r in legacy if b"charset" not in page_of(r).read_bytes().lower()]
    assert {r["host"] for r in undeclared} == {"almasaa"}


def test_bare_trafilatura_shows_the_failure_modes_these_pages_are_for():
    """The fixtures are not easy: trafilatura alone keeps the layout cells and the headline."""
    by_id = {r["id"]: r for r in ROWS}
    table = trafilatura.extract(page_of(by_id["table_alrai_gallium"]).read_bytes().decode("cp1256"))
    assert "إرسال لصديق" in table and " | " in table and "كتاب الرأي" in table
    amp = trafilatura.extract(page_of(by_id["amp_masr_bread_price"]).read_text(encoding="utf-8"))
    assert amp.splitlines()[0] == by_id["amp_masr_bread_price"]["title"]


BIO = "محرر متخصص في شؤون التقنية والاقتصاد الرقمي"


def test_a_line_every_page_of_a_host_repeats_goes_only_when_the_pages_come_together():
    bawaba = [r for r in rows_of("holdout.jsonl") if r["host"] == "bawaba"]
    alone = [extract_article(page_of(r).read_bytes(), page_of(r).as_uri()) for r in bawaba]
    assert all(BIO in art.text for art in alone)  # the author box: no single-page rule can tell
    together = extract_batch([PageJob(page_of(r).read_bytes(), page_of(r).as_uri()) for r in bawaba])
    assert all(BIO not in art.text for art in together)
    for one, batch in zip(alone, together, strict=True):
        assert [line for line in one.text.splitlines() if BIO not in line] == batch.text.splitlines()


def test_marsad_extract_batch_mode_cleans_a_host_s_pages_given_together(tmp_path):
    bawaba = [r for r in rows_of("holdout.jsonl") if r["host"] == "bawaba"]
    jobs = "".join(json.dumps({"id": r["id"], "html_path": str(page_of(r))}) + "\n" for r in bawaba)
    out = io.StringIO()
    assert extract_jsonl(io.StringIO(jobs), out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == [r["id"] for r in bawaba]
    assert all(BIO not in line["text"] and line["text"] for line in lines)


PARAS = [
    "أعلنت وزارة المالية أمس عن خطة جديدة لخفض العجز في الموازنة العامة خلال ثلاث سنوات.",
    "وقال الوزير إن الخطة تعتمد على زيادة الإيرادات غير النفطية وترشيد الإنفاق الحكومي.",
    "وأشار إلى أن الحكومة ستطرح سندات جديدة في الأسواق الدولية قبل نهاية الربع الثالث.",
    "من جهة أخرى افتتح المعرض الدولي للكتاب أبوابه للزوار بمشاركة مئات الناشرين العرب.",
    "وتضم دورة هذا العام برنامجا ثقافيا يشمل ندوات وأمسيات شعرية وورشا للأطفال.",
    "وفي الرياضة تأهل فريق المدينة إلى الدور النهائي بعد فوزه في مباراة مثيرة.",
    "وسجل المهاجم هدف الفوز في الدقائق الأخيرة وسط احتفالات كبيرة من الجماهير.",
]
NAV = "الرئيسية | محليات | اقتصاد | رياضة"
BLURB = "اشترك في نشرتنا الأسبوعية ليصلك ملخص أهم الأخبار كل يوم خميس على بريدك."


def test_repeated_lines_go_only_from_three_distinct_pages_of_one_host():
    texts = [f"{PARAS[i]}\n{PARAS[i + 3]}\n{BLURB}" for i in range(3)]
    assert all(BLURB not in t for t in strip_repeated(texts, ["a.example"] * 3, ["1", "2", "3"]))
    # two pages are not a template yet; pages of other hosts do not count
    assert strip_repeated(texts[:2], ["a.example"] * 2, ["1", "2"]) == texts[:2]
    assert strip_repeated(texts, ["a.example", "b.example", "a.example"], ["1", "2", "3"]) == texts
    # the same story three times (one document) keeps its text
    assert strip_repeated(texts, ["a.example"] * 3, ["1", "1", "1"]) == texts


def test_a_page_that_would_lose_most_of_its_text_keeps_it():
    story = "\n".join(PARAS[:3])
    copies = [story, story + "\n" + PARAS[5], story + "\n" + PARAS[6]]  # a story updated under new URLs
    assert strip_repeated(copies, ["a.example"] * 3, ["1", "2", "3"]) == copies


def test_cleanup_drops_title_date_nav_and_cross_link_lines_but_keeps_prose():
    title = "الصين تقيد تصدير الغاليوم والجرمانيوم المستخدمين في صناعة الرقائق"
    raw = "\n".join([
        title, "الخميس 14 رجب 1445هـ - 25 يناير 2024م - العدد 18400", "كتب - أحمد عبد الحميد",
        PARAS[0], NAV, "اقرأ أيضا: واشنطن توسع قائمة الشركات الصينية المحظورة", PARAS[1],
        "| القطاع | التغير % |", "جميع الحقوق محفوظة © 2024"])
    cleaned = clean_text(raw, title, "جريدة الرأي")
    assert cleaned.text.splitlines() == [PARAS[0], PARAS[1], "| القطاع | التغير % |"]
    assert cleaned.meta_dates[-1].startswith("الخميس")


def test_plan_batches_keeps_hosts_whole_and_is_deterministic():
    hosts = ["a", "b", "a", "c", "b", "a", None, "c"]
    batches = plan_batches(hosts, 4)
    assert batches == plan_batches(hosts, 4)
    assert sorted(i for b in batches for i in b) == list(range(len(hosts)))
    for host in ("a", "b", "c"):
        assert sum(any(hosts[i] == host for i in b) for b in batches) == 1
    big = plan_batches(["x"] * 10, 4)
    assert [len(b) for b in big] == [4, 4, 2]


def test_a_page_of_navigation_only_is_an_extract_error_in_a_batch():
    nav = "<html><body>" + "".join(f"<div><a href='/{i}'>قسم {i}</a> | <a href='/x{i}'>باب {i}</a></div>" for i in range(20)) + "</body></html>"
    good = page_of(ROWS[0]).read_bytes()
    results = extract_batch([PageJob(nav.encode(), "https://n.example/"), PageJob(good, "https://g.example/a")])
    assert isinstance(results[0], ExtractError) and "https://n.example/" in str(results[0])
    assert not isinstance(results[1], Exception)


SHARED_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "extraction"


@pytest.mark.skipif(not (SHARED_EVAL / "truth.jsonl").exists(), reason="../shared benchmark absent")
def test_no_shared_benchmark_page_repeats_its_title_as_the_first_line():
    """The fast path of issue 4 did on 71 of the 305 pages (AMP and in-container headlines)."""
    import gzip

    ids = [json.loads(line)["id"] for line in (SHARED_EVAL / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    jobs = [PageJob(gzip.decompress((SHARED_EVAL / "pages" / f"{i}.html.gz").read_bytes()), f"file:///eval/{i}.html")
            for i in ids]
    repeated = [i for i, art in zip(ids, extract_batch(jobs), strict=True)
                if not isinstance(art, Exception) and art.title
                and normalize(art.text.splitlines()[0]) == normalize(art.title)]
    assert len(ids) == 305 and repeated == []
