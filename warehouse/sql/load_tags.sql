-- Replace this taxonomy version's tags, entities and claims for the staged articles.
-- Relations: staged_ids(article_id, topics), staged_topics, staged_entities, staged_claims.
-- $taxonomy_version = taxonomy_version. Other versions' rows are kept for comparison.

delete from article_topics
where taxonomy_version = $taxonomy_version and article_id in (select article_id from staged_ids);

insert into article_topics (article_id, topic, score, evidence, evidence_sentences, taxonomy_version, first_seen_at, path)
select s.article_id, s.topic, s.score, s.evidence, s.sentences, $taxonomy_version, a.first_seen_at, s.path
from staged_topics as s
left join articles as a on a.article_id = s.article_id;

delete from tagging_log
where taxonomy_version = $taxonomy_version and article_id in (select article_id from staged_ids);

insert into tagging_log (article_id, taxonomy_version, topics)
select article_id, $taxonomy_version, topics from staged_ids;

delete from article_entities where article_id in (select article_id from staged_ids);

insert into article_entities (article_id, entity, mentions, taxonomy_version)
select article_id, entity, sum(mentions), $taxonomy_version from staged_entities group by all;

delete from article_claims where article_id in (select article_id from staged_ids);

insert into article_claims (article_id, kind, value, value_max, unit, currency, sentence)
select article_id, kind, value, value_max, unit, currency, sentence from staged_claims;
