-- Bulk-load staged articles (Arrow relation `staged_articles`) idempotently.
-- One article per canonical id and per content hash: an exact duplicate already stored (or
-- earlier in the same batch) adds only its URL to article_urls, never a second article.
-- $1 = first_seen_at for the new rows, $2 = run_id.

insert into articles (
    article_id, url, canonical_url, source, title, author, published_at, first_seen_at,
    lang, text, content_hash, story_id, site_name, run_id
)
with staged as (
    select * from staged_articles
),

first_per_id as (
    select * from staged
    qualify row_number() over (partition by article_id order by ord) = 1
),

first_per_hash as (
    select * from first_per_id
    qualify row_number() over (partition by content_hash order by ord) = 1
),

fresh as (
    select s.* from first_per_hash as s
    where not exists (select 1 from articles as a where a.article_id = s.article_id)
      and not exists (select 1 from articles as a where a.content_hash = s.content_hash)
)

select
    article_id, url, canonical_url, source, title, author, published_at, $1::timestamptz,
    lang, text, content_hash, null, site_name, $2
from fresh;
