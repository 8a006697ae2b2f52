package network

// CardError is card data that fails validation when a PaymentMethod is
// created: a mistyped number, an impossible expiry, a malformed CVC. The API
// layer renders it as Stripe's 402 card_error with this Code, Message and
// Param (wire.DocURL(Code) gives the doc_url). These are not declines: no
// charge is attempted and there is no decline_code.
//
// Param names the card field without the "card[...]" wrapper, as Stripe's
// Tokens API does; a caller that wants "card[number]" adds it.
type CardError struct {
	Code    string
	Message string
	Param   string
}

func (e *CardError) Error() string {
	return "network: " + e.Code + " (" + e.Param + "): " + e.Message
}

// Is makes errors.Is match on the code, so copies of the values below (or
// wrapped ones) still compare equal to them.
func (e *CardError) Is(target error) bool {
	t, ok := target.(*CardError)
	return ok && t != nil && t.Code == e.Code
}

// The card validation errors, with Stripe's codes and messages. Treat them as
// constants.
var (
	// ErrIncorrectNumber: the number fails the Luhn check or has a length no
	// card of its brand has (for example 4242424242424241).
	ErrIncorrectNumber = &CardError{Code: "incorrect_number", Message: "Your card number is incorrect.", Param: "number"}
	// ErrInvalidNumber: the number contains something other than digits,
	// spaces and dashes.
	ErrInvalidNumber = &CardError{Code: "invalid_number", Message: "Your card number is not a valid credit card number.", Param: "number"}
	// ErrInvalidExpiryMonth: the month is not 1–12, or the card expired
	// earlier this year.
	ErrInvalidExpiryMonth = &CardError{Code: "invalid_expiry_month", Message: "Your card's expiration month is invalid.", Param: "exp_month"}
	// ErrInvalidExpiryYear: the year is neither two nor four digits, is in the
	// past, or is implausibly far in the future.
	ErrInvalidExpiryYear = &CardError{Code: "invalid_expiry_year", Message: "Your card's expiration year is invalid.", Param: "exp_year"}
	// ErrInvalidCVC: the security code is not digits of the brand's length.
	ErrInvalidCVC = &CardError{Code: "invalid_cvc", Message: "Your card's security code is invalid.", Param: "cvc"}
)
