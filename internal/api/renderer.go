package api

import (
	"context"
	"errors"

	"github.com/tenderpay/tender/internal/payments"
)

// renderer turns domain objects into Stripe's JSON inside the request's
// transaction, loading what expand[] asks for.
type renderer struct {
	ctx     context.Context
	tx      txn
	scope   payments.Scope
	version string
	// client renders intents as a publishable key sees them.
	client bool
}

func (s *Server) renderer(ctx context.Context, tx txn, r *request) *renderer {
	return &renderer{ctx: ctx, tx: tx, scope: r.scope(), version: r.version, client: r.key.Kind == "publishable"}
}

// atLeast reports whether the rendering version is dated on or after date
// (YYYY-MM-DD), for fields that newer versions add.
func (rd *renderer) atLeast(date string) bool { return rd.version >= date }

// ref renders an expandable reference: null, the id, or the object when
// exp is non-nil.
func ref[T any](rd *renderer, id string, exp expansion, load func(string) (*T, error), render func(*T, expansion) (any, error)) (any, error) {
	if id == "" {
		return nil, nil
	}
	if exp == nil {
		return id, nil
	}
	obj, err := load(id)
	if errors.Is(err, payments.ErrNotFound) {
		return id, nil // deleted since: Stripe shows the id
	}
	if err != nil {
		return nil, err
	}
	return render(obj, exp)
}

func (rd *renderer) customerRef(id string, exp expansion) (any, error) {
	return ref(rd, id, exp, func(id string) (*payments.Customer, error) {
		return rd.tx.GetCustomer(rd.ctx, rd.scope, id)
	}, func(c *payments.Customer, exp expansion) (any, error) {
		return rd.customer(c, exp)
	})
}

func (rd *renderer) paymentMethodRef(id string, exp expansion) (any, error) {
	return ref(rd, id, exp, func(id string) (*payments.PaymentMethod, error) {
		return rd.tx.GetPaymentMethod(rd.ctx, rd.scope, id, false)
	}, func(pm *payments.PaymentMethod, exp expansion) (any, error) {
		return rd.paymentMethod(pm, exp)
	})
}

func (rd *renderer) chargeRef(id string, exp expansion) (any, error) {
	return ref(rd, id, exp, func(id string) (*payments.Charge, error) {
		return rd.tx.GetCharge(rd.ctx, rd.scope, id, false)
	}, func(ch *payments.Charge, exp expansion) (any, error) {
		return rd.charge(ch, exp)
	})
}

func (rd *renderer) paymentIntentRef(id string, exp expansion) (any, error) {
	return ref(rd, id, exp, func(id string) (*payments.PaymentIntent, error) {
		return rd.tx.GetPaymentIntent(rd.ctx, rd.scope, id, false)
	}, func(pi *payments.PaymentIntent, exp expansion) (any, error) {
		return rd.paymentIntent(pi, exp)
	})
}
