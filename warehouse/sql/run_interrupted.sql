-- A run that died holding the run lock (killed, power lost): its row lived only in its
-- unpublished work file, so the next writer writes it, from what the lock file said.
-- Parameters: $run_id, $digest_date, $started_at, $flow_run_id.
insert into runs (run_id, digest_date, flow_run_id, started_at, finished_at, status)
select $run_id, $digest_date, $flow_run_id, $started_at, now(), 'interrupted'
where not exists (select 1 from runs where run_id = $run_id);
