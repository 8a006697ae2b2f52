// Package payments is Tender's domain: the objects a Stripe account holds and
// the rules that change them. It knows nothing of HTTP or SQL: operations take
// a Tx (implemented by the store) and return typed errors (see Error) that the
// API layer turns into Stripe's error envelope.
package payments
