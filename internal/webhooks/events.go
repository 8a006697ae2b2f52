package webhooks

import (
	"context"
	"encoding/json"

	"github.com/tenderpay/tender/internal/payments"
)

// Event is a recorded event: its envelope fields and data rendered once
// per API version it will be read or delivered in.
type Event struct {
	ID             string `json:"id"`
	Type           string `json:"type"`
	Created        int64  `json:"created"`
	Livemode       bool   `json:"livemode"`
	RequestID      string `json:"request_id,omitempty"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// DefaultVersion is the account's version at the time: the rendering
	// used when a reader's version has none of its own.
	DefaultVersion string `json:"default_version"`
	// Renderings maps an API version to {"object": …, "previous_attributes": …}.
	Renderings map[string]json.RawMessage `json:"renderings"`
	// Render, when set instead of Renderings, makes them, encoded as one
	// JSON object: the store may call it after the write that records the
	// event has returned, so it must touch nothing the write goes on to
	// change.
	Render func() ([]byte, error) `json:"-"`
}

// Rendering returns the data for version, falling back to the default, and
// the version it is in.
func (e *Event) Rendering(version string) (json.RawMessage, string) {
	if r, ok := e.Renderings[version]; ok {
		return r, version
	}
	return e.Renderings[e.DefaultVersion], e.DefaultVersion
}

// Retention is how long events are kept, as on Stripe.
const Retention = 30 * 24 * 3600

// EventFilter selects events in a list.
type EventFilter struct {
	Types []string // exact types or "prefix.*" patterns; empty for all
}

// EventStore persists events, endpoints' delivery state and attempts.
type EventStore interface {
	Store
	// InsertEvents stores the events one change caused.
	InsertEvents(ctx context.Context, s payments.Scope, evs []*Event) error
	GetEvent(ctx context.Context, s payments.Scope, id string) (*Event, error)
	ListEvents(ctx context.Context, s payments.Scope, p payments.Page, f EventFilter) (payments.ListResult[*Event], error)
	// EnabledEndpoints lists the scope's endpoints that take events.
	EnabledEndpoints(ctx context.Context, s payments.Scope) ([]*Endpoint, error)
	// AddDelivery records that event is owed to endpoint.
	AddDelivery(ctx context.Context, eventID, endpointID string, now int64) error
	// PendingDeliveries counts the endpoints that have not yet acknowledged.
	PendingDeliveries(ctx context.Context, eventID string) (int, error)
	ListAttempts(ctx context.Context, s payments.Scope, eventID string) ([]Attempt, error)
}

// Envelope renders an event as Stripe sends and serves it.
func Envelope(e *Event, version string, pending int) ([]byte, error) {
	data, v := e.Rendering(version)
	var req struct {
		ID             *string `json:"id"`
		IdempotencyKey *string `json:"idempotency_key"`
	}
	if e.RequestID != "" {
		req.ID = &e.RequestID
	}
	if e.IdempotencyKey != "" {
		req.IdempotencyKey = &e.IdempotencyKey
	}
	return json.Marshal(struct {
		ID              string          `json:"id"`
		Object          string          `json:"object"`
		APIVersion      string          `json:"api_version"`
		Created         int64           `json:"created"`
		Data            json.RawMessage `json:"data"`
		Livemode        bool            `json:"livemode"`
		PendingWebhooks int             `json:"pending_webhooks"`
		Request         any             `json:"request"`
		Type            string          `json:"type"`
	}{e.ID, "event", v, e.Created, data, e.Livemode, pending, req, e.Type})
}
