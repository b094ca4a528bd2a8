"""A small, realistic warehouse for the delivery tests (email, SMTP, dashboard, cookbook).

Rows are inserted with plain SQL the way the pipeline would leave them: Arabic articles over
three weeks, their topic tags with evidence, entities, claims, and the digest tables for the
digest day — including hostile titles (markup, header injection, bidi override) that every
delivery surface must render inert.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

DIGEST_DAY = date(2026, 11, 26)
TZ = "Asia/Riyadh"

EVIL_SCRIPT = "<script>alert('x')</script>ديب سيك تخفض الأسعار"
EVIL_HEADER = "إنفيديا تخسر\r\nBcc: victim@evil.example\r\nX-Injected: yes"
EVIL_BIDI = "عنوان \u202eنيمأ\u202c مقلوب"
EVIL_URL = "javascript:alert(1)"

SOURCES = ["aljazeera", "alarabiya", "skynews", "asharq", "independent_ar", "cnbc_ar"]
TOPICS = ["export_controls", "pricing", "privacy_bans", "market_impact"]
EVIDENCE = {
    "export_controls": "فرضت الولايات المتحدة قيوداً جديدة على تصدير رقائق إنفيديا إلى الصين.",
    "pricing": "قالت ديب سيك إن تدريب النموذج كلف أقل من 6 ملايين دولار.",
    "privacy_bans": "حظرت إيطاليا تطبيق ديب سيك بسبب مخاوف تتعلق بحماية البيانات.",
    "market_impact": "خسرت أسهم إنفيديا نحو 17% من قيمتها في جلسة واحدة.",
}


def _ts(day: date, hour: int) -> datetime:
    # 09:00 in Riyadh is 06:00 UTC: safely inside the local day.
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def fill(con, day: date = DIGEST_DAY, *, days: int = 21, hostile: bool = True) -> dict:
    """Insert articles/tags/entities/claims over `days` days ending `day`, plus that day's digest."""
    articles, topics, entities, claims = [], [], [], []
    for back in range(days):
        d = day - timedelta(days=back)
        for k in range(3 + (back % 4) + (6 if back == 0 else 0)):
            aid = f"a{d:%m%d}{k:02d}"
            topic = TOPICS[(k + back) % 4]
            source = SOURCES[(k * 7 + back) % len(SOURCES)]
            title = f"ديب سيك: تطور رقم {k} في ملف {topic} بتاريخ {d.isoformat()}"
            text = EVIDENCE[topic] + " " + "وتابع المحللون ردود الفعل في الأسواق والعواصم. " * 3
            articles.append((aid, f"https://{source}.example/{aid}", source, title, _ts(d, 6 + k % 10), text, aid))
            topics.append((aid, topic, 1.0 + k / 10, EVIDENCE[topic]))
            entities.append((aid, ["ديب سيك", "إنفيديا", "هواوي", "أوبن إيه آي"][k % 4], 1 + k % 3))
            if topic == "pricing":
                claims.append((aid, "money", 6_000_000.0, None, "USD", EVIDENCE[topic]))
    if hostile:
        for n, title in enumerate([EVIL_SCRIPT, EVIL_HEADER, EVIL_BIDI]):
            aid = f"evil{n}"
            articles.append((aid, EVIL_URL if n == 0 else f"https://bad.example/{n}", "bad_source", title, _ts(day, 7), EVIDENCE["pricing"] + " <b>x</b>", aid))
            topics.append((aid, "pricing", 0.5, EVIDENCE["pricing"] + "\n<img src=x onerror=alert(2)>"))
    con.executemany(
        "insert into articles (article_id, url, canonical_url, source, title, first_seen_at, lang, text, content_hash, story_id)"
        " values (?, ?, ?, ?, ?, ?, 'ar', ?, ?, null)",
        [(a, u, u, s, t, ts, x, "h" + a) for a, u, s, t, ts, x, _ in articles],
    )
    con.execute("insert into taxonomy_versions (taxonomy_version, topics_toml) values ('v1', '# test')")
    con.executemany(
        "insert into article_topics (article_id, topic, score, evidence, taxonomy_version) values (?, ?, ?, ?, 'v1')",
        topics,
    )
    con.executemany("insert into article_entities (article_id, entity, mentions) values (?, ?, ?)", entities)
    con.executemany(
        "insert into article_claims (article_id, kind, value, value_max, currency, sentence) values (?, ?, ?, ?, ?, ?)",
        claims,
    )
    # Wire copies: the first two market_impact articles of the day are one story in 3 outlets.
    today = [a for a in articles if a[4].date() == day]
    fill_digest(con, day, today, topics)
    return {"articles": len(articles), "today": len(today)}


def fill_digest(con, day: date, today: list, topics: list) -> None:
    """digest_topics and digest_items as the lead's digest SQL would write them."""
    by_id = {a[0]: a for a in today}
    tagged = [(aid, t, score, ev) for aid, t, score, ev in topics if aid in by_id]
    for topic in TOPICS:
        rows = sorted([r for r in tagged if r[1] == topic], key=lambda r: -r[2])
        n_sources = len({by_id[r[0]][2] for r in rows})
        spike = topic == "pricing"
        con.execute(
            "insert into digest_topics (digest_date, topic, articles, sources, stories, baseline, mad, is_spike)"
            " values (?, ?, ?, ?, ?, ?, ?, ?)",
            [day, topic, len(rows), n_sources, len(rows), 2.0, 1.0, spike],
        )
        for rank, (aid, _, score, ev) in enumerate(rows, start=1):
            a = by_id[aid]
            con.execute(
                "insert into digest_items (digest_date, topic, rank, article_id, story_id, title, source, url, score, outlets, evidence)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [day, topic, rank, aid, aid, a[3], a[2], a[1], score, 1 + rank % 3, ev],
            )
