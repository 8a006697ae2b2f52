package api

import (
	"context"

	"github.com/tenderpay/tender/internal/payments"
)

func getMandate(ctx context.Context, r *request, tx txn, _ *renderer) (any, error) {
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	m, err := payments.GetMandate(ctx, tx, r.acct, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	online := map[string]any{"ip_address": nullable(m.IPAddress), "user_agent": nullable(m.UserAgent)}
	out := map[string]any{
		"id": m.ID, "object": "mandate", "livemode": m.Livemode, "on_behalf_of": nil, "payment_method": m.PaymentMethod, "status": "active",
		"customer_acceptance":    map[string]any{"accepted_at": m.Created, "offline": nil, "online": online, "type": "online"},
		"payment_method_details": map[string]any{"type": m.Type, m.Type: map[string]any{"reference": m.Reference, "url": nil}},
		"type":                   "single_use", "multi_use": nil, "single_use": map[string]any{"amount": m.Amount, "currency": m.Currency},
	}
	if m.Multi {
		out["type"], out["multi_use"], out["single_use"] = "multi_use", map[string]any{}, nil
	}
	return out, nil
}
