-- top_outlets_per_topic: the ten outlets with the most articles in each topic over the last
-- 30 days, with their share of the topic's coverage and how many distinct stories they ran.
--
-- Run:   marsad sql -f dashboards/cookbook/top_outlets_per_topic.sql
--         (--format csv | json | markdown for other tools; read-only, so it never blocks a run)
-- Or:    duckdb -readonly data/marsad.duckdb < dashboards/cookbook/top_outlets_per_topic.sql
-- Edit:  the 30-day span or the top-10 cut-off (`where rank <= 10`).
-- Anchored on the newest article in the warehouse.
with

anchor as (
    select max(first_seen_at) as last_seen from articles
),

tagged as (
    select t.topic, a.source, a.article_id, coalesce(a.story_id, a.article_id) as story
    from articles a
    join v_article_topics t using (article_id)  -- tags under the current taxonomy
    where a.first_seen_at > (select last_seen from anchor) - interval 30 day
),

per_outlet as (
    select
        topic,
        source,
        count(distinct article_id) as articles,
        count(distinct story) as stories
    from tagged
    group by all
),

ranked as (
    select
        *,
        round(100.0 * articles / sum(articles) over (partition by topic), 1) as share_pct,
        row_number() over (partition by topic order by articles desc, source) as rank
    from per_outlet
),

final as (
    select topic, rank, source, articles, stories, share_pct
    from ranked
    where rank <= 10
)

select * from final
order by topic, rank;
