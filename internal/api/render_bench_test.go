package api

import (
	"bytes"
	"context"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/payments"
)

// BenchmarkRenderPaymentIntent is the rendering of a response alone: a
// succeeded card PaymentIntent, as the seed call returns it, turned into
// Stripe's JSON — no HTTP, no storage (BenchmarkRetrieveIntent in
// internal/bench measures it behind a request).
func BenchmarkRenderPaymentIntent(b *testing.B) {
	pi := &payments.PaymentIntent{
		ID: "pi_3QbenchRender0000000000", ClientSecret: "pi_3QbenchRender0000000000_secret_abcdefghijklmnopqrstuvwxy",
		Created: 1767225600, Amount: 2000, AmountReceived: 2000, Currency: "usd", Status: payments.StatusSucceeded,
		CaptureMethod: "automatic_async", ConfirmationMethod: "automatic",
		AutomaticPaymentMethods: &payments.AutomaticPaymentMethods{Enabled: true, AllowRedirects: "never"},
		PaymentMethodTypes:      []string{"card"}, LatestCharge: "ch_3QbenchRender0000000000",
		PaymentMethod: "pm_1QbenchRender0000000000", Metadata: map[string]string{"order_id": "6735"},
	}
	rd := &renderer{ctx: context.Background(), scope: payments.Scope{Account: "acct_bench"}, version: accounts.DefaultAPIVersion}
	var out []byte
	b.ReportAllocs()
	for b.Loop() {
		v, err := rd.paymentIntent(pi, nil)
		if err != nil {
			b.Fatal(err)
		}
		if out, err = json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
	// Checked once, after the loop, so the check is not part of the timing.
	if !bytes.Contains(out, []byte(`"status":"succeeded"`)) || !bytes.Contains(out, []byte(`"latest_charge":"ch_3QbenchRender0000000000"`)) {
		b.Fatalf("rendered %s", out)
	}
	b.ReportMetric(float64(len(out)), "bytes/op")
}
