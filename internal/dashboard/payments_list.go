package dashboard

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

// paymentStatuses are the filter's choices; "refunded" is a view of
// succeeded payments whose charge was refunded in full or in part.
var paymentStatuses = []string{payments.StatusSucceeded, "refunded", payments.StatusRequiresCapture, payments.StatusRequiresAction,
	payments.StatusRequiresPaymentMethod, payments.StatusRequiresConfirmation, payments.StatusProcessing, payments.StatusCanceled}

type paymentFilter struct {
	Status, From, To, Q string
	TZ                  int // the viewer's offset from UTC in minutes, as JavaScript's getTimezoneOffset
}

// paymentRow is one line of the payments list.
type paymentRow struct {
	PI            *payments.PaymentIntent
	Status        string
	Refunded      int64
	Customer      string
	CustomerID    string
	PaymentMethod string
}

type paymentsPage struct {
	Filter   paymentFilter
	Statuses []string
	Rows     []paymentRow
	Pager    pager
	Filtered bool
	Note     string
}

// paymentsList is the payments page: filters by status and date, search by
// id or customer email, pagination.
func (d *Dashboard) paymentsList(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	f := paymentFilter{Status: q.Get("status"), From: q.Get("from"), To: q.Get("to"), Q: strings.TrimSpace(q.Get("q"))}
	f.TZ, _ = strconv.Atoi(q.Get("tz"))
	page := paymentsPage{Filter: f, Statuses: paymentStatuses, Filtered: f.Status != "" || f.From != "" || f.To != "" || f.Q != ""}
	ctx := r.Context()
	base := payments.Page{Created: dateRange(f.From, f.To, f.TZ)}
	c := cursorFrom(q)
	err := d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		rows := &rowBuilder{ctx: ctx, tx: tx, a: v.acct, customers: map[string]string{}}
		keep := func(pi *payments.PaymentIntent) bool { return f.Status == "" || rows.status(pi) == f.Status }
		var (
			list []*payments.PaymentIntent
			more bool
			err  error
		)
		if f.Q != "" {
			list, err = searchPayments(ctx, tx, v.acct, f.Q)
			list = slices.DeleteFunc(list, func(pi *payments.PaymentIntent) bool { return !keep(pi) || !inRange(pi.Created, base.Created) })
			if len(list) == 0 && !strings.Contains(f.Q, "@") && !hasIDPrefix(f.Q) {
				page.Note = "Search takes a payment, charge or customer id (pi_…, ch_…, cus_…) or a customer's email address."
			}
		} else {
			var k func(*payments.PaymentIntent) bool
			if f.Status != "" {
				k = keep
			}
			list, more, err = pageOf(func(pg payments.Page) (payments.ListResult[*payments.PaymentIntent], error) {
				return payments.ListPaymentIntents(ctx, tx, v.acct, pg, &payments.PaymentIntentListParams{})
			}, base, c, k, piID)
		}
		if err != nil {
			return err
		}
		for _, pi := range list {
			row, err := rows.row(pi)
			if err != nil {
				return err
			}
			page.Rows = append(page.Rows, row)
		}
		if f.Q == "" {
			page.Pager = newPager("/dashboard/payments", q, c, list, more, piID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	d.render(w, r, http.StatusOK, "payments", v, page)
	return nil
}

func piID(pi *payments.PaymentIntent) string { return pi.ID }

func hasIDPrefix(q string) bool {
	for _, p := range []string{"pi_", "ch_", "cus_"} {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	return false
}

// searchPayments finds payments by payment, charge or customer id, or by
// the email address of their customer; newest first, at most 100.
func searchPayments(ctx context.Context, tx *store.Tx, a *payments.Account, q string) ([]*payments.PaymentIntent, error) {
	one := func(pi *payments.PaymentIntent, err error) ([]*payments.PaymentIntent, error) {
		if isNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []*payments.PaymentIntent{pi}, nil
	}
	switch {
	case strings.HasPrefix(q, "pi_"):
		return one(payments.GetPaymentIntent(ctx, tx, a, q, nil))
	case strings.HasPrefix(q, "ch_"):
		ch, err := payments.GetCharge(ctx, tx, a, q, "id")
		if err != nil || ch.PaymentIntent == "" {
			return one(nil, err)
		}
		return one(payments.GetPaymentIntent(ctx, tx, a, ch.PaymentIntent, nil))
	case strings.HasPrefix(q, "cus_"):
		return customerPayments(ctx, tx, a, []string{q})
	case strings.Contains(q, "@"):
		var ids []string
		for _, email := range slices.Compact([]string{q, strings.ToLower(q)}) {
			res, err := payments.ListCustomers(ctx, tx, a, payments.Page{Limit: 20}, &payments.CustomerListParams{Email: &email})
			if err != nil {
				return nil, err
			}
			for _, c := range res.Data {
				ids = append(ids, c.ID)
			}
		}
		return customerPayments(ctx, tx, a, ids)
	}
	return nil, nil
}

func customerPayments(ctx context.Context, tx *store.Tx, a *payments.Account, customers []string) ([]*payments.PaymentIntent, error) {
	var out []*payments.PaymentIntent
	for _, id := range customers {
		res, err := payments.ListPaymentIntents(ctx, tx, a, payments.Page{Limit: 100}, &payments.PaymentIntentListParams{Customer: &id})
		if err != nil {
			return nil, err
		}
		out = append(out, res.Data...)
	}
	slices.SortFunc(out, func(x, y *payments.PaymentIntent) int { return int(y.Created - x.Created) })
	if len(out) > 100 {
		out = out[:100]
	}
	return out, nil
}

// rowBuilder adds to each payment what the list shows beside it, looking
// each customer up once.
type rowBuilder struct {
	ctx       context.Context
	tx        *store.Tx
	a         *payments.Account
	customers map[string]string
	refunded  map[string]int64
}

// refundedAmount is how much of a payment's charge has been refunded.
func (b *rowBuilder) refundedAmount(pi *payments.PaymentIntent) int64 {
	if pi.Status != payments.StatusSucceeded || pi.LatestCharge == "" {
		return 0
	}
	if b.refunded == nil {
		b.refunded = map[string]int64{}
	}
	if n, ok := b.refunded[pi.ID]; ok {
		return n
	}
	var n int64
	if ch, err := payments.GetCharge(b.ctx, b.tx, b.a, pi.LatestCharge, "charge"); err == nil {
		n = ch.AmountRefunded
	}
	b.refunded[pi.ID] = n
	return n
}

func (b *rowBuilder) status(pi *payments.PaymentIntent) string {
	if b.refundedAmount(pi) > 0 {
		return "refunded"
	}
	return pi.Status
}

func (b *rowBuilder) row(pi *payments.PaymentIntent) (paymentRow, error) {
	row := paymentRow{PI: pi, Status: pi.Status, Refunded: b.refundedAmount(pi), CustomerID: pi.Customer}
	if row.Refunded > 0 {
		row.Status = "partially_refunded"
		if row.Refunded >= pi.AmountReceived {
			row.Status = "refunded"
		}
	}
	if pi.Customer != "" {
		label, ok := b.customers[pi.Customer]
		if !ok {
			c, err := payments.GetCustomer(b.ctx, b.tx, b.a, pi.Customer, "customer")
			switch {
			case err == nil:
				label = cmpOr(c.Email, c.Name, c.ID)
			case isNotFound(err):
				label = pi.Customer + " (deleted)"
			default:
				return row, err
			}
			b.customers[pi.Customer] = label
		}
		row.Customer = label
	}
	if row.Customer == "" && pi.ReceiptEmail != "" {
		row.Customer = pi.ReceiptEmail
	}
	if pi.PaymentMethod != "" {
		if pm, err := payments.GetPaymentMethod(b.ctx, b.tx, b.a, pi.PaymentMethod, "payment_method"); err == nil {
			row.PaymentMethod = methodLabel(pm)
		}
	}
	return row, nil
}

// dateRange turns the filter's dates (days in the viewer's zone) into a
// created range.
func dateRange(from, to string, tzOffsetMinutes int) payments.Range {
	var rg payments.Range
	offset := time.Duration(tzOffsetMinutes) * time.Minute
	if t, err := time.Parse("2006-01-02", from); err == nil {
		rg.GTE = t.Add(offset).Unix()
	}
	if t, err := time.Parse("2006-01-02", to); err == nil {
		rg.LT = t.AddDate(0, 0, 1).Add(offset).Unix()
	}
	return rg
}

func inRange(created int64, rg payments.Range) bool {
	return (rg.GTE == 0 || created >= rg.GTE) && (rg.LT == 0 || created < rg.LT)
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
