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
