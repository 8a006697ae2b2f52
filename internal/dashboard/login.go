package dashboard

import (
	"errors"
	"net"
	"net/http"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// dummyHash is compared against when an account has no password, so that
// a login takes as long whether or not the account exists.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("tender-dummy-password"), bcrypt.DefaultCost)

type loginData struct {
	CSRF, Next, Error, Account, Method string
	LoggedOut                          bool
}

// loginPage shows the login form; its CSRF token rides in a cookie too.
func (d *Dashboard) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, err := d.loadVisit(r); err == nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	d.showLogin(w, r, http.StatusOK, loginData{Next: r.URL.Query().Get("next"), LoggedOut: r.URL.Query().Get("out") == "1", Method: "key"})
}

func (d *Dashboard) showLogin(w http.ResponseWriter, r *http.Request, status int, data loginData) {
	data.CSRF = randomToken()
	http.SetCookie(w, d.cookie(loginCookie, data.CSRF, 3600))
	w.Header().Set("Cache-Control", "no-store")
	d.render(w, r, status, "login", nil, data)
}

// login checks a secret key, or an account's dashboard password, and
// starts a session.
func (d *Dashboard) login(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(loginCookie)
	if err != nil || !equal(r.PostFormValue("csrf"), c.Value) || !sameOrigin(r) {
		http.Error(w, "This login form has expired or did not come from the dashboard (CSRF check failed). Reload the page and try again.", http.StatusForbidden)
		return
	}
	data := loginData{Next: r.PostFormValue("next"), Account: strings.TrimSpace(r.PostFormValue("account")), Method: r.PostFormValue("method")}
	client := clientIP(r)
	if !d.limiter.allow(client) {
		data.Error = "Too many failed logins from your address. Wait a few minutes, then try again."
		d.showLogin(w, r, http.StatusTooManyRequests, data)
		return
	}
	ctx := r.Context()
	var account, method string
	err = d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		if data.Method == "password" {
			method = "password"
			return d.checkPassword(r, tx, data.Account, r.PostFormValue("password"), &account)
		}
		method = "secret_key"
		var err error
		account, err = keyAccount(ctx, tx, strings.TrimSpace(r.PostFormValue("secret_key")))
		return err
	})
	if errors.Is(err, payments.ErrNotFound) {
		d.limiter.fail(client)
		data.Error = "That secret key is not valid."
		if method == "password" {
			data.Error = "That account and password do not match."
		}
		d.showLogin(w, r, http.StatusUnauthorized, data)
		return
	}
	if err != nil {
		d.fail(w, r, nil, err)
		return
	}
	if err := d.startSession(ctx, w, account, method); err != nil {
		d.fail(w, r, nil, err)
		return
	}
	http.SetCookie(w, d.cookie(loginCookie, "", -1))
	http.Redirect(w, r, safeNext(data.Next), http.StatusSeeOther)
}

// checkPassword compares with bcrypt (constant time); an empty account
// means the default account.
func (d *Dashboard) checkPassword(r *http.Request, tx *store.Tx, accountID, password string, out *string) error {
	ctx := r.Context()
	hash := string(dummyHash)
	found := false
	if accountID == "" {
		if a, err := tx.DefaultAccount(ctx); err == nil {
			accountID = a.ID
		}
	}
	if accountID != "" {
		h, err := tx.DashboardPassword(ctx, accountID)
		switch {
		case err == nil:
			hash, found = h, true
		case !errors.Is(err, payments.ErrNotFound):
			return err
		}
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || !found || password == "" {
		return payments.ErrNotFound
	}
	*out = accountID
	return nil
}

// safeNext keeps redirects after login inside the dashboard.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/dashboard") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/dashboard/payments"
	}
	return next
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
