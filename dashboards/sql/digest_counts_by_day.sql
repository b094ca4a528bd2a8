-- The digest's own count and spike flag per topic for each built day in [$first, $last].
select topic, digest_date, articles, is_spike
from digest_topics
where digest_date between $first and $last;
