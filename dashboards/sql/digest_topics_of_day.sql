-- The digest's per-topic figures for $day, in contract order (the `topics` table), any
-- topic unknown to it after them by name.
select d.topic, d.articles, d.sources, d.stories, d.baseline, d.mad, d.is_spike
from digest_topics as d
left join topics as p on p.topic = d.topic
where d.digest_date = $day
order by p.position nulls last, d.topic;
