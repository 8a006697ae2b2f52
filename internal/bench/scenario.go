package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Scenario decides what the n-th request of a run is and what counts as
// its success.
type Scenario struct {
	Name string
	next func(n int64) op
}

type op struct {
	kind         string
	method, path string
	body         string
	// check classifies a response: an outcome label and whether it is the
	// expected one.
	check func(status int, body []byte) (string, bool)
}

// Card test payment methods the scenarios use.
const (
	CardVisa     = "pm_card_visa"
	Card3DS      = "pm_card_threeDSecure2Required"
	CardDeclined = "pm_card_chargeDeclined"
)

// Outcome labels, as counted in LoadResult.Outcomes.
const (
	OutcomeSucceeded      = "payment_intent succeeded"
	OutcomeRequiresAction = "payment_intent requires_action"
	OutcomeDeclined       = "402 card_declined"
	OutcomeCustomer       = "customer created"
	OutcomeList           = "list"
	OutcomeOK             = "2xx"
)

// PaymentForm is the seed's create+confirm call shape, encoded the way
// stripe-go encodes it.
func PaymentForm(amount int64, pm string) string {
	return "amount=" + strconv.FormatInt(amount, 10) +
		"&currency=usd&confirm=true&payment_method=" + pm +
		"&automatic_payment_methods%5Benabled%5D=true" +
		"&automatic_payment_methods%5Ballow_redirects%5D=never"
}

var succeededMarker = []byte(`"status":"succeeded"`)

// Seed is the seed's call: POST /v1/payment_intents, confirmed with
// pm_card_visa. Success is a 2xx whose intent succeeded.
func Seed() *Scenario {
	return &Scenario{Name: "seed", next: func(n int64) op {
		return op{kind: "card", method: http.MethodPost, path: "/v1/payment_intents",
			body: PaymentForm(1000+n%1000, CardVisa),
			check: func(status int, body []byte) (string, bool) {
				// Compact JSON: the top-level status is the only
				// "status":"succeeded" an intent created this way carries.
				if status/100 == 2 && bytes.Contains(body, succeededMarker) {
					return OutcomeSucceeded, true
				}
				return "", false
			}}
	}}
}

// Plain drives POST /v1/payment_intents like Seed but counts any 2xx as
// success: the bare handler's body is not a real PaymentIntent.
func Plain() *Scenario {
	return &Scenario{Name: "seed", next: func(n int64) op {
		return op{kind: "card", method: http.MethodPost, path: "/v1/payment_intents",
			body: PaymentForm(1000+n%1000, CardVisa),
			check: func(status int, _ []byte) (string, bool) {
				return OutcomeOK, status/100 == 2
			}}
	}}
}

// Mixed interleaves, in every 20 requests: 2 payments on a card that
// requires 3DS (requires_action is success), 1 declined card (the 402
// card_declined is success), 2 customer creations, 2 list calls (payment
// intents and customers, limit 10) and 13 plain card payments.
func Mixed() *Scenario {
	return &Scenario{Name: "mixed", next: func(n int64) op {
		amount := 1000 + n%1000
		switch n % 20 {
		case 0, 10:
			return op{kind: "3ds", method: http.MethodPost, path: "/v1/payment_intents",
				body: PaymentForm(amount, Card3DS), check: intentStatus("requires_action", OutcomeRequiresAction)}
		case 5:
			return op{kind: "decline", method: http.MethodPost, path: "/v1/payment_intents",
				body: PaymentForm(amount, CardDeclined), check: declined}
		case 3, 13:
			return op{kind: "customer", method: http.MethodPost, path: "/v1/customers",
				body:  fmt.Sprintf("email=bench%d%%40example.com&name=Bench+Customer+%d&metadata%%5Bsource%%5D=bench", n, n),
				check: objectIs("customer", OutcomeCustomer)}
		case 7:
			return op{kind: "list", method: http.MethodGet, path: "/v1/payment_intents?limit=10", check: objectIs("list", OutcomeList)}
		case 17:
			return op{kind: "list", method: http.MethodGet, path: "/v1/customers?limit=10", check: objectIs("list", OutcomeList)}
		default:
			return op{kind: "card", method: http.MethodPost, path: "/v1/payment_intents",
				body: PaymentForm(amount, CardVisa), check: intentStatus("succeeded", OutcomeSucceeded)}
		}
	}}
}

// Stateless sends the seed's call but counts any 2xx PaymentIntent as
// success, whatever its status: for measuring a server that stores
// nothing, such as stripe-mock, whose intents never succeed, with the
// same load generator.
func Stateless() *Scenario {
	return &Scenario{Name: "stateless", next: func(n int64) op {
		return op{kind: "card", method: http.MethodPost, path: "/v1/payment_intents",
			body: PaymentForm(1000+n%1000, CardVisa), check: objectIs("payment_intent", OutcomeOK)}
	}}
}

// ScenarioByName returns "seed", "mixed" or "stateless".
func ScenarioByName(name string) (*Scenario, error) {
	switch name {
	case "seed", "":
		return Seed(), nil
	case "mixed":
		return Mixed(), nil
	case "stateless":
		return Stateless(), nil
	}
	return nil, fmt.Errorf("unknown scenario %q (want seed, mixed or stateless)", name)
}

type envelope struct {
	Object string `json:"object"`
	Status string `json:"status"`
	Error  *struct {
		Type string `json:"type"`
		Code string `json:"code"`
	} `json:"error"`
}

func intentStatus(want, outcome string) func(int, []byte) (string, bool) {
	return func(status int, body []byte) (string, bool) {
		var e envelope
		if status != http.StatusOK || json.Unmarshal(body, &e) != nil {
			return "", false
		}
		return outcome, e.Object == "payment_intent" && e.Status == want
	}
}

func declined(status int, body []byte) (string, bool) {
	var e envelope
	if status != http.StatusPaymentRequired || json.Unmarshal(body, &e) != nil || e.Error == nil {
		return "", false
	}
	return OutcomeDeclined, e.Error.Type == "card_error" && e.Error.Code == "card_declined"
}

func objectIs(object, outcome string) func(int, []byte) (string, bool) {
	return func(status int, body []byte) (string, bool) {
		var e envelope
		if status != http.StatusOK || json.Unmarshal(body, &e) != nil {
			return "", false
		}
		return outcome, e.Object == object
	}
}
