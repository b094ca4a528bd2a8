-- Every topic tag carries its evidence: rows returned here are violations.
select article_id, topic, taxonomy_version
from article_topics
where evidence is null or trim(evidence) = '';
