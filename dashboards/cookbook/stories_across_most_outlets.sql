-- stories_across_most_outlets: the stories (near-duplicate clusters, `story_id`) carried by
-- the most distinct outlets in the last 30 days, with the earliest outlet and headline.
--
-- Run:   marsad sql -f dashboards/cookbook/stories_across_most_outlets.sql
--         (--format csv | json | markdown for other tools; read-only, so it never blocks a run)
-- Or:    duckdb -readonly data/marsad.duckdb < dashboards/cookbook/stories_across_most_outlets.sql
-- Edit:  the 30-day span or the `limit`.
-- An article not yet clustered counts as a story of its own.
with

anchor as (
    select max(first_seen_at) as last_seen from articles
),

recent as (
    select coalesce(story_id, article_id) as story_id, article_id, source, title, first_seen_at
    from articles
    where first_seen_at > (select last_seen from anchor) - interval 30 day
),

topics as (
    select r.story_id, string_agg(distinct t.topic, ', ' order by t.topic) as topics
    from recent r
    join v_article_topics t using (article_id)
    group by r.story_id
),

stories as (
    select
        story_id,
        count(distinct source) as outlets,
        count(*) as articles,
        min(first_seen_at) as first_seen,
        arg_min(source, first_seen_at) as first_source,
        arg_min(title, first_seen_at) as first_title,
        string_agg(distinct source, ', ' order by source) as all_outlets
    from recent
    group by story_id
),

final as (
    select s.*, t.topics
    from stories s
    left join topics t using (story_id)
)

select * from final
order by outlets desc, articles desc, first_seen
limit 50;
