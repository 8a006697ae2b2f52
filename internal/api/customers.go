package api

import (
	"context"

	"github.com/tenderpay/tender/internal/payments"
)

func customerParams(r *request) (*payments.CustomerParams, expansion, error) {
	exp, err := parseExpand(r.params, "customer", false)
	if err != nil {
		return nil, nil, err
	}
	p := &payments.CustomerParams{}
	if err := decodeParams(r, p); err != nil {
		return nil, nil, err
	}
	p.Unset = unset(r, "address", "shipping", "preferred_locales", "invoice_settings", "invoice_settings[custom_fields]")
	p.MetadataCleared = r.params.Cleared("metadata")
	return p, exp, nil
}

func (s *Server) createCustomer(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	p, exp, err := customerParams(r)
	if err != nil {
		return nil, err
	}
	c, err := s.svc.CreateCustomer(ctx, tx, r.acct, p)
	if err != nil {
		return nil, err
	}
	return rd.customer(c, exp)
}

func (s *Server) updateCustomer(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	p, exp, err := customerParams(r)
	if err != nil {
		return nil, err
	}
	c, err := s.svc.UpdateCustomer(ctx, tx, r.acct, r.PathValue("id"), p)
	if err != nil {
		return nil, err
	}
	return rd.customer(c, exp)
}

func getCustomer(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "customer", false)
	if err != nil {
		return nil, err
	}
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	c, err := payments.GetCustomer(ctx, tx, r.acct, r.PathValue("id"), "id")
	if err != nil {
		return nil, err
	}
	return rd.customer(c, exp)
}

func deleteCustomer(ctx context.Context, r *request, tx txn, _ *renderer) (any, error) {
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	c, err := payments.DeleteCustomer(ctx, tx, r.acct, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return &deletedJSON{ID: c.ID, Object: "customer", Deleted: true}, nil
}

func listCustomers(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, pg, err := listParams(r, "customer")
	if err != nil {
		return nil, err
	}
	var p payments.CustomerListParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	res, err := payments.ListCustomers(ctx, tx, r.acct, pg, &p)
	if err != nil {
		return nil, err
	}
	return renderList(rd, "/v1/customers", res, exp, rd.customerAny)
}

func (rd *renderer) customerAny(c *payments.Customer, exp expansion) (any, error) {
	return rd.customer(c, exp)
}
