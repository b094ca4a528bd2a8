-- Record every URL at which a staged article's text was seen, pointing at the one stored
-- article with that content hash (or id). URLs already recorded are left alone.
-- Relation `staged_urls(url, content_hash, article_id, source)`; $1 = seen_at.

insert into article_urls (url, article_id, source, first_seen_at)
with staged as (
    select * from staged_urls
    qualify row_number() over (partition by url order by article_id) = 1
),

resolved as (
    select
        s.url,
        coalesce(by_id.article_id, by_hash.article_id) as article_id,
        s.source
    from staged as s
    left join articles as by_id on by_id.article_id = s.article_id
    left join (
        select content_hash, min(article_id) as article_id from articles group by content_hash
    ) as by_hash on by_hash.content_hash = s.content_hash
)

select url, article_id, source, $1::timestamptz
from resolved
where article_id is not null
  and not exists (select 1 from article_urls as u where u.url = resolved.url);
