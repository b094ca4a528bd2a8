-- Top outlets per topic over [$start, $end) (UTC bounds): the $n outlets with the most articles
-- under the current taxonomy (v_current_tags) — word-for-word copies count for the outlet that
-- carried them (v_page_outlets) —, their display names, home page and share of the topic's
-- articles. Topics in contract order (the `topics` table).
with tagged as (
    select t.topic, o.outlet, o.is_copy, o.outlet_name, o.outlet_name_en, o.outlet_url, o.article_id
    from v_page_outlets as o
    inner join v_current_tags as t on t.article_id = o.article_id
    where o.first_seen_at >= $start and o.first_seen_at < $end
),

counted as (
    select
        topic,
        outlet,
        arg_min(outlet_name, is_copy) as name,  -- an own page's extracted site name before a copy's host
        arg_min(outlet_name_en, is_copy) as name_en,
        arg_min(outlet_url, is_copy) as url,
        count(distinct article_id) as articles
    from tagged
    group by topic, outlet
),

ranked as (
    select
        c.*,
        c.articles / sum(c.articles) over (partition by c.topic) as share,
        row_number() over (partition by c.topic order by c.articles desc, c.outlet) as rank
    from counted as c
)

select r.topic, r.rank, r.outlet, r.name, r.name_en, r.url, r.articles, r.share
from ranked as r
left join topics as p on p.topic = r.topic
where r.rank <= $n
order by p.position nulls last, r.topic, r.rank;
