-- Articles the taxonomy $taxonomy_version has not tagged yet (tagging_log also records the
-- articles it tagged with no topic, so those are not tagged again).
select a.article_id, a.title, a.text
from articles as a
where not exists (
    select 1
    from tagging_log as l
    where l.article_id = a.article_id and l.taxonomy_version = $taxonomy_version
);
