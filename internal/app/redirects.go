package app

import (
	"context"
	"crypto/subtle"
	"errors"

	"github.com/tenderpay/tender/internal/api"
	"github.com/tenderpay/tender/internal/bankpage"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// redirects is the bank page's view of the payments domain.
type redirects struct {
	db  *store.DB
	svc *payments.Service
	api *api.Server
}

var _ bankpage.Redirects = (*redirects)(nil)

func (r *redirects) Describe(ctx context.Context, id, secret string) (bankpage.Redirect, error) {
	var out bankpage.Redirect
	err := r.db.View(ctx, func(tx *store.Tx) error {
		a, err := intentAccount(ctx, tx, id)
		if err != nil {
			return err
		}
		pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, false)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(secret), []byte(pi.ClientSecret)) != 1 || pi.PaymentMethod == "" {
			return payments.ErrNotFound
		}
		pm, err := tx.GetPaymentMethod(ctx, a.Scope, pi.PaymentMethod, false)
		if err != nil {
			return err
		}
		if pi.Status != payments.StatusRequiresAction || pi.NextAction == nil || pi.NextAction.Type != "redirect_to_url" {
			return payments.ErrChallengeAnswered
		}
		out = bankpage.Redirect{IntentID: id, MerchantName: a.Name, Amount: pi.Amount, Currency: pi.Currency, Type: pm.Type, ReturnURL: pi.NextAction.ReturnURL}
		if pm.Ideal != nil {
			out.Bank = pm.Ideal.Bank
		}
		return nil
	})
	return out, redirectErr(err)
}

func (r *redirects) Complete(ctx context.Context, id, secret string, authorize bool) (bankpage.Result, error) {
	var res bankpage.Result
	err := r.db.Update(ctx, func(tx *store.Tx) error {
		a, err := intentAccount(ctx, tx, id)
		if err != nil {
			return err
		}
		pi, err := tx.GetPaymentIntent(ctx, a.Scope, id, false)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(secret), []byte(pi.ClientSecret)) != 1 {
			return payments.ErrNotFound
		}
		_, out, err := r.svc.CompleteRedirect(ctx, tx, a, id, authorize)
		if err != nil {
			return err
		}
		res = bankpage.Result{Succeeded: out.Succeeded, ReturnURL: out.ReturnURL}
		return r.api.RecordEvents(ctx, tx, api.EventSource{Account: a})
	})
	return res, redirectErr(err)
}

func redirectErr(err error) error {
	var pe *payments.Error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, payments.ErrNotFound), errors.As(err, &pe) && pe.Kind == payments.KindNotFound:
		return bankpage.ErrNotFound
	case errors.Is(err, payments.ErrChallengeAnswered):
		return bankpage.ErrAnswered
	}
	return err
}
