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

	CustomerStore
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
