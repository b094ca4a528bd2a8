-- The digest items of $day for the email, per topic in rank order, as shown (v_digest_shown):
-- with when each was published and first seen, its seed file, and the story's outlets.
select
    topic, rank, title, source, url, outlets, evidence, story_id, lang,
    published_at, first_seen_at, seed_file, outlet_list
from v_digest_shown
where digest_date = $day
order by topic, rank;
