-- new_entities_this_week: entities (companies, people, regulators, places) first mentioned in
-- the last 7 days — who entered the story this week — with how often and where.
--
-- Run:   marsad sql -f dashboards/cookbook/new_entities_this_week.sql
--         (--format csv | json | markdown for other tools; read-only, so it never blocks a run)
-- Or:    duckdb -readonly data/marsad.duckdb < dashboards/cookbook/new_entities_this_week.sql
-- Edit:  the 7-day span. "This week" is the 7 days up to the newest article in the warehouse.
with

anchor as (
    select max(first_seen_at) as last_seen from articles
),

mentions as (
    select e.entity, e.mentions, a.article_id, a.source, a.first_seen_at, a.title
    from article_entities e
    join articles a using (article_id)
),

first_seen as (
    select entity, min(first_seen_at) as first_mentioned
    from mentions
    group by entity
),

this_week as (
    select m.*
    from mentions m
    join first_seen f using (entity)
    where f.first_mentioned > (select last_seen from anchor) - interval 7 day
),

final as (
    select
        entity,
        min(first_seen_at) as first_mentioned,
        count(distinct article_id) as articles,
        sum(mentions) as mentions,
        count(distinct source) as sources,
        arg_min(title, first_seen_at) as first_title
    from this_week
    group by entity
)

select * from final
order by articles desc, mentions desc, entity;
