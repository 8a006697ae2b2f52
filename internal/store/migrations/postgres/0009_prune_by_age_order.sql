-- Expired events are found from the oldest rows (seq) instead of by
-- created: one index less for every event to write. Idempotency records
-- have no such order on PostgreSQL and keep their index on created.
DROP INDEX events_created;
