-- A run killed mid-way left its row 'running'; its loads were transactions, so nothing
-- half-written remains — only the row's status needs saying. Six hours is far beyond a daily
-- run, so a run still going in another process is never marked.
update runs set status = 'interrupted'
where status = 'running' and started_at < now() - interval 6 hour;
