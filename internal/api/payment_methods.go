package api

import (
	"context"

	"github.com/tenderpay/tender/internal/payments"
)

func (s *Server) createPaymentMethod(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_method", false)
	if err != nil {
		return nil, err
	}
	var p payments.PaymentMethodCreateParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	var pm *payments.PaymentMethod
	if p.PaymentMethod != nil && *p.PaymentMethod != "" {
		// Connect's "clone to connected account" form; here it resolves
		// magic ids and returns the method itself.
		pm, err = s.svc.ResolvePaymentMethod(ctx, tx, r.acct, *p.PaymentMethod, "payment_method")
	} else {
		pm, err = s.svc.CreatePaymentMethod(ctx, tx, r.acct, &p.PaymentMethodData, "")
	}
	if err != nil {
		return nil, err
	}
	if p.Customer != nil && *p.Customer != "" {
		if pm, err = s.svc.AttachPaymentMethod(ctx, tx, r.acct, pm.ID, *p.Customer); err != nil {
			return nil, err
		}
	}
	return rd.paymentMethod(pm, exp)
}

func getPaymentMethod(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_method", false)
	if err != nil {
		return nil, err
	}
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	pm, err := payments.GetPaymentMethod(ctx, tx, r.acct, r.PathValue("id"), "id")
	if err != nil {
		return nil, err
	}
	return rd.paymentMethod(pm, exp)
}

func updatePaymentMethod(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_method", false)
	if err != nil {
		return nil, err
	}
	var p payments.PaymentMethodUpdateParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	p.MetadataCleared = r.params.Cleared("metadata")
	pm, err := payments.UpdatePaymentMethod(ctx, tx, r.acct, r.PathValue("id"), &p)
	if err != nil {
		return nil, err
	}
	return rd.paymentMethod(pm, exp)
}

func (s *Server) attachPaymentMethod(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_method", false)
	if err != nil {
		return nil, err
	}
	var p struct {
		Customer        *string `form:"customer"`
		CustomerAccount any     `form:"customer_account"`
	}
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	customer := ""
	if p.Customer != nil {
		customer = *p.Customer
	}
	pm, err := s.svc.AttachPaymentMethod(ctx, tx, r.acct, r.PathValue("id"), customer)
	if err != nil {
		return nil, err
	}
	return rd.paymentMethod(pm, exp)
}

func detachPaymentMethod(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_method", false)
	if err != nil {
		return nil, err
	}
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	pm, err := payments.DetachPaymentMethod(ctx, tx, r.acct, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return rd.paymentMethod(pm, exp)
}

func listPaymentMethods(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, pg, err := listParams(r, "payment_method")
	if err != nil {
		return nil, err
	}
	var p payments.PaymentMethodListParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	url := "/v1/payment_methods"
	if id := r.PathValue("customer"); id != "" {
		p.Customer = &id
		url = "/v1/customers/" + id + "/payment_methods"
	}
	res, err := payments.ListPaymentMethods(ctx, tx, r.acct, pg, &p)
	if err != nil {
		return nil, err
	}
	return renderList(rd, url, res, exp, rd.paymentMethodAny)
}

// getCustomerPaymentMethod is GET /v1/customers/{customer}/payment_methods/{id}.
func getCustomerPaymentMethod(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_method", false)
	if err != nil {
		return nil, err
	}
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	if _, err := payments.GetCustomer(ctx, tx, r.acct, r.PathValue("customer"), "customer"); err != nil {
		return nil, err
	}
	pm, err := payments.GetPaymentMethod(ctx, tx, r.acct, r.PathValue("id"), "payment_method")
	if err != nil {
		return nil, err
	}
	if pm.Customer != r.PathValue("customer") {
		return nil, payments.NotFound("PaymentMethod", pm.ID, "payment_method")
	}
	return rd.paymentMethod(pm, exp)
}

func (rd *renderer) paymentMethodAny(pm *payments.PaymentMethod, exp expansion) (any, error) {
	return rd.paymentMethod(pm, exp)
}
