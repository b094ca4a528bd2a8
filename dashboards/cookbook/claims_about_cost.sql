-- claims_about_cost: money amounts and "N times cheaper" multipliers stated in articles
-- tagged `pricing`, newest first — the raw material for "how much did it cost?" questions.
--
-- Run:   marsad sql -f dashboards/cookbook/claims_about_cost.sql
--         (--format csv | json | markdown for other tools; read-only, so it never blocks a run)
-- Or:    duckdb -readonly data/marsad.duckdb < dashboards/cookbook/claims_about_cost.sql
-- Edit:  add `and c.currency = 'USD'` or a date filter in `final` as needed.
-- `value_max` is set for ranges ("20 إلى 50 مرة"); the sentence is the claim's evidence.
with

pricing_articles as (
    select distinct article_id
    from v_article_topics  -- tags under the current taxonomy
    where topic = 'pricing'
),

claims as (
    select c.*
    from article_claims c
    join pricing_articles using (article_id)
    where c.kind in ('money', 'multiplier')
),

final as (
    select
        a.first_seen_at,
        a.source,
        c.kind,
        c.value,
        c.value_max,
        c.currency,
        c.unit,
        c.sentence,
        a.title,
        coalesce(a.canonical_url, a.url) as url
    from claims c
    join articles a using (article_id)
)

select * from final
order by first_seen_at desc, source;
