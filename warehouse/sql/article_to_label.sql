-- One stored article for `marsad label`: what it says, and the topics it carries now (under the
-- current taxonomy, v_current_tags), so the command can show what the analyst's label changes.
select a.article_id, a.url, a.source, a.title, a.text,
       coalesce((select list(t.topic order by t.topic) from v_current_tags as t
                 where t.article_id = a.article_id), []) as tagged
from articles as a
where a.article_id = $article_id;
