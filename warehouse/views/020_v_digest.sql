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

comment on view v_digest is 'Each digest item beside its topic''s figures for the day (article count, baseline, spike flag): the digest as one table.';
comment on column v_digest.digest_date is 'The digest day (date in the digest time zone).';
comment on column v_digest.topic is 'The topic id → topics.topic.';
comment on column v_digest.topic_articles is 'Articles tagged with the topic that day (digest_topics.articles).';
comment on column v_digest.is_spike is 'Whether the topic spiked that day (digest_topics.is_spike).';
comment on column v_digest.baseline is 'The topic''s trailing 14-day median daily count (digest_topics.baseline); null without history.';
comment on column v_digest.rank is '1 = first story of the topic that day.';
comment on column v_digest.title is 'The story''s representative headline; may be null (v_digest_shown falls back to the article''s).';
comment on column v_digest.source is 'The representative article''s source → sources.source.';
comment on column v_digest.outlets is 'Distinct sources that carried the story that day.';
comment on column v_digest.url is 'The representative article''s canonical URL, else its first-seen URL.';
comment on column v_digest.evidence is 'The evidence sentence(s) for the topic, joined by newlines.';
comment on column v_digest.article_id is 'The representative (earliest) article → articles.article_id.';
comment on column v_digest.story_id is 'The story (near-duplicate cluster) → articles.story_id.';
