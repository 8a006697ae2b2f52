package api

import (
	"context"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/wire"
)

// createConfirmationToken serves both the browser's POST
// /v1/confirmation_tokens (publishable key) and the test helper (secret
// key, test mode only).
func (s *Server) createConfirmationToken(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	if _, err := parseExpand(r.params, "confirmation_token", false); err != nil {
		return nil, err
	}
	if r.acct.Livemode && !r.acct.Publishable {
		return nil, wire.InvalidValue("", "Test helpers are only available in test mode.")
	}
	var p payments.ConfirmationTokenParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	p.Client = payments.ClientInfo{IP: clientIP(r.Request), UserAgent: r.UserAgent()}
	ct, err := s.svc.CreateConfirmationToken(ctx, tx, r.acct, &p)
	if err != nil {
		return nil, err
	}
	return rd.confirmationToken(ct), nil
}

func getConfirmationToken(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	if _, err := parseExpand(r.params, "confirmation_token", false); err != nil {
		return nil, err
	}
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	ct, err := payments.GetConfirmationToken(ctx, tx, r.acct, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return rd.confirmationToken(ct), nil
}
