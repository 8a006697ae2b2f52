package shop

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"
)

// webhook receives Tender's signed events. An order becomes paid here and
// nowhere else: the browser's "succeeded" is a hint for the page, not proof.
func (s *Shop) webhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 256<<10))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	ev, err := webhook.ConstructEvent(body, r.Header.Get("Stripe-Signature"), s.cfg.WebhookSecret)
	if err != nil {
		s.log.Warn("webhook refused", "err", err)
		http.Error(w, "signature verification failed", http.StatusBadRequest)
		return
	}
	switch ev.Type {
	case "payment_intent.succeeded", "payment_intent.payment_failed":
		var pi stripe.PaymentIntent
		if err := json.Unmarshal(ev.Data.Raw, &pi); err != nil {
			http.Error(w, "bad event payload", http.StatusBadRequest)
			return
		}
		if ev.Type == "payment_intent.succeeded" {
			s.orders.pay(pi.ID, ev.ID, pi.Amount, string(pi.Currency))
			s.log.Info("order paid", "payment_intent", pi.ID, "event", ev.ID)
		} else {
			reason := "payment failed"
			if pi.LastPaymentError != nil && pi.LastPaymentError.Msg != "" {
				reason = pi.LastPaymentError.Msg
			}
			s.orders.fail(pi.ID, reason)
			s.log.Info("order failed", "payment_intent", pi.ID, "event", ev.ID, "reason", reason)
		}
	default:
		s.log.Debug("webhook ignored", "type", ev.Type, "event", ev.ID)
	}
	w.WriteHeader(http.StatusOK)
}
