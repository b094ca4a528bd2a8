-- Append staged fetch attempts (Arrow relation `staged_log`) to fetch_log: a log, each row
-- its own fact, so nothing is merged or replaced. $1 = run_id.

insert into fetch_log (
    run_id, url, source, status, http_status, error_class, error, bytes, elapsed_ms, queued_ms,
    listed_by, fetched_at
)
select
    $1, url, source, status, http_status, error_class, error, bytes, elapsed_ms, queued_ms,
    listed_by, coalesce(fetched_at, now())
from staged_log;
