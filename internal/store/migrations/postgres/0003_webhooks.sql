-- Events: renderings holds data.object and previous_attributes per API
-- version, rendered once in the transaction that made the change.
CREATE TABLE events (
    seq             BIGSERIAL PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    account_id      TEXT NOT NULL,
    livemode        BOOLEAN NOT NULL,
    created         BIGINT NOT NULL,
    type            TEXT NOT NULL,
    request_id      TEXT,
    idempotency_key TEXT,
    default_version TEXT NOT NULL,
    renderings      TEXT NOT NULL
);
CREATE INDEX events_scope ON events (account_id, livemode, seq);
CREATE INDEX events_type ON events (account_id, livemode, type, seq);
CREATE INDEX events_created ON events (created);

CREATE TABLE webhook_endpoints (
    seq        BIGSERIAL PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    livemode   BOOLEAN NOT NULL,
    created    BIGINT NOT NULL,
    deleted    BOOLEAN NOT NULL DEFAULT FALSE,
    data       TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_scope ON webhook_endpoints (account_id, livemode, deleted, seq);

-- One row per event and endpoint: whether it still has to be delivered.
CREATE TABLE webhook_deliveries (
    event_id    TEXT NOT NULL,
    endpoint_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    updated     BIGINT NOT NULL,
    PRIMARY KEY (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, status);

CREATE TABLE webhook_attempts (
    seq          BIGSERIAL PRIMARY KEY,
    account_id   TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    endpoint_id  TEXT NOT NULL,
    attempt      INTEGER NOT NULL,
    attempted_at BIGINT NOT NULL,
    status_code  INTEGER NOT NULL,
    latency_ms   INTEGER NOT NULL,
    succeeded    BOOLEAN NOT NULL,
    error        TEXT,
    response     TEXT
);
CREATE INDEX webhook_attempts_event ON webhook_attempts (event_id, seq);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, seq);
