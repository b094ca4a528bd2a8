"""Page templates of the `table` class: older portals built from nested layout tables
(ASP/ASP.NET, windows-1256); see make_pages.py for the classes and the set."""

from __future__ import annotations

from tests.data.extraction.articles import ARTICLES
from tests.data.extraction.page_parts import MOST_READ, esc, rotate, words

# --- table layouts -------------------------------------------------------------------------

def page_alrai(key: str, index: int, others: list[str]) -> str:
    """Old Saudi daily (ASP, windows-1256 in <meta http-equiv>): tables all the way down."""
    art = ARTICLES[key]
    most = "".join(
        f'<tr><td width="50"><img src="/thumbs/{i}.jpg" width="45" height="35"></td>'
        f'<td class="mostread"><a href="/article.asp?id={9100 + i}">{esc(t)}</a></td></tr>'
        for i, t in enumerate(rotate(MOST_READ["alrai"], index, 5)))
    related = "<br>".join(f'<a href="/article.asp?id={8800 + i}">{esc(ARTICLES[o]["title"])}</a>'
                          for i, o in enumerate(others))
    body = "<br><br>".join(esc(p) for p in art["paragraphs"])
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html dir="rtl"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">
<title>جريدة الرأي اليومية - {esc(art["title"])}</title>
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
<tr><td colspan="3" class="ticker"><marquee direction="right" scrollamount="3">عاجل: {esc(MOST_READ["alrai"][(index + 5) % 7])} ••• {esc(MOST_READ["alrai"][(index + 6) % 7])}</marquee></td></tr>
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
  <tr><td class="title"><font size="4" color="#990000" face="Arial"><b>{esc(art["title"])}</b></font></td></tr>
  <tr><td class="date"><font size="2" color="#666666">{esc(art["date"][0])} - العدد {18400 + index}</font></td></tr>
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
    latest = "".join(f'<tr><td class="time">{10 + i}:{15 * i:02d}</td><td><a href="/News/{6600 + i}.aspx">{esc(t)}</a></td></tr>'
                     for i, t in enumerate(rotate(MOST_READ["almasaa"], index, 5)))
    cards = "".join(
        f'<td width="33%" valign="top"><a href="/News/{6500 + i}.aspx"><img src="/img/{6500 + i}.jpg" width="150"><br>'
        f'<b>{esc(ARTICLES[o]["title"])}</b></a><br>{esc(words(ARTICLES[o]["paragraphs"][0], 14))}...</td>'
        for i, o in enumerate(others))
    body = "\n".join(f'<p align="justify" dir="rtl">{esc(p)}</p>' for p in art["paragraphs"])
    return f"""<html>
<head>
<title>{esc(art["title"])} | المساء</title>
<meta name="description" content="{esc(words(art["paragraphs"][0], 20))}">
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
 <tr><td><h1 class="mtitle">{esc(art["title"])}</h1></td></tr>
 <tr><td class="info">نشر بتاريخ: {esc(art["date"][0])} &nbsp;&nbsp; عدد القراءات: {1532 + 97 * index} &nbsp;&nbsp; <a href="#">طباعة</a></td></tr>
 <tr><td class="author">{esc(art["author"])}</td></tr>
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
    body = "<br /><br />".join(esc(p) for p in art["paragraphs"])
    rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in SECTORS)
    side = "".join(f'<tr><td class="item"><a href="/Article.aspx?ID={4400 + i}">{esc(ARTICLES[o]["title"])}</a></td></tr>'
                   for i, o in enumerate(others))
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="rtl" lang="ar">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(art["title"])}</title>
<meta property="og:title" content="{esc(art["title"])}" />
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
    <tr><td><span id="ctl00_ContentPlaceHolder1_lblTitle" class="ArticleTitle">{esc(art["title"])}</span></td></tr>
    <tr><td><span id="ctl00_ContentPlaceHolder1_lblDate" class="ArticleDate">{esc(art["date"][0])}</span> - <span id="ctl00_ContentPlaceHolder1_lblSource">{esc(art["author"])}</span></td></tr>
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


