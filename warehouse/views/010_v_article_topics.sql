-- v_article_topics: one row per (article, topic) under the current taxonomy, with the
-- evidence sentence(s) and the article's headline facts. The view analysts start from.
create or replace view v_article_topics as
with current_version as (
    select taxonomy_version
    from taxonomy_versions
    order by created_at desc, taxonomy_version
    limit 1
),

tags as (
    select t.*
    from article_topics as t
    inner join current_version as v on v.taxonomy_version = t.taxonomy_version
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
