-- 006_digest_outlets: a digest item names the outlets that carried its story (issue 11), so the
-- email and the dashboard can say "الجزيرة، العربية و3 أخرى" and link each one. Additive: rows
-- built before this migration keep outlet_list = null (readers fall back to the lead article's
-- outlet, v_digest_shown). `outlets` now counts distinct outlets (v_article_outlets.outlet),
-- which is the source for every rss/sitemap source, as before.
alter table digest_items add column if not exists outlet_list struct(outlet varchar, "name" varchar, name_en varchar, url varchar)[];

comment on column digest_items.outlet_list is 'The outlets that carried the story that day under this topic, the lead article''s first, then by first publication: (outlet id, Arabic display name, English display name, home URL or null). See v_article_outlets.';
