package dashboard_test

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/tenderpay/tender/internal/store"
)

// TestLoginLogout: in Chromium, a wrong key is refused, the secret key
// logs in, the session survives navigation, logout ends it, and afterwards
// the dashboard sends the browser back to the login page.
func TestLoginLogout(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	b := newTab(t, env)

	b.open("/dashboard/payments")
	b.waitFor(`location.pathname === '/dashboard/login'`)
	if !strings.Contains(b.location(), "next=%2Fdashboard%2Fpayments") {
		t.Errorf("login page does not remember where to go: %s", b.location())
	}
	b.shot("login")

	b.typeInto("#secret_key", "sk_test_wrong_key_123456")
	b.submitVia("#key button[type=submit]")
	if got := b.text(".flash-error"); !strings.Contains(got, "not valid") {
		t.Errorf("wrong key: flash %q", got)
	}
	b.shot("login-error")

	b.typeInto("#secret_key", "sk_test_tender_apitest_secret")
	b.submitVia("#key button[type=submit]")
	b.waitFor(`location.pathname === '/dashboard/payments'`)
	b.waitFor(`document.querySelector('.empty h2')`)
	if got := b.text(".empty h2"); got != "No payments yet" {
		t.Errorf("empty payments page says %q", got)
	}
	b.shot("payments-empty")

	var httpOnlyHidden bool
	b.eval(`!document.cookie.includes('tender_session')`, &httpOnlyHidden)
	if !httpOnlyHidden {
		t.Error("the session cookie is readable from JavaScript")
	}

	b.open("/dashboard/customers")
	b.waitFor(`location.pathname === '/dashboard/customers'`)

	b.submitVia(".logout button")
	b.waitFor(`location.pathname === '/dashboard/login'`)
	if got := b.text(".flash"); !strings.Contains(got, "logged out") {
		t.Errorf("after logout: %q", got)
	}
	b.open("/dashboard/customers")
	b.waitFor(`location.pathname === '/dashboard/login'`)
}

// TestPasswordLogin: in Chromium, the password set as the CLI sets it logs
// in to the default account (account field left empty) and to an account
// named by id.
func TestPasswordLogin(t *testing.T) {
	t.Parallel()
	env := sqlite(t)
	hash, _ := bcrypt.GenerateFromPassword([]byte("correct horse battery"), bcrypt.MinCost)
	ctx := context.Background()
	if err := env.App.DB().Update(ctx, func(tx *store.Tx) error {
		return tx.SetDashboardPassword(ctx, env.App.Account, string(hash))
	}); err != nil {
		t.Fatal(err)
	}
	b := newTab(t, env)
	b.open("/dashboard/login")
	b.run(clickCSS(`[data-tab=password]`))
	b.typeInto("#pw", "wrong password")
	b.submitVia("#password button[type=submit]")
	if got := b.text(".flash-error"); !strings.Contains(got, "do not match") {
		t.Errorf("wrong password: %q", got)
	}
	b.typeInto("#account", env.App.Account)
	b.typeInto("#pw", "correct horse battery")
	b.submitVia("#password button[type=submit]")
	b.waitFor(`location.pathname === '/dashboard/payments'`)
	if got := b.text(".account small"); got != env.App.Account {
		t.Errorf("logged in to %q, want %s", got, env.App.Account)
	}
}
