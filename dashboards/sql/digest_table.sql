-- The day's digest items as plain rows (e.g. for a Prefect table artifact): spiking topics
-- first, then contract order (the `topics` table; unknown topics after it, by name), then rank.
-- Parameter: $day.
select
    i.topic,
    coalesce(g.is_spike, false) as spike,
    i.rank,
    i.title,
    i.source,
    coalesce(i.outlets, 1) as outlets,
    i.evidence,
    i.url,
    g.articles as topic_articles,
    g.baseline
from digest_items as i
left join digest_topics as g on g.digest_date = i.digest_date and g.topic = i.topic
left join topics as p on p.topic = i.topic
where i.digest_date = $day
order by spike desc, p.position nulls last, i.topic, i.rank;
