package shop

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/mail"
	"strings"
	"sync"

	"github.com/stripe/stripe-go/v85"
)

const sessionCookie = "shop_session"

// session is one visitor: who they said they are and their cart's
// discount. The browser holds only a random id in a cookie.
type session struct {
	mu       sync.Mutex
	email    string
	customer string // cus_… for email
	discount string // an applied discount code
}

func (s *session) Email() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.email
}

func (s *session) snapshot() (email, customer, discount string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.email, s.customer, s.discount
}

type sessions struct {
	mu sync.Mutex
	m  map[string]*session
}

func newSessions() *sessions { return &sessions{m: map[string]*session{}} }

// get returns the visitor's session, starting one (and setting its cookie)
// when the request carries none.
func (ss *sessions) get(w http.ResponseWriter, r *http.Request) *session {
	if c, err := r.Cookie(sessionCookie); err == nil {
		ss.mu.Lock()
		s := ss.m[c.Value]
		ss.mu.Unlock()
		if s != nil {
			return s
		}
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	s := &session{}
	ss.mu.Lock()
	ss.m[id] = s
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 30 * 24 * 3600})
	return s
}

// startSession identifies the customer by email (finding or creating the
// Customer) and creates a CustomerSession so the Payment Element can show,
// save and remove their cards.
func (s *Shop) startSession(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email string `json:"email"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		writeError(w, http.StatusBadRequest, "Enter a valid email address.")
		return
	}
	sess := s.sessions.get(w, r)
	ctx, cancel := requestContext(r)
	defer cancel()

	customer, err := s.findOrCreateCustomer(ctx, email)
	if err != nil {
		s.log.Error("customer", "err", err)
		writeError(w, http.StatusBadGateway, "Could not reach the payments server.")
		return
	}
	cs, err := s.sc.V1CustomerSessions.Create(ctx, &stripe.CustomerSessionCreateParams{
		Customer: stripe.String(customer),
		Components: &stripe.CustomerSessionCreateComponentsParams{
			PaymentElement: &stripe.CustomerSessionCreateComponentsPaymentElementParams{
				Enabled: stripe.Bool(true),
				Features: &stripe.CustomerSessionCreateComponentsPaymentElementFeaturesParams{
					PaymentMethodSave:      stripe.String("enabled"),
					PaymentMethodSaveUsage: stripe.String("off_session"),
					PaymentMethodRedisplay: stripe.String("enabled"),
					PaymentMethodRemove:    stripe.String("enabled"),
				},
			},
		},
	})
	if err != nil {
		s.log.Error("customer session", "err", err)
		writeError(w, http.StatusBadGateway, "Could not reach the payments server.")
		return
	}
	sess.mu.Lock()
	sess.email, sess.customer = email, customer
	sess.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"customer_session_client_secret": cs.ClientSecret,
		"cart":                           s.cart(sess),
	})
}

// findOrCreateCustomer returns the Customer with this email, creating one
// for a first-time buyer.
func (s *Shop) findOrCreateCustomer(ctx context.Context, email string) (string, error) {
	params := &stripe.CustomerListParams{Email: stripe.String(email)}
	params.Limit = stripe.Int64(1)
	list := s.sc.V1Customers.List(ctx, params)
	for c, err := range list.All(ctx) {
		if err != nil {
			return "", err
		}
		return c.ID, nil
	}
	c, err := s.sc.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String(email)})
	if err != nil {
		return "", err
	}
	s.log.Info("new customer", "customer", c.ID)
	return c.ID, nil
}
