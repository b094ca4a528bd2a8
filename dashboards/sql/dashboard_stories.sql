-- The dashboard's story table: each story of the digests in [$first, $last] once (its latest
-- listing), newest day first, as shown (v_digest_shown) with its entities; at most $limit rows.
with items as (
    select
        *,
        row_number() over (
            partition by topic, coalesce(story_id, article_id)
            order by digest_date desc, rank
        ) as nth
    from v_digest_shown
    where digest_date between $first and $last
),

shown as (
    select * from items where nth = 1
),

entities as (  -- only for the articles shown: the cost follows the page, not the history
    select e.article_id, list(e.entity order by e.mentions desc, e.entity) as names
    from article_entities as e
    where e.article_id in (select article_id from shown)
    group by e.article_id
)

select
    i.digest_date, i.topic, i.title, i.source, i.url, i.outlets, i.evidence, i.lang, e.names as entities
from shown as i
left join entities as e using (article_id)
order by i.digest_date desc, i.topic, i.rank
limit $limit;
