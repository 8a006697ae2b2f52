-- Accounts own everything; every other row carries account_id and livemode.
CREATE TABLE accounts (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    is_default         BOOLEAN NOT NULL DEFAULT FALSE,
    api_version        TEXT NOT NULL,
    fingerprint_secret BYTEA NOT NULL,
    created            BIGINT NOT NULL
);

-- API keys are looked up by a SHA-256 of the key; the key itself is never stored.
CREATE TABLE api_keys (
    hash       TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    livemode   BOOLEAN NOT NULL,
    kind       TEXT NOT NULL,
    display    TEXT NOT NULL,
    created    BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE INDEX api_keys_account ON api_keys (account_id);

CREATE TABLE idempotency_keys (
    account_id   TEXT NOT NULL,
    livemode     BOOLEAN NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         BYTEA NOT NULL,
    request_id   TEXT NOT NULL,
    created      BIGINT NOT NULL,
    PRIMARY KEY (account_id, livemode, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created);

-- seq orders lists newest first independently of clock resolution.
CREATE TABLE customers (
    seq        BIGSERIAL PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    livemode   BOOLEAN NOT NULL,
    created    BIGINT NOT NULL,
    email      TEXT,
    deleted    BOOLEAN NOT NULL DEFAULT FALSE,
    data       TEXT NOT NULL
);
CREATE INDEX customers_scope ON customers (account_id, livemode, deleted, seq);
CREATE INDEX customers_email ON customers (account_id, livemode, email, seq);
