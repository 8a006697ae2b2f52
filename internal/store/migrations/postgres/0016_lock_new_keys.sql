-- tender_lock_new_keys is tender_claim_new_keys without the read of each
-- key's record: a one-round batch now sends its keys' records as plain
-- INSERTs (see oneround.go), so a key with a record — live, or expired and
-- not yet pruned — fails on the primary key and refuses the batch just as
-- the read did, and the index probe, and the upsert's check beside it,
-- cost nothing for the keys that are new. tender_claim_new_keys stays for
-- servers of the version before, which still read the records with it.
CREATE FUNCTION tender_lock_new_keys(lock_keys BIGINT[], accts TEXT[], lives BOOLEAN[])
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
