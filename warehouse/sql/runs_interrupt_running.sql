-- Runs still 'running' when a writer takes the run lock are dead: the lock proves no other
-- writer is alive. (Only a writer killed mid-way by an older, in-place Marsad leaves such a
-- row; today's writers publish a run's row only when it ends.) Their loads were transactions,
-- so nothing half-written remains — only the row's status needs saying.
update runs set status = 'interrupted', finished_at = coalesce(finished_at, now())
where status = 'running';
