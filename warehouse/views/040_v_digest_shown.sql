-- v_digest_shown: each digest item as the email and the dashboard show it — the digest row's
-- title, source, URL and story, falling back to its article's own where the row has none,
-- plus the article's language (which sets the text direction).
create or replace view v_digest_shown as
select
    i.digest_date,
    i.topic,
    i.rank,
    i.article_id,
    coalesce(i.story_id, a.story_id) as story_id,
    coalesce(i.title, a.title) as title,
    coalesce(i.source, a.source) as source,
    coalesce(i.url, a.canonical_url, a.url) as url,
    coalesce(i.outlets, 1) as outlets,
    i.evidence,
    coalesce(a.lang, 'ar') as lang
from digest_items as i
left join articles as a using (article_id);

comment on view v_digest_shown is 'Each digest item as the email and the dashboard show it: the digest row''s fields, falling back to its article''s own where the row has none.';
comment on column v_digest_shown.digest_date is 'The digest day (date in the digest time zone).';
comment on column v_digest_shown.topic is 'The topic id → topics.topic.';
comment on column v_digest_shown.rank is '1 = first story of the topic that day.';
comment on column v_digest_shown.article_id is 'The representative article → articles.article_id.';
comment on column v_digest_shown.story_id is 'The story (near-duplicate cluster), from the digest row else the article.';
comment on column v_digest_shown.title is 'The headline, from the digest row else the article; null when neither has one.';
comment on column v_digest_shown.source is 'The source, from the digest row else the article.';
comment on column v_digest_shown.url is 'The link: the digest row''s URL, else the article''s canonical URL, else its first-seen URL.';
comment on column v_digest_shown.outlets is 'Distinct sources that carried the story (1 when the row has no count).';
comment on column v_digest_shown.evidence is 'The evidence sentence(s), joined by newlines.';
comment on column v_digest_shown.lang is 'The article''s language (ar when unknown): sets the text direction.';
