-- Articles per topic per local day, from the tags under the current taxonomy (so days before
-- the first digest still have a trend). The window is on articles.first_seen_at, by range, so
-- the cost follows the days shown, not the size of the history.
-- Parameters: $tz (digest time zone), $start, $end (UTC bounds of the first and after the last day).
with window_articles as (
    select article_id, (first_seen_at at time zone $tz)::date as day
    from articles
    where first_seen_at >= $start and first_seen_at < $end
)

select t.topic, w.day, count(distinct w.article_id) as articles
from window_articles as w
inner join v_current_tags as t using (article_id)
group by all;
