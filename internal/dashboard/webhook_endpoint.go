package dashboard

import (
	"net/http"

	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

type endpointPage struct {
	E      *webhooks.Endpoint
	Secret string // set only on the answer to "reveal"
	Status string
}

// endpointDetail shows one endpoint; its signing secret stays hidden until
// asked for.
func (d *Dashboard) endpointDetail(w http.ResponseWriter, r *http.Request, v *visit) error {
	return d.showEndpoint(w, r, v, false)
}

// revealSecret answers a form post with the endpoint page and its secret;
// the secret never appears in a page a GET can fetch.
func (d *Dashboard) revealSecret(w http.ResponseWriter, r *http.Request, v *visit) error {
	return d.showEndpoint(w, r, v, true)
}

func (d *Dashboard) showEndpoint(w http.ResponseWriter, r *http.Request, v *visit, reveal bool) error {
	ctx := r.Context()
	var p endpointPage
	err := d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		e, err := webhooks.GetEndpoint(ctx, tx, v.acct.Scope, r.PathValue("id"))
		p.E = e
		return err
	})
	if err != nil {
		return err
	}
	p.Status = "enabled"
	if p.E.Disabled {
		p.Status = "disabled"
	}
	if reveal {
		p.Secret = p.E.Secret
	}
	d.render(w, r, http.StatusOK, "endpoint", v, p)
	return nil
}

func (d *Dashboard) disableEndpoint(w http.ResponseWriter, r *http.Request, v *visit) error {
	return d.setEndpointDisabled(w, r, v, true)
}

func (d *Dashboard) enableEndpoint(w http.ResponseWriter, r *http.Request, v *visit) error {
	return d.setEndpointDisabled(w, r, v, false)
}

// setEndpointDisabled is POST /v1/webhook_endpoints/{id} with disabled.
func (d *Dashboard) setEndpointDisabled(w http.ResponseWriter, r *http.Request, v *visit, disabled bool) error {
	ctx := r.Context()
	id := r.PathValue("id")
	err := d.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		_, err := webhooks.UpdateEndpoint(ctx, tx, v.acct.Scope, d.cfg.WebhookRules, id, &webhooks.EndpointParams{Disabled: &disabled})
		return err
	})
	msg := "Endpoint enabled: it receives events again."
	if disabled {
		msg = "Endpoint disabled: it receives no events until enabled."
	}
	return d.actionDone(w, r, v, "/dashboard/webhooks/"+id, msg, err)
}

// deleteEndpoint is DELETE /v1/webhook_endpoints/{id}.
func (d *Dashboard) deleteEndpoint(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	id := r.PathValue("id")
	err := d.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		_, err := webhooks.DeleteEndpoint(ctx, tx, v.acct.Scope, id)
		return err
	})
	if err != nil {
		return d.actionDone(w, r, v, "/dashboard/webhooks/"+id, "", err)
	}
	return d.done(w, r, v, "/dashboard/webhooks", "Endpoint "+id+" deleted.", false)
}
