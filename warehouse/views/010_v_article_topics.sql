-- v_article_topics: one row per (article, topic) under the current taxonomy, with the
-- evidence sentence(s) and the article's headline facts. The view analysts start from.
create or replace view v_article_topics as
with tags as (
    select *
    from v_current_tags
),

final as (
    select
        a.article_id,
        a.title,
        a.source,
        coalesce(a.canonical_url, a.url) as url,
        a.lang,
        a.published_at,
        a.first_seen_at,
        a.story_id,
        t.topic,
        t.score,
        t.evidence,
        t.taxonomy_version,
        t.path
    from tags as t
    inner join articles as a on a.article_id = t.article_id
)

select * from final;

comment on view v_article_topics is 'Start here: one row per (article, topic) under the current taxonomy, with the evidence sentence(s) and the article''s headline facts.';
comment on column v_article_topics.article_id is '→ articles.article_id.';
comment on column v_article_topics.title is 'The article''s headline; null when the page had none.';
comment on column v_article_topics.source is 'The source it came from → sources.source.';
comment on column v_article_topics.url is 'The canonical URL, else the URL the article was first seen at.';
comment on column v_article_topics.lang is 'Detected language (ar, en, …); null when undetectable.';
comment on column v_article_topics.published_at is 'Publication time the page states (timestamptz); null when unknown.';
comment on column v_article_topics.first_seen_at is 'When Marsad first stored the article (timestamptz, UTC); the digest day is this instant''s date in the digest time zone.';
comment on column v_article_topics.story_id is 'Near-duplicate cluster: the article_id of the story''s earliest article; null until clustered.';
comment on column v_article_topics.topic is 'The topic id → topics.topic.';
comment on column v_article_topics.score is 'Confidence from 0 to 1 (see article_topics.score).';
comment on column v_article_topics.evidence is 'The sentence(s) that triggered the tag, quoted as written, joined by newlines.';
comment on column v_article_topics.taxonomy_version is 'The current taxonomy version → v_current_taxonomy.';
comment on column v_article_topics.path is 'How the tag was made: ''rule: <name>'' or ''model p=…''; null for tags older than migration 003.';
