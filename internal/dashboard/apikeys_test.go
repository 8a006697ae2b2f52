package dashboard_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tenderpay/tender/internal/apitest"
)

// TestRollKeyInBrowser: in Chromium, the keys page shows the publishable
// key; rolling (after the confirmation dialog) shows the new secret key
// once, which then works on the API while the old one does not.
func TestRollKeyInBrowser(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	b := newTab(t, env)
	b.login()
	b.open("/dashboard/apikeys")
	if got := b.text("#pk"); got != apitest.PublishableKey {
		t.Errorf("publishable key shown: %q", got)
	}
	b.shot("apikeys")
	b.eval(`window.confirm = () => true, true`, nil)
	b.submitVia("#roll")
	key := b.text("#new-secret")
	if !strings.HasPrefix(key, "sk_test_") {
		t.Fatalf("new key %q", key)
	}
	b.shot("apikeys-rolled")
	if r := env.Do("GET", "/v1/payment_intents", key, ""); r.Status != http.StatusOK {
		t.Errorf("new key: %d", r.Status)
	}
	if r := env.Do("GET", "/v1/payment_intents", apitest.SecretKey, ""); r.Status != http.StatusUnauthorized {
		t.Errorf("old key: %d", r.Status)
	}
	b.open("/dashboard/apikeys")
	var shown bool
	b.eval(`document.body.innerText.includes(`+jsString(key)+`)`, &shown)
	if shown {
		t.Error("the new key is shown again after a reload")
	}
}
