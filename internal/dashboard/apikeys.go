package dashboard

import (
	"net/http"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/store"
)

type keysPage struct {
	Publishable string
	Secrets     []store.KeyInfo
	NewSecret   string // shown once, on the answer to "roll"
}

// apiKeys shows the publishable key and the secret keys, masked.
func (d *Dashboard) apiKeys(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := d.keysPage(r, v)
	if err != nil {
		return err
	}
	d.render(w, r, http.StatusOK, "apikeys", v, p)
	return nil
}

func (d *Dashboard) keysPage(r *http.Request, v *visit) (keysPage, error) {
	var p keysPage
	err := d.cfg.DB.View(r.Context(), func(tx *store.Tx) error {
		keys, err := tx.ListKeys(r.Context(), v.acct.Account)
		if err != nil {
			return err
		}
		for _, k := range keys {
			switch {
			case k.Livemode:
			case k.Kind == accounts.Publishable && p.Publishable == "":
				p.Publishable = k.Display
			case k.Kind == accounts.Secret:
				p.Secrets = append(p.Secrets, k)
			}
		}
		return nil
	})
	return p, err
}

// rollSecretKey issues a new secret key and makes every other one stop
// working at once; dashboard sessions opened with a secret key end too,
// except this one. The new key is shown in this answer only.
func (d *Dashboard) rollSecretKey(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	key := accounts.NewTestKeys().Secret
	err := d.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddKey(ctx, v.acct.Account, key); err != nil {
			return err
		}
		if _, err := tx.ExpireKeys(ctx, v.acct.Account, accounts.Secret, key, tx.Now().Unix()); err != nil {
			return err
		}
		return tx.DeleteSessions(ctx, v.acct.Account, "secret_key", v.sess.TokenHash)
	})
	if err != nil {
		return err
	}
	p, err := d.keysPage(r, v)
	if err != nil {
		return err
	}
	p.NewSecret = key
	v.flash = flash{Message: "Secret key rolled. Copy the new key now: it is not shown again, and the old one no longer works."}
	d.render(w, r, http.StatusOK, "apikeys", v, p)
	return nil
}
