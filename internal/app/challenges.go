package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"

	"github.com/tenderpay/tender/internal/api"
	"github.com/tenderpay/tender/internal/elements"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// challenges is the hosted 3DS page's view of the payments domain: the
// intent's client secret authorises it, as no API key comes with a
// customer's browser.
type challenges struct {
	db  *store.DB
	svc *payments.Service
	api *api.Server
}

var _ elements.Intents = (*challenges)(nil)

// intentAccount loads the account an intent belongs to, for the hosted
// pages, which a client secret authorises instead of an API key.
func intentAccount(ctx context.Context, tx *store.Tx, id string) (*payments.Account, error) {
	s, err := tx.IntentScope(ctx, id)
	if err != nil {
		return nil, err
	}
	a, err := tx.Account(ctx, s.Account)
	if err != nil {
		return nil, err
	}
	return a.Payments(s.Livemode), nil
}

func (c *challenges) Challenge(ctx context.Context, id, secret string) (elements.Challenge, error) {
	var ch elements.Challenge
	err := c.db.View(ctx, func(tx *store.Tx) error {
		a, err := intentAccount(ctx, tx, id)
		if err != nil {
			return err
		}
		ch.MerchantName = a.Name
		ch.IntentID = id
		var pmID, want string
		if strings.HasPrefix(id, "seti_") {
			si, err := tx.GetSetupIntent(ctx, a.Scope, id, false)
			if err != nil {
				return err
			}
			ch.Object, ch.Status, pmID, want = "setup_intent", si.Status, si.PaymentMethod, si.ClientSecret
			if si.Attempt != nil {
				ch.ReturnURL = si.Attempt.ReturnURL
			}
		} else {
			pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, false)
			if err != nil {
				return err
			}
			ch.Object, ch.Status, ch.Amount, ch.Currency, pmID, want = "payment_intent", pi.Status, pi.Amount, pi.Currency, pi.PaymentMethod, pi.ClientSecret
			if pi.Attempt != nil {
				ch.ReturnURL = pi.Attempt.ReturnURL
			}
		}
		if subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 {
			return payments.ErrNotFound
		}
		if pmID != "" {
			if pm, err := tx.GetPaymentMethod(ctx, a.Scope, pmID, false); err == nil && pm.Card != nil {
				ch.Brand, ch.Last4 = pm.Card.Brand, pm.Card.Last4
			}
		}
		return nil
	})
	return ch, challengeErr(err)
}

func (c *challenges) Authenticate(ctx context.Context, id, secret string, complete bool) (elements.ChallengeResult, error) {
	var res elements.ChallengeResult
	err := c.db.Update(ctx, func(tx *store.Tx) error {
		a, err := intentAccount(ctx, tx, id)
		if err != nil {
			return err
		}
		var (
			out  payments.ChallengeOutcome
			want string
		)
		if strings.HasPrefix(id, "seti_") {
			si, err := tx.GetSetupIntent(ctx, a.Scope, id, false)
			if err != nil {
				return err
			}
			want = si.ClientSecret
			if subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 {
				return payments.ErrNotFound
			}
			_, out, err = c.svc.AuthenticateSetupIntent(ctx, tx, a, id, complete)
			if err != nil {
				return err
			}
		} else {
			pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, false)
			if err != nil {
				return err
			}
			want = pi.ClientSecret
			if subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 {
				return payments.ErrNotFound
			}
			_, out, err = c.svc.AuthenticatePaymentIntent(ctx, tx, a, id, complete)
			if err != nil {
				return err
			}
		}
		res = elements.ChallengeResult{Succeeded: out.Succeeded, Status: out.Status, ReturnURL: out.ReturnURL}
		// The customer's answer is not an API request: its events carry no
		// request id.
		return c.api.RecordEvents(ctx, tx, api.EventSource{Account: a})
	})
	return res, challengeErr(err)
}

func challengeErr(err error) error {
	var pe *payments.Error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, payments.ErrNotFound), errors.As(err, &pe) && pe.Kind == payments.KindNotFound:
		return elements.ErrNotFound
	case errors.Is(err, payments.ErrChallengeAnswered):
		return elements.ErrUnexpectedState
	}
	return err
}
