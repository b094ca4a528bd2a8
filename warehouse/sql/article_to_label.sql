-- One stored article for `marsad label`, by its id or by a URL it was seen at (the link in the
-- digest email): what it says, and the topics it carries now (under the current taxonomy,
-- v_current_tags), so the command can show what the analyst's label changes.
select a.article_id, a.url, a.source, a.title, a.text,
       coalesce((select list(t.topic order by t.topic) from v_current_tags as t
                 where t.article_id = a.article_id), []) as tagged
from articles as a
where a.article_id = $key
   or a.url = $key
   or a.canonical_url = $key
   or a.article_id in (select u.article_id from article_urls as u where u.url = $key)
order by a.article_id = $key desc
limit 1;
