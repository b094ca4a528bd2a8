-- digest_items for one date: per topic, the top stories of the day with their evidence.
--
-- A story is a near-duplicate cluster (`articles.story_id`; an article on its own is its own
-- story), listed once, represented by its earliest article (published_at, else first_seen_at).
-- Ranking rule (documented in README): stories carried by more outlets first, then the higher
-- tag score, then the earlier story; ties broken by article_id so a rebuild is stable.
--
-- Parameters: $digest_date, $day_start, $day_end, $taxonomy_version, $top_n.

delete from digest_items where digest_date = $digest_date;

insert into digest_items (digest_date, topic, rank, article_id, story_id, title, source, url, score, outlets, evidence)
with day_tags as (
    select
        t.topic,
        t.score,
        t.evidence,
        a.article_id,
        coalesce(a.story_id, a.article_id) as story_id,
        a.title,
        a.source,
        coalesce(a.canonical_url, a.url) as url,
        coalesce(a.published_at, a.first_seen_at) as seen
    from article_topics as t
    inner join articles as a on a.article_id = t.article_id
    where t.taxonomy_version = $taxonomy_version
      and t.first_seen_at >= $day_start and t.first_seen_at < $day_end
      -- the same window on articles lets DuckDB skip old row groups of the big table
      and a.first_seen_at >= $day_start and a.first_seen_at < $day_end
),

stories as (
    select
        topic,
        story_id,
        count(distinct source) as outlets,
        max(score) as story_score,
        arg_min(article_id, (seen, article_id)) as lead_article,
        min(seen) as story_seen
    from day_tags
    group by topic, story_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by topic order by outlets desc, story_score desc, story_seen, lead_article
        ) as rank
    from stories
),

final as (
    select
        $digest_date::date as digest_date,
        r.topic,
        r.rank,
        d.article_id,
        r.story_id,
        d.title,
        d.source,
        d.url,
        r.story_score as score,
        r.outlets,
        d.evidence
    from ranked as r
    inner join day_tags as d on d.topic = r.topic and d.article_id = r.lead_article
    where r.rank <= $top_n
)

select * from final order by topic, rank;
