-- tender_claim_keys (see 0008) as two statements instead of two per key:
-- every lock in one, then every record and the endpoints of every scope in
-- one join. Per key, a statement run from PL/pgSQL cost more than the
-- lookup it made (a snapshot, an executor started and ended), about a
-- twentieth of the machine at full load. The read still comes after the
-- locks, in a statement of its own, so that it sees a record committed by
-- a lock's previous holder.
CREATE OR REPLACE FUNCTION tender_claim_keys(lock_keys BIGINT[], accts TEXT[], lives BOOLEAN[], idem_keys TEXT[], since BIGINT)
RETURNS TABLE (n INTEGER, locked BOOLEAN, fingerprint TEXT, status INTEGER, body BYTEA, request_id TEXT, created BIGINT, endpoints TEXT)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
    got BOOLEAN[];
BEGIN
    SELECT array_agg(pg_try_advisory_xact_lock(l.k) ORDER BY l.i) INTO got
      FROM unnest(lock_keys) WITH ORDINALITY AS l(k, i);
    RETURN QUERY
    WITH claims AS (
        SELECT c.i::INTEGER AS i, c.acct, c.live, c.key, got[c.i] AS locked
          FROM unnest(accts, lives, idem_keys) WITH ORDINALITY AS c(acct, live, key, i)
    ), scopes AS (
        -- A JSON array of the endpoints' objects, or NULL for none; read
        -- once per scope.
        SELECT s.acct, s.live,
               (SELECT '[' || string_agg(e.data, ',' ORDER BY e.seq) || ']'
                  FROM webhook_endpoints e
                 WHERE e.account_id = s.acct AND e.livemode = s.live AND NOT e.deleted) AS endpoints
          FROM (SELECT DISTINCT c.acct, c.live FROM claims c WHERE c.locked) s
    )
    -- LATERAL: each key is looked up by the primary key, whatever the
    -- planner makes of an array's length.
    SELECT c.i, c.locked, k.fingerprint, k.status, k.body, k.request_id, k.created, s.endpoints
      FROM claims c
      LEFT JOIN LATERAL (
          SELECT r.fingerprint, r.status, r.body, r.request_id, r.created
            FROM idempotency_keys r
           WHERE c.locked AND r.account_id = c.acct AND r.livemode = c.live AND r.key = c.key AND r.created > since
           LIMIT 1
      ) k ON TRUE
      LEFT JOIN scopes s
        ON c.locked AND s.acct = c.acct AND s.live = c.live;
END
$$;
