-- Tags, digest items and URLs must point at stored articles: rows returned are violations.
select 'article_topics' as tbl, article_id from article_topics
where article_id not in (select article_id from articles)
union all
select 'digest_items', article_id from digest_items
where article_id not in (select article_id from articles)
union all
select 'article_urls', article_id from article_urls
where article_id not in (select article_id from articles);
