-- (articles, stories) of the day in the topics $topics, each counted once across topics.
-- Parameters: $start, $end (UTC bounds of the day), $topics (a list of topic ids).
-- Semi-joins from the day's articles: with a topic filter on a plain join, DuckDB builds its
-- hash table on the (whole-history) tag side; this form keeps the cost to the day.
with day_articles as (
    select article_id, coalesce(story_id, article_id) as story
    from articles
    where first_seen_at >= $start and first_seen_at < $end
),

tagged as (
    select t.article_id
    from v_current_tags as t
    where t.article_id in (select article_id from day_articles)
      and list_contains($topics, t.topic)
)

select count(*) as articles, count(distinct story) as stories
from day_articles
where article_id in (select article_id from tagged);
