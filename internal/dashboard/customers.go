package dashboard

import (
	"net/http"
	"strings"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

type customerRow struct {
	C       *payments.Customer
	Methods int
}

type customersPage struct {
	Email string
	Rows  []customerRow
	Pager pager
}

// customersList lists customers, optionally those with one email address.
func (d *Dashboard) customersList(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := customersPage{Email: strings.TrimSpace(q.Get("email"))}
	c := cursorFrom(q)
	err := d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		params := &payments.CustomerListParams{}
		if p.Email != "" {
			params.Email = &p.Email
		}
		list, more, err := pageOf(func(pg payments.Page) (payments.ListResult[*payments.Customer], error) {
			return payments.ListCustomers(ctx, tx, v.acct, pg, params)
		}, payments.Page{}, c, nil, customerID)
		if err != nil {
			return err
		}
		for _, cu := range list {
			id := cu.ID
			pms, err := payments.ListPaymentMethods(ctx, tx, v.acct, payments.Page{Limit: 100}, &payments.PaymentMethodListParams{Customer: &id})
			if err != nil {
				return err
			}
			p.Rows = append(p.Rows, customerRow{C: cu, Methods: len(pms.Data)})
		}
		p.Pager = newPager("/dashboard/customers", q, c, list, more, customerID)
		return nil
	})
	if err != nil {
		return err
	}
	d.render(w, r, http.StatusOK, "customers", v, p)
	return nil
}

func customerID(c *payments.Customer) string { return c.ID }
