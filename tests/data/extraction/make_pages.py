"""Write the layout fixtures: Arabic news pages in the layouts real portals use, with truth.

    .venv/bin/python -m tests.data.extraction.make_pages      # rewrites pages/ and written.jsonl

Three classes, each modelled on a family of real sites (the markup patterns, not their text):
- `table`: older portals built from nested layout tables (ASP/ASP.NET, windows-1256): a nav
  row of links separated by " | ", a headline cell, a date cell, "most read" and "related"
  cells beside the body, a tools row (print / send to a friend), a footer cell. One host
  declares windows-1256 in a <meta http-equiv>, one declares nothing at all (the bytes must
  be sniffed), one is ASP.NET with the whole page inside <form id="form1">.
- `amp`: AMP pages (<html ⚡>): amp-sidebar navigation, breadcrumbs, the headline as <h1>
  inside <article>, date and byline lines, amp-img captions, "read also" links, related
  cards, share buttons.
- `sidebar`: modern <div> layouts with heavy sidebars: a WordPress-style theme (widgets,
  author box, tags, comment form), a theme with meaningless class names whose cards carry
  teaser paragraphs, and a page with a breaking-news ticker and reader comments.
Several pages share a host, as in a daily batch, so the boilerplate they share can be seen.

The truth text of a page is its article's paragraphs (articles.py), nothing else; the
must-contain / must-not-contain strings and the headline (never in the text) are written
beside it. Real pages from ../shared/fixtures, with hand-made truth, are in real.jsonl.
"""

from __future__ import annotations

import json

from tests.data.extraction.articles import ARTICLES
from tests.data.extraction.layouts_amp import page_masr, page_sky
from tests.data.extraction.layouts_sidebar import page_ain, page_murasil, page_noon
from tests.data.extraction.layouts_table import SECTORS, page_alkhaleej, page_almasaa, page_alrai
from tests.data.extraction.page_parts import HERE, MOST_READ, PAGES, words

# --- the set -------------------------------------------------------------------------------

# (class, host, template, encoding, articles on that host)
HOSTS = [
    ("table", "alrai", page_alrai, "cp1256", ["gallium", "dates_harvest", "ai_pricing", "nvidia_export"]),
    ("table", "almasaa", page_almasaa, "cp1256", ["tunnel", "water_tariff", "football"]),
    ("table", "alkhaleej", page_alkhaleej, "utf-8", ["stocks_chips"]),
    ("amp", "masr", page_masr, "utf-8", ["datacenter", "bread_price", "metro"]),
    ("amp", "sky", page_sky, "utf-8", ["uae_ai_law", "oil_prices"]),
    ("sidebar", "murasil", page_murasil, "utf-8", ["tsmc_arizona", "smartphones_tax", "privacy_app"]),
    ("sidebar", "noon", page_noon, "utf-8", ["deepseek_ban", "heatwave"]),
    ("sidebar", "ain", page_ain, "utf-8", ["startup_fund"]),
]
# Strings no page of a host may leak into its text (navigation, boxes, footer, tools).
NEVER = {
    "alrai": ["الأكثر قراءة", "إرسال لصديق", "هل تؤيد تمديد ساعات العمل", "جميع الحقوق محفوظة", "العدد الورقي",
              "كتاب الرأي", "عبدالله الناصر", "صورة أرشيفية", "الأربعاء 20 رجب 1445هـ"],
    "almasaa": ["آخر الأخبار", "عدد القراءات", "أخبار متعلقة", "جميع الحقوق محفوظة", "شارك:", "أخبار مصر"],
    "alkhaleej": ["الأكثر قراءة", "أرسل لصديق", "تكبير الخط", "أسعار العملات", "جميع الحقوق محفوظة", "عقارات"],
    "masr": ["الكلمات المفتاحية", "موضوعات متعلقة", "الأكثر قراءة", "جميع الحقوق محفوظة", "اقتصاد وبورصة", "اقرأ أيضا"],
    "sky": ["قد يعجبك أيضا", "المزيد في الشرق الأوسط", "جميع الحقوق محفوظة", "صورة تعبيرية", "شروط الاستخدام"],
    "murasil": ["الأكثر قراءة", "اترك تعليقاً", "عن الكاتب", "النشرة البريدية", "الوسوم", "شارك المقال",
                "فريق تحرير المراسل التقني يتابع", "لن يتم نشر عنوان بريدك", "اقرأ أيضاً"],
    "noon": ["اخترنا لكم", "المزيد من تقنية", "تابعوا نون", "جميع الحقوق محفوظة", "شارك"],
    "ain": ["عاجل", "الأكثر قراءة", "التعليقات (3)", "نتمنى أن يشمل الدعم", "أضف تعليقك", "جميع الحقوق محفوظة"],
}


def truth_text(key: str, host: str) -> str:
    art = ARTICLES[key]
    lines = ([art["lead"]] if "lead" in art else []) + list(art["paragraphs"])
    if host == "alkhaleej":
        lines += ["| " + " | ".join(r) + " |" for r in SECTORS]
    return "\n".join(lines)  # type: ignore[arg-type]


def build() -> list[dict]:
    PAGES.mkdir(exist_ok=True)
    rows = []
    for klass, host, template, encoding, keys in HOSTS:
        for index, key in enumerate(keys):
            others = [k for k in keys if k != key] or [k for _, h, _, _, ks in HOSTS if h != host for k in ks][:3]
            markup = template(key, index, others[:3])
            name = f"{klass}_{host}_{key}.html"
            (PAGES / name).write_bytes(markup.encode(encoding))
            art = ARTICLES[key]
            first = art.get("lead") or art["paragraphs"][0]  # type: ignore[index]
            paras: list[str] = art["paragraphs"]  # type: ignore[assignment]
            never = list(NEVER[host]) + [ARTICLES[o]["title"] for o in others[:3]]
            if host in MOST_READ:
                never += [t if isinstance(t, str) else t[1] for t in MOST_READ[host][:3]]
            rows.append({
                "id": f"{klass}_{host}_{key}", "source": klass, "lang": "ar", "truth_kind": "written",
                "page": f"pages/{name}", "encoding": "windows-1256" if encoding == "cp1256" else encoding,
                "host": host, "title": art["title"], "published": art["date"][1], "text": truth_text(key, host),
                "must_contain": [words(first, 5), words(paras[len(paras) // 2], 6), words(paras[-1], 5, tail=True)],
                "must_not_contain": sorted(set(never)),
            })
    return rows


def write_truth(rows: list[dict], name: str) -> None:
    """Check that the strings say something true about each truth text, then write the file."""
    for row in rows:
        assert all(s in row["text"] for s in row["must_contain"]), row["id"]
        assert not any(s in row["text"] for s in row["must_not_contain"]), row["id"]
    with (HERE / name).open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} pages to {PAGES} and their truth to {name}")


def main() -> None:
    write_truth(build(), "written.jsonl")


if __name__ == "__main__":
    main()
