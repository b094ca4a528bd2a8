-- v_article_outlets: each article's outlet — the publication a reader would name — with the
-- outlet's display names and home page, and the seed file a seed article came from.
--
-- Which outlet: an rss or sitemap source is one outlet (its config name); a gdelt or urls source
-- lists pages of many outlets, so there the outlet is the page's host (without "www."); seeds are
-- the outlet 'seeds'. Display name: the source's `display_name` from sources.toml (rss/sitemap
-- only; a table gives one per language), else the site name trafilatura extracted
-- (articles.site_name), else the host, else the source id. Home URL: the source's `home_url`
-- (rss/sitemap), else the scheme and host of the article's URL; none for seeds (no dead links).
--
-- One row per article: the article's own page in `v_page_outlets` (006), which also lists the
-- other outlets that carried the same text word for word.
create or replace view v_article_outlets as
select
    article_id, source, first_seen_at, source_kind, outlet, outlet_name, outlet_name_en, outlet_url,
    site_name, host, seed_file
from v_page_outlets
where not is_copy;

comment on view v_article_outlets is 'Each article''s outlet (the publication), its display names and home page, and a seed article''s file name.';
comment on column v_article_outlets.article_id is 'The article (articles.article_id).';
comment on column v_article_outlets.source is 'The configured source that fetched it (articles.source; ''seeds'' for seed files).';
comment on column v_article_outlets.first_seen_at is 'When Marsad first stored the article (articles.first_seen_at): filter on it to read only a window.';
comment on column v_article_outlets.source_kind is 'The source''s kind: seeds | rss | sitemap | gdelt | urls (null for a source not in the sources table).';
comment on column v_article_outlets.outlet is 'The outlet id: the source for rss/sitemap sources, the page host for gdelt/urls sources, ''seeds'' for seed files. Stories count distinct outlets.';
comment on column v_article_outlets.outlet_name is 'Display name for the Arabic chrome: display_name (ar) from sources.toml, else the extracted site name, else the host, else the source id.';
comment on column v_article_outlets.outlet_name_en is 'Display name for the English chrome: display_name (en) from sources.toml, else the extracted site name, else the host, else the source id.';
comment on column v_article_outlets.outlet_url is 'The outlet''s home page: home_url from sources.toml, else scheme and host of the article URL; null for seeds.';
comment on column v_article_outlets.site_name is 'The site name extracted from the page (articles.site_name), if any.';
comment on column v_article_outlets.host is 'Host of the article URL without "www." (null for seeds).';
comment on column v_article_outlets.seed_file is 'For a seed article: its file name in the seeds folder (seeds have no URL); null otherwise.';
