-- v_current_tags: the rows of article_topics under the current taxonomy (v_current_taxonomy),
-- with every column of article_topics. A warehouse that never recorded a version (filled by
-- hand, or by an older Marsad) has no current taxonomy: then every tag counts.
create or replace view v_current_tags as
select t.*
from article_topics as t
where t.taxonomy_version = (select taxonomy_version from v_current_taxonomy)
   or not exists (select 1 from v_current_taxonomy);
