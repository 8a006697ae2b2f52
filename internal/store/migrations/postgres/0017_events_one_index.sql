-- One index serves both ways events are listed, as on SQLite (0015 there):
-- a scope's events in order, and those of some types, whose type is
-- checked on the index's entries. The type is in collation C, so that a
-- prefix (charge.*) is a range of it (see typeFilter). An index of its own
-- on type cost every event a third index insertion, three a payment: both
-- at once against the build before, 3-5% less CPU per request. A list of
-- a rare type now scans the scope's index entries.
DROP INDEX events_type;
DROP INDEX events_scope;
CREATE INDEX events_scope ON events (account_id, livemode, seq, type COLLATE "C");
