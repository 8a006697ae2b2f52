-- Accounts own everything; every other row carries account_id and livemode.
CREATE TABLE accounts (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    is_default         INTEGER NOT NULL DEFAULT 0,
    api_version        TEXT NOT NULL,
    fingerprint_secret BLOB NOT NULL,
    created            INTEGER NOT NULL
);

-- API keys are looked up by a SHA-256 of the key; the key itself is never stored.
CREATE TABLE api_keys (
    hash       TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    livemode   INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    display    TEXT NOT NULL,
    created    INTEGER NOT NULL,
    expires_at INTEGER
);
CREATE INDEX api_keys_account ON api_keys (account_id);

CREATE TABLE idempotency_keys (
    account_id   TEXT NOT NULL,
    livemode     INTEGER NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         BLOB NOT NULL,
    request_id   TEXT NOT NULL,
    created      INTEGER NOT NULL,
    PRIMARY KEY (account_id, livemode, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created);

-- seq orders lists newest first independently of clock resolution.
CREATE TABLE customers (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    livemode   INTEGER NOT NULL,
    created    INTEGER NOT NULL,
    email      TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0,
    data       TEXT NOT NULL
);
CREATE INDEX customers_scope ON customers (account_id, livemode, deleted, seq);
CREATE INDEX customers_email ON customers (account_id, livemode, email, seq);
