-- Payment objects. Each row keeps the domain object as JSON in data, with
-- the columns that lists filter on beside it.
ALTER TABLE accounts ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

CREATE TABLE payment_methods (
    seq        BIGSERIAL PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    livemode   BOOLEAN NOT NULL,
    created    BIGINT NOT NULL,
    customer   TEXT,
    type       TEXT NOT NULL,
    allow_redisplay TEXT NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX payment_methods_scope ON payment_methods (account_id, livemode, seq);
CREATE INDEX payment_methods_customer ON payment_methods (account_id, livemode, customer, seq);

CREATE TABLE confirmation_tokens (
    seq        BIGSERIAL PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    livemode   BOOLEAN NOT NULL,
    created    BIGINT NOT NULL,
    data       TEXT NOT NULL
);

CREATE TABLE payment_intents (
    seq        BIGSERIAL PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    livemode   BOOLEAN NOT NULL,
    created    BIGINT NOT NULL,
    customer   TEXT,
    data       TEXT NOT NULL
);
CREATE INDEX payment_intents_scope ON payment_intents (account_id, livemode, seq);
CREATE INDEX payment_intents_customer ON payment_intents (account_id, livemode, customer, seq);

CREATE TABLE setup_intents (
    seq            BIGSERIAL PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    account_id     TEXT NOT NULL,
    livemode       BOOLEAN NOT NULL,
    created        BIGINT NOT NULL,
    customer       TEXT,
    payment_method TEXT,
    data           TEXT NOT NULL
);
CREATE INDEX setup_intents_scope ON setup_intents (account_id, livemode, seq);
CREATE INDEX setup_intents_customer ON setup_intents (account_id, livemode, customer, seq);

CREATE TABLE charges (
    seq            BIGSERIAL PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    account_id     TEXT NOT NULL,
    livemode       BOOLEAN NOT NULL,
    created        BIGINT NOT NULL,
    customer       TEXT,
    payment_intent TEXT,
    data           TEXT NOT NULL
);
CREATE INDEX charges_scope ON charges (account_id, livemode, seq);
CREATE INDEX charges_payment_intent ON charges (account_id, livemode, payment_intent, seq);
CREATE INDEX charges_customer ON charges (account_id, livemode, customer, seq);

CREATE TABLE refunds (
    seq            BIGSERIAL PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    account_id     TEXT NOT NULL,
    livemode       BOOLEAN NOT NULL,
    created        BIGINT NOT NULL,
    charge         TEXT,
    payment_intent TEXT,
    data           TEXT NOT NULL
);
CREATE INDEX refunds_scope ON refunds (account_id, livemode, seq);
CREATE INDEX refunds_charge ON refunds (account_id, livemode, charge, seq);
CREATE INDEX refunds_payment_intent ON refunds (account_id, livemode, payment_intent, seq);
