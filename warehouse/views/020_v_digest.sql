-- v_digest: each digest item beside its topic's day figures (counts, baseline, spike).
create or replace view v_digest as
select
    i.digest_date,
    i.topic,
    d.articles as topic_articles,
    d.is_spike,
    d.baseline,
    i.rank,
    i.title,
    i.source,
    i.outlets,
    i.url,
    i.evidence,
    i.article_id,
    i.story_id
from digest_items as i
inner join digest_topics as d on d.digest_date = i.digest_date and d.topic = i.topic;
