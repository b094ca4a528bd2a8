-- v_fetch_failures: every fetch attempt that did not yield a page, newest first.
create or replace view v_fetch_failures as
select fetched_at, source, url, status, http_status, error_class, error, elapsed_ms, queued_ms, run_id
from fetch_log
where status not in ('ok', 'not_modified', 'skipped')
order by fetched_at desc;
