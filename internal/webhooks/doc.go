// Package webhooks holds Tender's event log and webhook delivery: the
// WebhookEndpoint rules, Stripe's signature scheme, and the durable
// delivery worker that runs on River, enqueued inside the transaction that
// records the event.
package webhooks
