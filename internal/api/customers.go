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

func createCustomer(ctx context.Context, r *request, tx txn) (any, error) {
	p, exp, err := customerParams(r)
	if err != nil {
		return nil, err
	}
	c, err := payments.CreateCustomer(ctx, tx, r.scope(), p)
	if err != nil {
		return nil, err
	}
	return renderCustomer(ctx, tx, r, c, exp)
}

func updateCustomer(ctx context.Context, r *request, tx txn) (any, error) {
	p, exp, err := customerParams(r)
	if err != nil {
		return nil, err
	}
	c, err := payments.UpdateCustomer(ctx, tx, r.scope(), r.PathValue("id"), p)
	if err != nil {
		return nil, err
	}
	return renderCustomer(ctx, tx, r, c, exp)
}

func getCustomer(ctx context.Context, r *request, tx txn) (any, error) {
	exp, err := parseExpand(r.params, "customer", false)
	if err != nil {
		return nil, err
	}
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	c, err := payments.GetCustomer(ctx, tx, r.scope(), r.PathValue("id"), "id")
	if err != nil {
		return nil, err
	}
	return renderCustomer(ctx, tx, r, c, exp)
}

func deleteCustomer(ctx context.Context, r *request, tx txn) (any, error) {
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	c, err := payments.DeleteCustomer(ctx, tx, r.scope(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return &deletedJSON{ID: c.ID, Object: "customer", Deleted: true}, nil
}

func listCustomers(ctx context.Context, r *request, tx txn) (any, error) {
	exp, err := parseExpand(r.params, "customer", true)
	if err != nil {
		return nil, err
	}
	pg, err := pageParams(r.params)
	if err != nil {
		return nil, err
	}
	var p payments.CustomerListParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	res, err := payments.ListCustomers(ctx, tx, r.scope(), pg, &p)
	if err != nil {
		return nil, err
	}
	out := make([]*customerJSON, len(res.Data))
	for i, c := range res.Data {
		if out[i], err = renderCustomer(ctx, tx, r, c, exp); err != nil {
			return nil, err
		}
	}
	return newList("/v1/customers", out, res.HasMore), nil
}
