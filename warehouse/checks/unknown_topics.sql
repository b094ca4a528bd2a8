-- Topic ids are a contract (accepted values): rows returned here are violations.
select 'article_topics' as tbl, topic from article_topics
where topic not in ('export_controls', 'pricing', 'privacy_bans', 'market_impact')
union all
select 'digest_topics', topic from digest_topics
where topic not in ('export_controls', 'pricing', 'privacy_bans', 'market_impact');
