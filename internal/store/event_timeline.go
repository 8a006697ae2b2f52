package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/webhooks"
)

// EventsAbout returns, oldest first, up to limit events of the scope
// created at or after since whose data mentions id as a JSON string — the
// object itself, or a charge or refund naming it — for a dashboard
// timeline. The scan is bounded by the scope index and since.
func (tx *Tx) EventsAbout(ctx context.Context, s payments.Scope, id string, since int64, limit int) ([]*webhooks.Event, error) {
	like := `%"` + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(id) + `"%`
	rows, err := tx.query(ctx, `SELECT `+eventColumns+` FROM events WHERE account_id = ? AND livemode = ? AND created >= ?
		AND (snapshot LIKE ? ESCAPE '\' OR snapshot IS NULL AND renderings LIKE ? ESCAPE '\') ORDER BY seq LIMIT ?`, s.Account, s.Livemode, since, like, like, limit)
	if err != nil {
		return nil, fmt.Errorf("events about %s: %w", id, err)
	}
	defer rows.Close()
	var out []*webhooks.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeliveryStatus is where one event stands with one endpoint.
type DeliveryStatus struct {
	EndpointID string
	Status     string // pending, succeeded or failed
	Attempts   int
	Updated    int64
}

// DeliveryStatuses returns an event's delivery state per endpoint.
func (tx *Tx) DeliveryStatuses(ctx context.Context, eventID string) ([]DeliveryStatus, error) {
	rows, err := tx.query(ctx, `SELECT endpoint_id, status, attempts, updated FROM webhook_deliveries WHERE event_id = ? ORDER BY endpoint_id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("delivery statuses: %w", err)
	}
	defer rows.Close()
	var out []DeliveryStatus
	for rows.Next() {
		var d DeliveryStatus
		if err := rows.Scan(&d.EndpointID, &d.Status, &d.Attempts, &d.Updated); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
