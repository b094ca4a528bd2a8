-- 004_fetch_log_timing: a fetch_log row tells a request's own time apart from its waiting,
-- and names every source that listed a page (fetched once per run however many list it).
--   elapsed_ms (001) is now the request's own time: its attempts and redirect hops, no waiting.
--              Rows written before this migration also counted the wait behind the host.
--   queued_ms  the rest of the URL's wall time: its host's turn (per-host delay, one request
--              at a time), robots.txt being fetched, retry backoff, a Retry-After pause.
--              NULL on rows written before this migration.
--   listed_by  pages: every source that listed the URL this run, the fetching `source` first;
--              NULL for robots.txt, feeds, sitemaps and API documents.

alter table fetch_log add column queued_ms integer;
alter table fetch_log add column listed_by varchar[];
