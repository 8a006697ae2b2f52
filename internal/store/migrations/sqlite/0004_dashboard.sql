-- Dashboard sessions: the cookie holds a random token, the row its SHA-256,
-- so that several nodes behind a load balancer share sessions and a database
-- leak reveals no usable cookie. csrf is the token every form must carry;
-- flash is a one-time notice shown on the next page.
CREATE TABLE dashboard_sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    method     TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    flash      TEXT
);
CREATE INDEX dashboard_sessions_account ON dashboard_sessions (account_id);
CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires_at);

-- A dashboard password per account, set with `tender accounts set-password`;
-- hash is bcrypt.
CREATE TABLE dashboard_passwords (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    hash       TEXT NOT NULL,
    updated    INTEGER NOT NULL
);

-- Receipts the dashboard rendered, kept whether or not SMTP delivered them.
CREATE TABLE receipt_outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    livemode   INTEGER NOT NULL,
    created    INTEGER NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX receipt_outbox_scope ON receipt_outbox (account_id, livemode, seq);
