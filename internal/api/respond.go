package api

import (
	"errors"
	"net/http"
	"strconv"

	json "github.com/goccy/go-json"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/wire"
)

type txn = *store.Tx

// rawResponse is a body that is already encoded, such as an idempotent
// replay, which must be byte-identical to the first response, with headers
// to add.
type rawResponse struct {
	body   []byte
	header map[string]string
}

func (s *Server) writeJSON(w http.ResponseWriter, r *request, status int, body any) int {
	b, err := json.Marshal(body)
	if err != nil {
		return s.writeError(w, r, err)
	}
	return writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) int {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	if status >= 400 {
		// Never "true": stripe-go would re-send a request that succeeded.
		h.Set("Stripe-Should-Retry", "false")
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return status
}

// writeError renders err as Stripe's envelope. Errors that are neither wire
// nor domain errors are logged with the request id and shown as api_error.
func (s *Server) writeError(w http.ResponseWriter, r *request, err error) int {
	we := toWire(err)
	if we.Status >= 500 {
		s.log.Error("request failed", "request_id", r.id, "method", r.Method, "path", r.URL.Path, "err", err)
	}
	b, _ := json.Marshal(struct {
		Error *wire.Error `json:"error"`
	}{we})
	return writeRaw(w, we.Status, b)
}

// toWire maps any error to the wire error it is shown as.
func toWire(err error) *wire.Error {
	if we, ok := wire.AsError(err); ok {
		return we
	}
	var pe *payments.Error
	if errors.As(err, &pe) {
		status := map[payments.Kind]int{
			payments.KindInvalid:  http.StatusBadRequest,
			payments.KindNotFound: http.StatusNotFound,
			payments.KindDeclined: http.StatusPaymentRequired,
			payments.KindConflict: http.StatusConflict,
		}[pe.Kind]
		typ := wire.TypeInvalidRequest
		if pe.Kind == payments.KindDeclined {
			typ = wire.TypeCard
		}
		if pe.Type != "" {
			typ = pe.Type
		}
		return &wire.Error{Status: status, Type: typ, Code: pe.Code, Param: pe.Param, Message: pe.Message,
			DeclineCode: pe.DeclineCode, DocURL: wire.DocURL(pe.Code)}
	}
	return wire.Internal()
}

// errorWithObjects renders a payment error with the objects it concerns in
// full, as Stripe's errors carry them.
func (rd *renderer) errorWithObjects(pe *payments.Error) (*wire.Error, error) {
	we := toWire(pe)
	we.Charge = pe.Charge
	s := rd.scope
	if pe.PaymentIntent != "" {
		pi, err := rd.tx.GetPaymentIntent(rd.ctx, s, pe.PaymentIntent, false)
		if err != nil {
			return nil, err
		}
		if we.PaymentIntent, err = rd.paymentIntent(pi, nil); err != nil {
			return nil, err
		}
	}
	if pe.SetupIntent != "" {
		si, err := rd.tx.GetSetupIntent(rd.ctx, s, pe.SetupIntent, false)
		if err != nil {
			return nil, err
		}
		if we.SetupIntent, err = rd.setupIntent(si, nil); err != nil {
			return nil, err
		}
	}
	if pe.PaymentMethod != "" {
		pm, err := rd.tx.GetPaymentMethod(rd.ctx, s, pe.PaymentMethod, false)
		if err != nil {
			return nil, err
		}
		if we.PaymentMethod, err = rd.paymentMethod(pm, nil); err != nil {
			return nil, err
		}
		we.PaymentMethodType = pm.Type
	}
	return we, nil
}
