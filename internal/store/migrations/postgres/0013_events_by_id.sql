-- Events as 0012 did the objects: id becomes the primary key and the index
-- on seq alone goes, one index insertion less for each of the three events
-- of a payment. Expired events are now found scope by scope, from the
-- lowest seq of events_scope.
ALTER TABLE events DROP CONSTRAINT events_pkey, DROP CONSTRAINT events_id_key, ADD PRIMARY KEY (id);
