"""Page templates of the `amp` class: AMP pages (<html ⚡>) with amp-sidebar navigation,
breadcrumbs, captions, "read also" links and related cards; see make_pages.py."""

from __future__ import annotations

import json

from tests.data.extraction.articles import ARTICLES
from tests.data.extraction.page_parts import MOST_READ, esc, rotate

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
    paras = [f"<p>{esc(p)}</p>" for p in art["paragraphs"]]
    other = ARTICLES[others[0]]
    paras.insert(2, f'<p class="read-also"><strong>اقرأ أيضا:</strong> <a href="/amp/story/{5600 + index}">{esc(other["title"])}</a></p>')
    related = "".join(f'<li><a href="/amp/story/{5500 + i}"><amp-img src="/img/{5500 + i}.jpg" width="120" height="80" layout="fixed"></amp-img>'
                      f'<h3>{esc(ARTICLES[o]["title"])}</h3></a></li>' for i, o in enumerate(others))
    most = "".join(f'<li><a href="/amp/story/{5400 + i}">{esc(t)}</a></li>' for i, t in enumerate(rotate(MOST_READ["masr"], index, 4)))
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
<title>{esc(art["title"])} - مصر الآن</title>
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
  <h1>{esc(art["title"])}</h1>
  <div class="meta"><span class="author">{esc(art["author"])}</span> <span class="date">{esc(art["date"][0])}</span></div>
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
                    f'<h3>{esc(t)}</h3></a></div>' for i, t in enumerate(rotate(MOST_READ["sky"], index, 3)))
    more = "".join(f'<li><a href="/amp/article/{3200 + i}">{esc(ARTICLES[o]["title"])}</a></li>' for i, o in enumerate(others))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": art["title"],
                     "description": art["lead"], "datePublished": art["date"][1] + "T09:30:00+04:00"}, ensure_ascii=False)
    paras = "".join(f"<p>{esc(p)}</p>" for p in art["paragraphs"])
    return f"""<!DOCTYPE html>
<html amp lang="ar" dir="rtl">
<head>
{AMP_HEAD}
<title>{esc(art["title"])} | سكاي نيوز عربية</title>
<meta name="description" content="{esc(art["lead"])}">
<meta property="og:title" content="{esc(art["title"])}">
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
  <h1 class="headline">{esc(art["title"])}</h1>
  <div class="byline"><span>{esc(art["author"])}</span><time datetime="{art["date"][1]}">{esc(art["date"][0])}</time></div>
 </div>
 <figure class="main-image"><amp-img src="/i/main{index}.jpg" width="1280" height="720" layout="responsive"></amp-img><figcaption>صورة تعبيرية - أرشيف</figcaption></figure>
 <p class="article-summary">{esc(art["lead"])}</p>
 <div class="article-body">{paras}</div>
 <div class="share-bar"><amp-social-share type="twitter" width="32" height="32"></amp-social-share><amp-social-share type="facebook" width="32" height="32"></amp-social-share></div>
 <div class="more-on"><h2>المزيد في الشرق الأوسط</h2><ul>{more}</ul></div>
 <div class="recommended"><h2>قد يعجبك أيضا</h2>{cards}</div>
</main>
<footer class="site-footer"><p>© 2025 سكاي نيوز عربية. جميع الحقوق محفوظة.</p><a href="/amp/terms">شروط الاستخدام</a></footer>
</body></html>
"""


