package network

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestRedaction proves that the types carrying a card number or CVC never
// print them through fmt, log/slog or encoding/json, including when they are
// nested in other structs.
func TestRedaction(t *testing.T) {
	t.Parallel()
	const number, cvc = "4000002760003184", "735"

	n := mustNumber(number)
	magic, _ := LookupMagicPaymentMethodAt("pm_card_authenticationRequired", now)
	details := NewCardDetails("4000 0027 6000 3184", 12, 2030, cvc)
	parsed, err := ParseCard(details, now)
	if err != nil {
		t.Fatal(err)
	}
	if mn, _ := magic.Number(); mn.Digits() != number {
		t.Fatal("the magic card does not carry its number; the test would prove nothing")
	}

	type exported struct {
		N Number
		C Card
		D CardDetails
	}
	type unexported struct {
		n Number
		c Card
		d CardDetails
	}
	values := map[string]any{
		"Number":      n,
		"*Number":     &n,
		"Card":        magic,
		"*Card":       &magic,
		"parsed Card": parsed,
		"CardDetails": details,
		"exported":    exported{n, magic, details},
		"*exported":   &exported{n, magic, details},
		"unexported":  unexported{n, magic, details},
		"slice":       []any{n, magic, details},
		"*unexported": &unexported{n, magic, details},
		"map":         map[string]any{"n": n, "c": magic, "d": details},
	}

	// Forms in which the secrets could appear.
	secrets := []string{
		number,
		"4000 0027 6000 3184",
		hex.EncodeToString([]byte(number)),
		fmt.Sprintf("%q", []byte(number)),
		"cvc:" + cvc, `"` + cvc + `"`, "CVC:" + cvc, " " + cvc + " ", "{" + cvc, cvc + "}",
	}
	check := func(t *testing.T, what, out string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s leaks %q: %s", what, s, out)
			}
		}
	}

	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
			check(t, name+" "+verb, fmt.Sprintf(verb, v, v))
		}
		check(t, name+" Sprint", fmt.Sprint(v))
		check(t, name+" Sprintln", fmt.Sprintln(v))

		var buf bytes.Buffer
		for _, h := range []slog.Handler{
			slog.NewJSONHandler(&buf, nil),
			slog.NewTextHandler(&buf, nil),
		} {
			log := slog.New(h)
			log.Info("card", "value", v)
			log.Info("card", slog.Any("value", v))
			log.Info("card", slog.Group("g", "value", v))
			log.With("value", v).Info("card")
		}
		check(t, name+" slog", buf.String())

		if b, err := json.Marshal(v); err == nil {
			check(t, name+" json", string(b))
		}
	}

	// The redacted forms still say which card it was.
	if got := fmt.Sprint(n); got != "****3184" {
		t.Errorf("Number prints %q", got)
	}
	if got := fmt.Sprintf("%#v", n); got != `network.Number("****3184")` {
		t.Errorf("Number %%#v prints %q", got)
	}
	if got := fmt.Sprint(details); got != "****3184 12/2030 cvc:***" {
		t.Errorf("CardDetails prints %q", got)
	}
	if b, _ := json.Marshal(struct{ N Number }{n}); string(b) != `{"N":"****3184"}` {
		t.Errorf("Number JSON %s", b)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "card", magic)
	if !strings.Contains(buf.String(), `"card":{"brand":"visa","funding":"credit","last4":"3184","exp_month":12,"exp_year":2027,"behaviour":"authenticationRequired"}`) {
		t.Errorf("Card slog JSON: %s", buf.String())
	}
}
