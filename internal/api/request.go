package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/tenderpay/tender/internal/accounts"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/wire"
)

// maxBody bounds a request body; Stripe's own requests are a few kilobytes.
const maxBody = 1 << 20

// request is one API call after authentication and parsing.
type request struct {
	*http.Request
	id      string
	key     accounts.Key
	acct    *payments.Account
	version string
	params  wire.Params
}

func (r *request) scope() payments.Scope { return r.key.Scope() }

// handler returns the status and the (already rendered) body of a
// response, or an error rendered as Stripe's envelope.
type handler func(r *request) (int, any, error)

// wrap applies what every endpoint shares: a request id, panic recovery,
// the Stripe-Version check, parameter parsing, authentication and logging.
func (s *Server) wrap(a access, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		start := time.Now()
		r := &request{Request: hr, id: "req_" + payments.RandomString(14)}
		w.Header().Set("Request-Id", r.id)
		status := 0
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "request_id", r.id, "panic", p)
				status = s.writeError(w, r, fmt.Errorf("panic: %v", p))
			}
			s.log.Debug("request", "request_id", r.id, "method", hr.Method, "path", hr.URL.Path,
				"status", status, "duration", time.Since(start))
		}()
		status = s.serve(w, r, a, h)
	})
}

func (s *Server) serve(w http.ResponseWriter, r *request, a access, h handler) int {
	var err error
	if r.version, err = stripeVersion(r.Header.Get("Stripe-Version")); err != nil {
		return s.writeError(w, r, err)
	}
	ip := clientIP(r.Request)
	if !s.limiter.allowIP(ip) || s.limiter.blockedAuth(ip) {
		return s.writeError(w, r, rateLimited())
	}
	if r.params, err = readParams(w, r.Request); err != nil {
		return s.writeError(w, r, err)
	}
	if r.key, err = s.authenticate(r, a); err != nil {
		if we, ok := wire.AsError(err); ok && we.Status == http.StatusUnauthorized && we.Code == "" {
			// A missing or unknown key: count it against the address.
			if !s.limiter.failedAuth(ip) {
				return s.writeError(w, r, rateLimited())
			}
		}
		return s.writeError(w, r, err)
	}
	if !s.limiter.allowKey(r.key.Account + "/" + string(r.key.Kind)) {
		return s.writeError(w, r, rateLimited())
	}
	if r.version == "" {
		r.version = accounts.DefaultAPIVersion
	}
	w.Header().Set("Stripe-Version", r.version)
	status, body, err := h(r)
	if err != nil {
		return s.writeError(w, r, err)
	}
	if raw, ok := body.(rawResponse); ok {
		for k, v := range raw.header {
			w.Header().Set(k, v)
		}
		return writeRaw(w, status, raw.body)
	}
	return s.writeJSON(w, r, status, body)
}

// trains are the API version trains Tender renders.
var (
	trains         = []string{"basil", "clover", "dahlia", "endive"}
	versionPattern = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\.([a-z]+)$`)
)

// stripeVersion validates a Stripe-Version header. Empty means the
// account's default.
func stripeVersion(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	// Preview betas ride after a semicolon ("2025-08-27.basil; beta=v1").
	base, _, _ := strings.Cut(v, ";")
	base = strings.TrimSpace(base)
	m := versionPattern.FindStringSubmatch(base)
	if m != nil {
		if _, err := time.Parse("2006-01-02", m[1]); err == nil {
			for _, t := range trains {
				if m[2] == t {
					return base, nil
				}
			}
		}
	}
	return "", wire.InvalidValue("", "Invalid Stripe API version: %s. Tender accepts versions of the %s trains, such as %s.",
		v, strings.Join(trains, ", "), accounts.DefaultAPIVersion)
}

// readParams parses the query string, and for other methods than GET and
// DELETE the form body on top of it.
func readParams(w http.ResponseWriter, r *http.Request) (wire.Params, error) {
	query, err := wire.ParseForm(r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	if r.Method == http.MethodGet || r.Method == http.MethodDelete || r.Method == http.MethodHead {
		return query, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &wire.Error{Status: http.StatusRequestEntityTooLarge, Type: wire.TypeInvalidRequest,
				Message: fmt.Sprintf("Request body too large: the limit is %d bytes.", maxBody)}
		}
		return nil, wire.InvalidValue("", "Could not read the request body.")
	}
	if len(body) > 0 {
		ct := r.Header.Get("Content-Type")
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/x-www-form-urlencoded" {
			return nil, wire.InvalidValue("", "Invalid request: unsupported Content-Type %s. Send parameters as application/x-www-form-urlencoded.", ct)
		}
	}
	form, err := wire.ParseForm(string(body))
	if err != nil {
		return nil, err
	}
	for k, v := range query {
		if _, ok := form[k]; !ok {
			form[k] = v
		}
	}
	return form, nil
}

// unrecognized is Stripe's answer for a URL no endpoint serves.
func unrecognized(r *http.Request) error {
	return &wire.Error{Status: http.StatusNotFound, Type: wire.TypeInvalidRequest,
		Message: fmt.Sprintf("Unrecognized request URL (%s: %s). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.", r.Method, r.URL.Path)}
}

// op is an endpoint's work inside its transaction: decode, one domain
// call, render.
type op func(ctx context.Context, r *request, tx txn, rd *renderer) (any, error)

// read runs h in a read-only transaction.
func (s *Server) read(h op) handler {
	return func(r *request) (int, any, error) {
		var body any
		err := s.db.View(r.Context(), func(tx txn) error {
			var err error
			body, err = h(r.Context(), r, tx, s.renderer(r.Context(), tx, r))
			return err
		})
		return http.StatusOK, body, err
	}
}
