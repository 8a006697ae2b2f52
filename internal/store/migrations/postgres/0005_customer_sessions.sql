-- CustomerSessions: the client secret is a bearer credential for one
-- customer's saved methods, so only its hash is kept.
CREATE TABLE customer_sessions (
    secret_hash TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    livemode    BOOLEAN NOT NULL,
    customer    TEXT NOT NULL,
    created     BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX customer_sessions_expiry ON customer_sessions (expires_at);
