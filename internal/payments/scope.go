package payments

import (
	"context"
	"time"
)

// Scope is the wall around an account's data: every object belongs to one
// account and one mode, and every read and write is limited to one scope.
type Scope struct {
	Account  string
	Livemode bool
}

// Tx is one atomic unit of work against storage. Operations that change state
// receive a Tx whose changes commit together or not at all.
type Tx interface {
	// Now is the transaction's clock, fixed for its whole duration so that
	// every timestamp a write produces agrees.
	Now() time.Time

	EventSink
	CustomerStore
	PaymentStore
	CustomerSessionStore
}

// Page selects one page of a list, newest first.
type Page struct {
	Limit         int
	StartingAfter string
	EndingBefore  string
	Created       Range
}

// Range is a filter on a Unix timestamp; zero fields are unset.
type Range struct {
	GT, GTE, LT, LTE int64
}

// Empty reports whether no bound is set.
func (r Range) Empty() bool { return r == Range{} }

// ListResult is one page of objects and whether more exist in the direction
// of travel.
type ListResult[T any] struct {
	Data    []T
	HasMore bool
}

// CustomerStore persists customers.
type CustomerStore interface {
	InsertCustomer(ctx context.Context, s Scope, c *Customer) error
	UpdateCustomer(ctx context.Context, s Scope, c *Customer) error
	// GetCustomer returns ErrNotFound for an id absent from the scope or deleted.
	GetCustomer(ctx context.Context, s Scope, id string) (*Customer, error)
	ListCustomers(ctx context.Context, s Scope, p Page, email string) (ListResult[*Customer], error)
}

// PaymentStore persists the payment objects. Get methods return
// ErrNotFound for an id absent from the scope; forUpdate locks the object
// until the transaction ends, so that concurrent changes of one object
// queue.
type PaymentStore interface {
	InsertPaymentMethod(ctx context.Context, s Scope, pm *PaymentMethod) error
	UpdatePaymentMethod(ctx context.Context, s Scope, pm *PaymentMethod) error
	GetPaymentMethod(ctx context.Context, s Scope, id string, forUpdate bool) (*PaymentMethod, error)
	ListPaymentMethods(ctx context.Context, s Scope, p Page, f PaymentMethodFilter) (ListResult[*PaymentMethod], error)

	InsertConfirmationToken(ctx context.Context, s Scope, ct *ConfirmationToken) error
	UpdateConfirmationToken(ctx context.Context, s Scope, ct *ConfirmationToken) error
	GetConfirmationToken(ctx context.Context, s Scope, id string, forUpdate bool) (*ConfirmationToken, error)

	InsertPaymentIntent(ctx context.Context, s Scope, pi *PaymentIntent) error
	UpdatePaymentIntent(ctx context.Context, s Scope, pi *PaymentIntent) error
	GetPaymentIntent(ctx context.Context, s Scope, id string, forUpdate bool) (*PaymentIntent, error)
	ListPaymentIntents(ctx context.Context, s Scope, p Page, customer string) (ListResult[*PaymentIntent], error)

	InsertSetupIntent(ctx context.Context, s Scope, si *SetupIntent) error
	UpdateSetupIntent(ctx context.Context, s Scope, si *SetupIntent) error
	GetSetupIntent(ctx context.Context, s Scope, id string, forUpdate bool) (*SetupIntent, error)
	ListSetupIntents(ctx context.Context, s Scope, p Page, customer, paymentMethod string) (ListResult[*SetupIntent], error)

	InsertCharge(ctx context.Context, s Scope, ch *Charge) error
	UpdateCharge(ctx context.Context, s Scope, ch *Charge) error
	GetCharge(ctx context.Context, s Scope, id string, forUpdate bool) (*Charge, error)
	ListCharges(ctx context.Context, s Scope, p Page, customer, paymentIntent string) (ListResult[*Charge], error)

	InsertMandate(ctx context.Context, s Scope, m *Mandate) error
	GetMandate(ctx context.Context, s Scope, id string) (*Mandate, error)

	InsertRefund(ctx context.Context, s Scope, re *Refund) error
	UpdateRefund(ctx context.Context, s Scope, re *Refund) error
	GetRefund(ctx context.Context, s Scope, id string, forUpdate bool) (*Refund, error)
	ListRefunds(ctx context.Context, s Scope, p Page, charge, paymentIntent string) (ListResult[*Refund], error)
}
