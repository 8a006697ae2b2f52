-- tender_claim_keys takes, for each keyed request of a batch, the key's
-- lock, and reads what the key recorded and — since a request that goes on
-- will record events — its account's webhook endpoints (see
-- EnabledEndpoints): one round trip for the whole batch. A record must be
-- read after its lock is granted, to see one committed by the lock's
-- previous holder, so lock and read cannot share a statement (one statement
-- reads one snapshot); a VOLATILE PL/pgSQL function takes a new snapshot
-- for each statement it runs.
CREATE FUNCTION tender_claim_keys(lock_keys BIGINT[], accts TEXT[], lives BOOLEAN[], idem_keys TEXT[], since BIGINT)
RETURNS TABLE (n INTEGER, locked BOOLEAN, fingerprint TEXT, status INTEGER, body BYTEA, request_id TEXT, created BIGINT, endpoints TEXT)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    scope_endpoints TEXT;
    read_acct       TEXT;
    read_live       BOOLEAN;
BEGIN
    FOR i IN 1 .. coalesce(array_length(lock_keys, 1), 0) LOOP
        n := i;
        fingerprint := NULL; status := NULL; body := NULL; request_id := NULL; created := NULL; endpoints := NULL;
        locked := pg_try_advisory_xact_lock(lock_keys[i]);
        IF locked THEN
            SELECT k.fingerprint, k.status, k.body, k.request_id, k.created
              INTO fingerprint, status, body, request_id, created
              FROM idempotency_keys k
             WHERE k.account_id = accts[i] AND k.livemode = lives[i] AND k.key = idem_keys[i] AND k.created > since;
            -- A JSON array of the endpoints' objects, or NULL for none;
            -- read once for keys of one scope in a row.
            IF read_acct IS DISTINCT FROM accts[i] OR read_live IS DISTINCT FROM lives[i] THEN
                SELECT '[' || string_agg(e.data, ',' ORDER BY e.seq) || ']' INTO scope_endpoints
                  FROM webhook_endpoints e
                 WHERE e.account_id = accts[i] AND e.livemode = lives[i] AND NOT e.deleted;
                read_acct := accts[i];
                read_live := lives[i];
            END IF;
            endpoints := scope_endpoints;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
