-- Expired idempotency records and events are found from the oldest rows
-- (rowid, seq) instead of by created: one index less for every payment to
-- write.
DROP INDEX idempotency_keys_created;
DROP INDEX events_created;
