-- topic_trend: articles per topic per day over the last 30 days, with the digest's baseline
-- and spike flag.
--
-- Run:   marsad sql -f dashboards/cookbook/topic_trend.sql
--         (--format csv | json | markdown for other tools; read-only, so it never blocks a run)
-- Or:    duckdb -readonly data/marsad.duckdb < dashboards/cookbook/topic_trend.sql
-- Edit:  the time zone (digest days are local days; default Asia/Riyadh) and the 30-day span.
-- Days are anchored on the newest article in the warehouse, not on today's clock, so the
-- query also works on a copy of an old warehouse. An article tagged with two topics counts
-- once in each. `baseline` and `is_spike` are empty for days the digest was not built.
with

anchor as (
    select (max(first_seen_at) at time zone 'Asia/Riyadh')::date as last_day from articles
),

days as (
    select unnest(generate_series(last_day - interval 29 day, last_day, interval 1 day))::date as day
    from anchor
),

tagged as (
    select t.topic, (a.first_seen_at at time zone 'Asia/Riyadh')::date as day, a.article_id, a.source
    from articles a
    join v_article_topics t using (article_id)  -- tags under the current taxonomy
    where a.first_seen_at >= (select last_day from anchor) - interval 30 day
),

counts as (
    select topic, day, count(distinct article_id) as articles, count(distinct source) as sources
    from tagged
    group by all
),

final as (
    select
        d.day,
        t.topic,
        coalesce(c.articles, 0) as articles,
        coalesce(c.sources, 0) as sources,
        g.baseline,
        g.is_spike
    from days d
    cross join topics t  -- the four topic ids (the warehouse's `topics` table)
    left join counts c on c.topic = t.topic and c.day = d.day
    left join digest_topics g on g.topic = t.topic and g.digest_date = d.day
)

select * from final
order by day, topic;
