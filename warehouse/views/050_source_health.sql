-- source_health: per configured source and digest day, what the source yielded against what it
-- usually yields — so a feed that went silent (moved, blocked, emptied) is noticed the same day.
--
-- A "day" is a digest date of the `runs` table: a source's articles that day are the articles
-- it fetched first in a run of that date (articles.run_id), its fetches the fetch_log rows of
-- those runs. The definition (docs/DELIVERY.md, "Source health"):
--   history      the last 14 digest days before D on which the source was fetched (at least
--                one fetch attempt), looking back at most 56 days;
--   usually yields  >= 1 article on at least 10 of those days;
--   alert        the source usually yields and yielded no article on D (whatever the reason).
-- status on D: ok (>= 1 article) | silent (fetched, no article) | errors (every fetch attempt
-- failed) | not_fetched (no attempt: an offline run, or the source was skipped).
-- The seeds folder is not a source that can go silent and is left out; so are disabled sources.
create or replace view source_health as
with watched as (
    select
        source,
        kind,
        coalesce(try_cast(json_extract(config_json, '$.enabled') as boolean), enabled) as enabled
    from sources
    where kind <> 'seeds'
),

days as (
    select distinct digest_date from runs
),

fetches as (
    select
        f.source,
        r.digest_date,
        count(*) as fetches,
        count(*) filter (where f.status in ('ok', 'not_modified')) as fetched_ok,
        count(*) filter (where f.status not in ('ok', 'not_modified', 'skipped')) as failed,
        arg_max(coalesce(f.error, f.status), f.fetched_at)
            filter (where f.status not in ('ok', 'not_modified', 'skipped')) as last_error
    from fetch_log as f
    inner join runs as r on r.run_id = f.run_id
    group by f.source, r.digest_date
),

yields as (
    select a.source, r.digest_date, count(*) as articles
    from articles as a
    inner join runs as r on r.run_id = a.run_id
    group by a.source, r.digest_date
),

per_day as (
    select
        w.source,
        w.kind,
        d.digest_date,
        coalesce(y.articles, 0) as articles,
        coalesce(f.fetches, 0) as fetches,
        coalesce(f.fetched_ok, 0) as fetched_ok,
        coalesce(f.failed, 0) as fetch_errors,
        f.last_error
    from watched as w
    cross join days as d
    left join fetches as f on f.source = w.source and f.digest_date = d.digest_date
    left join yields as y on y.source = w.source and y.digest_date = d.digest_date
    where w.enabled
),

history as (
    select
        p.source,
        p.digest_date,
        h.articles,
        row_number() over (partition by p.source, p.digest_date order by h.digest_date desc) as nth
    from per_day as p
    inner join per_day as h
        on h.source = p.source
        and h.digest_date < p.digest_date
        and h.digest_date >= p.digest_date - interval 56 day
        and h.fetches > 0
),

recent as (
    select
        source,
        digest_date,
        count(*) as fetch_days,
        count(*) filter (where articles > 0) as yield_days,
        avg(articles) as baseline
    from history
    where nth <= 14
    group by source, digest_date
),

final as (
    select
        p.digest_date,
        p.source,
        p.kind,
        p.articles,
        p.fetches,
        p.fetch_errors,
        coalesce(t.fetch_days, 0) as fetch_days,
        coalesce(t.yield_days, 0) as yield_days,
        round(t.baseline, 2) as baseline,
        coalesce(t.yield_days, 0) >= 10 as usually_yields,
        case
            when p.articles > 0 then 'ok'
            when p.fetches = 0 then 'not_fetched'
            when p.fetched_ok = 0 then 'errors'
            else 'silent'
        end as status,
        coalesce(t.yield_days, 0) >= 10 and p.articles = 0 as alert,
        p.last_error
    from per_day as p
    left join recent as t on t.source = p.source and t.digest_date = p.digest_date
)

select * from final;

comment on view source_health is 'Per configured source and digest day: articles yielded against the trailing baseline; alert when a source that usually yields yields nothing.';
comment on column source_health.digest_date is 'The digest day (a digest_date of the runs table).';
comment on column source_health.source is 'Configured source name (sources.source).';
comment on column source_health.kind is 'Source kind: rss | sitemap | gdelt | urls.';
comment on column source_health.articles is 'Articles the source yielded that day: new articles it fetched first in that day''s runs.';
comment on column source_health.fetches is 'Fetch attempts for the source in that day''s runs (feeds, pages, API documents).';
comment on column source_health.fetch_errors is 'Fetch attempts that failed (http_error, timeout, refused, too_large, robots, error).';
comment on column source_health.fetch_days is 'History: how many of the last 14 fetched days (within 56 days before this one) there were.';
comment on column source_health.yield_days is 'History: on how many of those days the source yielded at least one article.';
comment on column source_health.baseline is 'History: mean articles per fetched day over those days (null without history).';
comment on column source_health.usually_yields is 'True when yield_days >= 10: the source yields articles on most days it is fetched.';
comment on column source_health.status is 'ok (>= 1 article) | silent (fetched, no article) | errors (every attempt failed) | not_fetched (no attempt).';
comment on column source_health.alert is 'True when the source usually yields and yielded no article that day: shown in the run summary, the email and the dashboard.';
comment on column source_health.last_error is 'The latest failed attempt''s error (or status) that day, if any.';
