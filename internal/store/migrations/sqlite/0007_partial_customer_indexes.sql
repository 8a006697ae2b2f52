-- Most payments, and most payment methods until they are attached, have no
-- customer: index only the rows that have one, so those writes skip an
-- index. A filter "customer = ?" implies "customer IS NOT NULL", so lists
-- by customer still use these indexes.
DROP INDEX payment_methods_customer;
CREATE INDEX payment_methods_customer ON payment_methods (account_id, livemode, customer, seq) WHERE customer IS NOT NULL;
DROP INDEX payment_intents_customer;
CREATE INDEX payment_intents_customer ON payment_intents (account_id, livemode, customer, seq) WHERE customer IS NOT NULL;
DROP INDEX setup_intents_customer;
CREATE INDEX setup_intents_customer ON setup_intents (account_id, livemode, customer, seq) WHERE customer IS NOT NULL;
DROP INDEX charges_customer;
CREATE INDEX charges_customer ON charges (account_id, livemode, customer, seq) WHERE customer IS NOT NULL;
