-- The objects a payment writes are found by id and listed by
-- (account_id, livemode, seq): nothing looks one up by seq alone, so its
-- index only cost every payment three more index insertions (about 3 µs of
-- PostgreSQL each). id becomes the primary key in place of its unique
-- constraint; seq keeps its sequence and still orders the lists. Events
-- keep theirs: expired events are found from the lowest seq (see 0009).
ALTER TABLE payment_methods DROP CONSTRAINT payment_methods_pkey, DROP CONSTRAINT payment_methods_id_key, ADD PRIMARY KEY (id);
ALTER TABLE payment_intents DROP CONSTRAINT payment_intents_pkey, DROP CONSTRAINT payment_intents_id_key, ADD PRIMARY KEY (id);
ALTER TABLE charges DROP CONSTRAINT charges_pkey, DROP CONSTRAINT charges_id_key, ADD PRIMARY KEY (id);
