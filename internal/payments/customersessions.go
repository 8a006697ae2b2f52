package payments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// DefaultCustomerSessionTTL is how long a CustomerSession's client secret
// works: the 30 minutes commonly cited for Stripe.
const DefaultCustomerSessionTTL = 30 * time.Minute

// CustomerSession lets the browser see and manage one customer's saved
// payment methods, until it expires.
type CustomerSession struct {
	Customer  string              `json:"customer"`
	Created   int64               `json:"created"`
	ExpiresAt int64               `json:"expires_at"`
	Livemode  bool                `json:"livemode"`
	Payment   *PaymentElementOpts `json:"payment_element,omitempty"`
	// Other components (buy_button, pricing_table, customer_sheet, …) are
	// kept as sent.
	Other map[string]any `json:"other,omitempty"`
}

// PaymentElementOpts is components.payment_element with Stripe's defaults
// applied.
type PaymentElementOpts struct {
	Enabled             bool     `json:"enabled"`
	Save                bool     `json:"save"`
	SaveUsage           string   `json:"save_usage,omitempty"`
	Redisplay           bool     `json:"redisplay"`
	RedisplayLimit      int      `json:"redisplay_limit"`
	Remove              bool     `json:"remove"`
	AllowRedisplay      []string `json:"allow_redisplay_filters"`
	FeaturesWereEnabled bool     `json:"features_enabled"`
}

// CustomerSessionParams is POST /v1/customer_sessions.
type CustomerSessionParams struct {
	Customer        *string `form:"customer"`
	CustomerAccount any     `form:"customer_account"`
	Components      *struct {
		PaymentElement *struct {
			Enabled  *bool `form:"enabled"`
			Features *struct {
				Save                 *string  `form:"payment_method_save"`
				SaveUsage            *string  `form:"payment_method_save_usage"`
				Redisplay            *string  `form:"payment_method_redisplay"`
				RedisplayLimit       *int64   `form:"payment_method_redisplay_limit"`
				Remove               *string  `form:"payment_method_remove"`
				AllowRedisplayFilter []string `form:"payment_method_allow_redisplay_filters"`
			} `form:"features"`
		} `form:"payment_element"`
		BuyButton            map[string]any `form:"buy_button"`
		PricingTable         map[string]any `form:"pricing_table"`
		CustomerSheet        map[string]any `form:"customer_sheet"`
		MobilePaymentElement map[string]any `form:"mobile_payment_element"`
	} `form:"components"`
}

// CustomerSessionStore persists sessions by the hash of their secret.
type CustomerSessionStore interface {
	InsertCustomerSession(ctx context.Context, s Scope, secretHash string, cs *CustomerSession) error
	GetCustomerSession(ctx context.Context, s Scope, secretHash string) (*CustomerSession, error)
}

// HashSecret is how a CustomerSession secret is stored and looked up.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

var enabledDisabled = []string{"enabled", "disabled"}

// CreateCustomerSession creates a session and returns it with its client
// secret, which is shown this once.
func CreateCustomerSession(ctx context.Context, tx Tx, a *Account, ttl time.Duration, p *CustomerSessionParams) (*CustomerSession, string, error) {
	if p.Customer == nil || *p.Customer == "" {
		return nil, "", Invalid("parameter_missing", "customer", "Missing required param: customer.")
	}
	if _, err := GetCustomer(ctx, tx, a, *p.Customer, "customer"); err != nil {
		return nil, "", err
	}
	if p.Components == nil {
		return nil, "", Invalid("parameter_missing", "components", "Missing required param: components.")
	}
	if ttl <= 0 {
		ttl = DefaultCustomerSessionTTL
	}
	now := tx.Now()
	cs := &CustomerSession{Customer: *p.Customer, Created: now.Unix(), ExpiresAt: now.Add(ttl).Unix(), Livemode: a.Livemode, Other: map[string]any{}}
	c := p.Components
	enabled := false
	for name, m := range map[string]map[string]any{"buy_button": c.BuyButton, "pricing_table": c.PricingTable,
		"customer_sheet": c.CustomerSheet, "mobile_payment_element": c.MobilePaymentElement} {
		if m != nil {
			cs.Other[name] = m
			enabled = enabled || m["enabled"] == "true"
		}
	}
	if pe := c.PaymentElement; pe != nil {
		o := &PaymentElementOpts{RedisplayLimit: 3, AllowRedisplay: []string{"always"}}
		o.Enabled = pe.Enabled != nil && *pe.Enabled
		if f := pe.Features; f != nil && o.Enabled {
			o.FeaturesWereEnabled = true
			for _, flag := range []struct {
				param string
				v     *string
				dst   *bool
			}{{"payment_method_save", f.Save, &o.Save}, {"payment_method_redisplay", f.Redisplay, &o.Redisplay}, {"payment_method_remove", f.Remove, &o.Remove}} {
				if flag.v == nil || *flag.v == "" {
					continue
				}
				if !oneOf(*flag.v, enabledDisabled...) {
					return nil, "", invalidEnum("components[payment_element][features]["+flag.param+"]", *flag.v, enabledDisabled)
				}
				*flag.dst = *flag.v == "enabled"
			}
			if f.SaveUsage != nil && *f.SaveUsage != "" {
				if !oneOf(*f.SaveUsage, setupFutureUsageValues...) {
					return nil, "", invalidEnum("components[payment_element][features][payment_method_save_usage]", *f.SaveUsage, setupFutureUsageValues)
				}
				o.SaveUsage = *f.SaveUsage
			}
			if f.RedisplayLimit != nil {
				if *f.RedisplayLimit < 1 || *f.RedisplayLimit > 10 {
					return nil, "", Invalid("", "components[payment_element][features][payment_method_redisplay_limit]", "payment_method_redisplay_limit must be between 1 and 10.")
				}
				o.RedisplayLimit = int(*f.RedisplayLimit)
			}
			if f.AllowRedisplayFilter != nil {
				for i, v := range f.AllowRedisplayFilter {
					if !oneOf(v, allowRedisplayValues...) {
						return nil, "", invalidEnum(fmt.Sprintf("components[payment_element][features][payment_method_allow_redisplay_filters][%d]", i), v, allowRedisplayValues)
					}
				}
				o.AllowRedisplay = f.AllowRedisplayFilter
			}
		}
		cs.Payment = o
		enabled = enabled || o.Enabled
	}
	if !enabled {
		return nil, "", Invalid("", "components", "At least one component must be enabled.")
	}
	secret := "cuss_secret_" + RandomString(43)
	if err := tx.InsertCustomerSession(ctx, a.Scope, HashSecret(secret), cs); err != nil {
		return nil, "", err
	}
	return cs, secret, nil
}

// OpenCustomerSession checks a client secret from the browser: it must
// name a live session of the scope.
func OpenCustomerSession(ctx context.Context, tx Tx, a *Account, secret string) (*CustomerSession, error) {
	cs, err := tx.GetCustomerSession(ctx, a.Scope, HashSecret(secret))
	if err != nil {
		return nil, notFoundAs(err, "customer_session", "cuss_secret_…", "customer_session_client_secret")
	}
	if tx.Now().Unix() >= cs.ExpiresAt {
		return nil, Invalid("customer_session_expired", "customer_session_client_secret", "This CustomerSession has expired. Create a new one on your server and pass its client_secret to Elements.")
	}
	return cs, nil
}

// SavedPaymentMethods returns the saved methods the session may show: the
// customer's, filtered by allow_redisplay, newest first, up to the limit.
func SavedPaymentMethods(ctx context.Context, tx Tx, a *Account, cs *CustomerSession) ([]*PaymentMethod, error) {
	if cs.Payment == nil || !cs.Payment.Enabled || !cs.Payment.Redisplay {
		return nil, nil
	}
	res, err := tx.ListPaymentMethods(ctx, a.Scope, Page{Limit: cs.Payment.RedisplayLimit},
		PaymentMethodFilter{Customer: cs.Customer, Type: "card", AllowRedisplay: cs.Payment.AllowRedisplay})
	return res.Data, err
}

// RemoveSavedPaymentMethod detaches one of the session customer's methods,
// when the session allows removal.
func RemoveSavedPaymentMethod(ctx context.Context, tx Tx, a *Account, cs *CustomerSession, id string) (*PaymentMethod, error) {
	if cs.Payment == nil || !cs.Payment.Remove {
		return nil, Invalid("", "customer_session_client_secret", "This CustomerSession does not allow removing payment methods (payment_method_remove is disabled).")
	}
	pm, err := tx.GetPaymentMethod(ctx, a.Scope, id, false)
	if err != nil || pm.Customer != cs.Customer {
		return nil, NotFound("PaymentMethod", id, "payment_method")
	}
	return DetachPaymentMethod(ctx, tx, a, id)
}
