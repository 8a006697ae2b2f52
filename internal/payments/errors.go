package payments

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned by stores for an object absent from the scope. It
// is never shown as is: operations turn it into a NotFound Error naming the
// object kind and the parameter it came from.
var ErrNotFound = errors.New("not found")

// Kind classifies domain errors; the API layer maps each kind to one HTTP
// status (invalid → 400, not found → 404, declined → 402, conflict → 409).
type Kind int

const (
	KindInvalid Kind = iota
	KindNotFound
	KindDeclined
	KindConflict
)

// Error is a domain error with Stripe's code, param and message.
type Error struct {
	Kind        Kind
	Code        string
	Param       string
	Message     string
	DeclineCode string
	// The objects a payment error concerns, rendered in full in the error
	// body (Stripe's charge, payment_intent, setup_intent, payment_method).
	Charge        string
	PaymentIntent string
	SetupIntent   string
	PaymentMethod string
	// Type overrides the error type the kind implies; a failed 3DS
	// authentication is an invalid_request_error, not a card_error.
	Type string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (code=%q param=%q)", e.Message, e.Code, e.Param)
}

// Invalid returns a KindInvalid error.
func Invalid(code, param, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Code: code, Param: param, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns Stripe's resource_missing error for an object of the given
// kind, for example NotFound("customer", "cus_1", "id").
func NotFound(kind, id, param string) *Error {
	return &Error{Kind: KindNotFound, Code: "resource_missing", Param: param,
		Message: fmt.Sprintf("No such %s: '%s'", kind, id)}
}

// notFoundAs turns a store's ErrNotFound into a NotFound error, passing other
// errors through.
func notFoundAs(err error, kind, id, param string) error {
	if errors.Is(err, ErrNotFound) {
		return NotFound(kind, id, param)
	}
	return err
}
