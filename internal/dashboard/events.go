package dashboard

import (
	"net/http"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

type eventRow struct {
	E        *webhooks.Event
	Object   string
	Delivery string // delivered, failed, pending or "" when no endpoint took it
}

type eventsPage struct {
	Type  string
	Types []string
	Rows  []eventRow
	Pager pager
}

// eventsList lists events with where their deliveries stand.
func (d *Dashboard) eventsList(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	q := r.URL.Query()
	c := cursorFrom(q)
	p := eventsPage{Type: q.Get("type"), Types: webhooks.Types}
	var f webhooks.EventFilter
	if p.Type != "" {
		f.Types = []string{p.Type}
	}
	err := d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		list, more, err := pageOf(func(pg payments.Page) (payments.ListResult[*webhooks.Event], error) {
			return tx.ListEvents(ctx, v.acct.Scope, pg, f)
		}, payments.Page{}, c, nil, eventID)
		if err != nil {
			return err
		}
		for _, e := range list {
			st, err := tx.DeliveryStatuses(ctx, e.ID)
			if err != nil {
				return err
			}
			p.Rows = append(p.Rows, eventRow{E: e, Object: e.ObjectID(), Delivery: summarize(st)})
		}
		p.Pager = newPager("/dashboard/events", q, c, list, more, eventID)
		return nil
	})
	if err != nil {
		return err
	}
	d.render(w, r, http.StatusOK, "events", v, p)
	return nil
}

func eventID(e *webhooks.Event) string { return e.ID }

// summarize folds an event's per-endpoint states into one word.
func summarize(st []store.DeliveryStatus) string {
	if len(st) == 0 {
		return ""
	}
	out := "delivered"
	for _, s := range st {
		switch s.Status {
		case "failed":
			return "failed"
		case "pending":
			out = "pending"
		}
	}
	return out
}
