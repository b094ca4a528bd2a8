-- Recipients whose digest for $digest_date is already sent (skipped by `digest --send`).
select recipient
from emails
where digest_date = $digest_date and status = 'sent';
