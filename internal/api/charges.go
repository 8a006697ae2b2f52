package api

import (
	"context"

	"github.com/tenderpay/tender/internal/payments"
)

func getCharge(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "charge", false)
	if err != nil {
		return nil, err
	}
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	ch, err := payments.GetCharge(ctx, tx, r.acct, r.PathValue("id"), "id")
	if err != nil {
		return nil, err
	}
	return rd.charge(ch, exp)
}

func listCharges(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, pg, err := listParams(r, "charge")
	if err != nil {
		return nil, err
	}
	var p payments.ChargeListParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	res, err := payments.ListCharges(ctx, tx, r.acct, pg, &p)
	if err != nil {
		return nil, err
	}
	return renderList(rd, "/v1/charges", res, exp, rd.charge)
}

func createRefund(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "refund", false)
	if err != nil {
		return nil, err
	}
	var p payments.RefundParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	re, _, err := payments.CreateRefund(ctx, tx, r.acct, &p)
	if err != nil {
		return nil, err
	}
	return rd.refund(re, exp)
}

func getRefund(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "refund", false)
	if err != nil {
		return nil, err
	}
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	re, err := payments.GetRefund(ctx, tx, r.acct, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return rd.refund(re, exp)
}

func updateRefund(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "refund", false)
	if err != nil {
		return nil, err
	}
	var p payments.RefundParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	p.MetadataCleared = r.params.Cleared("metadata")
	re, err := payments.UpdateRefund(ctx, tx, r.acct, r.PathValue("id"), &p)
	if err != nil {
		return nil, err
	}
	return rd.refund(re, exp)
}

func cancelRefund(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "refund", false)
	if err != nil {
		return nil, err
	}
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	re, err := payments.CancelRefund(ctx, tx, r.acct, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return rd.refund(re, exp)
}

func listRefunds(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, pg, err := listParams(r, "refund")
	if err != nil {
		return nil, err
	}
	var p payments.RefundListParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	res, err := payments.ListRefunds(ctx, tx, r.acct, pg, &p)
	if err != nil {
		return nil, err
	}
	return renderList(rd, "/v1/refunds", res, exp, rd.refund)
}
