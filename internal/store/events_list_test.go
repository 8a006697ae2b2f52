package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/webhooks"
)

// TestEventTypesFromScopeIndex: events listed by type — exact and by
// prefix, page after page, newest first — whichever index serves it; on
// both backends the scope's index, which carries the type, with no index
// on type of its own.
func TestEventTypesFromScopeIndex(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		types := []string{"payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "charge.refunded"}
		var evs []*webhooks.Event
		for i := range 40 {
			typ := types[i%3]
			if i == 17 {
				typ = types[3] // one rare type
			}
			evs = append(evs, &webhooks.Event{ID: fmt.Sprintf("evt_list_%02d", i), Type: typ, Created: int64(1000 + i), DefaultVersion: "v",
				Snapshot: []byte(`{"type":"x","object":{}}`)})
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.InsertEvents(ctx, scope, evs) }); err != nil {
			t.Fatal(err)
		}
		want := func(match func(string) bool) []string {
			var ids []string
			for _, e := range slices.Backward(evs) {
				if match(e.Type) {
					ids = append(ids, e.ID)
				}
			}
			return ids
		}
		for _, c := range []struct {
			filter []string
			want   []string
		}{
			{[]string{"charge.succeeded"}, want(func(t string) bool { return t == "charge.succeeded" })},
			{[]string{"charge.*"}, want(func(t string) bool { return strings.HasPrefix(t, "charge.") })},
			{[]string{"charge.refunded"}, []string{"evt_list_17"}},
			{[]string{"payment_intent.created", "charge.refunded"}, want(func(t string) bool { return t == "payment_intent.created" || t == "charge.refunded" })},
			{[]string{"invoice.paid"}, nil},
		} {
			var got []string
			page := payments.Page{Limit: 4}
			for {
				var res payments.ListResult[*webhooks.Event]
				err := db.View(ctx, func(tx *store.Tx) error {
					var err error
					res, err = tx.ListEvents(ctx, scope, page, webhooks.EventFilter{Types: c.filter})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range res.Data {
					got = append(got, e.ID)
				}
				if !res.HasMore {
					break
				}
				page.StartingAfter = res.Data[len(res.Data)-1].ID
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("types %v: got %v, want %v", c.filter, got, c.want)
			}
		}

		if db.Dialect() == store.Postgres {
			// Each way of asking reads the types from the scope's index:
			// no condition is left to check on the rows (a Filter).
			for _, types := range [][]string{{"charge.refunded"}, {"charge.*"}, {"payment_intent.created", "charge.*"}} {
				var plan []string
				err := db.View(ctx, func(tx *store.Tx) error {
					var err error
					plan, err = store.ExplainEvents(ctx, tx, scope, payments.Page{Limit: 10}, webhooks.EventFilter{Types: types})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				text := strings.Join(plan, "\n")
				if !strings.Contains(text, "events_scope") || strings.Contains(text, "Filter:") || strings.Contains(text, "Seq Scan") || strings.Contains(text, "Bitmap") {
					t.Errorf("types %v: not read from the scope's index alone:\n%s", types, text)
				}
			}
			return
		}
		var plan strings.Builder
		rows, err := db.Pool().QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT id FROM events WHERE account_id = ? AND livemode = ? AND type = ? ORDER BY seq DESC LIMIT 11`,
			scope.Account, scope.Livemode, "charge.refunded")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan.WriteString(detail + "; ")
		}
		if !strings.Contains(plan.String(), "USING INDEX events_scope") || strings.Contains(plan.String(), "TEMP B-TREE") {
			t.Errorf("a type's events are not read in order from the scope's index: %s", plan.String())
		}
	})
}
