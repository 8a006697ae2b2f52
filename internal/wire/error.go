package wire

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error types, as Stripe names them in the error envelope.
const (
	TypeInvalidRequest = "invalid_request_error"
	TypeCard           = "card_error"
	TypeIdempotency    = "idempotency_error"
	TypeAPI            = "api_error"
)

// Error is the only error shape Tender serialises to clients: Stripe's
// {"error": {...}} envelope plus the HTTP status it travels with. Anything
// else a handler returns is logged and rendered as a generic api_error.
type Error struct {
	Status      int    `json:"-"`
	Type        string `json:"type"`
	Code        string `json:"code,omitempty"`
	DeclineCode string `json:"decline_code,omitempty"`
	Message     string `json:"message,omitempty"`
	Param       string `json:"param,omitempty"`
	DocURL      string `json:"doc_url,omitempty"`
	Charge      string `json:"charge,omitempty"`

	// Full objects attached to card errors (PaymentIntent, SetupIntent,
	// PaymentMethod). They are rendered by the API layer, so they travel here
	// as already-rendered values.
	PaymentIntent     any    `json:"payment_intent,omitempty"`
	SetupIntent       any    `json:"setup_intent,omitempty"`
	PaymentMethod     any    `json:"payment_method,omitempty"`
	PaymentMethodType string `json:"payment_method_type,omitempty"`
	RequestLogURL     string `json:"request_log_url,omitempty"`
	AdviceCode        string `json:"advice_code,omitempty"`
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", e.Status, e.Type)
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.Param != "" {
		fmt.Fprintf(&b, " param=%s", e.Param)
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	return b.String()
}

// AsError reports whether err is (or wraps) a *Error.
func AsError(err error) (*Error, bool) {
	var we *Error
	ok := errors.As(err, &we)
	return we, ok
}

// DocURL is Stripe's documentation link for an error code.
func DocURL(code string) string {
	if code == "" {
		return ""
	}
	return "https://stripe.com/docs/error-codes/" + strings.ReplaceAll(code, "_", "-")
}

// InvalidRequest is a 400 invalid_request_error.
func InvalidRequest(code, param, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Type: TypeInvalidRequest, Code: code, Param: param,
		Message: fmt.Sprintf(format, args...), DocURL: DocURL(code)}
}

// Missing is Stripe's parameter_missing error.
func Missing(param string) *Error {
	return InvalidRequest("parameter_missing", param, "Missing required param: %s.", param)
}

// Unknown is Stripe's parameter_unknown error.
func Unknown(param string) *Error {
	return InvalidRequest("parameter_unknown", param, "Received unknown parameter: %s", param)
}

// InvalidInteger is Stripe's parameter_invalid_integer error.
func InvalidInteger(param, value string) *Error {
	return InvalidRequest("parameter_invalid_integer", param, "Invalid integer: %s", value)
}

// InvalidValue is a 400 without a code for a value outside what a parameter allows.
func InvalidValue(param, format string, args ...any) *Error {
	return InvalidRequest("", param, format, args...)
}

// NotFound is Stripe's 404 resource_missing for an object of kind (for
// example "customer") named by param.
func NotFound(kind, id, param string) *Error {
	return &Error{Status: http.StatusNotFound, Type: TypeInvalidRequest, Code: "resource_missing", Param: param,
		Message: fmt.Sprintf("No such %s: '%s'", kind, id), DocURL: DocURL("resource_missing")}
}

// Internal is the generic 500 api_error shown when something unexpected failed;
// its cause is logged, never shown.
func Internal() *Error {
	return &Error{Status: http.StatusInternalServerError, Type: TypeAPI,
		Message: "An unexpected error occurred on Tender's side. The request ID in the Request-Id header identifies it in the server log."}
}
