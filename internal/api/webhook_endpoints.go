package api

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/webhooks"
	"github.com/tenderpay/tender/internal/wire"
)

type webhookEndpointJSON struct {
	ID            string            `json:"id"`
	Object        string            `json:"object"`
	APIVersion    *string           `json:"api_version"`
	Application   any               `json:"application"`
	Created       int64             `json:"created"`
	Description   *string           `json:"description"`
	EnabledEvents []string          `json:"enabled_events"`
	Livemode      bool              `json:"livemode"`
	Metadata      map[string]string `json:"metadata"`
	Secret        string            `json:"secret,omitempty"`
	Status        string            `json:"status"`
	URL           string            `json:"url"`
}

func renderEndpoint(e *webhooks.Endpoint, withSecret bool) *webhookEndpointJSON {
	out := &webhookEndpointJSON{ID: e.ID, Object: "webhook_endpoint", APIVersion: nullable(e.APIVersion), Created: e.Created,
		Description: nullable(e.Description), EnabledEvents: e.EnabledEvents, Livemode: e.Livemode, Metadata: orEmpty(e.Metadata),
		Status: "enabled", URL: e.URL}
	if e.Disabled {
		out.Status = "disabled"
	}
	if withSecret {
		out.Secret = e.Secret
	}
	return out
}

func endpointParams(r *request) (*webhooks.EndpointParams, error) {
	if _, err := parseExpand(r.params, "webhook_endpoint", false); err != nil {
		return nil, err
	}
	var p webhooks.EndpointParams
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	if p.APIVersion != nil && *p.APIVersion != "" {
		v, err := stripeVersion(*p.APIVersion)
		if err != nil {
			we := toWire(err)
			we.Param = "api_version"
			return nil, we
		}
		p.APIVersion = &v
	}
	return &p, nil
}

func (s *Server) createWebhookEndpoint(ctx context.Context, r *request, tx txn, _ *renderer) (any, error) {
	p, err := endpointParams(r)
	if err != nil {
		return nil, err
	}
	// Without api_version an endpoint takes the version of the request that
	// created it, so the SDK that created it can verify what it receives.
	e, err := webhooks.CreateEndpoint(ctx, tx, r.scope(), s.webhookRules, tx.Now().Unix(), r.version, p)
	if err != nil {
		return nil, err
	}
	return renderEndpoint(e, true), nil
}

func (s *Server) updateWebhookEndpoint(ctx context.Context, r *request, tx txn, _ *renderer) (any, error) {
	p, err := endpointParams(r)
	if err != nil {
		return nil, err
	}
	e, err := webhooks.UpdateEndpoint(ctx, tx, r.scope(), s.webhookRules, r.PathValue("id"), p)
	if err != nil {
		return nil, err
	}
	return renderEndpoint(e, false), nil
}

func getWebhookEndpoint(ctx context.Context, r *request, tx txn, _ *renderer) (any, error) {
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	e, err := webhooks.GetEndpoint(ctx, tx, r.scope(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return renderEndpoint(e, false), nil
}

func deleteWebhookEndpoint(ctx context.Context, r *request, tx txn, _ *renderer) (any, error) {
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	e, err := webhooks.DeleteEndpoint(ctx, tx, r.scope(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return &deletedJSON{ID: e.ID, Object: "webhook_endpoint", Deleted: true}, nil
}

func listWebhookEndpoints(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, pg, err := listParams(r, "webhook_endpoint")
	if err != nil {
		return nil, err
	}
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	res, err := tx.ListEndpoints(ctx, r.scope(), pg)
	if err != nil {
		return nil, payments.PageError(err, pg)
	}
	return renderList(rd, "/v1/webhook_endpoints", res, exp, func(e *webhooks.Endpoint, _ expansion) (any, error) {
		return renderEndpoint(e, false), nil
	})
}

// eventJSON renders a recorded event in the request's version.
func (rd *renderer) event(e *webhooks.Event) (any, error) {
	pending, err := rd.tx.PendingDeliveries(rd.ctx, e.ID)
	if err != nil {
		return nil, err
	}
	b, err := webhooks.Envelope(e, rd.version, pending, EventRenderer(rd.ctx, rd.tx, rd.scope))
	return json.RawMessage(b), err
}

func getEvent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	e, err := tx.GetEvent(ctx, r.scope(), r.PathValue("id"))
	if err != nil {
		if err == payments.ErrNotFound {
			return nil, payments.NotFound("event", r.PathValue("id"), "id")
		}
		return nil, err
	}
	return rd.event(e)
}

func listEvents(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	exp, pg, err := listParams(r, "event")
	if err != nil {
		return nil, err
	}
	var p struct {
		Type            *string  `form:"type"`
		Types           []string `form:"types"`
		DeliverySuccess *bool    `form:"delivery_success"`
	}
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	if p.Type != nil && p.Types != nil {
		return nil, wire.InvalidRequest("parameters_exclusive", "types", "You may only specify one of these parameters: type, types.")
	}
	if len(p.Types) > 20 {
		return nil, wire.InvalidValue("types", "You may pass at most 20 types.")
	}
	f := webhooks.EventFilter{Types: p.Types}
	if p.Type != nil && *p.Type != "" {
		f.Types = []string{*p.Type}
	}
	for _, t := range f.Types {
		if strings.Count(t, "*") > 1 || (strings.Contains(t, "*") && !strings.HasSuffix(t, "*")) {
			return nil, wire.InvalidValue("type", "Invalid type %q: a wildcard may only end the type, as in payment_intent.*", t)
		}
	}
	res, err := tx.ListEvents(ctx, r.scope(), pg, f)
	if err != nil {
		return nil, payments.PageError(err, pg)
	}
	return renderList(rd, "/v1/events", res, exp, func(e *webhooks.Event, _ expansion) (any, error) { return rd.event(e) })
}

// retryEvent (Tender's extension, like the Dashboard's "Resend") queues the
// event again for every enabled endpoint that takes its type.
func (s *Server) retryEvent(ctx context.Context, r *request, tx txn, rd *renderer) (any, error) {
	var p struct {
		WebhookEndpoint *string `form:"webhook_endpoint"`
	}
	if err := decodeParams(r, &p); err != nil {
		return nil, err
	}
	e, err := tx.GetEvent(ctx, r.scope(), r.PathValue("id"))
	if err != nil {
		if err == payments.ErrNotFound {
			return nil, payments.NotFound("event", r.PathValue("id"), "id")
		}
		return nil, err
	}
	endpoints, err := tx.EnabledEndpoints(ctx, r.scope())
	if err != nil {
		return nil, err
	}
	sent := 0
	for _, ep := range endpoints {
		if !ep.Wants(e.Type) || (p.WebhookEndpoint != nil && *p.WebhookEndpoint != ep.ID) {
			continue
		}
		if err := tx.AddDelivery(ctx, e.ID, ep.ID, tx.Now().Unix()); err != nil {
			return nil, err
		}
		if err := s.queue.Enqueue(tx.Context(ctx), tx.SQL(), webhooks.DeliveryArgs{Account: r.acct.Account, Livemode: r.acct.Livemode, EventID: e.ID, EndpointID: ep.ID}); err != nil {
			return nil, err
		}
		sent++
	}
	if sent == 0 {
		return nil, wire.InvalidValue("webhook_endpoint", "No enabled webhook endpoint takes %s events.", e.Type)
	}
	return rd.event(e)
}

// listAttempts (Tender's extension) shows every delivery attempt of an event.
func listAttempts(ctx context.Context, r *request, tx txn, _ *renderer) (any, error) {
	if err := decodeParams(r, &noParams{}); err != nil {
		return nil, err
	}
	if _, err := tx.GetEvent(ctx, r.scope(), r.PathValue("id")); err != nil {
		if err == payments.ErrNotFound {
			return nil, payments.NotFound("event", r.PathValue("id"), "id")
		}
		return nil, err
	}
	attempts, err := tx.ListAttempts(ctx, r.scope(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	data := make([]any, len(attempts))
	for i, at := range attempts {
		data[i] = map[string]any{
			"object": "webhook_delivery_attempt", "event": at.EventID, "webhook_endpoint": at.EndpointID, "attempt": at.Number,
			"created": at.At.Unix(), "status_code": at.StatusCode, "latency_ms": at.Latency.Milliseconds(), "succeeded": at.Succeeded,
			"error": nullable(at.Error), "response_excerpt": nullable(at.Response),
		}
	}
	return newList("/v1/events/"+r.PathValue("id")+"/delivery_attempts", data, false), nil
}
