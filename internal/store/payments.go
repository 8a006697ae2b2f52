package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	json "github.com/goccy/go-json"

	"github.com/tenderpay/tender/internal/payments"
)

// This file stores the payment objects; each is a row of JSON plus the
// columns its lists filter on.

func (tx *Tx) InsertPaymentMethod(ctx context.Context, s payments.Scope, pm *payments.PaymentMethod) error {
	return tx.insertObject(ctx, "payment_methods", s, pm.ID, pm.Created, pm,
		column{"customer", nullString(pm.Customer)}, column{"type", pm.Type}, column{"allow_redisplay", pm.AllowRedisplay})
}

func (tx *Tx) UpdatePaymentMethod(ctx context.Context, s payments.Scope, pm *payments.PaymentMethod) error {
	return tx.updateObject(ctx, "payment_methods", s, pm.ID, pm,
		column{"customer", nullString(pm.Customer)}, column{"allow_redisplay", pm.AllowRedisplay})
}

func (tx *Tx) GetPaymentMethod(ctx context.Context, s payments.Scope, id string, forUpdate bool) (*payments.PaymentMethod, error) {
	return getTyped[payments.PaymentMethod](ctx, tx, "payment_methods", s, id, forUpdate)
}

func (tx *Tx) ListPaymentMethods(ctx context.Context, s payments.Scope, pg payments.Page, f payments.PaymentMethodFilter) (payments.ListResult[*payments.PaymentMethod], error) {
	filters := eq("customer", f.Customer, "type", f.Type)
	if len(f.AllowRedisplay) > 0 {
		cond, args := inList("allow_redisplay", f.AllowRedisplay)
		filters = append(filters, filter{cond, args})
	}
	return decodeList[payments.PaymentMethod](tx.listData(ctx, "payment_methods", s, pg, filters...))
}

func (tx *Tx) InsertConfirmationToken(ctx context.Context, s payments.Scope, ct *payments.ConfirmationToken) error {
	return tx.insertObject(ctx, "confirmation_tokens", s, ct.ID, ct.Created, ct)
}

func (tx *Tx) UpdateConfirmationToken(ctx context.Context, s payments.Scope, ct *payments.ConfirmationToken) error {
	return tx.updateObject(ctx, "confirmation_tokens", s, ct.ID, ct)
}

func (tx *Tx) GetConfirmationToken(ctx context.Context, s payments.Scope, id string, forUpdate bool) (*payments.ConfirmationToken, error) {
	return getTyped[payments.ConfirmationToken](ctx, tx, "confirmation_tokens", s, id, forUpdate)
}

func (tx *Tx) InsertPaymentIntent(ctx context.Context, s payments.Scope, pi *payments.PaymentIntent) error {
	return tx.insertObject(ctx, "payment_intents", s, pi.ID, pi.Created, pi, column{"customer", nullString(pi.Customer)})
}

func (tx *Tx) UpdatePaymentIntent(ctx context.Context, s payments.Scope, pi *payments.PaymentIntent) error {
	return tx.updateObject(ctx, "payment_intents", s, pi.ID, pi, column{"customer", nullString(pi.Customer)})
}

func (tx *Tx) GetPaymentIntent(ctx context.Context, s payments.Scope, id string, forUpdate bool) (*payments.PaymentIntent, error) {
	return getTyped[payments.PaymentIntent](ctx, tx, "payment_intents", s, id, forUpdate)
}

func (tx *Tx) ListPaymentIntents(ctx context.Context, s payments.Scope, pg payments.Page, customer string) (payments.ListResult[*payments.PaymentIntent], error) {
	return decodeList[payments.PaymentIntent](tx.listData(ctx, "payment_intents", s, pg, eq("customer", customer)...))
}

func (tx *Tx) InsertSetupIntent(ctx context.Context, s payments.Scope, si *payments.SetupIntent) error {
	return tx.insertObject(ctx, "setup_intents", s, si.ID, si.Created, si,
		column{"customer", nullString(si.Customer)}, column{"payment_method", nullString(si.PaymentMethod)})
}

func (tx *Tx) UpdateSetupIntent(ctx context.Context, s payments.Scope, si *payments.SetupIntent) error {
	return tx.updateObject(ctx, "setup_intents", s, si.ID, si,
		column{"customer", nullString(si.Customer)}, column{"payment_method", nullString(si.PaymentMethod)})
}

func (tx *Tx) GetSetupIntent(ctx context.Context, s payments.Scope, id string, forUpdate bool) (*payments.SetupIntent, error) {
	return getTyped[payments.SetupIntent](ctx, tx, "setup_intents", s, id, forUpdate)
}

func (tx *Tx) ListSetupIntents(ctx context.Context, s payments.Scope, pg payments.Page, customer, paymentMethod string) (payments.ListResult[*payments.SetupIntent], error) {
	return decodeList[payments.SetupIntent](tx.listData(ctx, "setup_intents", s, pg, eq("customer", customer, "payment_method", paymentMethod)...))
}

func (tx *Tx) InsertCharge(ctx context.Context, s payments.Scope, ch *payments.Charge) error {
	return tx.insertObject(ctx, "charges", s, ch.ID, ch.Created, ch,
		column{"customer", nullString(ch.Customer)}, column{"payment_intent", nullString(ch.PaymentIntent)})
}

func (tx *Tx) UpdateCharge(ctx context.Context, s payments.Scope, ch *payments.Charge) error {
	return tx.updateObject(ctx, "charges", s, ch.ID, ch, column{"customer", nullString(ch.Customer)})
}

func (tx *Tx) GetCharge(ctx context.Context, s payments.Scope, id string, forUpdate bool) (*payments.Charge, error) {
	return getTyped[payments.Charge](ctx, tx, "charges", s, id, forUpdate)
}

func (tx *Tx) ListCharges(ctx context.Context, s payments.Scope, pg payments.Page, customer, paymentIntent string) (payments.ListResult[*payments.Charge], error) {
	return decodeList[payments.Charge](tx.listData(ctx, "charges", s, pg, eq("customer", customer, "payment_intent", paymentIntent)...))
}

func (tx *Tx) InsertRefund(ctx context.Context, s payments.Scope, re *payments.Refund) error {
	return tx.insertObject(ctx, "refunds", s, re.ID, re.Created, re,
		column{"charge", nullString(re.Charge)}, column{"payment_intent", nullString(re.PaymentIntent)})
}

func (tx *Tx) UpdateRefund(ctx context.Context, s payments.Scope, re *payments.Refund) error {
	return tx.updateObject(ctx, "refunds", s, re.ID, re)
}

func (tx *Tx) GetRefund(ctx context.Context, s payments.Scope, id string, forUpdate bool) (*payments.Refund, error) {
	return getTyped[payments.Refund](ctx, tx, "refunds", s, id, forUpdate)
}

func (tx *Tx) ListRefunds(ctx context.Context, s payments.Scope, pg payments.Page, charge, paymentIntent string) (payments.ListResult[*payments.Refund], error) {
	return decodeList[payments.Refund](tx.listData(ctx, "refunds", s, pg, eq("charge", charge, "payment_intent", paymentIntent)...))
}

func (tx *Tx) InsertCustomerSession(ctx context.Context, s payments.Scope, secretHash string, cs *payments.CustomerSession) error {
	data, err := json.Marshal(cs)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO customer_sessions (secret_hash, account_id, livemode, customer, created, expires_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		secretHash, s.Account, s.Livemode, cs.Customer, cs.Created, cs.ExpiresAt, string(data))
	if err != nil {
		return fmt.Errorf("insert customer session: %w", err)
	}
	return nil
}

func (tx *Tx) GetCustomerSession(ctx context.Context, s payments.Scope, secretHash string) (*payments.CustomerSession, error) {
	var data string
	err := tx.queryRow(ctx, `SELECT data FROM customer_sessions WHERE secret_hash = ? AND account_id = ? AND livemode = ?`,
		secretHash, s.Account, s.Livemode).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, payments.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get customer session: %w", err)
	}
	cs := &payments.CustomerSession{}
	return cs, json.Unmarshal([]byte(data), cs)
}

func (tx *Tx) InsertMandate(ctx context.Context, s payments.Scope, m *payments.Mandate) error {
	return tx.insertObject(ctx, "mandates", s, m.ID, m.Created, m)
}

func (tx *Tx) GetMandate(ctx context.Context, s payments.Scope, id string) (*payments.Mandate, error) {
	return getTyped[payments.Mandate](ctx, tx, "mandates", s, id, false)
}
