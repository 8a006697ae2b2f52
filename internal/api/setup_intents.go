package api

import (
	"context"

	"github.com/tenderpay/tender/internal/payments"
)

func (s *Server) createSetupIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "setup_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.SetupIntentCreateParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	p.MetadataCleared = r.params.Cleared("metadata")
	si, err := s.svc.CreateSetupIntent(ctx, tx, r.acct, &p)
	if err != nil {
		return nil, err
	}
	return rd.setupIntent(si, exp)
}

func (s *Server) updateSetupIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "setup_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.SetupIntentFields
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	p.MetadataCleared = r.params.Cleared("metadata")
	si, err := s.svc.UpdateSetupIntent(ctx, tx, r.acct, r.PathValue("id"), &p)
	if err != nil {
		return nil, err
	}
	return rd.setupIntent(si, exp)
}

func getSetupIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "setup_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.RetrieveIntentParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	si, err := payments.GetSetupIntent(ctx, tx, r.acct, r.PathValue("id"), p.ClientSecret)
	if err != nil {
		return nil, err
	}
	return rd.setupIntent(si, exp)
}

func (s *Server) confirmSetupIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "setup_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.SetupIntentConfirmParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	p.MandateData = payments.InferMandate(p.MandateData, payments.ClientInfo{IP: clientIP(r.Request), UserAgent: r.UserAgent()})
	si, err := s.svc.ConfirmSetupIntent(ctx, tx, r.acct, r.PathValue("id"), &p)
	if err != nil {
		return nil, err
	}
	return rd.setupIntent(si, exp)
}

func cancelSetupIntent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, err := parseExpand(r.params, "setup_intent", false)
	if err != nil {
		return nil, err
	}
	var p payments.CancelParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	si, err := payments.CancelSetupIntent(ctx, tx, r.acct, r.PathValue("id"), &p)
	if err != nil {
		return nil, err
	}
	return rd.setupIntent(si, exp)
}

func listSetupIntents(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, pg, err := listParams(r, "setup_intent")
	if err != nil {
		return nil, err
	}
	var p payments.SetupIntentListParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	res, err := payments.ListSetupIntents(ctx, tx, r.acct, pg, &p)
	if err != nil {
		return nil, err
	}
	return renderList(rd, "/v1/setup_intents", res, exp, rd.setupIntent)
}
