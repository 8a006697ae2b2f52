package app

import (
	"context"
	"errors"

	"github.com/tenderpay/tender/internal/api"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

// deliveries is the webhook worker's view of storage.
type deliveries struct{ db *store.DB }

func (d deliveries) LoadDelivery(ctx context.Context, a webhooks.DeliveryArgs) (webhooks.Delivery, error) {
	var out webhooks.Delivery
	s := payments.Scope{Account: a.Account, Livemode: a.Livemode}
	err := d.db.View(ctx, func(tx *store.Tx) error {
		ev, err := tx.GetEvent(ctx, s, a.EventID)
		if err != nil {
			return err
		}
		ep, err := tx.GetEndpoint(ctx, s, a.EndpointID)
		if err != nil {
			return err
		}
		pending, err := tx.PendingDeliveries(ctx, ev.ID)
		if err != nil {
			return err
		}
		out = webhooks.Delivery{URL: ep.URL, Secret: ep.Secret, Enabled: ep.Enabled()}
		out.Body, err = webhooks.Envelope(ev, ep.APIVersion, pending, api.EventRenderer(ctx, tx, s))
		return err
	})
	if errors.Is(err, payments.ErrNotFound) {
		return out, webhooks.ErrGone
	}
	return out, err
}

func (d deliveries) RecordAttempt(ctx context.Context, at webhooks.Attempt, final bool) error {
	return d.db.Update(ctx, func(tx *store.Tx) error { return tx.RecordAttempt(ctx, at, final) })
}
