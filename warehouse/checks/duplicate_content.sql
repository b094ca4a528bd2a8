-- Exact duplicates become one article: two articles with one content hash are violations.
select content_hash, count(*) as n, list(article_id) as article_ids
from articles
group by content_hash
having count(*) > 1;
