-- The dashboard's story table: each story of the digests in [$first, $last] once — one row per
-- story, not per (story, topic) — shown as its latest listing (v_digest_shown: newest day, best
-- rank), with every topic it was listed under (contract order) and that topic's evidence, the
-- longest outlet list any listing had, and its entities. Newest day first; at most $limit rows.
with items as (
    select *, coalesce(story_id, article_id) as story
    from v_digest_shown
    where digest_date between $first and $last
),

latest as (
    select *, row_number() over (partition by story order by digest_date desc, rank, topic) as nth
    from items
),

per_topic as (  -- each (story, topic) once: its latest listing under that topic
    select
        i.story,
        i.topic,
        i.evidence,
        p.position,
        row_number() over (partition by i.story, i.topic order by i.digest_date desc, i.rank) as k
    from items as i
    left join topics as p on p.topic = i.topic
),

story_topics as (
    select
        story,
        list({'topic': topic, 'evidence': evidence} order by position nulls last, topic) as topics
    from per_topic
    where k = 1
    group by story
),

story_outlets as (
    select story, max(outlets) as outlets, arg_max(outlet_list, outlets) as outlet_list
    from items
    group by story
),

shown as (
    select
        l.story,
        l.digest_date,
        l.topic,
        l.rank,
        l.article_id,
        l.title,
        l.source,
        l.url,
        l.lang,
        l.published_at,
        l.first_seen_at,
        l.seed_file,
        o.outlets,
        o.outlet_list,
        t.topics
    from latest as l
    inner join story_outlets as o using (story)
    inner join story_topics as t using (story)
    where l.nth = 1
),

entities as (  -- only for the articles shown: the cost follows the page, not the history
    select e.article_id, list(e.entity order by e.mentions desc, e.entity) as names
    from article_entities as e
    where e.article_id in (select article_id from shown)
    group by e.article_id
)

select s.*, e.names as entities
from shown as s
left join entities as e using (article_id)
order by s.digest_date desc, s.outlets desc, s.rank, s.story
limit $limit;
