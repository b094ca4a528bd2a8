-- Topic ids are a contract (accepted values: the `topics` table): rows returned are violations.
select 'article_topics' as tbl, topic from article_topics
where topic not in (select topic from topics)
union all
select 'digest_topics', topic from digest_topics
where topic not in (select topic from topics);
