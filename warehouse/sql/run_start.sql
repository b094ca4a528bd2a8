-- One row per run, written when the run starts. Parameters: $run_id, $digest_date, $started_at.
insert into runs (run_id, digest_date, started_at, status)
values ($run_id, $digest_date, $started_at, 'running');
