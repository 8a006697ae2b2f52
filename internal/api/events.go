package api

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	json "github.com/goccy/go-json"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/webhooks"
)

// EventSource says who caused the events of a transaction.
type EventSource struct {
	Account        *payments.Account
	RequestID      string // "" for changes no API request made (the hosted pages)
	IdempotencyKey string
}

// RecordEvents writes the events buffered in tx into the event log, each
// with its objects as they are now and the versions it will be read in
// (the account's and every receiving endpoint's), and enqueues the
// deliveries — all in tx, so that the change, its events and their
// deliveries commit together.
func (s *Server) RecordEvents(ctx context.Context, tx txn, src EventSource) error {
	evs := tx.Events()
	if len(evs) == 0 {
		return nil
	}
	tx.ClearEvents()
	a := src.Account
	endpoints, err := tx.EnabledEndpoints(ctx, a.Scope)
	if err != nil {
		return err
	}
	recs := make([]*webhooks.Event, 0, len(evs))
	type owed struct{ event, endpoint string }
	var deliveries []owed
	for _, ev := range evs {
		rec := &webhooks.Event{
			ID: payments.NewID("evt"), Type: ev.Type, Created: tx.Now().Unix(), Livemode: a.Livemode,
			RequestID: src.RequestID, IdempotencyKey: src.IdempotencyKey, DefaultVersion: a.APIVersion,
		}
		var targets []*webhooks.Endpoint
		var versions []string // the endpoints' versions, besides the account's
		for _, ep := range endpoints {
			if ep.Wants(ev.Type) {
				targets = append(targets, ep)
				if ep.APIVersion != a.APIVersion && !slices.Contains(versions, ep.APIVersion) {
					versions = append(versions, ep.APIVersion)
				}
			}
		}
		// The objects are kept as the domain encodes them and rendered
		// when read; their JSON is encoded later (see store.Deferred).
		rec.EncodeSnapshot = func() ([]byte, error) {
			b, err := encodeSnapshot(ev, versions)
			if err != nil {
				return nil, fmt.Errorf("encode %s: %w", ev.Type, err)
			}
			return b, nil
		}
		recs = append(recs, rec)
		for _, ep := range targets {
			deliveries = append(deliveries, owed{rec.ID, ep.ID})
		}
	}
	if err := tx.InsertEvents(ctx, a.Scope, recs); err != nil {
		return err
	}
	now := tx.Now().Unix()
	for _, d := range deliveries {
		if err := tx.AddDelivery(ctx, d.event, d.endpoint, now); err != nil {
			return err
		}
		if err := s.queue.Enqueue(tx.Context(ctx), tx.SQL(), webhooks.DeliveryArgs{Account: a.Account, Livemode: a.Livemode, EventID: d.event, EndpointID: d.endpoint}); err != nil {
			return err
		}
	}
	return nil
}

// eventData is an event's data as rendered: the object after the change
// and, for updates, before it.
type eventData struct {
	after, before any // before is nil but for updates
}

// eventData renders an event's objects.
func (rd *renderer) eventData(ev payments.Event) (eventData, error) {
	after, err := rd.object(ev.Object)
	if err != nil {
		return eventData{}, err
	}
	if ev.Before == nil {
		return eventData{after: after}, nil
	}
	before, err := rd.object(ev.Before)
	if err != nil {
		return eventData{}, err
	}
	return eventData{after: after, before: before}, nil
}

// eventEnvelope is an event's data object: the object after the change
// and, for updates, the previous values of the top-level fields that
// changed.
type eventEnvelope struct {
	Object             any             `json:"object"`
	PreviousAttributes *map[string]any `json:"previous_attributes,omitempty"`
}

func (d eventData) envelope() eventEnvelope {
	if d.before == nil {
		return eventEnvelope{Object: d.after}
	}
	prev := changed(d.before, d.after)
	return eventEnvelope{Object: d.after, PreviousAttributes: &prev}
}

// object renders any domain object as the API shows it to a secret key.
func (rd *renderer) object(v any) (any, error) {
	switch o := v.(type) {
	case *payments.Customer:
		return rd.customer(o, nil)
	case *payments.PaymentIntent:
		return rd.paymentIntent(o, nil)
	case *payments.SetupIntent:
		return rd.setupIntent(o, nil)
	case *payments.PaymentMethod:
		return rd.paymentMethod(o, nil)
	case *payments.Charge:
		return rd.charge(o, nil)
	case *payments.Refund:
		return rd.refund(o, nil)
	}
	return nil, fmt.Errorf("no rendering for %T", v)
}

// changed returns the values in before of the top-level keys whose JSON
// differs in after.
func changed(before, after any) map[string]any {
	b, _ := toMap(before)
	a, _ := toMap(after)
	out := map[string]any{}
	for k, bv := range b {
		x, _ := json.Marshal(bv)
		y, _ := json.Marshal(a[k])
		if !bytes.Equal(x, y) {
			out[k] = bv
		}
	}
	return out
}
