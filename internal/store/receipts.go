package store

import (
	"context"

	"github.com/tenderpay/tender/internal/payments"
)

// Receipt is an emailed receipt in the dashboard's outbox.
type Receipt struct {
	ID            string `json:"id"`
	Created       int64  `json:"created"`
	PaymentIntent string `json:"payment_intent"`
	Charge        string `json:"charge,omitempty"`
	To            string `json:"to"`
	Subject       string `json:"subject"`
	HTML          string `json:"html"`
	// Status is "stored" (no SMTP configured), "sending", "sent" or "failed".
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	SentAt int64  `json:"sent_at,omitempty"`
}

// InsertReceipt adds a receipt to the outbox.
func (tx *Tx) InsertReceipt(ctx context.Context, s payments.Scope, r *Receipt) error {
	return tx.insertObject(ctx, "receipt_outbox", s, r.ID, r.Created, r)
}

// UpdateReceipt stores a receipt's delivery state.
func (tx *Tx) UpdateReceipt(ctx context.Context, s payments.Scope, r *Receipt) error {
	return tx.updateObject(ctx, "receipt_outbox", s, r.ID, r)
}

// GetReceipt returns a receipt of the scope, or payments.ErrNotFound.
func (tx *Tx) GetReceipt(ctx context.Context, s payments.Scope, id string) (*Receipt, error) {
	return getTyped[Receipt](ctx, tx, "receipt_outbox", s, id, false)
}

// ListReceipts pages through the outbox, newest first.
func (tx *Tx) ListReceipts(ctx context.Context, s payments.Scope, pg payments.Page) (payments.ListResult[*Receipt], error) {
	return decodeList[Receipt](tx.listData(ctx, "receipt_outbox", s, pg))
}
