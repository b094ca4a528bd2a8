-- digest_topics for one date: per topic, the day's article, source and story counts, and a
-- spike flag against a trailing baseline. Rebuilding a date replaces its rows (the caller wraps
-- this file in one transaction, so readers see the old rows or the new ones, never a mix).
--
-- Baseline rule (documented in README): over the 14 days before D on which Marsad was already
-- watching (from the day of its first stored article), baseline = median of the topic's daily
-- counts (days with none count as 0) and mad = median absolute deviation from it. D is a spike
-- when at least 7 such days exist, the day has >= 3 articles, and
-- articles > baseline + 3 * max(1.4826 * mad, 1).
--
-- Parameters: $digest_date, $day_start, $day_end (timestamptz window of D in the digest time
-- zone), $history_start (D - 14 days), $tz, $taxonomy_version.

delete from digest_topics where digest_date = $digest_date;

insert into digest_topics (digest_date, topic, articles, sources, stories, baseline, mad, is_spike)
with topic_ids as (
    select topic from topics  -- the contract's ids (migration 002): every topic gets a row
),

tags_in_range as (
    select article_id, topic, first_seen_at
    from article_topics
    where taxonomy_version = $taxonomy_version
      and first_seen_at >= $history_start and first_seen_at < $day_end
),

day_tags as (
    select t.topic, a.article_id, a.source, coalesce(a.story_id, a.article_id) as story_id
    from tags_in_range as t
    inner join articles as a on a.article_id = t.article_id
    where t.first_seen_at >= $day_start
      -- the same window on articles lets DuckDB skip old row groups of the big table
      and a.first_seen_at >= $day_start and a.first_seen_at < $day_end
),

day_counts as (
    select
        topic,
        count(distinct article_id) as articles,
        count(distinct source) as sources,
        count(distinct story_id) as stories
    from day_tags
    group by topic
),

first_day as (
    -- the first day Marsad watched, capped at the window's start: an EXISTS on older rows
    -- stops at the first match instead of scanning the whole history for its minimum
    select case
        when exists (select 1 from articles where first_seen_at < $history_start)
            then cast($history_start at time zone $tz as date)
        else (select (min(first_seen_at) at time zone $tz)::date from articles where first_seen_at >= $history_start)
    end as day
),

watched_days as (
    select cast(d.day as date) as day
    from first_day as f,
        generate_series(cast($history_start at time zone $tz as date), cast($digest_date as date) - 1, interval 1 day) as d(day)
    where cast(d.day as date) >= f.day
),

history_counts as (
    select topic, (first_seen_at at time zone $tz)::date as day, count(distinct article_id) as n
    from tags_in_range
    where first_seen_at < $day_start
    group by all
),

history as (
    select t.topic, w.day, coalesce(h.n, 0) as n
    from topic_ids as t
    cross join watched_days as w
    left join history_counts as h on h.topic = t.topic and h.day = w.day
),

baseline as (
    select topic, median(n) as baseline, count(*) as days
    from history
    group by topic
),

mad as (
    select h.topic, median(abs(h.n - b.baseline)) as mad
    from history as h
    inner join baseline as b on b.topic = h.topic
    group by h.topic
),

final as (
    select
        $digest_date::date as digest_date,
        t.topic,
        coalesce(c.articles, 0) as articles,
        coalesce(c.sources, 0) as sources,
        coalesce(c.stories, 0) as stories,
        b.baseline,
        m.mad,
        coalesce(
            b.days >= 7
            and coalesce(c.articles, 0) >= 3
            and coalesce(c.articles, 0) > b.baseline + 3 * greatest(1.4826 * m.mad, 1),
            false
        ) as is_spike
    from topic_ids as t
    left join day_counts as c on c.topic = t.topic
    left join baseline as b on b.topic = t.topic
    left join mad as m on m.topic = t.topic
)

select * from final;
