package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
	"github.com/tenderpay/tender/internal/wire"
)

const maxIdempotencyKey = 255

// write runs h in one read-write transaction together with the
// idempotency record of the request: the change and the memory of having
// made it commit together or not at all. A request whose key was seen
// before replays the stored status and body instead of running again.
func (s *Server) write(h op) handler { return s.writeWith(h, false) }

// speculative is write for an operation that may run speculatively,
// outside the store's writers (see store.DB.SpeculateKeyed): one
// whose only reads of the database are its idempotency key and the
// account's webhook endpoints in the common case, and which changes
// nothing outside its transaction.
func (s *Server) speculative(h op) handler { return s.writeWith(h, true) }

func (s *Server) writeWith(h op, speculate bool) handler {
	return func(r *request) (int, any, error) {
		ctx := r.Context()
		key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
		// Keys mean nothing on DELETE (stripe-go sends one anyway).
		if r.Method != http.MethodPost {
			key = ""
		}
		if len(key) > maxIdempotencyKey {
			return 0, nil, wire.InvalidValue("", "Idempotency-Key must be at most %d characters long.", maxIdempotencyKey)
		}
		if key == "" {
			var (
				status int
				body   *store.Deferred
			)
			err := s.db.Update(ctx, func(tx *store.Tx) error {
				var err error
				status, body, err = s.runAndEncode(ctx, r, tx, h)
				return err
			})
			if err != nil {
				return 0, nil, err
			}
			b, err := body.Bytes()
			return status, rawResponse{body: b}, err
		}

		scope := r.scope()
		slot := fmt.Sprintf("%s\x00%t\x00%s", scope.Account, scope.Livemode, key)
		if _, busy := s.inflight.LoadOrStore(slot, struct{}{}); busy {
			return 0, nil, keyInUse(key)
		}
		defer s.inflight.Delete(slot)

		fp := fingerprint(r)
		var (
			status = http.StatusOK
			body   []byte
			made   *store.Deferred // the body, when the request ran
		)
		update := s.db.UpdateKeyed
		if speculate {
			update = s.db.SpeculateKeyed
		}
		err := update(ctx, scope, key, func(tx *store.Tx) error {
			ok, rec, err := tx.ClaimIdempotencyKey(ctx, scope, key)
			switch {
			case err != nil:
				return err
			case !ok:
				return keyInUse(key)
			case rec != nil:
				if rec.Fingerprint != fp {
					return &wire.Error{Status: http.StatusBadRequest, Type: wire.TypeIdempotency,
						Message: fmt.Sprintf("Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '%s' if you meant to execute a different request.", key)}
				}
				status, body = rec.Status, rec.Body
				return errReplay{original: rec.RequestID}
			}
			status, made, err = s.runAndEncode(ctx, r, tx, h)
			if err != nil {
				return err
			}
			return tx.PutIdempotency(ctx, scope, key, &store.IdempotencyRecord{
				Fingerprint: fp, Status: status, BodyFrom: made, RequestID: r.id})
		})
		var replay errReplay
		if errors.As(err, &replay) {
			return status, rawResponse{body: body, header: map[string]string{
				"Idempotency-Key": key, "Idempotent-Replayed": "true", "Original-Request": replay.original,
			}}, nil
		}
		if err != nil {
			return 0, nil, err
		}
		if body, err = made.Bytes(); err != nil {
			return 0, nil, err
		}
		return status, rawResponse{body: body, header: map[string]string{
			"Idempotency-Key": key, "Original-Request": r.id,
		}}, nil
	}
}

// runAndEncode runs h and encodes its response: after the transaction
// function has returned, off the writer (see store.Deferred). A declined
// payment is not a failure of the request: the failed charge and the
// intent's new state commit, and the 402 body is what the request answers
// (and replays).
func (s *Server) runAndEncode(ctx context.Context, r *request, tx txn, h op) (int, *store.Deferred, error) {
	// A write may run more than once (again alone after its batch
	// failed, or after a speculative run), and handlers delete the
	// parameters they consume: each run gets its own.
	run := *r
	run.params = r.params.Clone()
	r = &run
	rd := s.renderer(ctx, tx, r)
	v, err := h(ctx, r, tx, rd)
	if err == nil || isDecline(err) {
		src := EventSource{Account: r.acct, RequestID: r.id, IdempotencyKey: strings.TrimSpace(r.Header.Get("Idempotency-Key"))}
		if rerr := s.RecordEvents(ctx, tx, src); rerr != nil {
			return 0, nil, rerr
		}
	}
	var pe *payments.Error
	if errors.As(err, &pe) && (pe.PaymentIntent != "" || pe.SetupIntent != "" || pe.PaymentMethod != "") {
		we, rerr := rd.errorWithObjects(pe)
		if rerr != nil {
			return 0, nil, rerr
		}
		if pe.Kind != payments.KindDeclined {
			return 0, nil, we // rolled back, rendered as is
		}
		b, err := json.Marshal(struct {
			Error *wire.Error `json:"error"`
		}{we})
		return we.Status, store.DeferredBytes(b), err
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, tx.Defer(func() ([]byte, error) { return json.Marshal(v) }), nil
}

// errReplay aborts the transaction of a replayed request: nothing is written.
type errReplay struct{ original string }

func (errReplay) Error() string { return "idempotent replay" }

// fingerprint identifies what a request asks for, after decoding, so that
// parameter order and encoding differences do not count as changes.
func fingerprint(r *request) string {
	sum := sha256.Sum256([]byte(r.Method + " " + r.URL.Path + "\n" + r.params.Encode()))
	return hex.EncodeToString(sum[:])
}

func keyInUse(key string) error {
	return &wire.Error{Status: http.StatusConflict, Type: wire.TypeInvalidRequest, Code: "idempotency_key_in_use",
		DocURL:  wire.DocURL("idempotency_key_in_use"),
		Message: fmt.Sprintf("There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): %s. Please try again later.", key)}
}

func isDecline(err error) bool {
	var pe *payments.Error
	return errors.As(err, &pe) && pe.Kind == payments.KindDeclined
}
