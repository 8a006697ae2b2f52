package api_test

import (
	"testing"

	"github.com/stripe/stripe-go/v85"

	"github.com/tenderpay/tender/internal/apitest"
)

// cardCase is what a test card must do on a one-off, on-session payment.
type cardCase struct {
	pm          string
	status      stripe.PaymentIntentStatus // on success or requires_action
	code        string                     // on a decline
	declineCode string
	brand       string
	funding     string
	last4       string
}

var cardCases = []cardCase{
	{pm: "pm_card_visa", status: "succeeded", brand: "visa", funding: "credit", last4: "4242"},
	{pm: "pm_card_visa_debit", status: "succeeded", brand: "visa", funding: "debit", last4: "5556"},
	{pm: "pm_card_mastercard", status: "succeeded", brand: "mastercard", funding: "credit", last4: "4444"},
	{pm: "pm_card_mastercard_debit", status: "succeeded", brand: "mastercard", funding: "debit", last4: "8210"},
	{pm: "pm_card_mastercard_prepaid", status: "succeeded", brand: "mastercard", funding: "prepaid", last4: "5100"},
	{pm: "pm_card_amex", status: "succeeded", brand: "amex", funding: "credit", last4: "0005"},
	{pm: "pm_card_discover", status: "succeeded", brand: "discover", funding: "credit", last4: "1117"},
	{pm: "pm_card_diners", status: "succeeded", brand: "diners", funding: "credit", last4: "0004"},
	{pm: "pm_card_jcb", status: "succeeded", brand: "jcb", funding: "credit", last4: "0505"},
	{pm: "pm_card_unionpay", status: "succeeded", brand: "unionpay", funding: "credit", last4: "0005"},
	{pm: "pm_card_amex_threeDSecureNotSupported", status: "succeeded", brand: "amex", last4: "0005"},
	{pm: "pm_card_visa_chargeDeclined", code: "card_declined", declineCode: "generic_decline"},
	{pm: "pm_card_chargeDeclined", code: "card_declined", declineCode: "generic_decline"},
	{pm: "pm_card_visa_chargeDeclinedInsufficientFunds", code: "card_declined", declineCode: "insufficient_funds"},
	{pm: "pm_card_visa_chargeDeclinedLostCard", code: "card_declined", declineCode: "lost_card"},
	{pm: "pm_card_visa_chargeDeclinedStolenCard", code: "card_declined", declineCode: "stolen_card"},
	{pm: "pm_card_chargeDeclinedExpiredCard", code: "expired_card", declineCode: "expired_card"},
	{pm: "pm_card_chargeDeclinedIncorrectCvc", code: "incorrect_cvc", declineCode: "incorrect_cvc"},
	{pm: "pm_card_chargeDeclinedProcessingError", code: "processing_error", declineCode: "processing_error"},
	{pm: "pm_card_visa_chargeDeclinedVelocityLimitExceeded", code: "card_declined", declineCode: "card_velocity_exceeded"},
	{pm: "pm_card_chargeCustomerFail", code: "card_declined", declineCode: "generic_decline"},
	{pm: "pm_card_radarBlock", code: "card_declined", declineCode: "fraudulent"},
	{pm: "pm_card_riskLevelHighest", code: "card_declined", declineCode: "fraudulent"},
	{pm: "pm_card_riskLevelElevated", status: "succeeded"},
	{pm: "pm_card_cvcCheckFail", code: "incorrect_cvc", declineCode: "incorrect_cvc"},
	{pm: "pm_card_avsZipFail", status: "succeeded"},
	{pm: "pm_card_avsLine1Fail", status: "succeeded"},
	{pm: "pm_card_avsFail", status: "succeeded"},
	{pm: "pm_card_avsUnchecked", status: "succeeded"},
	{pm: "pm_card_createDispute", status: "succeeded"},
	{pm: "pm_card_createDisputeProductNotReceived", status: "succeeded"},
	{pm: "pm_card_createDisputeInquiry", status: "succeeded"},
	{pm: "pm_card_createIssuerFraudRecord", status: "succeeded"},
	{pm: "pm_card_createMultipleDisputes", status: "succeeded"},
	{pm: "pm_card_pendingRefund", status: "succeeded"},
	{pm: "pm_card_refundFail", status: "succeeded"},
	{pm: "pm_card_bypassPending", status: "succeeded"},
	{pm: "pm_card_authenticationRequiredOnSetup", status: "requires_action"},
	{pm: "pm_card_authenticationRequired", status: "requires_action"},
	{pm: "pm_card_authenticationRequiredSetupForOffSession", status: "requires_action"},
	{pm: "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds", status: "requires_action"},
	{pm: "pm_card_threeDSecure2Required", status: "requires_action"},
	{pm: "pm_card_threeDSecureRequired", status: "requires_action"},
	{pm: "pm_card_threeDSecureRequiredChargeDeclined", status: "requires_action"},
	{pm: "pm_card_threeDSecureRequiredProcessingError", code: "processing_error", declineCode: "processing_error"},
	{pm: "pm_card_threeDSecureOptional", status: "succeeded"},
}

// TestEveryTestCard confirms a PaymentIntent with a ConfirmationToken for
// every magic test card and checks the outcome through stripe-go's types.
func TestEveryTestCard(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		for _, tc := range cardCases {
			pi, err := payWith(t, e, tc.pm)
			if tc.code != "" {
				se := asStripeError(t, err)
				if se.HTTPStatusCode != 402 || se.Type != stripe.ErrorTypeCard || string(se.Code) != tc.code || string(se.DeclineCode) != tc.declineCode {
					t.Errorf("%s: got %d %s code=%s decline=%s (%s); want 402 card_error %s/%s", tc.pm, se.HTTPStatusCode, se.Type, se.Code, se.DeclineCode, se.Msg, tc.code, tc.declineCode)
					continue
				}
				if se.Msg == "" || se.DocURL == "" || se.ChargeID == "" || se.PaymentMethod == nil || se.PaymentMethod.ID == "" {
					t.Errorf("%s: decline lacks message, doc_url, charge or payment_method: %+v", tc.pm, se)
				}
				if se.PaymentIntent == nil || se.PaymentIntent.Status != "requires_payment_method" || se.PaymentIntent.LastPaymentError == nil ||
					string(se.PaymentIntent.LastPaymentError.DeclineCode) != tc.declineCode || se.PaymentIntent.LatestCharge == nil {
					t.Errorf("%s: decline's payment_intent: %+v", tc.pm, se.PaymentIntent)
					continue
				}
				ch, err := e.Client.V1Charges.Retrieve(ctx, se.ChargeID, nil)
				if err != nil || ch.Status != "failed" || string(ch.FailureCode) != tc.code || ch.Paid {
					t.Errorf("%s: failed charge: %+v %v", tc.pm, ch, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", tc.pm, err)
				continue
			}
			if pi.Status != tc.status {
				t.Errorf("%s: status %s, want %s", tc.pm, pi.Status, tc.status)
				continue
			}
			if pi.PaymentMethod == nil || pi.PaymentMethod.ID == tc.pm {
				t.Errorf("%s: magic id not cloned into a new pm_: %+v", tc.pm, pi.PaymentMethod)
			}
			if tc.status == "requires_action" {
				if pi.NextAction == nil || pi.NextAction.Type != "use_stripe_sdk" {
					t.Errorf("%s: next_action %+v, want use_stripe_sdk for a ConfirmationToken confirm", tc.pm, pi.NextAction)
				}
				continue
			}
			if pi.AmountReceived != 1099 || pi.LatestCharge == nil {
				t.Errorf("%s: amount_received %d, latest_charge %v", tc.pm, pi.AmountReceived, pi.LatestCharge)
			}
			if tc.brand != "" {
				pm, err := e.Client.V1PaymentMethods.Retrieve(ctx, pi.PaymentMethod.ID, nil)
				if err != nil {
					t.Fatal(err)
				}
				if string(pm.Card.Brand) != tc.brand || pm.Card.Last4 != tc.last4 || pm.Card.Country != "US" ||
					(tc.funding != "" && string(pm.Card.Funding) != tc.funding) || len(pm.Card.Fingerprint) != 16 {
					t.Errorf("%s: card %+v", tc.pm, pm.Card)
				}
			}
		}
	})
}

// TestChecksAndOutcomes looks at what a charge reports for the check and
// risk cards.
func TestChecksAndOutcomes(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		charge := func(pm string) *stripe.Charge {
			t.Helper()
			pi, err := payWith(t, e, pm)
			if err != nil {
				t.Fatalf("%s: %v", pm, err)
			}
			ch, err := e.Client.V1Charges.Retrieve(ctx, pi.LatestCharge.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			return ch
		}
		if ch := charge("pm_card_visa"); ch.Outcome.Type != "authorized" || ch.Outcome.NetworkStatus != "approved_by_network" ||
			ch.Outcome.RiskLevel != "normal" || ch.PaymentMethodDetails.Card.Checks.CVCCheck != "pass" || !ch.Captured || !ch.Paid {
			t.Errorf("visa charge: %+v %+v", ch.Outcome, ch.PaymentMethodDetails.Card.Checks)
		}
		if ch := charge("pm_card_riskLevelElevated"); ch.Outcome.RiskLevel != "elevated" || ch.Outcome.Type != "manual_review" {
			t.Errorf("elevated risk: %+v", ch.Outcome)
		}
		if ch := charge("pm_card_avsZipFail"); ch.PaymentMethodDetails.Card.Checks.AddressPostalCodeCheck != "fail" {
			t.Errorf("avsZipFail postal check: %+v", ch.PaymentMethodDetails.Card.Checks)
		}
		_, err := payWith(t, e, "pm_card_radarBlock")
		se := asStripeError(t, err)
		ch, _ := e.Client.V1Charges.Retrieve(ctx, se.ChargeID, nil)
		if ch.Outcome.Type != "blocked" || ch.Outcome.NetworkStatus != "not_sent_to_network" {
			t.Errorf("radar block outcome: %+v", ch.Outcome)
		}
	})
}
