-- v_fetch_failures: every fetch attempt that did not yield a page, newest first.
create or replace view v_fetch_failures as
select fetched_at, source, url, status, http_status, error_class, error, elapsed_ms, queued_ms, run_id
from fetch_log
where status not in ('ok', 'not_modified', 'skipped')
order by fetched_at desc;

comment on view v_fetch_failures is 'Every fetch attempt that did not yield a page (status other than ok, not_modified, skipped), newest first.';
comment on column v_fetch_failures.fetched_at is 'When the attempt was made (timestamptz, UTC).';
comment on column v_fetch_failures.source is 'The source it was fetched for → sources.source.';
comment on column v_fetch_failures.url is 'The URL requested.';
comment on column v_fetch_failures.status is 'http_error | timeout | refused | too_large | robots | error (see fetch_log.status).';
comment on column v_fetch_failures.http_status is 'The HTTP status code; null when no response came.';
comment on column v_fetch_failures.error_class is 'Machine-readable failure class (connect, dns, refused, …).';
comment on column v_fetch_failures.error is 'Human-readable failure message.';
comment on column v_fetch_failures.elapsed_ms is 'The request''s own time in milliseconds (attempts and redirect hops, no waiting).';
comment on column v_fetch_failures.queued_ms is 'Milliseconds spent waiting for the host''s turn, robots.txt, backoff or Retry-After; null on old rows.';
comment on column v_fetch_failures.run_id is 'The run that fetched → runs.run_id.';
