package dashboard

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/tenderpay/tender/internal/api"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

type deliveryView struct {
	Endpoint *webhooks.Endpoint
	ID       string
	Status   string
	Attempts []webhooks.Attempt
}

type eventPage struct {
	E          *webhooks.Event
	Object     string
	JSON       string
	Deliveries []deliveryView
	CanResend  bool
}

// eventDetail shows an event, each endpoint's delivery of it and every
// attempt with its status and response.
func (d *Dashboard) eventDetail(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	var p eventPage
	err := d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		e, err := tx.GetEvent(ctx, v.acct.Scope, r.PathValue("id"))
		if err != nil {
			return err
		}
		p.E = e
		p.Object = e.ObjectID()
		pending, err := tx.PendingDeliveries(ctx, e.ID)
		if err != nil {
			return err
		}
		body, err := webhooks.Envelope(e, e.DefaultVersion, pending, api.EventRenderer(ctx, tx, v.acct.Scope))
		if err != nil {
			return err
		}
		var pretty bytes.Buffer
		_ = json.Indent(&pretty, body, "", "  ")
		p.JSON = pretty.String()
		statuses, err := tx.DeliveryStatuses(ctx, e.ID)
		if err != nil {
			return err
		}
		attempts, err := tx.ListAttempts(ctx, v.acct.Scope, e.ID)
		if err != nil {
			return err
		}
		for _, st := range statuses {
			dv := deliveryView{ID: st.EndpointID, Status: st.Status}
			if st.Status == "succeeded" {
				dv.Status = "delivered"
			}
			dv.Endpoint, _ = tx.GetEndpoint(ctx, v.acct.Scope, st.EndpointID)
			for _, at := range attempts {
				if at.EndpointID == st.EndpointID {
					dv.Attempts = append(dv.Attempts, at)
				}
			}
			p.Deliveries = append(p.Deliveries, dv)
		}
		endpoints, err := tx.EnabledEndpoints(ctx, v.acct.Scope)
		if err != nil {
			return err
		}
		for _, ep := range endpoints {
			p.CanResend = p.CanResend || ep.Wants(e.Type)
		}
		return nil
	})
	if err != nil {
		return err
	}
	d.render(w, r, http.StatusOK, "event", v, p)
	return nil
}

// resendEvent queues the event again for every enabled endpoint that takes
// its type, as POST /v1/events/{id}/retry does: the delivery row and the
// job commit together.
func (d *Dashboard) resendEvent(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	id := r.PathValue("id")
	to := "/dashboard/events/" + id
	sent := 0
	err := d.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		e, err := tx.GetEvent(ctx, v.acct.Scope, id)
		if err != nil {
			return err
		}
		endpoints, err := tx.EnabledEndpoints(ctx, v.acct.Scope)
		if err != nil {
			return err
		}
		only := r.PostFormValue("endpoint")
		for _, ep := range endpoints {
			if !ep.Wants(e.Type) || (only != "" && only != ep.ID) {
				continue
			}
			if err := tx.AddDelivery(ctx, e.ID, ep.ID, tx.Now().Unix()); err != nil {
				return err
			}
			if err := d.cfg.Queue.Enqueue(tx.Context(ctx), tx.SQL(), webhooks.DeliveryArgs{Account: v.acct.Account, Livemode: v.acct.Livemode, EventID: e.ID, EndpointID: ep.ID}); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	if err != nil {
		return err
	}
	if sent == 0 {
		return d.done(w, r, v, to, "No enabled endpoint takes this event's type: nothing was resent.", true)
	}
	msg := "Event queued for delivery again."
	if sent > 1 {
		msg = "Event queued for delivery to its endpoints again."
	}
	return d.done(w, r, v, to, msg, false)
}
