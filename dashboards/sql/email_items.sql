-- The digest items of $day for the email, per topic in rank order, as shown (v_digest_shown).
select topic, rank, title, source, url, outlets, evidence, story_id, lang
from v_digest_shown
where digest_date = $day
order by topic, rank;
