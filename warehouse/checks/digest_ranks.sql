-- Digest ranks run 1..n without gaps per date and topic: rows returned are violations.
select digest_date, topic, count(*) as items, max(rank) as max_rank
from digest_items
group by digest_date, topic
having max(rank) <> count(*) or min(rank) <> 1;
