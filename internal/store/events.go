package store

import "github.com/tenderpay/tender/internal/payments"

// Emit buffers an event of this transaction; the API layer writes the
// buffered events into the event log before the transaction commits.
func (tx *Tx) Emit(e payments.Event) { tx.events = append(tx.events, e) }

// Events returns the events emitted so far in this transaction.
func (tx *Tx) Events() []payments.Event { return tx.events }

// ClearEvents empties the buffer once the events are recorded.
func (tx *Tx) ClearEvents() { tx.events = nil }
