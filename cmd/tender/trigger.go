package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/stripe/stripe-go/v85"
)

// fixture runs the API calls that cause one event and says what it made.
type fixture func(ctx context.Context, sc *stripe.Client) (string, error)

// fixtures are the events `tender trigger` can cause, each through the real
// API, as a merchant's integration would.
var fixtures = map[string]fixture{
	"payment_intent.created":   func(ctx context.Context, sc *stripe.Client) (string, error) { return createIntent(ctx, sc, nil) },
	"payment_intent.succeeded": func(ctx context.Context, sc *stripe.Client) (string, error) { return pay(ctx, sc, "pm_card_visa", "") },
	"payment_intent.payment_failed": func(ctx context.Context, sc *stripe.Client) (string, error) {
		return pay(ctx, sc, "pm_card_chargeDeclined", "")
	},
	"payment_intent.requires_action": func(ctx context.Context, sc *stripe.Client) (string, error) {
		return pay(ctx, sc, "pm_card_threeDSecure2Required", "")
	},
	"payment_intent.amount_capturable_updated": func(ctx context.Context, sc *stripe.Client) (string, error) {
		return pay(ctx, sc, "pm_card_visa", "manual")
	},
	"payment_intent.canceled": func(ctx context.Context, sc *stripe.Client) (string, error) {
		id, err := createIntent(ctx, sc, nil)
		if err != nil {
			return "", err
		}
		_, err = sc.V1PaymentIntents.Cancel(ctx, id, nil)
		return "canceled payment_intent " + id, err
	},
	"charge.succeeded": func(ctx context.Context, sc *stripe.Client) (string, error) { return pay(ctx, sc, "pm_card_visa", "") },
	"charge.failed": func(ctx context.Context, sc *stripe.Client) (string, error) {
		return pay(ctx, sc, "pm_card_chargeDeclined", "")
	},
	"charge.captured": func(ctx context.Context, sc *stripe.Client) (string, error) {
		what, err := pay(ctx, sc, "pm_card_visa", "manual")
		if err != nil {
			return "", err
		}
		id := strings.Fields(what)[len(strings.Fields(what))-1]
		_, err = sc.V1PaymentIntents.Capture(ctx, id, nil)
		return "captured payment_intent " + id, err
	},
	"charge.refunded": refund,
	"refund.created":  refund,
	"setup_intent.created": func(ctx context.Context, sc *stripe.Client) (string, error) {
		si, err := sc.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{})
		if err != nil {
			return "", err
		}
		return "created setup_intent " + si.ID, nil
	},
	"setup_intent.succeeded": func(ctx context.Context, sc *stripe.Client) (string, error) {
		si, err := sc.V1SetupIntents.Create(ctx, &stripe.SetupIntentCreateParams{PaymentMethod: stripe.String("pm_card_visa"),
			Confirm: stripe.Bool(true), AutomaticPaymentMethods: &stripe.SetupIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true), AllowRedirects: stripe.String("never")}})
		if si == nil {
			return "", err
		}
		return "confirmed setup_intent " + si.ID, err
	},
	"customer.created": func(ctx context.Context, sc *stripe.Client) (string, error) {
		c, err := sc.V1Customers.Create(ctx, &stripe.CustomerCreateParams{Email: stripe.String("trigger@example.com"), Name: stripe.String("Triggered Customer")})
		if c == nil {
			return "", err
		}
		return "created customer " + c.ID, err
	},
	"customer.updated": func(ctx context.Context, sc *stripe.Client) (string, error) {
		c, err := sc.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		if err != nil {
			return "", err
		}
		_, err = sc.V1Customers.Update(ctx, c.ID, &stripe.CustomerUpdateParams{Name: stripe.String("Updated Name")})
		return "updated customer " + c.ID, err
	},
	"customer.deleted": func(ctx context.Context, sc *stripe.Client) (string, error) {
		c, err := sc.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		if err != nil {
			return "", err
		}
		_, err = sc.V1Customers.Delete(ctx, c.ID, nil)
		return "deleted customer " + c.ID, err
	},
	"payment_method.attached": func(ctx context.Context, sc *stripe.Client) (string, error) {
		c, err := sc.V1Customers.Create(ctx, &stripe.CustomerCreateParams{})
		if err != nil {
			return "", err
		}
		pm, err := sc.V1PaymentMethods.Attach(ctx, "pm_card_visa", &stripe.PaymentMethodAttachParams{Customer: stripe.String(c.ID)})
		if pm == nil {
			return "", err
		}
		return "attached payment_method " + pm.ID + " to customer " + c.ID, err
	},
}

func createIntent(ctx context.Context, sc *stripe.Client, pm *string) (string, error) {
	pi, err := sc.V1PaymentIntents.Create(ctx, &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(2000), Currency: stripe.String("usd"),
		PaymentMethod: pm, Description: stripe.String("(created by tender trigger)")})
	if err != nil {
		return "", err
	}
	return pi.ID, nil
}

// pay creates and confirms a $20.00 payment with a test card; a decline is
// the expected outcome for the failure fixtures, not an error.
func pay(ctx context.Context, sc *stripe.Client, card, capture string) (string, error) {
	p := &stripe.PaymentIntentCreateParams{Amount: stripe.Int64(2000), Currency: stripe.String("usd"), Confirm: stripe.Bool(true),
		PaymentMethod: stripe.String(card), Description: stripe.String("(created by tender trigger)"),
		AutomaticPaymentMethods: &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true), AllowRedirects: stripe.String("never")}}
	if capture != "" {
		p.CaptureMethod = stripe.String(capture)
	}
	pi, err := sc.V1PaymentIntents.Create(ctx, p)
	var se *stripe.Error
	if errors.As(err, &se) && se.Type == stripe.ErrorTypeCard && se.PaymentIntent != nil {
		return fmt.Sprintf("declined (%s) payment_intent %s", se.DeclineCode, se.PaymentIntent.ID), nil
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s payment_intent %s", pi.Status, pi.ID), nil
}

func refund(ctx context.Context, sc *stripe.Client) (string, error) {
	what, err := pay(ctx, sc, "pm_card_visa", "")
	if err != nil {
		return "", err
	}
	id := strings.Fields(what)[len(strings.Fields(what))-1]
	re, err := sc.V1Refunds.Create(ctx, &stripe.RefundCreateParams{PaymentIntent: stripe.String(id)})
	if re == nil {
		return "", err
	}
	return "refunded payment_intent " + id + " with " + re.ID, err
}

func trigger(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("trigger", stderr)
	key := fs.String("api-key", envString("TENDER_SECRET_KEY", ""), "secret key of the account (env TENDER_SECRET_KEY)")
	base := fs.String("url", envString("TENDER_URL", "http://"+defaultAddr()), "Tender's API base URL (env TENDER_URL)")
	// Go's flag package stops at the first argument: accept EVENT first.
	var event string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		event, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if event == "" && fs.NArg() > 0 {
		event = fs.Arg(0)
	}
	f, ok := fixtures[event]
	if !ok {
		names := make([]string, 0, len(fixtures))
		for n := range fixtures {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("trigger: unknown or missing event %q; supported: %s", event, strings.Join(names, ", "))
	}
	if *key == "" {
		return fmt.Errorf("trigger: --api-key (or TENDER_SECRET_KEY) is required")
	}
	sc := stripe.NewClient(*key, stripe.WithBackends(stripe.NewBackendsWithConfig(&stripe.BackendConfig{
		URL: stripe.String(*base), LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}})))
	what, err := f(ctx, sc)
	if err != nil {
		return fmt.Errorf("trigger %s: %w", event, err)
	}
	fmt.Fprintf(stdout, "Running fixture for %s: %s\nTrigger succeeded! The event is in GET /v1/events and on its way to your webhook endpoints.\n", event, what)
	return nil
}
