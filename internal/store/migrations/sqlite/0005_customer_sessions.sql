-- CustomerSessions: the client secret is a bearer credential for one
-- customer's saved methods, so only its hash is kept.
CREATE TABLE customer_sessions (
    secret_hash TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    livemode    INTEGER NOT NULL,
    customer    TEXT NOT NULL,
    created     INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX customer_sessions_expiry ON customer_sessions (expires_at);
