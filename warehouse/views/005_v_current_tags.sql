-- v_current_tags: the rows of article_topics under the current taxonomy (v_current_taxonomy),
-- with every column of article_topics. A warehouse that never recorded a version (filled by
-- hand, or by an older Marsad) has no current taxonomy: then every tag counts.
create or replace view v_current_tags as
select t.*
from article_topics as t
where t.taxonomy_version = (select taxonomy_version from v_current_taxonomy)
   or not exists (select 1 from v_current_taxonomy);

comment on view v_current_tags is 'The rows of article_topics under the current taxonomy (v_current_taxonomy); every row when no version was ever recorded. Same columns as article_topics.';
comment on column v_current_tags.article_id is '→ articles.article_id.';
comment on column v_current_tags.topic is 'The topic id → topics.topic.';
comment on column v_current_tags.score is 'Confidence from 0 to 1 (see article_topics.score).';
comment on column v_current_tags.evidence is 'The triggering sentence(s), joined by newlines.';
comment on column v_current_tags.evidence_sentences is 'The same sentences as a list (varchar[]).';
comment on column v_current_tags.taxonomy_version is 'The current taxonomy version → v_current_taxonomy.';
comment on column v_current_tags.tagged_at is 'When the tag was written (timestamptz, UTC).';
comment on column v_current_tags.first_seen_at is 'Copy of articles.first_seen_at (timestamptz, UTC).';
comment on column v_current_tags.path is 'How the tag was made: ''rule: <name>'' or ''model p=…''; null for tags older than migration 003.';
