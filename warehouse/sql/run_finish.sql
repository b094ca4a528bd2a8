-- Close a run's row with its status and counts. Parameters: $run_id, $status, $flow_run_id,
-- the counts $seeds_loaded … $emails, and $summary_json (all counts plus the skip reasons).
update runs set
    finished_at = now(),
    status = $status,
    flow_run_id = $flow_run_id,
    seeds_loaded = $seeds_loaded,
    seeds_skipped = $seeds_skipped,
    pages_fetched = $pages_fetched,
    fetch_errors = $fetch_errors,
    articles_new = $articles_new,
    articles_total = $articles_total,
    tags = $tags,
    emails = $emails,
    summary_json = $summary_json
where run_id = $run_id;
