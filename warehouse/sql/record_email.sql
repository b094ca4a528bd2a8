-- The `emails` ledger: upsert the (digest_date, recipient) row. 'sent' is final: a later
-- 'written' or 'failed' never downgrades it (that is what makes `digest --send` exactly-once).
-- Parameters: $digest_date, $recipient, $message_id, $status, $attempts, $path, $error.
insert into emails (digest_date, recipient, message_id, status, attempts, path, error, updated_at)
values ($digest_date, $recipient, $message_id, $status, $attempts, $path, $error, now())
on conflict (digest_date, recipient) do update set
    message_id = excluded.message_id,
    status = case when emails.status = 'sent' then 'sent' else excluded.status end,
    attempts = emails.attempts + excluded.attempts,
    path = coalesce(excluded.path, emails.path),
    error = case when emails.status = 'sent' then emails.error else excluded.error end,
    updated_at = now();
