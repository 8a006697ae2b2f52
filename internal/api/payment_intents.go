package api

import (
	"context"

	"github.com/tenderpay/tender/internal/payments"
)

func (s *Server) createPaymentIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.PaymentIntentCreateParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	p.Unset = unset(r, "shipping")
	p.MetadataCleared = r.params.Cleared("metadata")
	p.MandateData = payments.InferMandate(p.MandateData, payments.ClientInfo{IP: clientIP(r.Request), UserAgent: r.UserAgent()})
	pi, err := s.svc.CreatePaymentIntent(ctx, tx, r.acct, &p)
	if err != nil {
		return nil, err
	}
	return rd.paymentIntent(pi, exp)
}

func (s *Server) updatePaymentIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.PaymentIntentFields
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	p.Unset = unset(r, "shipping")
	p.MetadataCleared = r.params.Cleared("metadata")
	if r.params.Cleared("setup_future_usage") {
		empty := ""
		p.SetupFutureUsage = &empty
	}
	pi, err := s.svc.UpdatePaymentIntent(ctx, tx, r.acct, r.PathValue("id"), &p)
	if err != nil {
		return nil, err
	}
	return rd.paymentIntent(pi, exp)
}

func getPaymentIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.RetrieveIntentParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	pi, err := payments.GetPaymentIntent(ctx, tx, r.acct, r.PathValue("id"), p.ClientSecret)
	if err != nil {
		return nil, err
	}
	return rd.paymentIntent(pi, exp)
}

func (s *Server) confirmPaymentIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.PaymentIntentConfirmParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	p.UnsetSetupFutureUsage = r.params.Cleared("setup_future_usage")
	p.MandateData = payments.InferMandate(p.MandateData, payments.ClientInfo{IP: clientIP(r.Request), UserAgent: r.UserAgent()})
	pi, err := s.svc.ConfirmPaymentIntent(ctx, tx, r.acct, r.PathValue("id"), &p)
	if err != nil {
		return nil, err
	}
	return rd.paymentIntent(pi, exp)
}

func capturePaymentIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.PaymentIntentCaptureParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	pi, err := payments.CapturePaymentIntent(ctx, tx, r.acct, r.PathValue("id"), &p)
	if err != nil {
		return nil, err
	}
	return rd.paymentIntent(pi, exp)
}

func cancelPaymentIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "payment_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.CancelParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	pi, err := payments.CancelPaymentIntent(ctx, tx, r.acct, r.PathValue("id"), &p)
	if err != nil {
		return nil, err
	}
	return rd.paymentIntent(pi, exp)
}

func listPaymentIntents(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, pg, err := listParams(r, "payment_intent")
	if err != nil {
		return nil, err
	}
	var p payments.PaymentIntentListParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	res, err := payments.ListPaymentIntents(ctx, tx, r.acct, pg, &p)
	if err != nil {
		return nil, err
	}
	return renderList(rd, "/v1/payment_intents", res, exp, rd.paymentIntent)
}
