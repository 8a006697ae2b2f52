package network

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"
)

// Simulator is the simulated card network: a [Processor] whose answers
// follow Stripe's published test card behaviours. It is deterministic: the
// same request (including its Reference) and the same clock give the same
// Authorization, and it keeps no state, so one Simulator serves every
// account and goroutine.
//
// The zero value is usable and declines nothing on failed checks; use
// [NewSimulator] for Stripe's default account settings.
type Simulator struct {
	// Now is the clock used to decline expired cards; nil means time.Now.
	Now func() time.Time
	// DeclineOn says which failed checks decline a charge that the issuer
	// would otherwise approve.
	DeclineOn DeclineOn
}

// DeclineOn mirrors Stripe's account setting settings.card_payments.decline_on.
// Each applies only when the data was supplied and its check failed.
type DeclineOn struct {
	// CVCFailure declines a failed cvc_check with incorrect_cvc. Stripe's
	// default is on: "4000000000000101: charge will succeed unless a CVC is
	// entered, in which case cvc_check will fail and the charge will be
	// declined."
	CVCFailure bool
	// AVSFailure declines a failed postal code check with incorrect_zip.
	// Stripe's default is off: the avs* cards succeed with failed checks.
	AVSFailure bool
}

// NewSimulator returns a Simulator with Stripe's default account settings
// (decline on CVC failure, not on AVS failure) and the given clock (nil
// means time.Now).
func NewSimulator(now func() time.Time) *Simulator {
	return &Simulator{Now: now, DeclineOn: DeclineOn{CVCFailure: true}}
}

var _ Processor = (*Simulator)(nil)

func (s *Simulator) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// tds is what 3D Secure does for one attempt.
type tds int

const (
	tdsNone         tds = iota // not attempted
	tdsChallenge               // the customer must complete a challenge
	tdsFrictionless            // authenticated without the customer
	tdsNotSupported            // requested, but the card is not enrolled
	tdsError                   // the 3DS lookup or attempt failed
)

// Authorize decides the outcome of a charge or setup attempt, in the order a
// real payment goes: Radar first (blocked payments never reach 3DS or the
// issuer), then 3D Secure, then the issuer (expiry, the card's own decline,
// the CVC and postal code rules). See [AuthorizeRequest] for the inputs and
// the Behaviour constants for what each card does.
//
// It returns an error wrapping [ErrUnknownBehaviour] or [ErrInvalidRequest]
// for a request it cannot evaluate, or ctx's error.
func (s *Simulator) Authorize(ctx context.Context, req AuthorizeRequest) (Authorization, error) {
	if err := ctx.Err(); err != nil {
		return Authorization{}, err
	}
	spec, ok := behaviours[req.Behaviour]
	if !ok {
		return Authorization{}, fmt.Errorf("%w: %q", ErrUnknownBehaviour, req.Behaviour)
	}
	if !req.RequestThreeDSecure.Valid() {
		return Authorization{}, fmt.Errorf("%w: request_three_d_secure %q", ErrInvalidRequest, req.RequestThreeDSecure)
	}
	if req.Setup {
		// A SetupIntent is confirmed with the customer present; there is no
		// off-session setup.
		req.OffSession = false
	}
	brand := req.Brand
	if brand == "" {
		brand = BrandUnknown
	}
	h := digest(req)
	a := Authorization{
		Network: brand.Network(),
		Checks:  req.Behaviour.Checks(req.Provided),
	}

	// Radar.
	if spec.risk == riskHighest || spec.risk == riskAlwaysBlock {
		a.Decision = DecisionDeclined
		a.Decline = *declineFraud
		a.Outcome = Outcome{
			Type:          OutcomeBlocked,
			NetworkStatus: NetworkNotSent,
			Reason:        "highest_risk_level",
			RiskLevel:     RiskHighest,
			RiskScore:     riskScore(RiskHighest, h),
			SellerMessage: "Stripe blocked this payment as too risky.",
		}
		// The card never reached the issuer, so nothing was verified.
		a.Checks = Checks{}
		return a, nil
	}

	// 3D Secure.
	step := threeDSecure(spec.auth, req)
	switch {
	case step == tdsError:
		// Checked before ThreeDSecureCompleted: a card whose 3DS server
		// fails can never have completed a challenge.
		a.ThreeDSecure = &ThreeDSecure{Result: "processing_error", Version: ThreeDSecureVersion}
		return issuerDecline(a, declineProcErr, h), nil
	case req.ThreeDSecureCompleted:
		a.ThreeDSecure = &ThreeDSecure{AuthenticationFlow: "challenge", Result: "authenticated", Version: ThreeDSecureVersion}
	case step == tdsChallenge && req.OffSession:
		return issuerDecline(a, declineAuthRequired, h), nil
	case step == tdsChallenge:
		a.Decision = DecisionRequiresAuthentication
		// Nothing has reached the issuer yet, so nothing is verified.
		a.Checks = Checks{}
		return a, nil
	case step == tdsFrictionless:
		a.ThreeDSecure = &ThreeDSecure{AuthenticationFlow: "frictionless", Result: "authenticated", Version: ThreeDSecureVersion}
	case step == tdsNotSupported:
		a.ThreeDSecure = &ThreeDSecure{Result: "not_supported", ResultReason: "card_not_enrolled"}
	}

	// The issuer.
	switch {
	case expired(req.ExpMonth, req.ExpYear, s.now()):
		return issuerDecline(a, declineExpired, h), nil
	case spec.decline != nil && (!req.Setup || spec.setupDeclines):
		return issuerDecline(a, spec.decline, h), nil
	case a.Checks.CVC == CheckFail && s.DeclineOn.CVCFailure:
		return issuerDecline(a, declineCVC, h), nil
	case a.Checks.AddressPostalCode == CheckFail && s.DeclineOn.AVSFailure:
		return issuerDecline(a, declineZip, h), nil
	}

	a.Decision = DecisionApproved
	a.Outcome = Outcome{
		Type:          OutcomeAuthorized,
		NetworkStatus: NetworkApproved,
		RiskLevel:     RiskNormal,
		RiskScore:     riskScore(RiskNormal, h),
		SellerMessage: "Payment complete.",
	}
	if spec.risk == riskElevated {
		a.Outcome = Outcome{
			Type:          OutcomeManualReview,
			NetworkStatus: NetworkApproved,
			Reason:        "elevated_risk_level",
			RiskLevel:     RiskElevated,
			RiskScore:     riskScore(RiskElevated, h),
			SellerMessage: "Stripe evaluated this payment as having elevated risk, and placed it in your manual review queue.",
		}
	}
	if !req.Setup {
		a.AmountAuthorized = req.Amount
	}
	a.AuthorizationCode = digits(h[0:8], 6)
	a.NetworkTransactionID = digits(h[8:16], 15)
	return a, nil
}

// threeDSecure decides whether this attempt needs 3D Secure, by the card's
// rule and the merchant's request_three_d_secure. Off-session payments
// ignore request_three_d_secure: the customer is not there, and Stripe
// applies the merchant's 3DS request to customer-initiated payments only.
func threeDSecure(rule authRule, req AuthorizeRequest) tds {
	mode := req.RequestThreeDSecure
	if req.OffSession {
		mode = ThreeDSecureAutomatic
	}
	requested := mode == ThreeDSecureAny || mode == ThreeDSecureChallenge
	setUpOffSession := req.OffSession && !req.Setup
	switch rule {
	case authAlways:
		return tdsChallenge
	case authUnlessSetUp:
		if setUpOffSession && req.SetUpForOffSession {
			return tdsNone
		}
		return tdsChallenge
	case authOnSessionOnly:
		// The card behaves as if it had been set up already.
		if setUpOffSession {
			return tdsNone
		}
		return tdsChallenge
	case authLookupFails:
		return tdsError
	case authFrictionless:
		switch mode {
		case ThreeDSecureAny:
			return tdsFrictionless
		case ThreeDSecureChallenge:
			return tdsChallenge
		}
		return tdsNone
	case authAttemptFails:
		if requested {
			return tdsError
		}
		return tdsNone
	case authNotSupported:
		if requested {
			return tdsNotSupported
		}
		return tdsNone
	default: // authOptional
		if requested {
			return tdsChallenge
		}
		return tdsNone
	}
}

// issuerDecline completes a with a decline the issuer (or the 3DS server in
// front of it) gave.
func issuerDecline(a Authorization, d *Decline, h [32]byte) Authorization {
	a.Decision = DecisionDeclined
	a.Decline = *d
	seller := "The bank returned the decline code `" + d.DeclineCode + "`."
	if d.DeclineCode == "generic_decline" {
		seller = "The bank did not return any further details with this decline."
	}
	a.Outcome = Outcome{
		Type:          OutcomeIssuerDeclined,
		NetworkStatus: NetworkDeclined,
		Reason:        d.DeclineCode,
		RiskLevel:     RiskNormal,
		RiskScore:     riskScore(RiskNormal, h),
		SellerMessage: seller,
	}
	return a
}

// Authenticate reports the result of a 3DS challenge. A completed challenge
// authenticates; the caller then authorizes again with
// ThreeDSecureCompleted, and the cards that decline after authentication
// decline there. A failed one returns the authentication failure error for
// the intent.
func (s *Simulator) Authenticate(ctx context.Context, req AuthenticateRequest) (Authentication, error) {
	if err := ctx.Err(); err != nil {
		return Authentication{}, err
	}
	if !req.Behaviour.Valid() {
		return Authentication{}, fmt.Errorf("%w: %q", ErrUnknownBehaviour, req.Behaviour)
	}
	if req.Completed {
		return Authentication{
			Succeeded:    true,
			ThreeDSecure: ThreeDSecure{AuthenticationFlow: "challenge", Result: "authenticated", Version: ThreeDSecureVersion},
		}, nil
	}
	a := Authentication{
		ThreeDSecure:   ThreeDSecure{AuthenticationFlow: "challenge", Result: "failed", ResultReason: "rejected", Version: ThreeDSecureVersion},
		FailureCode:    CodePaymentIntentAuthenticationFailure,
		FailureMessage: MessagePaymentIntentAuthenticationFailure,
	}
	if req.Setup {
		a.FailureCode = CodeSetupIntentAuthenticationFailure
		a.FailureMessage = MessageSetupIntentAuthenticationFailure
	}
	return a, nil
}

// digest hashes the parts of a request that identify the attempt. The
// simulator derives its "random" values (authorization code, network
// transaction id, risk score) from it, so they are stable across retries and
// differ between attempts.
func digest(req AuthorizeRequest) [32]byte {
	return sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d\x00%s\x00%t",
		req.Reference, req.Behaviour, req.Amount, req.Currency, req.Setup))
}

// digits renders b as a decimal string of exactly n digits (n ≤ 18).
func digits(b []byte, n int) string {
	v := binary.BigEndian.Uint64(b)
	mod := uint64(1)
	for range n {
		mod *= 10
	}
	s := strconv.FormatUint(v%mod, 10)
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// riskScore is a score within Stripe's band for the level: normal 0–64,
// elevated 65–74, highest 75–99.
func riskScore(level string, h [32]byte) int {
	v := int(binary.BigEndian.Uint16(h[16:18]))
	switch level {
	case RiskElevated:
		return 65 + v%10
	case RiskHighest:
		return 75 + v%25
	default:
		return v % 65
	}
}
