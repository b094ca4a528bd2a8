-- How each tag was made (issue 13), additive: existing rows keep path = null.
--   'rule: <rule name>'  the best rule of config/topics.toml that fired in the evidence sentences
--   'model p=0.87'       the topic model (config/topic_model.json.gz) added a topic the rules missed
alter table article_topics add column if not exists path varchar;

-- taxonomy_version now covers topics.toml, entities.toml and the topic model: keep the
-- entities text and the model's sha256 beside the rules text, so a version can be reproduced
-- from the table (an older row has them null).
alter table taxonomy_versions add column if not exists entities_toml varchar;
alter table taxonomy_versions add column if not exists model_sha256 varchar;
