package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

const (
	sessionCookie = "tender_session"
	// loginCookie carries the login form's CSRF token before any session
	// exists (double submit).
	loginCookie = "tender_login"
	sessionTTL  = 12 * time.Hour
)

// visit is one authenticated request: the session and the account it
// opens, as the payments functions take it.
type visit struct {
	sess  *store.Session
	acct  *payments.Account
	name  string
	flash flash
}

type flash struct {
	Message string
	Error   bool
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, v *visit) error

// page serves a page that needs a login; without one, it sends the
// browser to the login page.
func (d *Dashboard) page(pattern string, h handlerFunc) {
	d.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		v, err := d.loadVisit(r)
		if errors.Is(err, payments.ErrNotFound) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				http.Error(w, "Log in to the dashboard first.", http.StatusUnauthorized)
				return
			}
			next := r.URL.Path
			if r.URL.RawQuery != "" {
				next += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, "/dashboard/login?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		if err != nil {
			d.fail(w, r, nil, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if err := h(w, r, v); err != nil {
			d.fail(w, r, v, err)
		}
	})
}

// action serves a form post: it needs a login and the session's CSRF token.
func (d *Dashboard) action(pattern string, h handlerFunc) {
	d.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		v, err := d.loadVisit(r)
		if errors.Is(err, payments.ErrNotFound) {
			http.Error(w, "Log in to the dashboard first.", http.StatusUnauthorized)
			return
		}
		if err != nil {
			d.fail(w, r, nil, err)
			return
		}
		if !sameOrigin(r) || !equal(r.PostFormValue("csrf"), v.sess.CSRF) {
			http.Error(w, "This form has expired or did not come from the dashboard (CSRF check failed). Reload the page and try again.", http.StatusForbidden)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if err := h(w, r, v); err != nil {
			d.fail(w, r, v, err)
		}
	})
}

// sameOrigin refuses a post whose Origin header names another site. The
// token is the real check; this is defence in depth.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

func equal(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// loadVisit resolves the session cookie; payments.ErrNotFound means no
// valid session.
func (d *Dashboard) loadVisit(r *http.Request) (*visit, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, payments.ErrNotFound
	}
	hash := hashToken(c.Value)
	v := &visit{}
	err = d.cfg.DB.View(r.Context(), func(tx *store.Tx) error {
		s, err := tx.GetSession(r.Context(), hash)
		if err != nil {
			return err
		}
		a, err := tx.Account(r.Context(), s.Account)
		if err != nil {
			return err
		}
		v.sess, v.name = s, a.Name
		v.acct = a.Payments(false)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if f := v.sess.Flash; f != "" && r.Method == http.MethodGet {
		v.flash = flash{Message: strings.TrimPrefix(strings.TrimPrefix(f, "err:"), "ok:"), Error: strings.HasPrefix(f, "err:")}
		err := d.cfg.DB.Update(r.Context(), func(tx *store.Tx) error { return tx.SetSessionFlash(r.Context(), hash, "") })
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}

// done ends an action: it keeps a notice for the next page and sends the
// browser there (post/redirect/get).
func (d *Dashboard) done(w http.ResponseWriter, r *http.Request, v *visit, to, notice string, failed bool) error {
	if notice != "" {
		prefix := "ok:"
		if failed {
			prefix = "err:"
		}
		err := d.cfg.DB.Update(r.Context(), func(tx *store.Tx) error {
			return tx.SetSessionFlash(r.Context(), v.sess.TokenHash, prefix+notice)
		})
		if err != nil {
			return err
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// startSession logs the browser in to account.
func (d *Dashboard) startSession(ctx context.Context, w http.ResponseWriter, account, method string) error {
	token := randomToken()
	now := time.Now()
	s := &store.Session{TokenHash: hashToken(token), Account: account, Method: method, CSRF: randomToken(),
		Created: now.Unix(), ExpiresAt: now.Add(sessionTTL).Unix()}
	if err := d.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.CreateSession(ctx, s) }); err != nil {
		return err
	}
	http.SetCookie(w, d.cookie(sessionCookie, token, int(sessionTTL.Seconds())))
	return nil
}

func (d *Dashboard) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/dashboard", MaxAge: maxAge,
		HttpOnly: true, Secure: d.secure, SameSite: http.SameSiteStrictMode}
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// logout ends the session.
func (d *Dashboard) logout(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := d.cfg.DB.Update(r.Context(), func(tx *store.Tx) error {
		return tx.DeleteSession(r.Context(), v.sess.TokenHash)
	}); err != nil {
		return err
	}
	http.SetCookie(w, d.cookie(sessionCookie, "", -1))
	http.Redirect(w, r, "/dashboard/login?out=1", http.StatusSeeOther)
	return nil
}

// keyAccount resolves a secret key to its account for login.
func keyAccount(ctx context.Context, tx *store.Tx, key string) (string, error) {
	if kind, _, ok := accounts.Parse(key); !ok || kind != accounts.Secret {
		return "", payments.ErrNotFound
	}
	k, _, err := tx.LookupKey(ctx, key)
	if err != nil {
		return "", err
	}
	if k.Livemode {
		return "", payments.ErrNotFound // the dashboard shows test mode only
	}
	return k.Account, nil
}
