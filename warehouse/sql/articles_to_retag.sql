-- Articles for `marsad retag`: every stored article, or those first seen at or after $since.
select article_id, title, text
from articles
where $since is null or first_seen_at >= $since;
