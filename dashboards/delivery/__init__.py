"""Getting the digest to its readers: the email (outbox `.eml` files), SMTP delivery with an
exactly-once ledger, and the recipients file."""
