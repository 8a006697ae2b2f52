package network

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"
)

func newTestSimulator() *Simulator {
	return NewSimulator(func() time.Time { return now })
}

func authorize(t *testing.T, s *Simulator, req AuthorizeRequest) Authorization {
	t.Helper()
	if req.Brand == "" {
		req.Brand = BrandVisa
	}
	if req.Reference == "" {
		req.Reference = "ch_test"
	}
	if req.Currency == "" && !req.Setup {
		req.Amount, req.Currency = 2000, "usd"
	}
	a, err := s.Authorize(context.Background(), req)
	if err != nil {
		t.Fatalf("Authorize(%+v): %v", req, err)
	}
	checkInvariants(t, req, a)
	return a
}

// summary reduces an Authorization to the decision that matters in the
// matrix: "approve", "challenge" or "decline:<decline_code>".
func summary(a Authorization) string {
	switch a.Decision {
	case DecisionApproved:
		return "approve"
	case DecisionRequiresAuthentication:
		return "challenge"
	case DecisionDeclined:
		return "decline:" + a.Decline.DeclineCode
	}
	return "?" + string(a.Decision)
}

// expectPayment is api-contract §4's SCA table, written as a function of the
// request: the result a payment on the card must get.
func expectPayment(b Behaviour, off, setUp, done bool, mode ThreeDSecureRequest) string {
	requested := !off && (mode == ThreeDSecureAny || mode == ThreeDSecureChallenge)
	needsAuth := func(after string) string {
		switch {
		case done:
			return after
		case off:
			return "decline:authentication_required"
		}
		return "challenge"
	}
	switch b {
	case BehaviourAuthenticationRequired, BehaviourThreeDSecure2Required, BehaviourThreeDSecureRequired:
		return needsAuth("approve")
	case BehaviourThreeDSecureRequiredChargeDeclined:
		return needsAuth("decline:generic_decline")
	case BehaviourAuthenticationRequiredOnSetup:
		if off && setUp {
			return "approve"
		}
		return needsAuth("approve")
	case BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds:
		if off && setUp {
			return "decline:insufficient_funds"
		}
		return needsAuth("decline:insufficient_funds")
	case BehaviourAuthenticationRequiredSetupForOffSession:
		if off {
			return "approve"
		}
		return needsAuth("approve")
	case BehaviourThreeDSecureRequiredProcessingError:
		return "decline:processing_error"
	case BehaviourThreeDSecureAttemptProcessingError:
		if requested {
			return "decline:processing_error"
		}
		return "approve"
	case BehaviourThreeDSecureOptional:
		if requested && mode == ThreeDSecureChallenge {
			return needsAuth("approve")
		}
		return "approve" // "any" is frictionless
	case BehaviourThreeDSecureNotSupported:
		return "approve"
	case BehaviourSuccess:
		if requested {
			return needsAuth("approve")
		}
		return "approve"
	}
	panic("no expectation for " + b)
}

func TestAuthorizePaymentMatrix(t *testing.T) {
	t.Parallel()
	s := newTestSimulator()
	cards := []Behaviour{
		BehaviourSuccess,
		BehaviourAuthenticationRequiredOnSetup,
		BehaviourAuthenticationRequired,
		BehaviourAuthenticationRequiredSetupForOffSession,
		BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds,
		BehaviourThreeDSecure2Required,
		BehaviourThreeDSecureRequired,
		BehaviourThreeDSecureRequiredChargeDeclined,
		BehaviourThreeDSecureRequiredProcessingError,
		BehaviourThreeDSecureOptional,
		BehaviourThreeDSecureAttemptProcessingError,
		BehaviourThreeDSecureNotSupported,
	}
	modes := []ThreeDSecureRequest{"", ThreeDSecureAutomatic, ThreeDSecureAny, ThreeDSecureChallenge}
	for _, b := range cards {
		for _, off := range []bool{false, true} {
			for _, setUp := range []bool{false, true} {
				for _, done := range []bool{false, true} {
					for _, mode := range modes {
						if off && done {
							continue // a challenge needs the customer present
						}
						req := AuthorizeRequest{Behaviour: b, OffSession: off, SetUpForOffSession: setUp,
							ThreeDSecureCompleted: done, RequestThreeDSecure: mode, Provided: Provided{CVC: true}}
						a := authorize(t, s, req)
						want := expectPayment(b, off, setUp, done, mode)
						if got := summary(a); got != want {
							t.Errorf("%s off=%v setUp=%v done=%v mode=%q: %s, want %s", b, off, setUp, done, mode, got, want)
						}
					}
				}
			}
		}
	}
}

// checkInvariants holds for every Authorization.
func checkInvariants(t *testing.T, req AuthorizeRequest, a Authorization) {
	t.Helper()
	name := fmt.Sprintf("%s off=%v done=%v mode=%q setup=%v", req.Behaviour, req.OffSession, req.ThreeDSecureCompleted, req.RequestThreeDSecure, req.Setup)
	if a.Network != string(req.Brand) {
		t.Errorf("%s: network %q", name, a.Network)
	}
	switch a.Decision {
	case DecisionApproved:
		if a.Outcome.NetworkStatus != NetworkApproved || (a.Outcome.Type != OutcomeAuthorized && a.Outcome.Type != OutcomeManualReview) {
			t.Errorf("%s: approved with outcome %+v", name, a.Outcome)
		}
		if a.Decline != (Decline{}) {
			t.Errorf("%s: approved with decline %+v", name, a.Decline)
		}
		if !regexp.MustCompile(`^[0-9]{6}$`).MatchString(a.AuthorizationCode) || !regexp.MustCompile(`^[0-9]{15}$`).MatchString(a.NetworkTransactionID) {
			t.Errorf("%s: authorization code %q, network transaction id %q", name, a.AuthorizationCode, a.NetworkTransactionID)
		}
		wantAmount := req.Amount
		if req.Setup {
			wantAmount = 0
		}
		if a.AmountAuthorized != wantAmount {
			t.Errorf("%s: amount_authorized %d, want %d", name, a.AmountAuthorized, wantAmount)
		}
		if req.ThreeDSecureCompleted && (a.ThreeDSecure == nil || a.ThreeDSecure.Result != "authenticated" || a.ThreeDSecure.AuthenticationFlow != "challenge") {
			t.Errorf("%s: approved after a challenge with three_d_secure %+v", name, a.ThreeDSecure)
		}
	case DecisionDeclined:
		if a.Decline.Code == "" || a.Decline.DeclineCode == "" || a.Decline.Message == "" {
			t.Errorf("%s: incomplete decline %+v", name, a.Decline)
		}
		if a.Outcome.Reason == "" || a.Outcome.SellerMessage == "" ||
			!(a.Outcome.Type == OutcomeIssuerDeclined && a.Outcome.NetworkStatus == NetworkDeclined ||
				a.Outcome.Type == OutcomeBlocked && a.Outcome.NetworkStatus == NetworkNotSent) {
			t.Errorf("%s: declined with outcome %+v", name, a.Outcome)
		}
		if a.AuthorizationCode != "" || a.NetworkTransactionID != "" || a.AmountAuthorized != 0 {
			t.Errorf("%s: declined with authorization %q %q %d", name, a.AuthorizationCode, a.NetworkTransactionID, a.AmountAuthorized)
		}
	case DecisionRequiresAuthentication:
		if req.OffSession && !req.Setup {
			t.Errorf("%s: asks an absent customer to authenticate", name)
		}
		if req.ThreeDSecureCompleted {
			t.Errorf("%s: asks for authentication again", name)
		}
		if a.Outcome != (Outcome{}) || a.Decline != (Decline{}) || a.Checks != (Checks{}) || a.ThreeDSecure != nil {
			t.Errorf("%s: requires authentication but carries results: %+v", name, a)
		}
	default:
		t.Errorf("%s: decision %q", name, a.Decision)
	}
	if a.Outcome.RiskScore < 0 || a.Outcome.RiskScore > 99 {
		t.Errorf("%s: risk score %d", name, a.Outcome.RiskScore)
	}
}

func TestAuthorizeSetup(t *testing.T) {
	t.Parallel()
	s := newTestSimulator()
	// What a SetupIntent confirmation gets before and after a challenge.
	tests := []struct {
		b           Behaviour
		first, done string
	}{
		{BehaviourSuccess, "approve", "approve"},
		{BehaviourAuthenticationRequiredOnSetup, "challenge", "approve"},
		{BehaviourAuthenticationRequired, "challenge", "approve"},
		{BehaviourAuthenticationRequiredSetupForOffSession, "challenge", "approve"},
		// The decline-after-authentication cards decline payments only.
		{BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds, "challenge", "approve"},
		{BehaviourThreeDSecureRequiredChargeDeclined, "challenge", "approve"},
		{BehaviourThreeDSecure2Required, "challenge", "approve"},
		{BehaviourThreeDSecureRequired, "challenge", "approve"},
		{BehaviourThreeDSecureRequiredProcessingError, "decline:processing_error", "decline:processing_error"},
		{BehaviourThreeDSecureOptional, "approve", "approve"},
		{BehaviourThreeDSecureNotSupported, "approve", "approve"},
		{BehaviourChargeDeclined, "decline:generic_decline", "decline:generic_decline"},
		{BehaviourChargeDeclinedInsufficientFunds, "decline:insufficient_funds", "decline:insufficient_funds"},
		{BehaviourChargeDeclinedLostCard, "decline:lost_card", "decline:lost_card"},
		{BehaviourChargeDeclinedStolenCard, "decline:stolen_card", "decline:stolen_card"},
		{BehaviourChargeDeclinedExpiredCard, "decline:expired_card", "decline:expired_card"},
		{BehaviourChargeDeclinedIncorrectCVC, "decline:incorrect_cvc", "decline:incorrect_cvc"},
		{BehaviourChargeDeclinedProcessingError, "decline:processing_error", "decline:processing_error"},
		{BehaviourChargeDeclinedVelocityLimitExceeded, "decline:card_velocity_exceeded", "decline:card_velocity_exceeded"},
		{BehaviourChargeCustomerFail, "approve", "approve"},
		{BehaviourRadarBlock, "decline:fraudulent", "decline:fraudulent"},
		{BehaviourRiskLevelHighest, "decline:fraudulent", "decline:fraudulent"},
		{BehaviourRiskLevelElevated, "approve", "approve"},
		{BehaviourCreateDispute, "approve", "approve"},
		{BehaviourRefundFail, "approve", "approve"},
	}
	for _, tt := range tests {
		for _, done := range []bool{false, true} {
			// OffSession is ignored for setups: they are never off-session.
			for _, off := range []bool{false, true} {
				req := AuthorizeRequest{Behaviour: tt.b, Setup: true, ThreeDSecureCompleted: done, OffSession: off}
				a := authorize(t, s, req)
				want := tt.first
				if done {
					want = tt.done
				}
				if got := summary(a); got != want {
					t.Errorf("setup %s done=%v off=%v: %s, want %s", tt.b, done, off, got, want)
				}
			}
		}
	}
}

func TestAuthorizeEveryBehaviourAsPayment(t *testing.T) {
	t.Parallel()
	s := newTestSimulator()
	want := map[Behaviour]string{
		BehaviourChargeDeclined:                                        "decline:generic_decline",
		BehaviourChargeDeclinedInsufficientFunds:                       "decline:insufficient_funds",
		BehaviourChargeDeclinedLostCard:                                "decline:lost_card",
		BehaviourChargeDeclinedStolenCard:                              "decline:stolen_card",
		BehaviourChargeDeclinedExpiredCard:                             "decline:expired_card",
		BehaviourChargeDeclinedIncorrectCVC:                            "decline:incorrect_cvc",
		BehaviourChargeDeclinedProcessingError:                         "decline:processing_error",
		BehaviourChargeDeclinedVelocityLimitExceeded:                   "decline:card_velocity_exceeded",
		BehaviourChargeCustomerFail:                                    "decline:generic_decline",
		BehaviourRadarBlock:                                            "decline:fraudulent",
		BehaviourRiskLevelHighest:                                      "decline:fraudulent",
		BehaviourCVCCheckFail:                                          "decline:incorrect_cvc", // a CVC is supplied below
		BehaviourAuthenticationRequiredOnSetup:                         "challenge",
		BehaviourAuthenticationRequired:                                "challenge",
		BehaviourAuthenticationRequiredSetupForOffSession:              "challenge",
		BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds: "challenge",
		BehaviourThreeDSecure2Required:                                 "challenge",
		BehaviourThreeDSecureRequired:                                  "challenge",
		BehaviourThreeDSecureRequiredChargeDeclined:                    "challenge",
		BehaviourThreeDSecureRequiredProcessingError:                   "decline:processing_error",
	}
	for _, b := range Behaviours() {
		w, ok := want[b]
		if !ok {
			w = "approve"
		}
		for _, off := range []bool{false, true} {
			req := AuthorizeRequest{Behaviour: b, OffSession: off, Provided: Provided{CVC: true, AddressLine1: true, AddressPostalCode: true}}
			a := authorize(t, s, req)
			ww := w
			if off && w == "challenge" {
				ww = "decline:authentication_required"
				if b == BehaviourAuthenticationRequiredSetupForOffSession {
					ww = "approve"
				}
			}
			if got := summary(a); got != ww {
				t.Errorf("%s off=%v: %s, want %s", b, off, got, ww)
			}
		}
	}
}

func TestAuthorizeOutcomes(t *testing.T) {
	t.Parallel()
	s := newTestSimulator()
	tests := []struct {
		name    string
		req     AuthorizeRequest
		outcome Outcome // RiskScore is ignored
		decline Decline
	}{
		{"success", AuthorizeRequest{Behaviour: BehaviourSuccess},
			Outcome{Type: "authorized", NetworkStatus: "approved_by_network", RiskLevel: "normal", SellerMessage: "Payment complete."}, Decline{}},
		{"elevated", AuthorizeRequest{Behaviour: BehaviourRiskLevelElevated},
			Outcome{Type: "manual_review", NetworkStatus: "approved_by_network", Reason: "elevated_risk_level", RiskLevel: "elevated",
				SellerMessage: "Stripe evaluated this payment as having elevated risk, and placed it in your manual review queue."}, Decline{}},
		{"generic decline", AuthorizeRequest{Behaviour: BehaviourChargeDeclined},
			Outcome{Type: "issuer_declined", NetworkStatus: "declined_by_network", Reason: "generic_decline", RiskLevel: "normal",
				SellerMessage: "The bank did not return any further details with this decline."},
			Decline{"card_declined", "generic_decline", "Your card was declined.", ""}},
		{"insufficient funds", AuthorizeRequest{Behaviour: BehaviourChargeDeclinedInsufficientFunds},
			Outcome{Type: "issuer_declined", NetworkStatus: "declined_by_network", Reason: "insufficient_funds", RiskLevel: "normal",
				SellerMessage: "The bank returned the decline code `insufficient_funds`."},
			Decline{"card_declined", "insufficient_funds", "Your card has insufficient funds.", ""}},
		{"radar block", AuthorizeRequest{Behaviour: BehaviourRadarBlock},
			Outcome{Type: "blocked", NetworkStatus: "not_sent_to_network", Reason: "highest_risk_level", RiskLevel: "highest",
				SellerMessage: "Stripe blocked this payment as too risky."},
			Decline{"card_declined", "fraudulent", "Your card was declined.", ""}},
		{"highest risk", AuthorizeRequest{Behaviour: BehaviourRiskLevelHighest},
			Outcome{Type: "blocked", NetworkStatus: "not_sent_to_network", Reason: "highest_risk_level", RiskLevel: "highest",
				SellerMessage: "Stripe blocked this payment as too risky."},
			Decline{"card_declined", "fraudulent", "Your card was declined.", ""}},
		{"authentication required off-session", AuthorizeRequest{Behaviour: BehaviourAuthenticationRequired, OffSession: true, SetUpForOffSession: true},
			Outcome{Type: "issuer_declined", NetworkStatus: "declined_by_network", Reason: "authentication_required", RiskLevel: "normal",
				SellerMessage: "The bank returned the decline code `authentication_required`."},
			Decline{"authentication_required", "authentication_required", "Your card was declined. This transaction requires authentication.", ""}},
		{"expired", AuthorizeRequest{Behaviour: BehaviourChargeDeclinedExpiredCard},
			Outcome{Type: "issuer_declined", NetworkStatus: "declined_by_network", Reason: "expired_card", RiskLevel: "normal",
				SellerMessage: "The bank returned the decline code `expired_card`."},
			Decline{"expired_card", "expired_card", "Your card has expired.", "exp_month"}},
	}
	for _, tt := range tests {
		a := authorize(t, s, tt.req)
		got := a.Outcome
		got.RiskScore = 0
		if got != tt.outcome {
			t.Errorf("%s: outcome %+v\nwant %+v", tt.name, got, tt.outcome)
		}
		if a.Decline != tt.decline {
			t.Errorf("%s: decline %+v, want %+v", tt.name, a.Decline, tt.decline)
		}
	}
}

func TestAuthorizeThreeDSecureResult(t *testing.T) {
	t.Parallel()
	s := newTestSimulator()
	tests := []struct {
		name string
		req  AuthorizeRequest
		want *ThreeDSecure
	}{
		{"no 3DS", AuthorizeRequest{Behaviour: BehaviourSuccess}, nil},
		{"after a challenge", AuthorizeRequest{Behaviour: BehaviourThreeDSecure2Required, ThreeDSecureCompleted: true},
			&ThreeDSecure{AuthenticationFlow: "challenge", Result: "authenticated", Version: "2.2.0"}},
		{"frictionless", AuthorizeRequest{Behaviour: BehaviourThreeDSecureOptional, RequestThreeDSecure: ThreeDSecureAny},
			&ThreeDSecure{AuthenticationFlow: "frictionless", Result: "authenticated", Version: "2.2.0"}},
		{"not supported, requested", AuthorizeRequest{Behaviour: BehaviourThreeDSecureNotSupported, RequestThreeDSecure: ThreeDSecureChallenge},
			&ThreeDSecure{Result: "not_supported", ResultReason: "card_not_enrolled"}},
		{"not supported, automatic", AuthorizeRequest{Behaviour: BehaviourThreeDSecureNotSupported}, nil},
		{"lookup fails", AuthorizeRequest{Behaviour: BehaviourThreeDSecureRequiredProcessingError},
			&ThreeDSecure{Result: "processing_error", Version: "2.2.0"}},
		{"declined after a challenge", AuthorizeRequest{Behaviour: BehaviourThreeDSecureRequiredChargeDeclined, ThreeDSecureCompleted: true},
			&ThreeDSecure{AuthenticationFlow: "challenge", Result: "authenticated", Version: "2.2.0"}},
	}
	for _, tt := range tests {
		a := authorize(t, s, tt.req)
		switch {
		case tt.want == nil && a.ThreeDSecure != nil:
			t.Errorf("%s: three_d_secure %+v, want null", tt.name, *a.ThreeDSecure)
		case tt.want != nil && (a.ThreeDSecure == nil || *a.ThreeDSecure != *tt.want):
			t.Errorf("%s: three_d_secure %+v, want %+v", tt.name, a.ThreeDSecure, *tt.want)
		}
	}
}

func TestAuthorizeChecks(t *testing.T) {
	t.Parallel()
	all := Provided{CVC: true, AddressLine1: true, AddressPostalCode: true}
	tests := []struct {
		name     string
		sim      *Simulator
		b        Behaviour
		provided Provided
		decision string
		checks   Checks
	}{
		{"success, all supplied", newTestSimulator(), BehaviourSuccess, all, "approve", Checks{"pass", "pass", "pass"}},
		{"success, nothing supplied", newTestSimulator(), BehaviourSuccess, Provided{}, "approve", Checks{}},
		{"success, postal only", newTestSimulator(), BehaviourSuccess, Provided{AddressPostalCode: true}, "approve", Checks{AddressPostalCode: "pass"}},
		{"cvc fail, default rule declines", newTestSimulator(), BehaviourCVCCheckFail, all, "decline:incorrect_cvc", Checks{"fail", "pass", "pass"}},
		{"cvc fail, rule off", &Simulator{}, BehaviourCVCCheckFail, all, "approve", Checks{"fail", "pass", "pass"}},
		{"cvc fail, no cvc", newTestSimulator(), BehaviourCVCCheckFail, Provided{AddressPostalCode: true}, "approve", Checks{AddressPostalCode: "pass"}},
		{"zip fail", newTestSimulator(), BehaviourAVSZipFail, all, "approve", Checks{"pass", "pass", "fail"}},
		{"zip fail, AVS rule on", &Simulator{DeclineOn: DeclineOn{AVSFailure: true}}, BehaviourAVSZipFail, all, "decline:incorrect_zip", Checks{"pass", "pass", "fail"}},
		{"line1 fail", newTestSimulator(), BehaviourAVSLine1Fail, all, "approve", Checks{"pass", "fail", "pass"}},
		{"both fail", newTestSimulator(), BehaviourAVSFail, all, "approve", Checks{"pass", "fail", "fail"}},
		{"unchecked", newTestSimulator(), BehaviourAVSUnchecked, all, "approve", Checks{"pass", "unavailable", "unavailable"}},
		{"unchecked, no address", newTestSimulator(), BehaviourAVSUnchecked, Provided{CVC: true}, "approve", Checks{CVC: "pass"}},
		{"incorrect cvc card", newTestSimulator(), BehaviourChargeDeclinedIncorrectCVC, all, "decline:incorrect_cvc", Checks{"fail", "pass", "pass"}},
		{"blocked before the issuer", newTestSimulator(), BehaviourRadarBlock, all, "decline:fraudulent", Checks{}},
	}
	for _, tt := range tests {
		a := authorize(t, tt.sim, AuthorizeRequest{Behaviour: tt.b, Provided: tt.provided})
		if got := summary(a); got != tt.decision {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.decision)
		}
		if a.Checks != tt.checks {
			t.Errorf("%s: checks %+v, want %+v", tt.name, a.Checks, tt.checks)
		}
	}

	if got, want := all.Unchecked(), (Checks{"unchecked", "unchecked", "unchecked"}); got != want {
		t.Errorf("Unchecked() = %+v, want %+v", got, want)
	}
	if got := (Provided{CVC: true}).Unchecked(); got != (Checks{CVC: "unchecked"}) {
		t.Errorf("Unchecked() = %+v", got)
	}
}

func TestAuthorizeExpiryUsesClock(t *testing.T) {
	t.Parallel()
	clock := now
	s := NewSimulator(func() time.Time { return clock })
	req := AuthorizeRequest{Behaviour: BehaviourSuccess, ExpMonth: 6, ExpYear: 2026}
	if got := summary(authorize(t, s, req)); got != "approve" {
		t.Fatalf("in June 2026: %s", got)
	}
	clock = time.Date(2026, time.July, 1, 0, 0, 0, 0, time.UTC)
	a := authorize(t, s, req)
	if got := summary(a); got != "decline:expired_card" || a.Decline.Code != "expired_card" {
		t.Errorf("in July 2026: %s %+v", got, a.Decline)
	}
	// Two-digit years are accepted.
	req.ExpYear = 26
	if got := summary(authorize(t, s, req)); got != "decline:expired_card" {
		t.Errorf("expiry 06/26 in July 2026: %s", got)
	}
	// An unknown expiry is not checked.
	if got := summary(authorize(t, s, AuthorizeRequest{Behaviour: BehaviourSuccess})); got != "approve" {
		t.Errorf("no expiry: %s", got)
	}
	// The zero Simulator uses the wall clock: a card that expired in 2001 is
	// declined.
	if got := summary(authorize(t, &Simulator{}, AuthorizeRequest{Behaviour: BehaviourSuccess, ExpMonth: 1, ExpYear: 2001})); got != "decline:expired_card" {
		t.Errorf("zero Simulator, expired 2001: %s", got)
	}
}

func TestAuthorizeDeterministic(t *testing.T) {
	t.Parallel()
	s := newTestSimulator()
	req := AuthorizeRequest{Reference: "ch_1", Behaviour: BehaviourSuccess, Brand: BrandMastercard, Amount: 1234, Currency: "eur", Provided: Provided{CVC: true}}
	a1 := authorize(t, s, req)
	a2 := authorize(t, s, req)
	if a1.AuthorizationCode != a2.AuthorizationCode || a1.NetworkTransactionID != a2.NetworkTransactionID || a1.Outcome != a2.Outcome {
		t.Errorf("same request, different answers: %+v / %+v", a1, a2)
	}
	if a1.Network != "mastercard" || a1.AmountAuthorized != 1234 {
		t.Errorf("network %q amount %d", a1.Network, a1.AmountAuthorized)
	}
	// Other attempts get other codes.
	codes := map[string]bool{}
	for i := range 50 {
		req.Reference = fmt.Sprintf("ch_%d", i)
		codes[authorize(t, s, req).NetworkTransactionID] = true
	}
	if len(codes) < 45 {
		t.Errorf("only %d distinct network transaction ids in 50 attempts", len(codes))
	}
}

func TestAuthorizeErrors(t *testing.T) {
	t.Parallel()
	s := newTestSimulator()
	ctx := context.Background()
	if _, err := s.Authorize(ctx, AuthorizeRequest{Behaviour: "nope"}); !errors.Is(err, ErrUnknownBehaviour) {
		t.Errorf("unknown behaviour: %v", err)
	}
	if _, err := s.Authorize(ctx, AuthorizeRequest{}); !errors.Is(err, ErrUnknownBehaviour) {
		t.Errorf("empty behaviour: %v", err)
	}
	if _, err := s.Authorize(ctx, AuthorizeRequest{Behaviour: BehaviourSuccess, RequestThreeDSecure: "always"}); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("bad request_three_d_secure: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Authorize(cancelled, AuthorizeRequest{Behaviour: BehaviourSuccess}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	if _, err := s.Authenticate(cancelled, AuthenticateRequest{Behaviour: BehaviourSuccess}); !errors.Is(err, context.Canceled) {
		t.Errorf("Authenticate, cancelled context: %v", err)
	}
	if _, err := s.Authenticate(ctx, AuthenticateRequest{Behaviour: "nope"}); !errors.Is(err, ErrUnknownBehaviour) {
		t.Errorf("Authenticate, unknown behaviour: %v", err)
	}
	// A missing brand is reported as the unknown network rather than empty.
	a, err := s.Authorize(ctx, AuthorizeRequest{Behaviour: BehaviourSuccess})
	if err != nil || a.Network != "unknown" {
		t.Errorf("no brand: network %q, %v", a.Network, err)
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	s := newTestSimulator()
	ctx := context.Background()

	ok, err := s.Authenticate(ctx, AuthenticateRequest{Reference: "pi_1", Behaviour: BehaviourThreeDSecure2Required, Completed: true})
	if err != nil || !ok.Succeeded || ok.FailureCode != "" ||
		ok.ThreeDSecure != (ThreeDSecure{AuthenticationFlow: "challenge", Result: "authenticated", Version: "2.2.0"}) {
		t.Errorf("completed: %+v, %v", ok, err)
	}

	failed, err := s.Authenticate(ctx, AuthenticateRequest{Reference: "pi_1", Behaviour: BehaviourThreeDSecure2Required})
	if err != nil || failed.Succeeded || failed.ThreeDSecure.Result != "failed" ||
		failed.FailureCode != "payment_intent_authentication_failure" ||
		failed.FailureMessage != "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again." {
		t.Errorf("failed: %+v, %v", failed, err)
	}

	setup, err := s.Authenticate(ctx, AuthenticateRequest{Reference: "seti_1", Behaviour: BehaviourAuthenticationRequiredOnSetup, Setup: true})
	if err != nil || setup.Succeeded || setup.FailureCode != "setup_intent_authentication_failure" || setup.FailureMessage == "" {
		t.Errorf("failed setup: %+v, %v", setup, err)
	}
}

// TestOffSessionFlow walks api-contract §4's story for
// pm_card_authenticationRequiredOnSetup: authenticate on setup, then charge
// off-session without the customer.
func TestOffSessionFlow(t *testing.T) {
	t.Parallel()
	var p Processor = newTestSimulator()
	ctx := context.Background()
	card, _ := LookupMagicPaymentMethodAt("pm_card_authenticationRequiredOnSetup", now)
	base := AuthorizeRequest{Behaviour: card.Behaviour, Brand: card.Brand, ExpMonth: card.ExpMonth, ExpYear: card.ExpYear,
		Provided: Provided{CVC: card.CVCProvided}}

	// Off-session before any setup: the customer is needed.
	req := base
	req.Reference, req.Amount, req.Currency, req.OffSession = "ch_a", 1000, "usd", true
	a, _ := p.Authorize(ctx, req)
	if summary(a) != "decline:authentication_required" {
		t.Fatalf("off-session before setup: %s", summary(a))
	}

	// The SetupIntent: challenge, complete, confirm again.
	req = base
	req.Reference, req.Setup = "seti_1", true
	a, _ = p.Authorize(ctx, req)
	if a.Decision != DecisionRequiresAuthentication {
		t.Fatalf("setup: %s", summary(a))
	}
	auth, _ := p.Authenticate(ctx, AuthenticateRequest{Reference: "seti_1", Behaviour: card.Behaviour, Setup: true, Completed: true})
	if !auth.Succeeded {
		t.Fatal("challenge failed")
	}
	req.ThreeDSecureCompleted = true
	a, _ = p.Authorize(ctx, req)
	if a.Decision != DecisionApproved || a.AmountAuthorized != 0 {
		t.Fatalf("setup after challenge: %s", summary(a))
	}

	// Now off-session payments go through without the customer.
	req = base
	req.Reference, req.Amount, req.Currency, req.OffSession, req.SetUpForOffSession = "ch_b", 1000, "usd", true, true
	a, _ = p.Authorize(ctx, req)
	if a.Decision != DecisionApproved || a.ThreeDSecure != nil || a.Checks.CVC != CheckPass {
		t.Fatalf("off-session after setup: %s %+v", summary(a), a)
	}
	// On-session payments still need the customer.
	req.OffSession = false
	a, _ = p.Authorize(ctx, req)
	if a.Decision != DecisionRequiresAuthentication {
		t.Fatalf("on-session after setup: %s", summary(a))
	}
}
