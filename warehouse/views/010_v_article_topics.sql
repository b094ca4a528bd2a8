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
