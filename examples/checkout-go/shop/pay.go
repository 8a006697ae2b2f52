package shop

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/stripe/stripe-go/v85"
)

// brandNames are how refusals name a card brand.
var brandNames = map[string]string{"amex": "American Express", "diners": "Diners Club", "discover": "Discover",
	"jcb": "JCB", "mastercard": "Mastercard", "unionpay": "UnionPay", "visa": "Visa"}

// createConfirmIntent is the server half of the deferred flow. The browser
// sends only its ConfirmationToken; the amount comes from the session's
// cart, and the customer from the session.
func (s *Shop) createConfirmIntent(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ConfirmationToken string `json:"confirmation_token"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if !strings.HasPrefix(in.ConfirmationToken, "ctoken_") {
		writeError(w, http.StatusBadRequest, "Missing confirmation_token.")
		return
	}
	sess := s.sessions.get(w, r)
	email, customer, _ := sess.snapshot()
	if customer == "" {
		writeError(w, http.StatusBadRequest, "Enter your email address first.")
		return
	}
	ctx, cancel := requestContext(r)
	defer cancel()

	// Custom business logic on what the customer is about to pay with: the
	// token's payment_method_preview shows the card before any charge.
	ct, err := s.sc.V1ConfirmationTokens.Retrieve(ctx, in.ConfirmationToken, nil)
	if err != nil {
		s.stripeError(w, err, "retrieve confirmation token")
		return
	}
	card := ""
	if p := ct.PaymentMethodPreview; p != nil && p.Card != nil {
		card = p.Card.Brand + " •••• " + p.Card.Last4
		s.log.Info("paying with", "token", ct.ID, "brand", p.Card.Brand, "last4", p.Card.Last4, "funding", p.Card.Funding, "customer", customer)
		if slices.Contains(s.cfg.RefusedBrands, p.Card.Brand) {
			name := brandNames[p.Card.Brand]
			if name == "" {
				name = p.Card.Brand
			}
			writeJSON(w, http.StatusPaymentRequired, map[string]string{
				"error": "Sorry, we don't accept " + name + " cards. Please use another card.", "code": "brand_refused"})
			return
		}
	}

	c := s.cart(sess)
	params := &stripe.PaymentIntentCreateParams{
		Amount:                  stripe.Int64(c.Total),
		Currency:                stripe.String(c.Currency),
		Confirm:                 stripe.Bool(true),
		AutomaticPaymentMethods: &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true)},
		ConfirmationToken:       stripe.String(ct.ID),
		Customer:                stripe.String(customer),
		ReceiptEmail:            stripe.String(email),
		Description:             stripe.String("Tender example shop order"),
		Metadata:                map[string]string{"discount_code": c.DiscountCode},
	}
	// One PaymentIntent per token, however many times the browser retries.
	params.SetIdempotencyKey("create-confirm-intent:" + ct.ID)
	pi, err := s.sc.V1PaymentIntents.Create(ctx, params)
	if err != nil {
		var se *stripe.Error
		if errors.As(err, &se) && se.PaymentIntent != nil {
			s.orders.record(se.PaymentIntent.ID, email, se.PaymentIntent.Amount, string(se.PaymentIntent.Currency), card)
			s.orders.fail(se.PaymentIntent.ID, se.Msg)
		}
		s.stripeError(w, err, "create payment intent")
		return
	}
	s.orders.record(pi.ID, email, pi.Amount, string(pi.Currency), card)
	s.log.Info("payment intent", "id", pi.ID, "status", pi.Status, "amount", pi.Amount)
	writeJSON(w, http.StatusOK, map[string]any{"client_secret": pi.ClientSecret, "status": pi.Status, "payment_intent": pi.ID})
}

// stripeError relays an API error's message (Stripe's words, such as
// "Your card was declined.") to the page.
func (s *Shop) stripeError(w http.ResponseWriter, err error, what string) {
	var se *stripe.Error
	if errors.As(err, &se) {
		status := se.HTTPStatusCode
		if status < 400 || status >= 500 {
			status = http.StatusBadGateway
		}
		if se.Type != stripe.ErrorTypeCard {
			s.log.Warn(what, "err", se.Msg, "code", se.Code, "request", se.RequestID)
		}
		writeJSON(w, status, map[string]any{"error": se.Msg, "code": se.Code, "decline_code": se.DeclineCode})
		return
	}
	s.log.Error(what, "err", err)
	writeError(w, http.StatusBadGateway, "Could not reach the payments server.")
}
