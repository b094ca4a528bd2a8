-- v_digest_shown: each digest item as the email and the dashboard show it — the digest row's
-- title, source, URL and story, falling back to its article's own where the row has none,
-- plus the article's language (which sets the text direction), when it was published and first
-- seen, its seed file (seeds have no URL), and the story's outlets (digest_items.outlet_list;
-- a row built before migration 006 gets its lead article's outlet alone).
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
    coalesce(a.lang, 'ar') as lang,
    a.published_at,
    a.first_seen_at,
    o.seed_file,
    coalesce(
        i.outlet_list,
        case when o.outlet is not null then
            [{'outlet': o.outlet, 'name': o.outlet_name, 'name_en': o.outlet_name_en, 'url': o.outlet_url}]
        end
    ) as outlet_list
from digest_items as i
left join articles as a using (article_id)
left join v_article_outlets as o using (article_id);

comment on view v_digest_shown is 'Each digest item as the email and the dashboard show it (digest_items joined to its article and outlets).';
comment on column v_digest_shown.digest_date is 'The digest day (local day in the digest time zone).';
comment on column v_digest_shown.topic is 'Topic id (the topics table).';
comment on column v_digest_shown.rank is 'Rank of the story within the topic that day (1 = first).';
comment on column v_digest_shown.article_id is 'The story''s lead article (its earliest copy).';
comment on column v_digest_shown.story_id is 'The story (near-duplicate cluster); an article alone is its own story.';
comment on column v_digest_shown.title is 'Headline of the lead article.';
comment on column v_digest_shown.source is 'Configured source of the lead article (a config id; see outlet_list for reader-facing names).';
comment on column v_digest_shown.url is 'URL of the lead article (canonical when known; seed://<file> for seeds).';
comment on column v_digest_shown.outlets is 'How many distinct outlets carried the story that day under this topic.';
comment on column v_digest_shown.evidence is 'The sentence(s) that made the tag, joined by newlines (never the headline).';
comment on column v_digest_shown.lang is 'Language of the lead article (sets the text direction); ar when unknown.';
comment on column v_digest_shown.published_at is 'When the lead article says it was published (null when the page states no date).';
comment on column v_digest_shown.first_seen_at is 'When Marsad first stored the lead article (the digest window is on this).';
comment on column v_digest_shown.seed_file is 'For a seed article: its file name (seeds have no URL); null otherwise.';
comment on column v_digest_shown.outlet_list is 'The outlets that carried the story: (outlet id, Arabic name, English name, home URL), lead first.';
