-- digest_items for one date: per topic, the top stories of the day with their evidence.
--
-- A story is a near-duplicate cluster (`articles.story_id`; an article on its own is its own
-- story), listed once, represented by its earliest article (published_at, else first_seen_at).
-- Ranking rule (documented in README): stories carried by more outlets first, then the higher
-- tag score, then the earlier story; ties broken by article_id so a rebuild is stable.
-- Outlets are v_page_outlets.outlet (the source of an rss/sitemap source, the page host of a
-- gdelt/urls source) of every page that carried a story's text, word-for-word copies of an
-- article included (article_urls); `outlet_list` names them, the lead article's outlet first.
--
-- Parameters: $digest_date, $day_start, $day_end, $taxonomy_version, $top_n.

delete from digest_items where digest_date = $digest_date;

insert into digest_items (digest_date, topic, rank, article_id, story_id, title, source, url, score, outlets, evidence, outlet_list)
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
        coalesce(a.published_at, a.first_seen_at) as seen,
        o.outlet,
        o.is_copy,
        o.outlet_name,
        o.outlet_name_en,
        o.outlet_url
    from article_topics as t
    inner join articles as a on a.article_id = t.article_id
    inner join v_page_outlets as o on o.article_id = t.article_id
    where t.taxonomy_version = $taxonomy_version
      and t.first_seen_at >= $day_start and t.first_seen_at < $day_end
      -- the same window on articles lets DuckDB skip old row groups of the big table
      and a.first_seen_at >= $day_start and a.first_seen_at < $day_end
      and o.first_seen_at >= $day_start and o.first_seen_at < $day_end
),

story_outlets as (  -- each outlet of a story once, as its earliest article there names it
    select               -- (an article's own page before the copies of its text)
        topic,
        story_id,
        outlet,
        min((seen, article_id, is_copy)) as first_copy,
        arg_min({'outlet': outlet, 'name': outlet_name, 'name_en': outlet_name_en, 'url': outlet_url},
                (seen, article_id, is_copy)) as named
    from day_tags
    group by topic, story_id, outlet
),

outlet_lists as (
    select topic, story_id, count(*) as outlets, list(named order by first_copy) as outlet_list
    from story_outlets
    group by topic, story_id
),

stories as (
    select
        d.topic,
        d.story_id,
        any_value(l.outlets) as outlets,
        any_value(l.outlet_list) as outlet_list,
        max(d.score) as story_score,
        arg_min(d.article_id, (d.seen, d.article_id)) as lead_article,
        min(d.seen) as story_seen
    from day_tags as d
    inner join outlet_lists as l on l.topic = d.topic and l.story_id = d.story_id
    group by d.topic, d.story_id
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
        d.evidence,
        r.outlet_list
    from ranked as r
    inner join day_tags as d on d.topic = r.topic and d.article_id = r.lead_article and not d.is_copy
    where r.rank <= $top_n
)

select * from final order by topic, rank;
