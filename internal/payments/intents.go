package payments

// PaymentIntent statuses.
const (
	StatusRequiresPaymentMethod = "requires_payment_method"
	StatusRequiresConfirmation  = "requires_confirmation"
	StatusRequiresAction        = "requires_action"
	StatusProcessing            = "processing"
	StatusRequiresCapture       = "requires_capture"
	StatusCanceled              = "canceled"
	StatusSucceeded             = "succeeded"
)

// PaymentIntent tracks one payment from creation to its end.
type PaymentIntent struct {
	ID                        string                   `json:"id"`
	ClientSecret              string                   `json:"client_secret"`
	Created                   int64                    `json:"created"`
	Livemode                  bool                     `json:"livemode"`
	Amount                    int64                    `json:"amount"`
	AmountCapturable          int64                    `json:"amount_capturable"`
	AmountReceived            int64                    `json:"amount_received"`
	Currency                  string                   `json:"currency"`
	Status                    string                   `json:"status"`
	CaptureMethod             string                   `json:"capture_method"`
	ConfirmationMethod        string                   `json:"confirmation_method"`
	AutomaticPaymentMethods   *AutomaticPaymentMethods `json:"automatic_payment_methods,omitempty"`
	PaymentMethodTypes        []string                 `json:"payment_method_types"`
	ExcludedTypes             []string                 `json:"excluded_payment_method_types,omitempty"`
	Customer                  string                   `json:"customer,omitempty"`
	Description               string                   `json:"description,omitempty"`
	ReceiptEmail              string                   `json:"receipt_email,omitempty"`
	SetupFutureUsage          string                   `json:"setup_future_usage,omitempty"`
	StatementDescriptor       string                   `json:"statement_descriptor,omitempty"`
	StatementDescriptorSuffix string                   `json:"statement_descriptor_suffix,omitempty"`
	TransferGroup             string                   `json:"transfer_group,omitempty"`
	CanceledAt                int64                    `json:"canceled_at,omitempty"`
	CancellationReason        string                   `json:"cancellation_reason,omitempty"`
	LastPaymentError          *PaymentError            `json:"last_payment_error,omitempty"`
	LatestCharge              string                   `json:"latest_charge,omitempty"`
	Metadata                  map[string]string        `json:"metadata"`
	NextAction                *NextAction              `json:"next_action,omitempty"`
	PaymentMethod             string                   `json:"payment_method,omitempty"`
	RequestThreeDSecure       string                   `json:"request_three_d_secure,omitempty"`
	CardCaptureMethod         string                   `json:"card_capture_method,omitempty"`
	RequireCVCRecollection    bool                     `json:"require_cvc_recollection,omitempty"`
	Shipping                  *Shipping                `json:"shipping,omitempty"`

	// The confirmation in progress while the intent awaits authentication.
	Attempt *Attempt `json:"attempt,omitempty"`
}

// AutomaticPaymentMethods is automatic_payment_methods.
type AutomaticPaymentMethods struct {
	Enabled        bool   `json:"enabled"`
	AllowRedirects string `json:"allow_redirects,omitempty"`
}

// Attempt is what a confirmation decided before it paused for 3D Secure:
// the customer's answer on the challenge page resumes it.
type Attempt struct {
	OffSession       bool   `json:"off_session,omitempty"`
	ReturnURL        string `json:"return_url,omitempty"`
	SetupFutureUsage string `json:"setup_future_usage,omitempty"`
	MandateData      any    `json:"mandate_data,omitempty"`
}

// NextAction is what the customer must do before the intent can proceed.
type NextAction struct {
	Type string `json:"type"` // redirect_to_url or use_stripe_sdk
	// URL is the hosted challenge page.
	URL       string `json:"url"`
	ReturnURL string `json:"return_url,omitempty"`
}

// PaymentError is last_payment_error / last_setup_error.
type PaymentError struct {
	Type          string `json:"type"`
	Code          string `json:"code,omitempty"`
	DeclineCode   string `json:"decline_code,omitempty"`
	Message       string `json:"message"`
	Param         string `json:"param,omitempty"`
	Charge        string `json:"charge,omitempty"`
	PaymentMethod string `json:"payment_method,omitempty"`
	// AdviceCode and the network codes of the simulated network.
	AdviceCode string `json:"advice_code,omitempty"`
}

// SetupIntent statuses are the PaymentIntent ones without requires_capture.

// SetupIntent sets up a payment method for future payments.
type SetupIntent struct {
	ID                      string                   `json:"id"`
	ClientSecret            string                   `json:"client_secret"`
	Created                 int64                    `json:"created"`
	Livemode                bool                     `json:"livemode"`
	Status                  string                   `json:"status"`
	Usage                   string                   `json:"usage"`
	Customer                string                   `json:"customer,omitempty"`
	Description             string                   `json:"description,omitempty"`
	Metadata                map[string]string        `json:"metadata"`
	PaymentMethod           string                   `json:"payment_method,omitempty"`
	PaymentMethodTypes      []string                 `json:"payment_method_types"`
	ExcludedTypes           []string                 `json:"excluded_payment_method_types,omitempty"`
	AutomaticPaymentMethods *AutomaticPaymentMethods `json:"automatic_payment_methods,omitempty"`
	CancellationReason      string                   `json:"cancellation_reason,omitempty"`
	LastSetupError          *PaymentError            `json:"last_setup_error,omitempty"`
	LatestAttempt           string                   `json:"latest_attempt,omitempty"`
	NextAction              *NextAction              `json:"next_action,omitempty"`
	RequestThreeDSecure     string                   `json:"request_three_d_secure,omitempty"`
	FlowDirections          []string                 `json:"flow_directions,omitempty"`
	AttachToSelf            bool                     `json:"attach_to_self,omitempty"`
	Attempt                 *Attempt                 `json:"attempt,omitempty"`
	Mandate                 string                   `json:"mandate,omitempty"`
}

// ConfirmationToken carries the customer's payment details from the
// browser to the merchant's server, for one confirmation.
type ConfirmationToken struct {
	ID               string    `json:"id"`
	Created          int64     `json:"created"`
	ExpiresAt        int64     `json:"expires_at,omitempty"` // 0 once used
	Livemode         bool      `json:"livemode"`
	PaymentIntent    string    `json:"payment_intent,omitempty"`
	SetupIntent      string    `json:"setup_intent,omitempty"`
	ReturnURL        string    `json:"return_url,omitempty"`
	SetupFutureUsage string    `json:"setup_future_usage,omitempty"`
	Shipping         *Shipping `json:"shipping,omitempty"`
	UseStripeSDK     bool      `json:"use_stripe_sdk"`
	MandateData      any       `json:"mandate_data,omitempty"`
	CVCToken         string    `json:"cvc_token,omitempty"`
	// Preview is the payment method the token describes. Its ID is empty
	// unless the token names an existing, saved PaymentMethod.
	Preview  PaymentMethod     `json:"preview"`
	Metadata map[string]string `json:"metadata"`
}

// Charge is one attempt to move money, successful or not.
type Charge struct {
	ID                string            `json:"id"`
	Created           int64             `json:"created"`
	Livemode          bool              `json:"livemode"`
	Amount            int64             `json:"amount"`
	AmountCaptured    int64             `json:"amount_captured"`
	AmountRefunded    int64             `json:"amount_refunded"`
	Captured          bool              `json:"captured"`
	Paid              bool              `json:"paid"`
	Refunded          bool              `json:"refunded"`
	Currency          string            `json:"currency"`
	Customer          string            `json:"customer,omitempty"`
	Description       string            `json:"description,omitempty"`
	FailureCode       string            `json:"failure_code,omitempty"`
	FailureMessage    string            `json:"failure_message,omitempty"`
	Status            string            `json:"status"` // succeeded, pending or failed
	PaymentIntent     string            `json:"payment_intent,omitempty"`
	PaymentMethod     string            `json:"payment_method,omitempty"`
	ReceiptEmail      string            `json:"receipt_email,omitempty"`
	BillingDetails    BillingDetails    `json:"billing_details"`
	Metadata          map[string]string `json:"metadata"`
	Outcome           Outcome           `json:"outcome"`
	Card              ChargeCard        `json:"card"`
	Shipping          *Shipping         `json:"shipping,omitempty"`
	StatementDescSufx string            `json:"statement_descriptor_suffix,omitempty"`
	BalanceTxn        string            `json:"balance_transaction,omitempty"`
	ReceiptNumber     string            `json:"receipt_number,omitempty"`
	CaptureBefore     int64             `json:"capture_before,omitempty"`
	// For payment methods that are not cards.
	PaymentMethodType string       `json:"payment_method_type,omitempty"`
	BankAccount       *BankAccount `json:"bank_account,omitempty"`
	Ideal             *Ideal       `json:"ideal,omitempty"`
	Mandate           string       `json:"mandate,omitempty"`
}

// Outcome is the network's and the risk checks' verdict on a charge.
type Outcome struct {
	Type          string `json:"type"`
	NetworkStatus string `json:"network_status"`
	Reason        string `json:"reason,omitempty"`
	RiskLevel     string `json:"risk_level"`
	RiskScore     int    `json:"risk_score"`
	SellerMessage string `json:"seller_message"`
}

// ChargeCard is payment_method_details.card of a charge.
type ChargeCard struct {
	Card
	AmountAuthorized     int64         `json:"amount_authorized"`
	AuthorizationCode    string        `json:"authorization_code,omitempty"`
	NetworkTransactionID string        `json:"network_transaction_id,omitempty"`
	ThreeDSecure         *ThreeDSecure `json:"three_d_secure,omitempty"`
}

// ThreeDSecure is the result of a 3D Secure authentication.
type ThreeDSecure struct {
	AuthenticationFlow string `json:"authentication_flow,omitempty"`
	Result             string `json:"result,omitempty"`
	ResultReason       string `json:"result_reason,omitempty"`
	Version            string `json:"version,omitempty"`
}

// Refund returns money from a charge.
type Refund struct {
	ID            string            `json:"id"`
	Created       int64             `json:"created"`
	Livemode      bool              `json:"livemode"`
	Amount        int64             `json:"amount"`
	Charge        string            `json:"charge"`
	PaymentIntent string            `json:"payment_intent,omitempty"`
	Currency      string            `json:"currency"`
	Metadata      map[string]string `json:"metadata"`
	Reason        string            `json:"reason,omitempty"`
	Status        string            `json:"status"`
	BalanceTxn    string            `json:"balance_transaction,omitempty"`
	ReceiptNumber string            `json:"receipt_number,omitempty"`
}

// PaymentMethodFilter selects payment methods in a list.
type PaymentMethodFilter struct {
	Customer       string
	Type           string
	AllowRedisplay []string
}
