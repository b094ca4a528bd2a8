"""Write real.jsonl: real Arabic pages from ../shared/fixtures with hand-made truth text.

    .venv/bin/python -m tests.data.extraction.make_real

For each page the article container was chosen by reading the page (the XPaths below), and
the lines that are not article text (bylines, labels, embedded related-story cards, share
buttons) are listed by hand; what remains, block by block, is the truth. The pages stay in
../shared (read in place, never copied).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import lxml.html

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2].parent / "shared"
FIXTURES = SHARED / "fixtures"
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "table", "tr",
          "section", "article", "figure", "figcaption"}

SPEC = [
 # file, xpaths (in order), drop lines starting with, title, must_contain, must_not, note
 ("ar_almadenahnews_2020-04-24.html", ["//div[@class='main_article_body']"], [],
  "أميركا :50 الفا حصيلة الوفيات بسبب فيروس كورونا",
  ["بلغت حصيلة الوفيات الناجمة", "--(بترا)"], ["تم نشره الجمعة 24 نيسان"],
  "div.main_article_body (the h1, the 'تم نشره' date line and the photo caption above it are not the article)"),
 ("ar_assabah-tn_interview.html", ["//div[contains(@class,'field-name-body')]"], ["حوار: آسيا العتروس"],
  "الناشط الحقوقي السوداني خالد عبد الكريم ماسا لـ«الصباح»: كل الشروط متوفرة لثورة سودانية ولا حاجة لنستورد شيئا",
  ["منذ بدء", "كل المجالات", "وماذا عن حقيقة"], ["كورونا يقتل", "غائم جزئيا", "إضافة تعليق جديد"],
  "div.field-name-body without the byline; strings from trafilatura's evaldata.json"),
 ("ar_sputnik-arabic_2020-03-17.html", ["//div[@class='b-article__lead']", "//div[@itemprop='articleBody']"],
  ["©", "REUTERS / SHOKRY HUSSIEN", "مصر تحظر تصدير الكحول والكمامات الطبية"],
  "مصر تسجل 30 إصابة جديدة وحالتي وفاة بفيروس كورونا",
  ["أعلنت وزارة الصحة والسكان المصرية", "وأوضح الدكتور خالد مجاهد", "مؤكدة أن أرقام الإصابات"],
  ["مصر تحظر تصدير الكحول والكمامات الطبية", "انسخ الرابط"],
  "lead (div.b-article__lead) + div[itemprop=articleBody] without the embedded related-story card"),
 ("ar_youm7_2020-08-24.html", ["//div[@id='articleBody']"], [],
  "وزير الرى يشهد توقيع عقد دراسة تحديد السحب الآمن للخزانات الجوفية مع جامعة القاهرة",
  ["شهد الدكتور محمد عبد العاطي", "علي ضرورة بذل المزيد من الجهد"], [], "div#articleBody"),
 ("ar_alyaum_2020-12-01.html", ["//div[contains(@class,'aksa-articleBody')]"], [],
  "طهران تدفن «زادة».. وتتهم المعارضة الإيرانية باغتياله",
  ["وسط تهديدات إيرانية بالانتقام", "انتكاسة جديدة", "أصبحا أفضل بدونه"], [],
  "div.aksa-articleBody, its section headings included"),
 ("ar_beirutobserver_2020-11-09.html", ["//div[@class='content-rules']"], [],
  "سرقة منزل أميرة سعودية في باريس يضم أغراضاً فاخرة بقيمة 700 ألف دولار",
  ["نشر موقع Middle East Eye", "حيث تقع شقة الأميرة السعودية"], [], "div.content-rules"),
 ("ar_albayan_2020-06-03.html", ["//div[@id='articledetails']"],
  ["المصدر:", "(أبوظبي - البيان)", "التاريخ:", "03 يونيو 2020", "تابعوا أخبار الإمارات", "طباعة", "Email", "فيسبوك", "تويتر", "لينكدين", "Pin Interest", "Whats App"],
  "القائم بأعمال السفارة الأفغانية يثمّن جهود الإمارات",
  ["ثمّن أحمد ساير داودزي", "والحد من انتشاره والقضاء عليه"], ["تابعوا أخبار الإمارات من البيان عبر غوغل نيوز"],
  "div#articledetails without its source/date labels, the Google News line and the share buttons"),
 ("ar_akhbarelyom_2020-10-07.html", ["//div[contains(@class,'entry-content')]"], [],
  "36 عامًا.. سر رحيل نعيمة عاكف في سن مبكر",
  ["يصادف اليوم ذكرى ميلاد", "بعد رحلة مع مرض سرطان الأمعاء"], [], "div.entry-content"),
 ("ar_elbaladtv_2020-12-25.html", ["//div[contains(@class,'content-inner')]"],
  ["إقرأ أيضاً", "المدير الفني لفريق الفيوم", "ديسمبر 25, 2020", "مصر تكسر حاجز ألف إصابة", "تاجز:"],
  "تركى آل الشيخ بعد إصابة يسرا بكورونا: يارب يرفع عنك",
  ["انتشر خبر خلال الساعات الأخيرة", "وإخراج سامح عبد العزيز"], ["إقرأ أيضاً", "مصر تكسر حاجز ألف إصابة بكورونا"],
  "div.content-inner without the 'إقرأ أيضاً' box and the tag line"),
]


def blocks(element) -> list[str]:
    """The element's text, one line per block or <br>, whitespace collapsed, scripts dropped."""
    el = lxml.html.fromstring(lxml.html.tostring(element))
    for junk in el.xpath(".//script | .//style | .//noscript"):
        junk.drop_tree()
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in el.iter():
        if block.tag in BLOCKS:
            block.text, block.tail = "\n" + (block.text or ""), "\n" + (block.tail or "")
    return [re.sub(r"\s+", " ", line).strip() for line in "".join(el.itertext()).split("\n") if line.strip()]


def main() -> None:
    with (FIXTURES / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        notes = {r["path"]: r["note"] for r in csv.DictReader(fh, delimiter="\t")}
    rows = []
    for name, xpaths, drop, title, must, never, note in SPEC:
        tree = lxml.html.fromstring((FIXTURES / "html" / name).read_bytes().decode("utf-8"))
        lines = [line for xp in xpaths for line in blocks(tree.xpath(xp)[0])]
        text = "\n".join(line for line in lines if not any(line.startswith(d) for d in drop))
        assert all(s in text for s in must) and not any(s in text for s in never), name
        url = re.search(r"url=(\S+)", notes["html/" + name])
        rows.append({"id": "real_" + name[3:-5], "source": "real", "lang": "ar", "truth_kind": "real-hand",
                     "page": "../../../../shared/fixtures/html/" + name, "url": url.group(1) if url else None,
                     "encoding": "utf-8", "host": name.split("_")[1], "title": title, "text": text,
                     "must_contain": must, "must_not_contain": never, "truth_note": note})
    with (HERE / "real.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} real pages' truth to real.jsonl")


if __name__ == "__main__":
    main()
