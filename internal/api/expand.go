package api

import (
	"strings"

	"github.com/tenderpay/tender/internal/wire"
)

// expandable lists, per object type, the fields expand[] may name and the
// object type each expands into. "" marks fields that expand into nothing
// Tender models (always null, or an empty list).
var expandable = map[string]map[string]string{
	"customer": {
		"default_source": "",
		"invoice_settings.default_payment_method": "payment_method",
		"test_clock":    "",
		"sources":       "",
		"subscriptions": "",
		"tax_ids":       "",
	},
	"payment_method": {"customer": "customer"},
	"payment_intent": {"customer": "customer", "latest_charge": "charge", "payment_method": "payment_method",
		"review": "", "on_behalf_of": "", "application": ""},
	"setup_intent":       {"customer": "customer", "payment_method": "payment_method", "mandate": "", "single_use_mandate": "", "on_behalf_of": "", "application": ""},
	"charge":             {"balance_transaction": "", "customer": "customer", "payment_intent": "payment_intent", "refunds": "refund_list", "review": "", "application": "", "application_fee": "", "on_behalf_of": ""},
	"refund_list":        {"data": "refund"},
	"refund":             {"balance_transaction": "", "charge": "charge", "payment_intent": "payment_intent"},
	"confirmation_token": {},
	"webhook_endpoint":   {},
	"customer_session":   {"customer": "customer"},
	"event":              {},
}

// maxExpandDepth is Stripe's limit on dotted expansions.
const maxExpandDepth = 4

// expansion is the tree of fields to expand below one object.
type expansion map[string]expansion

// has reports whether field is to be expanded.
func (e expansion) has(field string) bool {
	_, ok := e[field]
	return ok
}

// parseExpand takes expand[] out of params and checks every path against
// the object type; on lists the paths start with "data.".
func parseExpand(params map[string]any, object string, list bool) (expansion, error) {
	raw, ok := params["expand"]
	delete(params, "expand")
	var paths []string
	switch v := raw.(type) {
	case nil:
	case string:
		if v != "" {
			paths = []string{v}
		}
	case wire.Params:
		var s struct {
			Expand []string `form:"expand"`
		}
		if err := (wire.Params{"expand": v}).Decode(&s); err != nil {
			return nil, err
		}
		paths = s.Expand
	}
	if !ok || len(paths) == 0 {
		return expansion{}, nil
	}
	root := expansion{}
	for _, p := range paths {
		path := p
		if list {
			var found bool
			if path, found = strings.CutPrefix(p, "data."); !found {
				return nil, cannotExpand(p)
			}
		}
		if err := root.add(object, path, p, 0); err != nil {
			return nil, err
		}
	}
	return root, nil
}

func (e expansion) add(object, path, full string, depth int) error {
	if depth >= maxExpandDepth {
		return wire.InvalidValue("expand", "You cannot expand more than %d levels of a property. Property: %s", maxExpandDepth, full)
	}
	for field, target := range expandable[object] {
		rest, ok := strings.CutPrefix(path, field)
		if !ok || (rest != "" && rest[0] != '.') {
			continue
		}
		sub := e[field]
		if sub == nil {
			sub = expansion{}
			e[field] = sub
		}
		if rest == "" {
			return nil
		}
		if target == "" {
			return cannotExpand(full)
		}
		return sub.add(target, rest[1:], full, depth+1)
	}
	return cannotExpand(full)
}

func cannotExpand(path string) error {
	return wire.InvalidValue("expand", "This property cannot be expanded (%s).", path)
}
