package api

import (
	"context"
	"fmt"
	"reflect"
	"slices"

	json "github.com/goccy/go-json"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

// eventSnapshot is how an event's objects are stored: in the domain's own
// JSON, as the object tables hold them, rendered in an API version only
// when the event is read or delivered. Full renderings were most of the
// bytes a payment wrote.
type eventSnapshot struct {
	Type   string          `json:"type"`
	Object json.RawMessage `json:"object"`
	Before json.RawMessage `json:"before,omitempty"`
	// Versions are the endpoints' versions it was recorded for, besides
	// the account's (webhooks.Event.DefaultVersion).
	Versions []string `json:"versions,omitempty"`
}

// snapshotTypes maps a snapshot's type to a new domain object of it.
var snapshotTypes = map[string]func() any{
	"customer":       func() any { return new(payments.Customer) },
	"payment_intent": func() any { return new(payments.PaymentIntent) },
	"setup_intent":   func() any { return new(payments.SetupIntent) },
	"payment_method": func() any { return new(payments.PaymentMethod) },
	"charge":         func() any { return new(payments.Charge) },
	"refund":         func() any { return new(payments.Refund) },
}

// snapshotNames maps a domain object's type back to its snapshot type.
var snapshotNames = func() map[reflect.Type]string {
	m := make(map[reflect.Type]string, len(snapshotTypes))
	for name, newObject := range snapshotTypes {
		m[reflect.TypeOf(newObject())] = name
	}
	return m
}()

func snapshotType(v any) (string, error) {
	if name, ok := snapshotNames[reflect.TypeOf(v)]; ok {
		return name, nil
	}
	return "", fmt.Errorf("no snapshot for %T", v)
}

// encodeSnapshot writes an eventSnapshot around the objects' JSON by hand:
// marshalling the struct would validate and copy that JSON again.
func encodeSnapshot(ev payments.Event, versions []string) ([]byte, error) {
	typ, err := snapshotType(ev.Object)
	if err != nil {
		return nil, err
	}
	obj, err := json.Marshal(ev.Object)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(obj)+64)
	b = append(b, `{"type":"`...)
	b = append(b, typ...)
	b = append(b, `","object":`...)
	b = append(b, obj...)
	if ev.Before != nil {
		before, err := json.Marshal(ev.Before)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"before":`...)
		b = append(b, before...)
	}
	if len(versions) > 0 {
		vs, err := json.Marshal(versions)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"versions":`...)
		b = append(b, vs...)
	}
	return append(b, '}'), nil
}

// EventRenderer renders events kept as snapshots in scope, reading through
// tx what their objects show in full (a payment error's payment method):
// in the version asked for if the event was recorded for it (the account's
// or a receiving endpoint's), else in the account's of the time.
func EventRenderer(ctx context.Context, tx *store.Tx, scope payments.Scope) webhooks.Renderer {
	return func(e *webhooks.Event, version string) (json.RawMessage, string, error) {
		var snap eventSnapshot
		if err := json.Unmarshal(e.Snapshot, &snap); err != nil {
			return nil, "", fmt.Errorf("decode event snapshot: %w", err)
		}
		if version != e.DefaultVersion && !slices.Contains(snap.Versions, version) {
			version = e.DefaultVersion
		}
		rd := &renderer{ctx: ctx, tx: tx, scope: scope, version: version}
		data, err := rd.snapshotData(snap)
		return data, version, err
	}
}

// snapshotData renders a snapshot as an event's data object.
func (rd *renderer) snapshotData(snap eventSnapshot) (json.RawMessage, error) {
	newObject, ok := snapshotTypes[snap.Type]
	if !ok {
		return nil, fmt.Errorf("event snapshot of unknown type %q", snap.Type)
	}
	ev := payments.Event{Object: newObject()}
	if err := json.Unmarshal(snap.Object, ev.Object); err != nil {
		return nil, fmt.Errorf("decode %s: %w", snap.Type, err)
	}
	if snap.Before != nil {
		ev.Before = newObject()
		if err := json.Unmarshal(snap.Before, ev.Before); err != nil {
			return nil, fmt.Errorf("decode %s: %w", snap.Type, err)
		}
	}
	data, err := rd.eventData(ev)
	if err != nil {
		return nil, err
	}
	return json.Marshal(data.envelope())
}
