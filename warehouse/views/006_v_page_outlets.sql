-- v_page_outlets: every outlet that carried an article's text — the article's own page and
-- each other URL at which the same text was seen (`article_urls`: an agency story reproduced
-- word for word by several outlets is ONE article, whose other copies are URLs) — with the
-- outlet's display names and home page. One row per (article, page); the article's own page
-- has is_copy = false (that row is `v_article_outlets`), and its own URL appears once more as
-- a copy, so count outlets with `count(distinct outlet)`. Stories in the digest name every
-- outlet here. Naming rules: see v_article_outlets (a copy has no extracted site name).
create or replace view v_page_outlets as
with configured as (
    select
        source,
        kind,
        json_type(config_json, '$.display_name') as name_type,
        json_extract_string(config_json, '$.display_name') as name_text,
        json_extract_string(config_json, '$.display_name.ar') as name_ar,
        json_extract_string(config_json, '$.display_name.en') as name_en,
        json_extract_string(config_json, '$.home_url') as home_url
    from sources
),

pages as (  -- the article's own page, then every URL its exact text was seen at (article_urls)
    select article_id, source, first_seen_at, nullif(trim(site_name), '') as site_name,
           coalesce(canonical_url, url) as page_url, url as raw_url, false as is_copy
    from articles
    union all
    select article_id, source, first_seen_at, null as site_name, url as page_url, url as raw_url, true as is_copy
    from article_urls
),

articles_with_hosts as (
    select
        a.article_id,
        a.source,
        a.first_seen_at,
        a.is_copy,
        a.site_name,
        a.page_url,
        nullif(lower(regexp_extract(a.page_url, '^https?://(?:www\.)?([^/:?#]+)', 1)), '') as host,
        nullif(regexp_extract(a.page_url, '^(https?://[^/?#]+)', 1), '') as origin,
        case when a.raw_url like 'seed://%' and not a.is_copy then substr(a.raw_url, 8) end as seed_file,
        coalesce(c.kind, case when a.source = 'seeds' then 'seeds' end) as kind,
        case when c.name_type = 'VARCHAR' then c.name_text end as name_plain,
        c.name_ar,
        c.name_en,
        c.home_url
    from pages as a
    left join configured as c on c.source = a.source
),

final as (
    select
        article_id,
        source,
        first_seen_at,
        is_copy,
        kind as source_kind,
        case
            when kind = 'seeds' then 'seeds'
            when kind in ('gdelt', 'urls') and host is not null then host
            else source
        end as outlet,
        case
            when kind in ('gdelt', 'urls') then coalesce(site_name, host, source)
            else coalesce(name_ar, name_plain, site_name, name_en, host, source)
        end as outlet_name,
        case
            when kind in ('gdelt', 'urls') then coalesce(site_name, host, source)
            else coalesce(name_en, name_plain, site_name, name_ar, host, source)
        end as outlet_name_en,
        case
            when kind = 'seeds' then null
            when kind in ('gdelt', 'urls') then origin || '/'
            else coalesce(home_url, origin || '/')
        end as outlet_url,
        site_name,
        host,
        seed_file
    from articles_with_hosts
)

select * from final;

comment on view v_page_outlets is 'Every outlet that carried an article''s text: its own page (is_copy = false) and each other URL the same text was seen at (article_urls), with display names and home pages. Count outlets with count(distinct outlet).';
comment on column v_page_outlets.article_id is 'The article (articles.article_id).';
comment on column v_page_outlets.source is 'The configured source that listed this page (''seeds'' for seed files).';
comment on column v_page_outlets.first_seen_at is 'When Marsad first saw this page (articles.first_seen_at, or article_urls.first_seen_at for a copy): filter on it to read only a window.';
comment on column v_page_outlets.is_copy is 'false for the article''s own page; true for a URL from article_urls (another outlet''s word-for-word copy, or the article''s own URL again).';
comment on column v_page_outlets.source_kind is 'The source''s kind: seeds | rss | sitemap | gdelt | urls (null for a source not in the sources table).';
comment on column v_page_outlets.outlet is 'The outlet id: the source for rss/sitemap sources, the page host for gdelt/urls sources, ''seeds'' for seed files.';
comment on column v_page_outlets.outlet_name is 'Display name for the Arabic chrome: display_name (ar) from sources.toml, else the extracted site name (own page only), else the host, else the source id.';
comment on column v_page_outlets.outlet_name_en is 'Display name for the English chrome: display_name (en) from sources.toml, else the extracted site name (own page only), else the host, else the source id.';
comment on column v_page_outlets.outlet_url is 'The outlet''s home page: home_url from sources.toml, else scheme and host of the page URL; null for seeds.';
comment on column v_page_outlets.site_name is 'The site name extracted from the article''s own page (articles.site_name); null for copies.';
comment on column v_page_outlets.host is 'Host of the page URL without "www." (null for seeds).';
comment on column v_page_outlets.seed_file is 'For a seed article''s own row: its file name in the seeds folder; null otherwise.';
