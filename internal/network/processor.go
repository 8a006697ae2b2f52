package network

import (
	"context"
	"errors"
)

// Processor decides the fate of card payments and setups. The [Simulator]
// implements it from Stripe's test card behaviours; a connector to a real
// acquirer could implement it later without the payments code changing.
//
// A payment or setup attempt goes:
//
//	Authorize ─► Approved | Declined
//	          └► RequiresAuthentication ─► (customer on the 3DS page) ─► Authenticate
//	                 ├ succeeded ─► Authorize again with ThreeDSecureCompleted ─► Approved | Declined
//	                 └ failed    ─► the caller records Authentication.FailureCode
//
// Declines are results, not errors: the error return is for requests the
// processor cannot evaluate at all (an unknown behaviour, a cancelled
// context).
type Processor interface {
	// Authorize decides the outcome of a charge or setup attempt.
	Authorize(ctx context.Context, req AuthorizeRequest) (Authorization, error)
	// Authenticate decides what happens after the customer completes or
	// fails a 3D Secure challenge that Authorize asked for.
	Authenticate(ctx context.Context, req AuthenticateRequest) (Authentication, error)
}

// ErrUnknownBehaviour is returned (wrapped) for a request whose Behaviour the
// processor does not know.
var ErrUnknownBehaviour = errors.New("network: unknown card behaviour")

// ErrInvalidRequest is returned (wrapped) for a request that is malformed in
// some other way, such as an unknown RequestThreeDSecure value.
var ErrInvalidRequest = errors.New("network: invalid authorize request")

// ThreeDSecureRequest is payment_method_options.card.request_three_d_secure.
type ThreeDSecureRequest string

// The request_three_d_secure values. The empty value means automatic.
const (
	// ThreeDSecureAutomatic asks for 3DS only when the card requires it.
	ThreeDSecureAutomatic ThreeDSecureRequest = "automatic"
	// ThreeDSecureAny attempts 3DS on every card that supports it. Cards
	// that do not require it get a challenge, except
	// [BehaviourThreeDSecureOptional], which the simulator authenticates
	// frictionlessly (a Tender extension: Stripe has no frictionless test
	// card).
	ThreeDSecureAny ThreeDSecureRequest = "any"
	// ThreeDSecureChallenge asks for a challenge on every card that supports
	// 3DS.
	ThreeDSecureChallenge ThreeDSecureRequest = "challenge"
)

// Valid reports whether r is one of Stripe's values or empty.
func (r ThreeDSecureRequest) Valid() bool {
	switch r {
	case "", ThreeDSecureAutomatic, ThreeDSecureAny, ThreeDSecureChallenge:
		return true
	}
	return false
}

// Provided says which verifiable card data the customer supplied. It drives
// the "pass"/"fail"/"unavailable" checks; data not supplied has no check
// (null).
type Provided struct {
	CVC               bool
	AddressLine1      bool
	AddressPostalCode bool
}

// AuthorizeRequest is one charge or setup attempt.
type AuthorizeRequest struct {
	// Reference is the caller's id for this attempt (the charge id, or the
	// SetupIntent id plus attempt). The simulator derives its authorization
	// code, network transaction id and risk score from it, so a retried
	// request gets the same answer.
	Reference string
	// Behaviour, Brand and the expiry come from the stored PaymentMethod.
	// An expiry of zero is not checked; an expiry in the past (by the
	// processor's clock) is declined expired_card.
	Behaviour Behaviour
	Brand     Brand
	ExpMonth  int
	ExpYear   int
	// Amount, in the currency's minor unit, and Currency (lowercase). Zero
	// for setups.
	Amount   int64
	Currency string
	// Setup is a SetupIntent confirmation rather than a payment. Setups are
	// always treated as on-session: OffSession is ignored.
	Setup bool
	// OffSession is the PaymentIntent's off_session: the customer is not
	// there to authenticate, so a needed challenge becomes an
	// authentication_required decline.
	OffSession bool
	// SetUpForOffSession says this card was set up for off-session use
	// before: a succeeded SetupIntent, or a payment with
	// setup_future_usage. The caller tracks it per PaymentMethod.
	SetUpForOffSession bool
	// RequestThreeDSecure is payment_method_options.card.request_three_d_secure;
	// empty means automatic.
	RequestThreeDSecure ThreeDSecureRequest
	// ThreeDSecureCompleted says the customer already completed a 3DS
	// challenge for this attempt (Authenticate succeeded): authentication
	// is not asked for again.
	ThreeDSecureCompleted bool
	// Provided says which of CVC, address line 1 and postal code the
	// PaymentMethod carries.
	Provided Provided
}

// Decision is the kind of answer Authorize gives.
type Decision string

// The decisions.
const (
	// DecisionApproved: the network authorised the payment (or accepted the
	// card for setup). The charge succeeds.
	DecisionApproved Decision = "approved"
	// DecisionDeclined: the issuer, Radar or 3DS refused. The charge fails
	// with Authorization.Decline.
	DecisionDeclined Decision = "declined"
	// DecisionRequiresAuthentication: the customer must complete a 3DS
	// challenge first. No charge exists yet; the intent goes to
	// requires_action.
	DecisionRequiresAuthentication Decision = "requires_authentication"
)

// Authorization is the answer to an [AuthorizeRequest].
type Authorization struct {
	Decision Decision
	// Decline is set when Decision is DecisionDeclined: the card_error the
	// API returns (402) and the charge's failure_code/failure_message.
	Decline Decline
	// Outcome is the charge's outcome, for approvals and declines.
	Outcome Outcome
	// Checks are payment_method_details.card.checks.
	Checks Checks
	// Network is payment_method_details.card.network.
	Network string
	// ThreeDSecure is payment_method_details.card.three_d_secure: nil (null)
	// unless 3DS ran for this attempt.
	ThreeDSecure *ThreeDSecure
	// AmountAuthorized is payment_method_details.card.amount_authorized, set
	// when a payment is approved.
	AmountAuthorized int64
	// AuthorizationCode and NetworkTransactionID identify an approved
	// payment at the network (payment_method_details.card.authorization_code
	// and .network_transaction_id). Empty otherwise.
	AuthorizationCode    string
	NetworkTransactionID string
}

// Decline is a refused attempt as Stripe reports it: error code (also the
// charge's failure_code), decline_code, message (also failure_message) and,
// for some, the param at fault. Code "authentication_required" is the
// off-session 3DS decline.
type Decline struct {
	Code        string
	DeclineCode string
	Message     string
	Param       string
}

// Outcome is charge.outcome. An empty Reason is null.
type Outcome struct {
	Type          string
	NetworkStatus string
	Reason        string
	RiskLevel     string
	RiskScore     int
	SellerMessage string
}

// Values of Outcome.Type.
const (
	OutcomeAuthorized     = "authorized"
	OutcomeManualReview   = "manual_review"
	OutcomeIssuerDeclined = "issuer_declined"
	OutcomeBlocked        = "blocked"
)

// Values of Outcome.NetworkStatus.
const (
	NetworkApproved = "approved_by_network"
	NetworkDeclined = "declined_by_network"
	NetworkNotSent  = "not_sent_to_network"
)

// Values of Outcome.RiskLevel.
const (
	RiskNormal   = "normal"
	RiskElevated = "elevated"
	RiskHighest  = "highest"
)

// Check is the result of one verification check. The empty Check means the
// data was not supplied and renders as null.
type Check string

// The check results, as Stripe names them.
const (
	CheckPass        Check = "pass"
	CheckFail        Check = "fail"
	CheckUnavailable Check = "unavailable"
	CheckUnchecked   Check = "unchecked"
)

// Checks are card.checks: cvc_check, address_line1_check and
// address_postal_code_check.
type Checks struct {
	CVC               Check
	AddressLine1      Check
	AddressPostalCode Check
}

// ThreeDSecure is payment_method_details.card.three_d_secure. Empty fields
// are null.
type ThreeDSecure struct {
	// AuthenticationFlow is "challenge" or "frictionless".
	AuthenticationFlow string
	// Result is "authenticated", "failed", "not_supported" or
	// "processing_error" (Stripe also has attempt_acknowledged and
	// exempted, which the simulator never produces).
	Result       string
	ResultReason string
	Version      string
}

// ThreeDSecureVersion is the protocol version the simulator speaks.
const ThreeDSecureVersion = "2.2.0"

// AuthenticateRequest reports how the customer left a 3DS challenge.
type AuthenticateRequest struct {
	// Reference is the attempt, as in [AuthorizeRequest].
	Reference string
	Behaviour Behaviour
	// Setup is a SetupIntent's challenge rather than a PaymentIntent's; it
	// changes the failure code.
	Setup bool
	// Completed is true when the customer chose "Complete authentication"
	// and false for "Fail authentication".
	Completed bool
}

// Authentication is the result of a 3DS challenge.
type Authentication struct {
	// Succeeded: the caller authorizes again with
	// AuthorizeRequest.ThreeDSecureCompleted set.
	Succeeded bool
	// ThreeDSecure is the authentication's result.
	ThreeDSecure ThreeDSecure
	// FailureCode and FailureMessage, when !Succeeded, are the
	// invalid_request_error the intent records as its last error
	// (payment_intent_authentication_failure or
	// setup_intent_authentication_failure); the intent returns to
	// requires_payment_method.
	FailureCode    string
	FailureMessage string
}

// The authentication failure errors, as Stripe words them.
const (
	CodePaymentIntentAuthenticationFailure    = "payment_intent_authentication_failure"
	MessagePaymentIntentAuthenticationFailure = "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again."
	CodeSetupIntentAuthenticationFailure      = "setup_intent_authentication_failure"
	MessageSetupIntentAuthenticationFailure   = "The latest attempt to set up the payment method has failed because authentication failed."
)
