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

import html
import json
from pathlib import Path

from tests.data.extraction.articles import ARTICLES

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"

MOST_READ = {
    "alrai": [
        "ارتفاع أسعار الذهب في السوق المحلية لأعلى مستوى منذ شهرين",
        "وزارة التعليم تعلن مواعيد الاختبارات النهائية للفصل الدراسي الثاني",
        "الهلال يتعادل مع النصر في قمة الجولة الخامسة عشرة من الدوري",
        "أمانة المنطقة تطلق مشروعا لتطوير الحدائق العامة في الأحياء الشمالية",
        "هيئة الطيران المدني تعلن تشغيل رحلات جديدة إلى ثلاث وجهات أوروبية",
        "الدفاع المدني يحذر من السيول في عدد من المحافظات",
        "مجلس الشورى يناقش مشروع نظام حماية المستهلك",
    ],
    "almasaa": [
        "المحافظ يتفقد أعمال رصف الطرق في حي الزهور",
        "ضبط مصنع للمواد الغذائية الفاسدة في المنطقة الصناعية",
        "انطلاق معرض الكتاب الدولي بمشاركة أربعين دولة",
        "ارتفاع أسعار الخضروات في سوق الجملة مع بداية الشتاء",
        "جامعة العاصمة تفتح باب القبول للدراسات العليا",
        "وفاة فنان كبير بعد صراع مع المرض",
    ],
    "masr": [
        "سعر الدولار اليوم في البنوك المصرية",
        "الأرصاد تحذر من طقس شديد البرودة ليلا",
        "مواعيد امتحانات الثانوية العامة للعام الجديد",
        "الأهلي يستعد لمواجهة الزمالك في قمة الدوري",
        "وزير الصحة يتفقد مستشفيات محافظة الجيزة",
    ],
    "sky": [
        "فيديو يرصد لحظة انهيار جسر في أمريكا الجنوبية",
        "ما الذي نعرفه عن الهاتف الجديد قبل إطلاقه؟",
        "نجم عالمي يعلن اعتزاله التمثيل بعد أربعين عاما",
        "دراسة تكشف فوائد غير متوقعة للقهوة",
    ],
    "murasil": [
        "آبل تكشف عن نظارة الواقع المختلط الجديدة بسعر أقل",
        "كيف تحمي حسابك على واتساب من الاختراق؟",
        "غوغل تطلق تحديثا لمحرك البحث يعتمد على الذكاء الاصطناعي",
        "سامسونغ تعلن موعد مؤتمرها السنوي للهواتف القابلة للطي",
        "أفضل خمسة تطبيقات لتعلم اللغات في عام 2025",
    ],
    "noon": [
        ("تحليل: لماذا تتسابق دول الخليج على مراكز البيانات؟", "تضخ حكومات خليجية مليارات الدولارات في مراكز البيانات، في سباق تحركه الطاقة الرخيصة والرغبة في تنويع الاقتصاد بعيدا عن النفط."),
        ("بالأرقام: كم يستهلك الذكاء الاصطناعي من الكهرباء؟", "تشير تقديرات حديثة إلى أن مراكز البيانات قد تستهلك نحو أربعة في المئة من كهرباء العالم بحلول نهاية العقد الحالي."),
        ("قصة شركة ناشئة سعودية جمعت مئة مليون دولار", "بدأت الشركة من غرفة صغيرة في الرياض قبل خمس سنوات، وأصبحت اليوم واحدة من أسرع شركات التقنية المالية نموا في المنطقة."),
        ("هل تنجح القوانين العربية في حماية الخصوصية الرقمية؟", "أصدرت معظم الدول العربية قوانين لحماية البيانات خلال السنوات الأخيرة، لكن تطبيقها ما زال يواجه تحديات كبيرة."),
        ("خمس مهارات يحتاجها سوق العمل في عصر الذكاء الاصطناعي", "يرى خبراء الموارد البشرية أن القدرة على التعلم المستمر والتفكير النقدي أصبحت أهم من الشهادات الجامعية التقليدية."),
    ],
}


def _words(text: str, n: int, tail: bool = False) -> str:
    parts = text.split()
    return " ".join(parts[-n:] if tail else parts[:n])


def _rotate(items: list, start: int, n: int) -> list:
    return [items[(start + i) % len(items)] for i in range(n)]


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


# --- table layouts -------------------------------------------------------------------------

def page_alrai(key: str, index: int, others: list[str]) -> str:
    """Old Saudi daily (ASP, windows-1256 in <meta http-equiv>): tables all the way down."""
    art = ARTICLES[key]
    most = "".join(
        f'<tr><td width="50"><img src="/thumbs/{i}.jpg" width="45" height="35"></td>'
        f'<td class="mostread"><a href="/article.asp?id={9100 + i}">{_esc(t)}</a></td></tr>'
        for i, t in enumerate(_rotate(MOST_READ["alrai"], index, 5)))
    related = "<br>".join(f'<a href="/article.asp?id={8800 + i}">{_esc(ARTICLES[o]["title"])}</a>'
                          for i, o in enumerate(others))
    body = "<br><br>".join(_esc(p) for p in art["paragraphs"])
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html dir="rtl"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">
<title>جريدة الرأي اليومية - {_esc(art["title"])}</title>
<link rel="canonical" href="http://www.alrai-daily.example/article.asp?id={7700 + index}">
<link rel="stylesheet" href="/css/style.css">
<script language="javascript" src="/js/menu.js"></script>
</head>
<body bgcolor="#FFFFFF" topmargin="0" leftmargin="0">
<table width="980" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td width="300"><a href="/"><img src="/images/logo.gif" border="0" alt="جريدة الرأي اليومية"></a></td>
<td class="hdate" align="center">الأربعاء 20 رجب 1445هـ - 31 يناير 2024م - العدد 18429</td>
<td align="left"><form action="/search.asp" method="get">بحث <input type="text" name="q" size="15"><input type="submit" value="ابحث"></form></td></tr>
<tr><td colspan="3" class="menu" bgcolor="#003366"><a href="/">الرئيسية</a> | <a href="/section.asp?id=1">محليات</a> | <a href="/section.asp?id=2">اقتصاد</a> | <a href="/section.asp?id=3">دوليات</a> | <a href="/section.asp?id=4">رياضة</a> | <a href="/section.asp?id=5">ثقافة وفنون</a> | <a href="/section.asp?id=6">كتاب الرأي</a> | <a href="/section.asp?id=7">الأرشيف</a> | <a href="/pdf.asp">العدد الورقي</a></td></tr>
<tr><td colspan="3" class="ticker"><marquee direction="right" scrollamount="3">عاجل: {_esc(MOST_READ["alrai"][(index + 5) % 7])} ••• {_esc(MOST_READ["alrai"][(index + 6) % 7])}</marquee></td></tr>
<tr><td colspan="3">
<table width="100%" border="0" cellspacing="4" cellpadding="0"><tr>
<td width="190" valign="top" class="rightcol">
  <table width="100%" class="box"><tr><td class="boxtitle" colspan="2">الأكثر قراءة</td></tr>{most}</table>
  <table width="100%" class="box"><tr><td class="boxtitle">استطلاع الرأي</td></tr>
  <tr><td>هل تؤيد تمديد ساعات العمل في المحلات التجارية خلال شهر رمضان؟<br>
  <input type="radio" name="poll" value="1"> نعم<br><input type="radio" name="poll" value="2"> لا<br>
  <input type="radio" name="poll" value="3"> لا أعرف<br><input type="button" value="تصويت"> <a href="/poll.asp">النتائج</a></td></tr></table>
</td>
<td valign="top" class="maincol">
  <table width="100%" border="0" cellspacing="0" cellpadding="6">
  <tr><td class="path"><a href="/">الرئيسية</a> &gt; <a href="/section.asp?id=2">اقتصاد</a></td></tr>
  <tr><td class="title"><font size="4" color="#990000" face="Arial"><b>{_esc(art["title"])}</b></font></td></tr>
  <tr><td class="date"><font size="2" color="#666666">{_esc(art["date"][0])} - العدد {18400 + index}</font></td></tr>
  <tr><td><table align="left" width="260" border="0"><tr><td><img src="/news/{7700 + index}.jpg" width="250"></td></tr>
      <tr><td class="caption"><font size="1">صورة أرشيفية</font></td></tr></table>
  <font face="Arial" size="3" class="text">{body}</font></td></tr>
  <tr><td class="tools"><a href="javascript:print()">طباعة</a> | <a href="/send.asp?id={7700 + index}">إرسال لصديق</a> | <a href="/comment.asp?id={7700 + index}">أضف تعليقا</a> | <a href="#">حفظ</a></td></tr>
  </table>
</td>
<td width="170" valign="top" class="leftcol">
  <table width="100%" class="box"><tr><td class="boxtitle">أخبار ذات صلة</td></tr><tr><td>{related}</td></tr></table>
  <table width="100%" class="box"><tr><td class="boxtitle">كتاب الرأي</td></tr>
  <tr><td><a href="/writer.asp?id=11"><b>عبدالله الناصر</b></a><br><a href="/article.asp?id=5511">الاقتصاد بين الواقع والطموح</a></td></tr>
  <tr><td><a href="/writer.asp?id=12"><b>سلمان العمري</b></a><br><a href="/article.asp?id=5512">عن التعليم والمستقبل</a></td></tr></table>
</td></tr></table>
</td></tr>
<tr><td colspan="3" class="footer" align="center"><a href="/">الرئيسية</a> | <a href="/about.asp">من نحن</a> | <a href="/contact.asp">اتصل بنا</a> | <a href="/ads.asp">الإعلان</a><br>
جميع الحقوق محفوظة © مؤسسة الرأي للصحافة والنشر 2024</td></tr>
</table>
</body></html>
"""


def page_almasaa(key: str, index: int, others: list[str]) -> str:
    """Egyptian evening paper (windows-1256, no charset declared anywhere): <p> in cells."""
    art = ARTICLES[key]
    latest = "".join(f'<tr><td class="time">{10 + i}:{15 * i:02d}</td><td><a href="/News/{6600 + i}.aspx">{_esc(t)}</a></td></tr>'
                     for i, t in enumerate(_rotate(MOST_READ["almasaa"], index, 5)))
    cards = "".join(
        f'<td width="33%" valign="top"><a href="/News/{6500 + i}.aspx"><img src="/img/{6500 + i}.jpg" width="150"><br>'
        f'<b>{_esc(ARTICLES[o]["title"])}</b></a><br>{_esc(_words(ARTICLES[o]["paragraphs"][0], 14))}...</td>'
        for i, o in enumerate(others))
    body = "\n".join(f'<p align="justify" dir="rtl">{_esc(p)}</p>' for p in art["paragraphs"])
    return f"""<html>
<head>
<title>{_esc(art["title"])} | المساء</title>
<meta name="description" content="{_esc(_words(art["paragraphs"][0], 20))}">
<link rel="canonical" href="http://www.almasaa.example/News/{6400 + index}.aspx">
<style>td {{ font-family: Tahoma; }}</style>
</head>
<body dir="rtl">
<table width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td colspan="2" height="90"><img src="/img/masthead.jpg" alt="المساء"></td></tr>
<tr><td colspan="2" class="nav"><a href="/">الرئيسية</a> - <a href="/Section/1.aspx">أخبار مصر</a> - <a href="/Section/2.aspx">حوادث</a> - <a href="/Section/3.aspx">رياضة</a> - <a href="/Section/4.aspx">فن</a> - <a href="/Section/5.aspx">مقالات</a> - <a href="/Section/6.aspx">فيديو</a></td></tr>
<tr>
<td valign="top">
 <table width="100%" cellpadding="8">
 <tr><td><h1 class="mtitle">{_esc(art["title"])}</h1></td></tr>
 <tr><td class="info">نشر بتاريخ: {_esc(art["date"][0])} &nbsp;&nbsp; عدد القراءات: {1532 + 97 * index} &nbsp;&nbsp; <a href="#">طباعة</a></td></tr>
 <tr><td class="author">{_esc(art["author"])}</td></tr>
 <tr><td class="body">
{body}
 </td></tr>
 <tr><td class="share">شارك: <a href="#">فيسبوك</a> <a href="#">تويتر</a> <a href="#">واتساب</a></td></tr>
 <tr><td><table width="100%"><tr><td colspan="3" class="boxtitle">أخبار متعلقة</td></tr><tr>{cards}</tr></table></td></tr>
 </table>
</td>
<td width="220" valign="top" class="side">
 <table width="100%"><tr><td colspan="2" class="boxtitle">آخر الأخبار</td></tr>{latest}</table>
 <table width="100%"><tr><td class="boxtitle">إعلان</td></tr><tr><td><img src="/ads/banner.gif"></td></tr></table>
</td>
</tr>
<tr><td colspan="2" class="foot">جميع الحقوق محفوظة لجريدة المساء © 2024 - تصميم وتطوير إدارة المعلومات</td></tr>
</table>
</body>
</html>
"""


SECTORS = [("القطاع", "الإغلاق", "التغير %"), ("الاتصالات", "7,845", "+2.4"),
           ("التقنية", "31,210", "+3.1"), ("البنوك", "12,034", "+0.6"), ("المواد الأساسية", "5,902", "-0.3")]


def page_alkhaleej(key: str, index: int, others: list[str]) -> str:
    """Gulf portal on ASP.NET WebForms: the whole page in <form id="form1">, spans and <br />."""
    art = ARTICLES[key]
    body = "<br /><br />".join(_esc(p) for p in art["paragraphs"])
    rows = "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in r) + "</tr>" for r in SECTORS)
    side = "".join(f'<tr><td class="item"><a href="/Article.aspx?ID={4400 + i}">{_esc(ARTICLES[o]["title"])}</a></td></tr>'
                   for i, o in enumerate(others))
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="rtl" lang="ar">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{_esc(art["title"])}</title>
<meta property="og:title" content="{_esc(art["title"])}" />
<meta property="og:site_name" content="بوابة الخليج الاقتصادية" />
<link rel="canonical" href="https://www.alkhaleej-portal.example/Article.aspx?ID={4300 + index}" />
</head>
<body>
<form name="aspnetForm" method="post" action="Article.aspx?ID={4300 + index}" id="aspnetForm">
<div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRkZz9eXj0x" /></div>
<table id="tblMain" width="1000" cellpadding="0" cellspacing="0" align="center">
<tr><td>
  <table width="100%"><tr>
  <td><a href="/Default.aspx"><img src="/Images/logo.png" alt="بوابة الخليج الاقتصادية" /></a></td>
  <td class="topmenu"><a href="/Default.aspx">الرئيسية</a>&nbsp;|&nbsp;<a href="/Section.aspx?ID=1">أسواق</a>&nbsp;|&nbsp;<a href="/Section.aspx?ID=2">شركات</a>&nbsp;|&nbsp;<a href="/Section.aspx?ID=3">عقارات</a>&nbsp;|&nbsp;<a href="/Section.aspx?ID=4">تقنية</a>&nbsp;|&nbsp;<a href="/Section.aspx?ID=5">طاقة</a>&nbsp;|&nbsp;<a href="/Contact.aspx">اتصل بنا</a></td>
  </tr></table>
</td></tr>
<tr><td>
  <table width="100%" cellpadding="5"><tr>
  <td valign="top" width="740">
    <table width="100%">
    <tr><td><span id="ctl00_ContentPlaceHolder1_lblTitle" class="ArticleTitle">{_esc(art["title"])}</span></td></tr>
    <tr><td><span id="ctl00_ContentPlaceHolder1_lblDate" class="ArticleDate">{_esc(art["date"][0])}</span> - <span id="ctl00_ContentPlaceHolder1_lblSource">{_esc(art["author"])}</span></td></tr>
    <tr><td><span id="ctl00_ContentPlaceHolder1_lblBody" class="ArticleBody">{body}</span>
    <br /><br /><table class="data" border="1" cellpadding="3" cellspacing="0">{rows}</table></td></tr>
    <tr><td class="ArticleTools"><a id="ctl00_lnkPrint" href="javascript:window.print();">طباعة</a> | <a id="ctl00_lnkSend" href="/Send.aspx">أرسل لصديق</a> | <a id="ctl00_lnkFont" href="#">تكبير الخط</a></td></tr>
    </table>
  </td>
  <td valign="top" width="260">
    <table width="100%"><tr><td class="SideTitle">الأكثر قراءة</td></tr>{side}</table>
    <table width="100%"><tr><td class="SideTitle">أسعار العملات</td></tr>
    <tr><td>الدولار 3.75 | اليورو 4.05 | الجنيه الإسترليني 4.74</td></tr></table>
  </td>
  </tr></table>
</td></tr>
<tr><td class="Footer">© 2024 بوابة الخليج الاقتصادية. جميع الحقوق محفوظة.</td></tr>
</table>
</form>
</body></html>
"""


# --- AMP -----------------------------------------------------------------------------------

AMP_HEAD = """<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<script async custom-element="amp-sidebar" src="https://cdn.ampproject.org/v0/amp-sidebar-0.1.js"></script>
<script async custom-element="amp-social-share" src="https://cdn.ampproject.org/v0/amp-social-share-0.1.js"></script>
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style><noscript><style amp-boilerplate>body{-webkit-animation:none;animation:none}</style></noscript>
<style amp-custom>body{font-family:Tahoma;direction:rtl}.article-body p{line-height:1.8}</style>"""


def page_masr(key: str, index: int, others: list[str]) -> str:
    """Egyptian news site, AMP edition (the headline repeated in <article>)."""
    art = ARTICLES[key]
    paras = [f"<p>{_esc(p)}</p>" for p in art["paragraphs"]]
    other = ARTICLES[others[0]]
    paras.insert(2, f'<p class="read-also"><strong>اقرأ أيضا:</strong> <a href="/amp/story/{5600 + index}">{_esc(other["title"])}</a></p>')
    related = "".join(f'<li><a href="/amp/story/{5500 + i}"><amp-img src="/img/{5500 + i}.jpg" width="120" height="80" layout="fixed"></amp-img>'
                      f'<h3>{_esc(ARTICLES[o]["title"])}</h3></a></li>' for i, o in enumerate(others))
    most = "".join(f'<li><a href="/amp/story/{5400 + i}">{_esc(t)}</a></li>' for i, t in enumerate(_rotate(MOST_READ["masr"], index, 4)))
    # Two templates of the same CMS: <article> with a body <div>, or one <div> holding the
    # headline and the paragraphs side by side (where the headline ends up in the text).
    outer = ["article", 'div class="article-content"', 'div class="news-content"'][index % 3]
    body = (f'<div class="article-body">{"".join(paras)}</div>' if index == 0 else "".join(paras))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": art["title"],
                     "datePublished": art["date"][1] + "T14:15:00+02:00",
                     "author": {"@type": "Person", "name": art["author"].replace("كتب ", "").replace("كتبت ", "")},
                     "publisher": {"@type": "Organization", "name": "مصر الآن"}}, ensure_ascii=False)
    return f"""<!doctype html>
<html ⚡ lang="ar" dir="rtl">
<head>
{AMP_HEAD}
<title>{_esc(art["title"])} - مصر الآن</title>
<link rel="canonical" href="https://www.masr-alaan.example/story/{2025}/3/{12 + index}/{5700 + index}">
<script type="application/ld+json">{ld}</script>
</head>
<body>
<amp-sidebar id="sidebar" layout="nodisplay" side="right">
  <ul class="menu"><li><a href="/amp">الرئيسية</a></li><li><a href="/amp/section/1">أخبار مصر</a></li><li><a href="/amp/section/2">اقتصاد وبورصة</a></li><li><a href="/amp/section/3">رياضة</a></li><li><a href="/amp/section/4">فن</a></li><li><a href="/amp/section/5">تكنولوجيا</a></li><li><a href="/amp/section/6">حوادث</a></li></ul>
</amp-sidebar>
<header class="top"><button on="tap:sidebar.toggle">☰</button><a href="/amp"><amp-img src="/img/logo.png" width="140" height="40" alt="مصر الآن"></amp-img></a></header>
<{outer}>
  <div class="breadcrumb"><a href="/amp">الرئيسية</a> › <a href="/amp/section/2">اقتصاد وبورصة</a></div>
  <h1>{_esc(art["title"])}</h1>
  <div class="meta"><span class="author">{_esc(art["author"])}</span> <span class="date">{_esc(art["date"][0])}</span></div>
  <figure><amp-img src="/img/story/{5700 + index}.jpg" width="640" height="360" layout="responsive"></amp-img><figcaption>أرشيفية</figcaption></figure>
  {body}
  <div class="tags">الكلمات المفتاحية: <a href="/amp/tag/1">الحكومة</a> <a href="/amp/tag/2">الاستثمار</a> <a href="/amp/tag/3">مصر</a></div>
  <div class="share"><amp-social-share type="facebook" width="40" height="40"></amp-social-share><amp-social-share type="twitter" width="40" height="40"></amp-social-share><amp-social-share type="whatsapp" width="40" height="40"></amp-social-share></div>
</{outer.split()[0]}>
<section class="related"><h2>موضوعات متعلقة</h2><ul>{related}</ul></section>
<section class="most"><h2>الأكثر قراءة</h2><ol>{most}</ol></section>
<footer><p>جميع الحقوق محفوظة © 2025 مصر الآن</p><a href="/amp/about">من نحن</a> <a href="/amp/privacy">سياسة الخصوصية</a></footer>
</body>
</html>
"""


def page_sky(key: str, index: int, others: list[str]) -> str:
    """Gulf TV news site, AMP edition: headline + summary lead + body in <main>."""
    art = ARTICLES[key]
    cards = "".join(f'<div class="card"><a href="/amp/article/{3300 + i}"><amp-img src="/i/{3300 + i}.jpg" width="300" height="169" layout="responsive"></amp-img>'
                    f'<h3>{_esc(t)}</h3></a></div>' for i, t in enumerate(_rotate(MOST_READ["sky"], index, 3)))
    more = "".join(f'<li><a href="/amp/article/{3200 + i}">{_esc(ARTICLES[o]["title"])}</a></li>' for i, o in enumerate(others))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": art["title"],
                     "description": art["lead"], "datePublished": art["date"][1] + "T09:30:00+04:00"}, ensure_ascii=False)
    paras = "".join(f"<p>{_esc(p)}</p>" for p in art["paragraphs"])
    return f"""<!DOCTYPE html>
<html amp lang="ar" dir="rtl">
<head>
{AMP_HEAD}
<title>{_esc(art["title"])} | سكاي نيوز عربية</title>
<meta name="description" content="{_esc(art["lead"])}">
<meta property="og:title" content="{_esc(art["title"])}">
<meta property="og:site_name" content="سكاي نيوز عربية">
<link rel="canonical" href="https://www.skynews-arabia.example/middle-east/{1700000 + index}">
<script type="application/ld+json">{ld}</script>
</head>
<body>
<header class="site-header"><a href="/amp"><amp-img src="/logo.svg" width="120" height="30" alt="سكاي نيوز عربية"></amp-img></a>
<nav><a href="/amp/middle-east">الشرق الأوسط</a><a href="/amp/world">العالم</a><a href="/amp/business">اقتصاد</a><a href="/amp/technology">تكنولوجيا</a><a href="/amp/sport">رياضة</a></nav></header>
<main>
 <div class="article-header">
  <span class="category">الشرق الأوسط</span>
  <h1 class="headline">{_esc(art["title"])}</h1>
  <div class="byline"><span>{_esc(art["author"])}</span><time datetime="{art["date"][1]}">{_esc(art["date"][0])}</time></div>
 </div>
 <figure class="main-image"><amp-img src="/i/main{index}.jpg" width="1280" height="720" layout="responsive"></amp-img><figcaption>صورة تعبيرية - أرشيف</figcaption></figure>
 <p class="article-summary">{_esc(art["lead"])}</p>
 <div class="article-body">{paras}</div>
 <div class="share-bar"><amp-social-share type="twitter" width="32" height="32"></amp-social-share><amp-social-share type="facebook" width="32" height="32"></amp-social-share></div>
 <div class="more-on"><h2>المزيد في الشرق الأوسط</h2><ul>{more}</ul></div>
 <div class="recommended"><h2>قد يعجبك أيضا</h2>{cards}</div>
</main>
<footer class="site-footer"><p>© 2025 سكاي نيوز عربية. جميع الحقوق محفوظة.</p><a href="/amp/terms">شروط الاستخدام</a></footer>
</body></html>
"""


# --- sidebar-heavy -------------------------------------------------------------------------

def page_murasil(key: str, index: int, others: list[str]) -> str:
    """Arabic tech news on a WordPress theme: widgets, author box, tags, comment form."""
    art = ARTICLES[key]
    paras = [f"<p>{_esc(p)}</p>" for p in art["paragraphs"]]
    paras.insert(2, f'<div class="read-also"><span>اقرأ أيضاً:</span> <a href="/{2025}/04/{others[0]}/">{_esc(ARTICLES[others[0]]["title"])}</a></div>')
    popular = "".join(f'<li><a href="/2025/04/p{i}/"><img src="/wp-content/uploads/p{i}.jpg" width="80"></a><div class="wpp-title"><a href="/2025/04/p{i}/">{_esc(t)}</a><span class="wpp-date">منذ {i + 2} أيام</span></div></li>'
                      for i, t in enumerate(_rotate(MOST_READ["murasil"], index, 4)))
    recent = "".join(f'<li><a href="/2025/04/{o}/">{_esc(ARTICLES[o]["title"])}</a></li>' for o in others)
    return f"""<!DOCTYPE html>
<html dir="rtl" lang="ar">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(art["title"])} &#8211; المراسل التقني</title>
<meta property="og:title" content="{_esc(art["title"])}">
<meta property="og:site_name" content="المراسل التقني">
<meta property="article:published_time" content="{art["date"][1]}T08:00:00+03:00">
<link rel="canonical" href="https://www.almurasil.example/2025/04/{key.replace("_", "-")}/">
<link rel="stylesheet" href="/wp-content/themes/newsplus/style.css">
</head>
<body class="post-template-default single single-post">
<div class="top-bar"><div class="container"><span class="today">الثلاثاء، 22 أبريل 2025</span><ul class="social"><li><a href="#">فيسبوك</a></li><li><a href="#">تويتر</a></li><li><a href="#">يوتيوب</a></li></ul></div></div>
<header id="masthead" class="site-header"><div class="container"><a class="logo" href="/">المراسل التقني</a>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="/">الرئيسية</a></li><li><a href="/category/phones/">هواتف</a></li><li><a href="/category/ai/">ذكاء اصطناعي</a></li><li><a href="/category/chips/">رقائق ومعالجات</a></li><li><a href="/category/apps/">تطبيقات</a></li><li><a href="/category/reviews/">مراجعات</a></li></ul></nav></div></header>
<div id="content" class="site-content"><div class="container"><div class="row">
<div id="primary" class="content-area col-md-8">
<main id="main" class="site-main">
<article id="post-{8100 + index}" class="post type-post status-publish">
<header class="entry-header"><div class="cat-links"><a href="/category/chips/">رقائق ومعالجات</a></div>
<h1 class="entry-title">{_esc(art["title"])}</h1>
<div class="entry-meta"><span class="byline">بواسطة <a href="/author/editor/">{_esc(art["author"])}</a></span> <span class="posted-on"><time class="entry-date published" datetime="{art["date"][1]}T08:00:00+03:00">{_esc(art["date"][0])}</time></span> <span class="comments-link"><a href="#respond">لا توجد تعليقات</a></span></div></header>
<div class="entry-content">
{"".join(paras)}
</div>
<footer class="entry-footer"><span class="tags-links">الوسوم: <a href="/tag/tsmc/" rel="tag">تي إس إم سي</a>، <a href="/tag/chips/" rel="tag">رقائق</a>، <a href="/tag/usa/" rel="tag">الولايات المتحدة</a></span>
<div class="share-post">شارك المقال: <a href="#">فيسبوك</a> <a href="#">تويتر</a> <a href="#">لينكدإن</a> <a href="#">واتساب</a></div></footer>
</article>
<div class="author-box"><img src="/avatar.jpg" width="80"><h4>عن الكاتب: {_esc(art["author"])}</h4><p>فريق تحرير المراسل التقني يتابع أخبار الهواتف والرقائق والذكاء الاصطناعي على مدار الساعة، ويقدم للقارئ العربي مراجعات وتحليلات مستقلة منذ عام 2012.</p></div>
<nav class="post-navigation"><div class="nav-previous"><a href="/2025/04/{others[0]}/">المقال السابق</a></div><div class="nav-next"><a href="/2025/04/{others[-1]}/">المقال التالي</a></div></nav>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3 class="comment-reply-title">اترك تعليقاً</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes">لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *</p>
<p class="comment-form-comment"><label for="comment">التعليق</label><textarea id="comment" name="comment"></textarea></p>
<p class="comment-form-author"><label for="author">الاسم *</label><input id="author" name="author" type="text"></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="إرسال التعليق"></p></form></div></div>
</main></div>
<aside id="secondary" class="widget-area col-md-4">
<section class="widget widget_search"><form role="search" class="search-form"><input type="search" placeholder="ابحث هنا..."></form></section>
<section class="widget popular-posts"><h2 class="widget-title">الأكثر قراءة</h2><ul class="wpp-list">{popular}</ul></section>
<section class="widget widget_recent_entries"><h2 class="widget-title">أحدث المقالات</h2><ul>{recent}</ul></section>
<section class="widget newsletter"><h2 class="widget-title">النشرة البريدية</h2><p>اشترك في نشرتنا البريدية الأسبوعية ليصلك ملخص أهم أخبار التقنية كل يوم خميس.</p><form><input type="email" placeholder="بريدك الإلكتروني"><button>اشترك</button></form></section>
</aside>
</div></div></div>
<footer id="colophon" class="site-footer"><div class="container"><p>جميع الحقوق محفوظة © 2025 المراسل التقني</p><ul><li><a href="/about/">من نحن</a></li><li><a href="/privacy/">سياسة الخصوصية</a></li><li><a href="/contact/">اتصل بنا</a></li></ul></div></footer>
</body></html>
"""


def page_noon(key: str, index: int, others: list[str]) -> str:
    """Magazine-style site whose class names say nothing; its cards carry teaser paragraphs."""
    art = ARTICLES[key]
    cards = "".join(f'<div class="x-c"><a href="/p/{6100 + i}"><div class="x-im"><img src="/m/{6100 + i}.webp"></div><h3>{_esc(t)}</h3></a><p>{_esc(d)}</p></div>'
                    for i, (t, d) in enumerate(_rotate(MOST_READ["noon"], index, 3)))
    below = "".join(f'<div class="x-c"><a href="/p/{o}"><h3>{_esc(ARTICLES[o]["title"])}</h3></a><p>{_esc(_words(ARTICLES[o]["paragraphs"][0], 18))}...</p></div>'
                    for o in others)
    paras = "".join(f"<p>{_esc(p)}</p>" for p in art["paragraphs"])
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{_esc(art["title"])} | نون</title>
<meta name="twitter:title" content="{_esc(art["title"])}">
<link rel="canonical" href="https://www.noon-mag.example/p/{6200 + index}">
<script>window.dataLayer=window.dataLayer||[];</script>
</head>
<body>
<div class="x-h"><div class="x-w"><a href="/" class="x-l">نون</a>
<div class="x-m"><a href="/t/tech">تقنية</a><a href="/t/politics">سياسة</a><a href="/t/economy">اقتصاد</a><a href="/t/society">مجتمع</a><a href="/t/culture">ثقافة</a><a href="/t/opinion">رأي</a></div></div></div>
<div class="x-w x-g">
<div class="x-8">
 <div class="x-k"><a href="/t/tech">تقنية</a></div>
 <h1 class="x-t">{_esc(art["title"])}</h1>
 <div class="x-d"><span>{_esc(art["author"])}</span> <span>{_esc(art["date"][0])}</span></div>
 <div class="x-b">{paras}</div>
 <div class="x-s">شارك <a href="#">X</a> <a href="#">فيسبوك</a> <a href="#">تيليغرام</a></div>
 <div class="x-r"><h2>المزيد من تقنية</h2>{below}</div>
</div>
<div class="x-4">
 <div class="x-bx"><h2>اخترنا لكم</h2>{cards}</div>
 <div class="x-bx"><h2>تابعونا</h2><p>تابعوا نون على منصات التواصل الاجتماعي ليصلكم كل جديد.</p></div>
</div>
</div>
<div class="x-f"><p>نون - مجلة عربية مستقلة. جميع الحقوق محفوظة © 2025</p></div>
</body></html>
"""


def page_ain(key: str, index: int, others: list[str]) -> str:
    """Levantine portal: breaking-news ticker, body, then a reader-comments section."""
    art = ARTICLES[key]
    paras = "".join(f"<p>{_esc(p)}</p>" for p in art["paragraphs"])
    comments = [
        ("أبو خالد", "خطوة ممتازة ونتمنى أن يشمل الدعم الشباب في المحافظات وليس العاصمة فقط."),
        ("سارة", "الأهم هو التمويل في المراحل الأولى، كثير من الأفكار الجيدة تموت قبل أن تبدأ."),
        ("مهندس أردني", "نريد أن نرى النتائج على أرض الواقع بدل الإعلانات."),
    ]
    com = "".join(f'<div class="comment"><div class="c-name">{_esc(n)}</div><div class="c-date">منذ ساعة</div><p>{_esc(t)}</p></div>'
                  for n, t in comments)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>{_esc(art["title"])} - عين الخبر</title>
<meta property="og:title" content="{_esc(art["title"])}">
<link rel="canonical" href="https://www.ain-alkhabar.example/news/{9900 + index}">
</head>
<body>
<div class="breaking"><span class="label">عاجل</span><ul><li><a href="/news/1">الحكومة تقر موازنة العام المقبل</a></li><li><a href="/news/2">انخفاض أسعار المحروقات اعتبارا من منتصف الليل</a></li></ul></div>
<div class="menu"><a href="/">الرئيسية</a> | <a href="/local">محليات</a> | <a href="/arab">عربي ودولي</a> | <a href="/eco">اقتصاد</a> | <a href="/tech">تكنولوجيا</a> | <a href="/sport">رياضة</a></div>
<div class="page">
 <div class="main">
  <h1>{_esc(art["title"])}</h1>
  <div class="info">{_esc(art["author"])} | {_esc(art["date"][0])} | <span class="views">قراءات 2480</span></div>
  <div class="content">{paras}</div>
  <div class="comments"><h3>التعليقات (3)</h3>{com}
   <div class="add">أضف تعليقك <textarea></textarea> <button>إرسال</button></div></div>
 </div>
 <div class="side"><h3>الأكثر قراءة</h3><ol><li><a href="/news/3">ارتفاع أسعار الذهب محليا</a></li><li><a href="/news/4">إغلاق طريق المطار للصيانة</a></li><li><a href="/news/5">نتائج امتحانات الثانوية العامة</a></li></ol></div>
</div>
<div class="footer">عين الخبر © 2025 جميع الحقوق محفوظة</div>
</body></html>
"""


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
                "must_contain": [_words(first, 5), _words(paras[len(paras) // 2], 6), _words(paras[-1], 5, tail=True)],
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
