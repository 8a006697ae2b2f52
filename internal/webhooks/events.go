package webhooks

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/tenderpay/tender/internal/payments"
)

// Event is a recorded event: its envelope fields and its data, either
// rendered once per API version (Renderings, as events were first stored)
// or kept as the objects the domain holds (Snapshot), which a Renderer
// turns into data in the version it is read in.
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
	Renderings map[string]json.RawMessage `json:"renderings,omitempty"`
	// Snapshot holds the objects as they were, in the domain's own JSON:
	// {"type": …, "object": …, "before": …, "versions": […]}. Less than
	// half the bytes of full renderings, and rendered only when read.
	Snapshot json.RawMessage `json:"snapshot,omitempty"`
	// EncodeSnapshot, when set instead, makes Snapshot: the store may call
	// it after the write that records the event has returned, so it must
	// touch nothing the write goes on to change.
	EncodeSnapshot func() ([]byte, error) `json:"-"`
}

// Renderer makes an event's data from its Snapshot in version, if the
// event was recorded for it, else in the event's DefaultVersion, and says
// which.
type Renderer func(e *Event, version string) (data json.RawMessage, in string, err error)

// Rendering returns the data for version, falling back to the default, and
// the version it is in. Events kept as a snapshot are rendered by render.
func (e *Event) Rendering(version string, render Renderer) (json.RawMessage, string, error) {
	if e.Snapshot != nil {
		return render(e, version)
	}
	if r, ok := e.Renderings[version]; ok {
		return r, version, nil
	}
	return e.Renderings[e.DefaultVersion], e.DefaultVersion, nil
}

// ObjectID is the id of the object the event is about.
func (e *Event) ObjectID() string {
	data := e.Snapshot
	if data == nil {
		data = e.Renderings[e.DefaultVersion]
	}
	var x struct {
		Object struct {
			ID string `json:"id"`
		} `json:"object"`
	}
	_ = json.Unmarshal(data, &x)
	return x.Object.ID
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

// Envelope renders an event as Stripe sends and serves it, in version (or
// the default, see Rendering).
func Envelope(e *Event, version string, pending int, render Renderer) ([]byte, error) {
	data, v, err := e.Rendering(version, render)
	if err != nil {
		return nil, fmt.Errorf("render event %s: %w", e.ID, err)
	}
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
