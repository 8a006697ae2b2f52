package dashboard

import (
	"net/http"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

type customerPage struct {
	C        *payments.Customer
	Methods  []*payments.PaymentMethod
	Payments []paymentRow
	More     bool
}

// customerDetail shows a customer with their saved payment methods and
// recent payments.
func (d *Dashboard) customerDetail(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	id := r.PathValue("id")
	var p customerPage
	err := d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		c, err := payments.GetCustomer(ctx, tx, v.acct, id, "id")
		if err != nil {
			return err
		}
		p.C = c
		pms, err := payments.ListPaymentMethods(ctx, tx, v.acct, payments.Page{Limit: 100}, &payments.PaymentMethodListParams{Customer: &id})
		if err != nil {
			return err
		}
		p.Methods = pms.Data
		pis, err := payments.ListPaymentIntents(ctx, tx, v.acct, payments.Page{Limit: pageSize}, &payments.PaymentIntentListParams{Customer: &id})
		if err != nil {
			return err
		}
		p.More = pis.HasMore
		rb := &rowBuilder{ctx: ctx, tx: tx, a: v.acct, customers: map[string]string{}}
		for _, pi := range pis.Data {
			row, err := rb.row(pi)
			if err != nil {
				return err
			}
			p.Payments = append(p.Payments, row)
		}
		return nil
	})
	if err != nil {
		return err
	}
	d.render(w, r, http.StatusOK, "customer", v, p)
	return nil
}
