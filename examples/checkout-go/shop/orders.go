package shop

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Order states. Only a verified payment_intent.succeeded webhook makes an
// order paid.
const (
	Pending = "pending"
	Paid    = "paid"
	Failed  = "failed"
)

// Order is one purchase, keyed by its PaymentIntent.
type Order struct {
	PaymentIntent string    `json:"payment_intent"`
	Email         string    `json:"email"`
	Amount        int64     `json:"amount"`
	Currency      string    `json:"currency"`
	Card          string    `json:"card"`
	Status        string    `json:"status"`
	Detail        string    `json:"detail,omitempty"`
	PaidByEvent   string    `json:"paid_by_event,omitempty"`
	Created       time.Time `json:"created"`
	Updated       time.Time `json:"updated"`
}

type orders struct {
	mu sync.Mutex
	m  map[string]*Order
}

func newOrders() *orders { return &orders{m: map[string]*Order{}} }

// entry returns the order for pi, creating a pending one. Caller holds mu.
func (o *orders) entry(pi string) *Order {
	ord := o.m[pi]
	if ord == nil {
		now := time.Now()
		ord = &Order{PaymentIntent: pi, Status: Pending, Created: now, Updated: now}
		o.m[pi] = ord
	}
	return ord
}

// record notes what the server knows when it creates the PaymentIntent.
// A webhook may have got there first: record never changes a status.
func (o *orders) record(pi, email string, amount int64, currency, card string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	ord := o.entry(pi)
	ord.Email, ord.Amount, ord.Currency = email, amount, currency
	if card != "" {
		ord.Card = card
	}
}

// pay marks the order paid; only the webhook handler calls it.
func (o *orders) pay(pi, event string, amount int64, currency string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	ord := o.entry(pi)
	ord.Status, ord.PaidByEvent, ord.Detail, ord.Updated = Paid, event, "", time.Now()
	if ord.Amount == 0 {
		ord.Amount, ord.Currency = amount, currency
	}
}

// fail marks an unpaid order failed with the reason.
func (o *orders) fail(pi, reason string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	ord := o.entry(pi)
	if ord.Status == Paid {
		return
	}
	ord.Status, ord.Detail, ord.Updated = Failed, reason, time.Now()
}

// list returns copies of every order, newest first.
func (o *orders) list() []Order {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Order, 0, len(o.m))
	for _, ord := range o.m {
		out = append(out, *ord)
	}
	slices.SortFunc(out, func(a, b Order) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(a.PaymentIntent, b.PaymentIntent)
	})
	return out
}

// ordersPage shows every order's state; with ?format=json or an
// Accept: application/json header it answers JSON.
func (s *Shop) ordersPage(w http.ResponseWriter, r *http.Request) {
	list := s.orders.list()
	if r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "application/json") {
		writeJSON(w, http.StatusOK, map[string]any{"orders": list})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := pages.ExecuteTemplate(w, "orders.html", map[string]any{"Orders": list}); err != nil {
		s.log.Error("render orders", "err", err)
	}
}
