-- v_current_taxonomy: the taxonomy version in force (at most one row) — the most recently
-- recorded one. The one definition of "current taxonomy": v_current_tags, the analysts'
-- v_article_topics, the dashboards and the digest's default version all read it.
create or replace view v_current_taxonomy as
select taxonomy_version
from taxonomy_versions
order by created_at desc, taxonomy_version
limit 1;

comment on view v_current_taxonomy is 'The taxonomy version in force: the most recently recorded one (at most one row; none before the first tagging).';
comment on column v_current_taxonomy.taxonomy_version is '→ taxonomy_versions.taxonomy_version: the version whose tags v_current_tags and v_article_topics show.';
