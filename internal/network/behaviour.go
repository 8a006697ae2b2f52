package network

import "slices"

// Behaviour is what the simulated network does with a card: approve it,
// decline it with a code, ask for 3D Secure, block it as fraud, fail its
// checks. The caller stores it on the PaymentMethod (so the full number is
// never needed again) and passes it back in every [AuthorizeRequest].
//
// The values are persisted: they are stable names and must never change.
// Most are the suffix of the Stripe magic id that selects them
// (pm_card_chargeDeclinedLostCard → "chargeDeclinedLostCard").
type Behaviour string

// Behaviours of ordinary cards.
const (
	// BehaviourSuccess approves every charge and setup. Every Luhn-valid
	// number that is not a special test card behaves so.
	BehaviourSuccess Behaviour = "success"
)

// Declines (api-contract §4, "Declines"). Setups decline as well, except
// for [BehaviourChargeCustomerFail].
const (
	BehaviourChargeDeclined                      Behaviour = "chargeDeclined"
	BehaviourChargeDeclinedInsufficientFunds     Behaviour = "chargeDeclinedInsufficientFunds"
	BehaviourChargeDeclinedLostCard              Behaviour = "chargeDeclinedLostCard"
	BehaviourChargeDeclinedStolenCard            Behaviour = "chargeDeclinedStolenCard"
	BehaviourChargeDeclinedExpiredCard           Behaviour = "chargeDeclinedExpiredCard"
	BehaviourChargeDeclinedIncorrectCVC          Behaviour = "chargeDeclinedIncorrectCvc"
	BehaviourChargeDeclinedProcessingError       Behaviour = "chargeDeclinedProcessingError"
	BehaviourChargeDeclinedVelocityLimitExceeded Behaviour = "chargeDeclinedVelocityLimitExceeded"
	// BehaviourChargeCustomerFail: attaching the card to a customer and
	// setting it up succeed; every charge fails with generic_decline.
	BehaviourChargeCustomerFail Behaviour = "chargeCustomerFail"
)

// Fraud and verification checks (api-contract §4, "Fraud / checks").
const (
	// BehaviourRadarBlock is always blocked by Radar, whatever the rules
	// (Stripe's pm_card_radarBlock, alias pm_card_chargeDeclinedFraudulent).
	BehaviourRadarBlock Behaviour = "radarBlock"
	// BehaviourRiskLevelHighest has risk level "highest" and is blocked by
	// Radar's default "Block if :risk_level: = 'highest'" rule.
	BehaviourRiskLevelHighest Behaviour = "riskLevelHighest"
	// BehaviourRiskLevelElevated succeeds with risk level "elevated" and
	// outcome type "manual_review".
	BehaviourRiskLevelElevated Behaviour = "riskLevelElevated"
	// BehaviourCVCCheckFail fails cvc_check when a CVC is supplied; the
	// charge is then declined incorrect_cvc if [DeclineOn].CVCFailure is set
	// (Stripe's default account setting).
	BehaviourCVCCheckFail Behaviour = "cvcCheckFail"
	// BehaviourAVSZipFail fails address_postal_code_check.
	BehaviourAVSZipFail Behaviour = "avsZipFail"
	// BehaviourAVSLine1Fail fails address_line1_check.
	BehaviourAVSLine1Fail Behaviour = "avsLine1Fail"
	// BehaviourAVSFail fails both address checks.
	BehaviourAVSFail Behaviour = "avsFail"
	// BehaviourAVSUnchecked reports both address checks as "unavailable".
	BehaviourAVSUnchecked Behaviour = "avsUnchecked"
)

// Disputes, refunds and balance (api-contract §4). The network approves
// these cards; what happens afterwards (a dispute, a pending or failing
// refund, funds straight to the available balance) is for the caller to act
// on. Recording the behaviour now means stored PaymentMethods keep working
// when those flows are built.
const (
	BehaviourCreateDispute                   Behaviour = "createDispute"
	BehaviourCreateDisputeProductNotReceived Behaviour = "createDisputeProductNotReceived"
	BehaviourCreateDisputeInquiry            Behaviour = "createDisputeInquiry"
	BehaviourCreateIssuerFraudRecord         Behaviour = "createIssuerFraudRecord"
	BehaviourCreateMultipleDisputes          Behaviour = "createMultipleDisputes"
	BehaviourPendingRefund                   Behaviour = "pendingRefund"
	BehaviourRefundFail                      Behaviour = "refundFail"
	BehaviourBypassPending                   Behaviour = "bypassPending"
	BehaviourBypassPendingInternational      Behaviour = "bypassPendingInternational"
)

// Strong customer authentication and 3D Secure (api-contract §4, "SCA / 3DS").
const (
	// BehaviourAuthenticationRequiredOnSetup needs 3DS on-session and for
	// one-off payments; once the card has been set up (a SetupIntent or a
	// setup_future_usage payment), off-session payments succeed without it.
	BehaviourAuthenticationRequiredOnSetup Behaviour = "authenticationRequiredOnSetup"
	// BehaviourAuthenticationRequired always needs 3DS: off-session payments
	// are declined authentication_required even after a setup.
	BehaviourAuthenticationRequired Behaviour = "authenticationRequired"
	// BehaviourAuthenticationRequiredSetupForOffSession is a card already set
	// up: off-session payments succeed, on-session ones need 3DS.
	BehaviourAuthenticationRequiredSetupForOffSession Behaviour = "authenticationRequiredSetupForOffSession"
	// BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds needs
	// 3DS like [BehaviourAuthenticationRequiredOnSetup], then every payment
	// is declined insufficient_funds, even after authentication or a setup.
	BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds Behaviour = "authenticationRequiredChargeDeclinedInsufficientFunds"
	// BehaviourThreeDSecure2Required needs a 3DS2 challenge, then succeeds.
	BehaviourThreeDSecure2Required Behaviour = "threeDSecure2Required"
	// BehaviourThreeDSecureRequired needs 3DS, then succeeds.
	BehaviourThreeDSecureRequired Behaviour = "threeDSecureRequired"
	// BehaviourThreeDSecureRequiredChargeDeclined needs 3DS, then payments
	// are declined card_declined.
	BehaviourThreeDSecureRequiredChargeDeclined Behaviour = "threeDSecureRequiredChargeDeclined"
	// BehaviourThreeDSecureRequiredProcessingError needs 3DS but the lookup
	// fails: every attempt fails with processing_error.
	BehaviourThreeDSecureRequiredProcessingError Behaviour = "threeDSecureRequiredProcessingError"
	// BehaviourThreeDSecureOptional supports 3DS without requiring it: it
	// succeeds without action unless 3DS is requested (see
	// [ThreeDSecureAny]).
	BehaviourThreeDSecureOptional Behaviour = "threeDSecureOptional"
	// BehaviourThreeDSecureAttemptProcessingError (4000000000003097, no
	// magic id) supports 3DS, but attempting it fails with processing_error.
	BehaviourThreeDSecureAttemptProcessingError Behaviour = "threeDSecureAttemptProcessingError"
	// BehaviourThreeDSecureNotSupported does not support 3DS: it succeeds
	// without authentication even when 3DS is requested.
	BehaviourThreeDSecureNotSupported Behaviour = "threeDSecureNotSupported"
)

// authRule is when a card needs 3D Secure.
type authRule int

const (
	authOptional      authRule = iota // supported; only when the merchant requests it
	authAlways                        // on-session always; off-session → authentication_required
	authUnlessSetUp                   // like authAlways, except off-session after a setup
	authOnSessionOnly                 // off-session never needs it (the card counts as set up)
	authLookupFails                   // always needed, and the lookup fails
	authFrictionless                  // optional; "any" is answered without a challenge
	authAttemptFails                  // optional; attempting it fails
	authNotSupported                  // never; requests report not_supported
)

// risk is what Radar says about a card.
type risk int

const (
	riskNormal risk = iota
	riskElevated
	riskHighest     // blocked by the default highest-risk rule
	riskAlwaysBlock // blocked whatever the rules
)

// behaviourSpec is everything the simulator needs to know about a behaviour.
type behaviourSpec struct {
	auth authRule
	risk risk
	// decline is the network's answer to a charge once any authentication is
	// done; nil approves.
	decline *Decline
	// setupDeclines says the decline applies to setups too; cards that only
	// fail charges (chargeCustomerFail, the decline-after-3DS cards) set up
	// fine.
	setupDeclines bool
	checks        checkFailures
}

// checkFailures are the CVC and address checks a card fails.
type checkFailures struct {
	cvc, line1, postal bool
	addressUnavailable bool
}

// Issuer declines, with Stripe's codes and messages (api-contract §4, §5).
var (
	declineGeneric = &Decline{Code: "card_declined", DeclineCode: "generic_decline", Message: "Your card was declined."}
	declineFunds   = &Decline{Code: "card_declined", DeclineCode: "insufficient_funds", Message: "Your card has insufficient funds."}
	declineLost    = &Decline{Code: "card_declined", DeclineCode: "lost_card", Message: "Your card was declined."}
	declineStolen  = &Decline{Code: "card_declined", DeclineCode: "stolen_card", Message: "Your card was declined."}
	declineExpired = &Decline{Code: "expired_card", DeclineCode: "expired_card", Message: "Your card has expired.", Param: "exp_month"}
	declineCVC     = &Decline{Code: "incorrect_cvc", DeclineCode: "incorrect_cvc", Message: "Your card's security code is incorrect.", Param: "cvc"}
	declineProcErr = &Decline{Code: "processing_error", DeclineCode: "processing_error", Message: "An error occurred while processing your card. Try again in a little bit."}
	declineVelo    = &Decline{Code: "card_declined", DeclineCode: "card_velocity_exceeded", Message: "Your card was declined for making repeated attempts too frequently or exceeding its amount limit."}
	// declineFraud is what the customer is told when Radar blocks a payment:
	// the same words as a generic decline, so that a fraudster learns
	// nothing.
	declineFraud = &Decline{Code: "card_declined", DeclineCode: "fraudulent", Message: "Your card was declined."}
	// declineZip is Stripe's decline for a failed postal code check when the
	// account declines on AVS failure.
	declineZip = &Decline{Code: "incorrect_zip", DeclineCode: "incorrect_zip", Message: "The zip code you supplied failed validation.", Param: "address_zip"}
	// declineAuthRequired is an off-session payment that needed 3DS.
	declineAuthRequired = &Decline{Code: "authentication_required", DeclineCode: "authentication_required", Message: "Your card was declined. This transaction requires authentication."}
)

var behaviours = map[Behaviour]behaviourSpec{
	BehaviourSuccess: {},

	BehaviourChargeDeclined:                      {decline: declineGeneric, setupDeclines: true},
	BehaviourChargeDeclinedInsufficientFunds:     {decline: declineFunds, setupDeclines: true},
	BehaviourChargeDeclinedLostCard:              {decline: declineLost, setupDeclines: true},
	BehaviourChargeDeclinedStolenCard:            {decline: declineStolen, setupDeclines: true},
	BehaviourChargeDeclinedExpiredCard:           {decline: declineExpired, setupDeclines: true},
	BehaviourChargeDeclinedIncorrectCVC:          {decline: declineCVC, setupDeclines: true, checks: checkFailures{cvc: true}},
	BehaviourChargeDeclinedProcessingError:       {decline: declineProcErr, setupDeclines: true},
	BehaviourChargeDeclinedVelocityLimitExceeded: {decline: declineVelo, setupDeclines: true},
	BehaviourChargeCustomerFail:                  {decline: declineGeneric},

	BehaviourRadarBlock:        {risk: riskAlwaysBlock},
	BehaviourRiskLevelHighest:  {risk: riskHighest},
	BehaviourRiskLevelElevated: {risk: riskElevated},
	BehaviourCVCCheckFail:      {checks: checkFailures{cvc: true}},
	BehaviourAVSZipFail:        {checks: checkFailures{postal: true}},
	BehaviourAVSLine1Fail:      {checks: checkFailures{line1: true}},
	BehaviourAVSFail:           {checks: checkFailures{line1: true, postal: true}},
	BehaviourAVSUnchecked:      {checks: checkFailures{addressUnavailable: true}},

	BehaviourCreateDispute:                   {},
	BehaviourCreateDisputeProductNotReceived: {},
	BehaviourCreateDisputeInquiry:            {},
	BehaviourCreateIssuerFraudRecord:         {},
	BehaviourCreateMultipleDisputes:          {},
	BehaviourPendingRefund:                   {},
	BehaviourRefundFail:                      {},
	BehaviourBypassPending:                   {},
	BehaviourBypassPendingInternational:      {},

	BehaviourAuthenticationRequiredOnSetup:                         {auth: authUnlessSetUp},
	BehaviourAuthenticationRequired:                                {auth: authAlways},
	BehaviourAuthenticationRequiredSetupForOffSession:              {auth: authOnSessionOnly},
	BehaviourAuthenticationRequiredChargeDeclinedInsufficientFunds: {auth: authUnlessSetUp, decline: declineFunds},
	BehaviourThreeDSecure2Required:                                 {auth: authAlways},
	BehaviourThreeDSecureRequired:                                  {auth: authAlways},
	BehaviourThreeDSecureRequiredChargeDeclined:                    {auth: authAlways, decline: declineGeneric},
	BehaviourThreeDSecureRequiredProcessingError:                   {auth: authLookupFails},
	BehaviourThreeDSecureOptional:                                  {auth: authFrictionless},
	BehaviourThreeDSecureAttemptProcessingError:                    {auth: authAttemptFails},
	BehaviourThreeDSecureNotSupported:                              {auth: authNotSupported},
}

// Valid reports whether b is a behaviour this package knows, for checking
// values read back from storage.
func (b Behaviour) Valid() bool {
	_, ok := behaviours[b]
	return ok
}

// Behaviours lists every known behaviour, sorted.
func Behaviours() []Behaviour {
	out := make([]Behaviour, 0, len(behaviours))
	for b := range behaviours {
		out = append(out, b)
	}
	slices.Sort(out)
	return out
}

// ThreeDSecureSupported is payment_method.card.three_d_secure_usage.supported.
func (b Behaviour) ThreeDSecureSupported() bool {
	return behaviours[b].auth != authNotSupported
}

// Decline is the issuer decline a charge on this card ends with once any
// authentication is done, if it has one. Radar blocks, CVC and address
// rules and 3DS outcomes are decided by [Simulator.Authorize], not here.
func (b Behaviour) Decline() (Decline, bool) {
	d := behaviours[b].decline
	if d == nil {
		return Decline{}, false
	}
	return *d, true
}
