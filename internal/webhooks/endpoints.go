package webhooks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strings"

	"github.com/tenderpay/tender/internal/payments"
)

// Endpoint is a WebhookEndpoint.
type Endpoint struct {
	ID            string            `json:"id"`
	Created       int64             `json:"created"`
	Livemode      bool              `json:"livemode"`
	URL           string            `json:"url"`
	EnabledEvents []string          `json:"enabled_events"`
	APIVersion    string            `json:"api_version"`
	Description   string            `json:"description,omitempty"`
	Metadata      map[string]string `json:"metadata"`
	Secret        string            `json:"secret"`
	Disabled      bool              `json:"disabled,omitempty"`
	Deleted       bool              `json:"deleted,omitempty"`
}

// Enabled reports whether the endpoint takes events.
func (e *Endpoint) Enabled() bool { return !e.Disabled && !e.Deleted }

// Wants reports whether the endpoint subscribes to an event type.
func (e *Endpoint) Wants(eventType string) bool {
	for _, p := range e.EnabledEvents {
		if Match(p, eventType) {
			return true
		}
	}
	return false
}

// Match reports whether an enabled_events entry or a type filter (with
// "*" alone, or a trailing ".*") matches an event type.
func Match(pattern, eventType string) bool {
	if pattern == "*" || pattern == eventType {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(eventType, prefix)
	}
	return false
}

// eventPattern is the shape of Stripe event types ("payment_intent.succeeded",
// "charge.dispute.created", "customer.*"). Types Tender never emits are
// accepted: an integration subscribes to more than Tender simulates.
var eventPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$`)

// Store persists endpoints.
type Store interface {
	InsertEndpoint(ctx context.Context, s payments.Scope, e *Endpoint) error
	UpdateEndpoint(ctx context.Context, s payments.Scope, e *Endpoint) error
	GetEndpoint(ctx context.Context, s payments.Scope, id string) (*Endpoint, error)
	ListEndpoints(ctx context.Context, s payments.Scope, p payments.Page) (payments.ListResult[*Endpoint], error)
}

// EndpointParams are the create and update parameters.
type EndpointParams struct {
	URL           *string           `form:"url"`
	EnabledEvents []string          `form:"enabled_events"`
	APIVersion    *string           `form:"api_version"`
	Description   *string           `form:"description"`
	Metadata      map[string]string `form:"metadata"`
	Connect       *bool             `form:"connect"`
	Disabled      *bool             `form:"disabled"`
}

// Rules are the deployment's limits on endpoint URLs.
type Rules struct {
	// DenyPrivate refuses loopback, private and link-local targets, for
	// deployments that need protection against server-side request forgery.
	DenyPrivate bool
}

// CreateEndpoint validates and stores a new endpoint; its secret is shown
// in the create response only.
func CreateEndpoint(ctx context.Context, st Store, s payments.Scope, rules Rules, now int64, defaultVersion string, p *EndpointParams) (*Endpoint, error) {
	if p.URL == nil || *p.URL == "" {
		return nil, payments.Invalid("parameter_missing", "url", "Missing required param: url.")
	}
	if p.EnabledEvents == nil {
		return nil, payments.Invalid("parameter_missing", "enabled_events", "Missing required param: enabled_events.")
	}
	e := &Endpoint{
		ID: payments.NewID("we"), Created: now, Livemode: s.Livemode, APIVersion: defaultVersion,
		Secret: "whsec_" + payments.RandomString(32), Metadata: map[string]string{},
	}
	if p.Connect != nil && *p.Connect {
		return nil, payments.Invalid("", "connect", "Connect endpoints are not supported by Tender.")
	}
	if err := apply(e, rules, p); err != nil {
		return nil, err
	}
	if p.APIVersion != nil && *p.APIVersion != "" {
		e.APIVersion = *p.APIVersion
	}
	if err := st.InsertEndpoint(ctx, s, e); err != nil {
		return nil, err
	}
	return e, nil
}

// UpdateEndpoint changes an endpoint.
func UpdateEndpoint(ctx context.Context, st Store, s payments.Scope, rules Rules, id string, p *EndpointParams) (*Endpoint, error) {
	e, err := GetEndpoint(ctx, st, s, id)
	if err != nil {
		return nil, err
	}
	if p.APIVersion != nil {
		return nil, payments.Invalid("parameter_unknown", "api_version", "Received unknown parameter: api_version. An endpoint's API version is set when it is created.")
	}
	if err := apply(e, rules, p); err != nil {
		return nil, err
	}
	if p.Disabled != nil {
		e.Disabled = *p.Disabled
	}
	if err := st.UpdateEndpoint(ctx, s, e); err != nil {
		return nil, err
	}
	return e, nil
}

// DeleteEndpoint deletes an endpoint; it receives nothing more.
func DeleteEndpoint(ctx context.Context, st Store, s payments.Scope, id string) (*Endpoint, error) {
	e, err := GetEndpoint(ctx, st, s, id)
	if err != nil {
		return nil, err
	}
	e.Deleted = true
	return e, st.UpdateEndpoint(ctx, s, e)
}

// GetEndpoint returns an endpoint that has not been deleted.
func GetEndpoint(ctx context.Context, st Store, s payments.Scope, id string) (*Endpoint, error) {
	e, err := st.GetEndpoint(ctx, s, id)
	if err != nil || e.Deleted {
		if err == nil || err == payments.ErrNotFound {
			return nil, payments.NotFound("webhook_endpoint", id, "id")
		}
		return nil, err
	}
	return e, nil
}

func apply(e *Endpoint, rules Rules, p *EndpointParams) error {
	if p.URL != nil {
		if err := checkURL(*p.URL, rules, e.Livemode); err != nil {
			return err
		}
		e.URL = *p.URL
	}
	if p.EnabledEvents != nil {
		if len(p.EnabledEvents) == 0 {
			return payments.Invalid("", "enabled_events", "enabled_events must name at least one event type, or \"*\".")
		}
		for i, t := range p.EnabledEvents {
			if t != "*" && !eventPattern.MatchString(t) {
				return payments.Invalid("", fmt.Sprintf("enabled_events[%d]", i), "Invalid enabled_events[%d]: %q is not an event type.", i, t)
			}
		}
		e.EnabledEvents = append([]string(nil), p.EnabledEvents...)
	}
	if p.Description != nil {
		e.Description = *p.Description
	}
	for k, v := range p.Metadata {
		if v == "" {
			delete(e.Metadata, k)
		} else {
			e.Metadata[k] = v
		}
	}
	return nil
}

// checkURL accepts http(s) URLs. Test-mode endpoints may target loopback,
// as local development needs, unless the deployment denies private targets.
func checkURL(raw string, rules Rules, livemode bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return payments.Invalid("url_invalid", "url", "Invalid URL: %s. Webhook URLs must be absolute http or https URLs.", raw)
	}
	if livemode && u.Scheme != "https" {
		return payments.Invalid("url_invalid", "url", "Invalid URL: %s. Live mode webhook URLs must use https.", raw)
	}
	if rules.DenyPrivate && privateHost(u.Hostname()) {
		return payments.Invalid("url_invalid", "url", "Invalid URL: %s. This Tender refuses webhook URLs on loopback or private addresses.", raw)
	}
	return nil
}

// privateHost reports whether host is, or resolves to, a loopback,
// private, link-local or unspecified address.
func privateHost(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	addrs := []netip.Addr{}
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = append(addrs, a)
	} else if ips, err := net.LookupIP(host); err == nil {
		for _, ip := range ips {
			if a, ok := netip.AddrFromSlice(ip); ok {
				addrs = append(addrs, a.Unmap())
			}
		}
	}
	for _, a := range addrs {
		if IsPrivate(a) {
			return true
		}
	}
	return false
}

// IsPrivate reports whether a is an address a public webhook must not
// reach.
func IsPrivate(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsUnspecified() ||
		a.IsMulticast() || netip.MustParsePrefix("100.64.0.0/10").Contains(a)
}
