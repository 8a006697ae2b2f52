package api

import (
	"github.com/tenderpay/tender/internal/payments"
)

// nullable renders "" as null, as Stripe does for unset strings.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type addressJSON struct {
	City       *string `json:"city"`
	Country    *string `json:"country"`
	Line1      *string `json:"line1"`
	Line2      *string `json:"line2"`
	PostalCode *string `json:"postal_code"`
	State      *string `json:"state"`
}

func renderAddress(a *payments.Address) *addressJSON {
	if a == nil {
		return nil
	}
	return &addressJSON{nullable(a.City), nullable(a.Country), nullable(a.Line1), nullable(a.Line2),
		nullable(a.PostalCode), nullable(a.State)}
}

type shippingJSON struct {
	Address        *addressJSON `json:"address"`
	Carrier        *string      `json:"carrier"`
	Name           *string      `json:"name"`
	Phone          *string      `json:"phone"`
	TrackingNumber *string      `json:"tracking_number"`
}

func renderShipping(s *payments.Shipping) *shippingJSON {
	if s == nil {
		return nil
	}
	return &shippingJSON{Address: renderAddress(&s.Address), Name: nullable(s.Name), Phone: nullable(s.Phone)}
}

// deletedJSON is what a delete returns.
type deletedJSON struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

// noParams is what endpoints without parameters of their own accept: the
// SDKs' common params struct can carry metadata on any request, which
// Stripe ignores where it means nothing.
type noParams struct {
	Metadata map[string]string `form:"metadata"`
}

// decodeParams decodes the request's remaining parameters into dst.
func decodeParams(r *request, dst any) error {
	return r.params.Decode(dst)
}

// unset reports which of paths the request set to the empty string,
// Stripe's way of clearing a field.
func unset(r *request, paths ...string) map[string]bool {
	out := map[string]bool{}
	for _, p := range paths {
		if r.params.Cleared(splitPath(p)...) {
			out[p] = true
		}
	}
	return out
}

// splitPath turns "a[b][c]" into ["a" "b" "c"].
func splitPath(p string) []string {
	var out []string
	cur := []byte{}
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '[', ']':
			if len(cur) > 0 {
				out = append(out, string(cur))
				cur = cur[:0]
			}
		default:
			cur = append(cur, p[i])
		}
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}
