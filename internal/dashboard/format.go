package dashboard

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/tenderpay/tender/internal/network"
	"github.com/tenderpay/tender/internal/payments"
)

// isNotFound reports whether err says an object is absent.
func isNotFound(err error) bool {
	var pe *payments.Error
	return errors.Is(err, payments.ErrNotFound) || (errors.As(err, &pe) && pe.Kind == payments.KindNotFound)
}

// userMessage is what a failed action tells the user.
func userMessage(err error) (string, bool) {
	var pe *payments.Error
	if errors.As(err, &pe) {
		return pe.Message, true
	}
	return "", false
}

// methodLabel describes a payment method in a few words: "Visa •••• 4242".
func methodLabel(pm *payments.PaymentMethod) string {
	if pm.Card != nil {
		brand := pm.Card.DisplayBrand
		if brand == "" {
			brand = pm.Card.Brand
		}
		return fmt.Sprintf("%s •••• %s", brandName(brand), pm.Card.Last4)
	}
	if b := pm.BankAccount; b != nil && b.Last4 != "" {
		return fmt.Sprintf("%s •••• %s", typeName(pm.Type), b.Last4)
	}
	if i := pm.Ideal; i != nil && i.Bank != "" {
		return "iDEAL · " + i.Bank
	}
	return typeName(pm.Type)
}

func brandName(b string) string {
	switch b {
	case "visa":
		return "Visa"
	case "mastercard":
		return "Mastercard"
	case "amex", "american_express":
		return "American Express"
	case "discover":
		return "Discover"
	case "jcb":
		return "JCB"
	case "diners", "diners_club":
		return "Diners Club"
	case "unionpay":
		return "UnionPay"
	case "cartes_bancaires":
		return "Cartes Bancaires"
	}
	if b == "" {
		return "Card"
	}
	return strings.ToUpper(b[:1]) + b[1:]
}

// formError is a message for the person filling in a form, shown as it
// is: a sentence, capitalised and punctuated, unlike an error string.
type formError string

func (e formError) Error() string { return string(e) }

// parseAmount reads a decimal amount typed in a form ("5", "5.5", "1,000.25")
// as minor units of cur. An empty string is nil: the whole amount.
func parseAmount(s, cur string) (*int64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	if s == "" {
		return nil, nil
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() <= 0 || strings.ContainsAny(s, "eE/") {
		return nil, formError("Enter the amount as a number, such as 5.00.")
	}
	places := network.DecimalPlaces(cur)
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)))
	if !r.IsInt() {
		return nil, formError(fmt.Sprintf("%s amounts have at most %d decimal places.", strings.ToUpper(cur), places))
	}
	if !r.Num().IsInt64() {
		return nil, formError("That amount is too large.")
	}
	n := r.Num().Int64()
	return &n, nil
}

// typeNames are the display names of payment method types.
var typeNames = map[string]string{
	"card": "Cards", "ideal": "iDEAL", "sepa_debit": "SEPA Direct Debit", "us_bank_account": "ACH Direct Debit",
	"bancontact": "Bancontact", "eps": "EPS", "giropay": "giropay", "sofort": "Sofort", "klarna": "Klarna",
	"afterpay_clearpay": "Afterpay / Clearpay", "affirm": "Affirm", "link": "Link", "paypal": "PayPal",
	"bacs_debit": "Bacs Direct Debit", "au_becs_debit": "BECS Direct Debit", "p24": "Przelewy24", "blik": "BLIK",
	"alipay": "Alipay", "wechat_pay": "WeChat Pay", "cashapp": "Cash App Pay", "amazon_pay": "Amazon Pay",
}

// typeName names a payment method type for people.
func typeName(t string) string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	s := strings.ReplaceAll(t, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
