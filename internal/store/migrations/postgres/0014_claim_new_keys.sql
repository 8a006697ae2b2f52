-- tender_claim_new_keys claims keys as tender_claim_keys does, for a batch
-- whose every write ran speculatively and assumed its key new and its
-- scope without webhook endpoints (see oneround.go): it raises an error
-- unless each key's lock is free and the key has no live record and its
-- scope no endpoint. The batch sends it with its rows and its commit in one
-- round trip; the error makes the server skip the rest, so nothing commits
-- unless every assumption held.
CREATE FUNCTION tender_claim_new_keys(lock_keys BIGINT[], accts TEXT[], lives BOOLEAN[], idem_keys TEXT[], since BIGINT)
RETURNS INTEGER
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    read_acct TEXT;
    read_live BOOLEAN;
BEGIN
    FOR i IN 1 .. coalesce(array_length(lock_keys, 1), 0) LOOP
        IF NOT pg_try_advisory_xact_lock(lock_keys[i]) THEN
            RAISE EXCEPTION 'idempotency key % in use', i USING ERRCODE = 'TK001';
        END IF;
        -- Read after the lock is granted: a new snapshot for each statement.
        IF EXISTS (SELECT 1 FROM idempotency_keys k
                    WHERE k.account_id = accts[i] AND k.livemode = lives[i] AND k.key = idem_keys[i] AND k.created > since) THEN
            RAISE EXCEPTION 'idempotency key % used', i USING ERRCODE = 'TK002';
        END IF;
        IF read_acct IS DISTINCT FROM accts[i] OR read_live IS DISTINCT FROM lives[i] THEN
            IF EXISTS (SELECT 1 FROM webhook_endpoints e
                        WHERE e.account_id = accts[i] AND e.livemode = lives[i] AND NOT e.deleted) THEN
                RAISE EXCEPTION 'scope of idempotency key % has endpoints', i USING ERRCODE = 'TK003';
            END IF;
            read_acct := accts[i];
            read_live := lives[i];
        END IF;
    END LOOP;
    RETURN coalesce(array_length(lock_keys, 1), 0);
END
$$;
