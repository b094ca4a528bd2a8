"""Page templates of the `sidebar` class: modern <div> layouts with heavy sidebars, teaser cards,
tickers and reader comments; see make_pages.py."""

from __future__ import annotations

from tests.data.extraction.articles import ARTICLES
from tests.data.extraction.page_parts import MOST_READ, esc, rotate, words

# --- sidebar-heavy -------------------------------------------------------------------------

def page_murasil(key: str, index: int, others: list[str]) -> str:
    """Arabic tech news on a WordPress theme: widgets, author box, tags, comment form."""
    art = ARTICLES[key]
    paras = [f"<p>{esc(p)}</p>" for p in art["paragraphs"]]
    paras.insert(2, f'<div class="read-also"><span>اقرأ أيضاً:</span> <a href="/{2025}/04/{others[0]}/">{esc(ARTICLES[others[0]]["title"])}</a></div>')
    popular = "".join(f'<li><a href="/2025/04/p{i}/"><img src="/wp-content/uploads/p{i}.jpg" width="80"></a><div class="wpp-title"><a href="/2025/04/p{i}/">{esc(t)}</a><span class="wpp-date">منذ {i + 2} أيام</span></div></li>'
                      for i, t in enumerate(rotate(MOST_READ["murasil"], index, 4)))
    recent = "".join(f'<li><a href="/2025/04/{o}/">{esc(ARTICLES[o]["title"])}</a></li>' for o in others)
    return f"""<!DOCTYPE html>
<html dir="rtl" lang="ar">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(art["title"])} &#8211; المراسل التقني</title>
<meta property="og:title" content="{esc(art["title"])}">
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
<h1 class="entry-title">{esc(art["title"])}</h1>
<div class="entry-meta"><span class="byline">بواسطة <a href="/author/editor/">{esc(art["author"])}</a></span> <span class="posted-on"><time class="entry-date published" datetime="{art["date"][1]}T08:00:00+03:00">{esc(art["date"][0])}</time></span> <span class="comments-link"><a href="#respond">لا توجد تعليقات</a></span></div></header>
<div class="entry-content">
{"".join(paras)}
</div>
<footer class="entry-footer"><span class="tags-links">الوسوم: <a href="/tag/tsmc/" rel="tag">تي إس إم سي</a>، <a href="/tag/chips/" rel="tag">رقائق</a>، <a href="/tag/usa/" rel="tag">الولايات المتحدة</a></span>
<div class="share-post">شارك المقال: <a href="#">فيسبوك</a> <a href="#">تويتر</a> <a href="#">لينكدإن</a> <a href="#">واتساب</a></div></footer>
</article>
<div class="author-box"><img src="/avatar.jpg" width="80"><h4>عن الكاتب: {esc(art["author"])}</h4><p>فريق تحرير المراسل التقني يتابع أخبار الهواتف والرقائق والذكاء الاصطناعي على مدار الساعة، ويقدم للقارئ العربي مراجعات وتحليلات مستقلة منذ عام 2012.</p></div>
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
    cards = "".join(f'<div class="x-c"><a href="/p/{6100 + i}"><div class="x-im"><img src="/m/{6100 + i}.webp"></div><h3>{esc(t)}</h3></a><p>{esc(d)}</p></div>'
                    for i, (t, d) in enumerate(rotate(MOST_READ["noon"], index, 3)))
    below = "".join(f'<div class="x-c"><a href="/p/{o}"><h3>{esc(ARTICLES[o]["title"])}</h3></a><p>{esc(words(ARTICLES[o]["paragraphs"][0], 18))}...</p></div>'
                    for o in others)
    paras = "".join(f"<p>{esc(p)}</p>" for p in art["paragraphs"])
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{esc(art["title"])} | نون</title>
<meta name="twitter:title" content="{esc(art["title"])}">
<link rel="canonical" href="https://www.noon-mag.example/p/{6200 + index}">
<script>window.dataLayer=window.dataLayer||[];</script>
</head>
<body>
<div class="x-h"><div class="x-w"><a href="/" class="x-l">نون</a>
<div class="x-m"><a href="/t/tech">تقنية</a><a href="/t/politics">سياسة</a><a href="/t/economy">اقتصاد</a><a href="/t/society">مجتمع</a><a href="/t/culture">ثقافة</a><a href="/t/opinion">رأي</a></div></div></div>
<div class="x-w x-g">
<div class="x-8">
 <div class="x-k"><a href="/t/tech">تقنية</a></div>
 <h1 class="x-t">{esc(art["title"])}</h1>
 <div class="x-d"><span>{esc(art["author"])}</span> <span>{esc(art["date"][0])}</span></div>
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
    paras = "".join(f"<p>{esc(p)}</p>" for p in art["paragraphs"])
    comments = [
        ("أبو خالد", "خطوة ممتازة ونتمنى أن يشمل الدعم الشباب في المحافظات وليس العاصمة فقط."),
        ("سارة", "الأهم هو التمويل في المراحل الأولى، كثير من الأفكار الجيدة تموت قبل أن تبدأ."),
        ("مهندس أردني", "نريد أن نرى النتائج على أرض الواقع بدل الإعلانات."),
    ]
    com = "".join(f'<div class="comment"><div class="c-name">{esc(n)}</div><div class="c-date">منذ ساعة</div><p>{esc(t)}</p></div>'
                  for n, t in comments)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>{esc(art["title"])} - عين الخبر</title>
<meta property="og:title" content="{esc(art["title"])}">
<link rel="canonical" href="https://www.ain-alkhabar.example/news/{9900 + index}">
</head>
<body>
<div class="breaking"><span class="label">عاجل</span><ul><li><a href="/news/1">الحكومة تقر موازنة العام المقبل</a></li><li><a href="/news/2">انخفاض أسعار المحروقات اعتبارا من منتصف الليل</a></li></ul></div>
<div class="menu"><a href="/">الرئيسية</a> | <a href="/local">محليات</a> | <a href="/arab">عربي ودولي</a> | <a href="/eco">اقتصاد</a> | <a href="/tech">تكنولوجيا</a> | <a href="/sport">رياضة</a></div>
<div class="page">
 <div class="main">
  <h1>{esc(art["title"])}</h1>
  <div class="info">{esc(art["author"])} | {esc(art["date"][0])} | <span class="views">قراءات 2480</span></div>
  <div class="content">{paras}</div>
  <div class="comments"><h3>التعليقات (3)</h3>{com}
   <div class="add">أضف تعليقك <textarea></textarea> <button>إرسال</button></div></div>
 </div>
 <div class="side"><h3>الأكثر قراءة</h3><ol><li><a href="/news/3">ارتفاع أسعار الذهب محليا</a></li><li><a href="/news/4">إغلاق طريق المطار للصيانة</a></li><li><a href="/news/5">نتائج امتحانات الثانوية العامة</a></li></ol></div>
</div>
<div class="footer">عين الخبر © 2025 جميع الحقوق محفوظة</div>
</body></html>
"""


