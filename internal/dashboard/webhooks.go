package dashboard

import (
	"net/http"
	"strings"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

type webhooksPage struct {
	Endpoints []*webhooks.Endpoint
	Pager     pager
	Types     []string
	Versions  []apiVersion
	Default   string
}

// apiVersion is a version an endpoint may render its events in: the
// official SDKs verify events only in the version they pin.
type apiVersion struct{ Version, Note string }

var apiVersions = []apiVersion{
	{"2026-10-28.endive", "stripe-node 23"},
	{"2026-03-25.dahlia", "stripe-go v85, stripe-node 22"},
	{"2026-02-25.clover", ""},
	{"2025-10-29.clover", "stripe-node 20"},
	{"2025-08-27.basil", "stripe-go v82, stripe-node 19"},
	{"2025-03-31.basil", ""},
}

// webhooksList lists the account's webhook endpoints, with the form that
// adds one.
func (d *Dashboard) webhooksList(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	q := r.URL.Query()
	c := cursorFrom(q)
	p := webhooksPage{Types: webhooks.Types, Versions: apiVersions, Default: v.acct.APIVersion}
	err := d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		list, more, err := pageOf(func(pg payments.Page) (payments.ListResult[*webhooks.Endpoint], error) {
			return tx.ListEndpoints(ctx, v.acct.Scope, pg)
		}, payments.Page{}, c, nil, endpointID)
		p.Endpoints = list
		p.Pager = newPager("/dashboard/webhooks", q, c, list, more, endpointID)
		return err
	})
	if err != nil {
		return err
	}
	d.render(w, r, http.StatusOK, "webhooks", v, p)
	return nil
}

func endpointID(e *webhooks.Endpoint) string { return e.ID }

// createEndpoint adds an endpoint, as POST /v1/webhook_endpoints does.
func (d *Dashboard) createEndpoint(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return err
	}
	u := strings.TrimSpace(r.PostFormValue("url"))
	events := r.PostForm["events"]
	if len(events) == 0 || r.PostFormValue("all") == "1" {
		events = []string{"*"}
	}
	desc := strings.TrimSpace(r.PostFormValue("description"))
	version := v.acct.APIVersion
	for _, av := range apiVersions {
		if av.Version == r.PostFormValue("api_version") {
			version = av.Version
		}
	}
	var e *webhooks.Endpoint
	err := d.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		e, err = webhooks.CreateEndpoint(ctx, tx, v.acct.Scope, d.cfg.WebhookRules, tx.Now().Unix(), version,
			&webhooks.EndpointParams{URL: &u, EnabledEvents: events, Description: &desc})
		return err
	})
	if err != nil {
		return d.actionDone(w, r, v, "/dashboard/webhooks", "", err)
	}
	return d.done(w, r, v, "/dashboard/webhooks/"+e.ID, "Endpoint added. Reveal its signing secret below to verify what it receives.", false)
}
