-- tender_claim_key takes a keyed request's lock and reads what the key
-- recorded, in one round trip; and, since a request that goes on will
-- record events, the account's webhook endpoints (see EnabledEndpoints). The read must see a record committed by
-- the lock's previous holder, so it cannot share the lock's statement
-- (one statement reads one snapshot, taken before the lock is granted); a
-- VOLATILE PL/pgSQL function takes a new snapshot for each statement.
CREATE FUNCTION tender_claim_key(lock_key BIGINT, acct TEXT, live BOOLEAN, idem_key TEXT, since BIGINT,
    OUT locked BOOLEAN, OUT fingerprint TEXT, OUT status INTEGER, OUT body BYTEA, OUT request_id TEXT, OUT created BIGINT,
    OUT endpoints TEXT)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    locked := pg_try_advisory_xact_lock(lock_key);
    IF locked THEN
        SELECT k.fingerprint, k.status, k.body, k.request_id, k.created
          INTO fingerprint, status, body, request_id, created
          FROM idempotency_keys k
         WHERE k.account_id = acct AND k.livemode = live AND k.key = idem_key AND k.created > since;
        -- A JSON array of the endpoints' objects, or NULL for none.
        SELECT '[' || string_agg(e.data, ',' ORDER BY e.seq) || ']' INTO endpoints
          FROM webhook_endpoints e
         WHERE e.account_id = acct AND e.livemode = live AND NOT e.deleted;
    END IF;
END
$$;
