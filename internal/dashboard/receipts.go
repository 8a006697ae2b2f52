package dashboard

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/tenderpay/tender/internal/network"
	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/store"
)

var (
	receiptTmpl  = template.Must(template.New("receipt.html").Funcs(funcs).ParseFS(assets, "templates/receipt.html"))
	emailPattern = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
)

type receiptData struct {
	Merchant, Amount, Refunded, Number, Method, Description, PaymentIntent string
	Date                                                                   string
}

// sendReceipt renders an HTML receipt for a succeeded payment and keeps it
// in the outbox; with SMTP configured it is emailed too.
func (d *Dashboard) sendReceipt(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	id := r.PathValue("id")
	to := strings.TrimSpace(r.PostFormValue("email"))
	back := "/dashboard/payments/" + id
	if !emailPattern.MatchString(to) {
		return d.done(w, r, v, back, "Enter the email address to send the receipt to.", true)
	}
	rec := &store.Receipt{ID: payments.NewID("rcpt"), PaymentIntent: id, To: to, Status: "stored"}
	if d.mailer != nil {
		rec.Status = "sending"
	}
	err := d.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		pi, err := payments.GetPaymentIntent(ctx, tx, v.acct, id, nil)
		if err != nil {
			return err
		}
		if pi.Status != payments.StatusSucceeded || pi.LatestCharge == "" {
			return payments.Invalid("", "payment_intent", "Only a succeeded payment has a receipt.")
		}
		ch, err := payments.GetCharge(ctx, tx, v.acct, pi.LatestCharge, "charge")
		if err != nil {
			return err
		}
		data := receiptData{Merchant: v.name, Amount: network.FormatAmount(ch.AmountCaptured, ch.Currency) + " " + strings.ToUpper(ch.Currency),
			Number: cmpOr(ch.ReceiptNumber, receiptNumber()), Description: pi.Description, PaymentIntent: pi.ID,
			Date: time.Unix(ch.Created, 0).UTC().Format("2 January 2006")}
		if ch.AmountRefunded > 0 {
			data.Refunded = network.FormatAmount(ch.AmountRefunded, ch.Currency)
		}
		if pm, err := payments.GetPaymentMethod(ctx, tx, v.acct, ch.PaymentMethod, "payment_method"); err == nil {
			data.Method = methodLabel(pm)
		}
		if data.Merchant == "" {
			data.Merchant = "Tender"
		}
		var buf bytes.Buffer
		if err := receiptTmpl.Execute(&buf, data); err != nil {
			return err
		}
		rec.Charge, rec.HTML, rec.Created = ch.ID, buf.String(), tx.Now().Unix()
		rec.Subject = fmt.Sprintf("Your receipt from %s [#%s]", data.Merchant, data.Number)
		return tx.InsertReceipt(ctx, v.acct.Scope, rec)
	})
	if err != nil {
		return d.actionDone(w, r, v, back, "", err)
	}
	if d.mailer == nil {
		return d.done(w, r, v, back, "Receipt for "+to+" kept in the outbox (no SMTP server is configured).", false)
	}
	sendErr := d.mailer.send(to, rec.Subject, rec.HTML)
	rec.Status, rec.SentAt = "sent", time.Now().Unix()
	if sendErr != nil {
		rec.Status, rec.Error, rec.SentAt = "failed", sendErr.Error(), 0
		d.cfg.Logger.Warn("dashboard: receipt not delivered", "receipt", rec.ID, "err", sendErr)
	}
	if err := d.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.UpdateReceipt(ctx, v.acct.Scope, rec) }); err != nil {
		return err
	}
	if sendErr != nil {
		return d.done(w, r, v, back, "The receipt is in the outbox, but the SMTP server refused it: "+sendErr.Error(), true)
	}
	return d.done(w, r, v, back, "Receipt sent to "+to+".", false)
}

// receiptNumber is a receipt number in Stripe's shape, 1234-5678.
func receiptNumber() string {
	n := payments.RandomString(8)
	digits := make([]byte, 0, 9)
	for i := 0; i < len(n); i++ {
		if i == 4 {
			digits = append(digits, '-')
		}
		digits = append(digits, '0'+n[i]%10)
	}
	return string(digits)
}

type receiptsPage struct {
	Rows  []*store.Receipt
	Pager pager
	SMTP  bool
}

// receiptsList is the outbox.
func (d *Dashboard) receiptsList(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	q := r.URL.Query()
	c := cursorFrom(q)
	p := receiptsPage{SMTP: d.mailer != nil}
	err := d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		list, more, err := pageOf(func(pg payments.Page) (payments.ListResult[*store.Receipt], error) {
			return tx.ListReceipts(ctx, v.acct.Scope, pg)
		}, payments.Page{}, c, nil, receiptID)
		p.Rows = list
		p.Pager = newPager("/dashboard/receipts", q, c, list, more, receiptID)
		return err
	})
	if err != nil {
		return err
	}
	d.render(w, r, http.StatusOK, "receipts", v, p)
	return nil
}

func receiptID(r *store.Receipt) string { return r.ID }

// receiptView shows one receipt as its recipient sees it. ?raw=1 is the
// receipt itself, for the sandboxed frame of the page.
func (d *Dashboard) receiptView(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	var rec *store.Receipt
	err := d.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		rec, err = tx.GetReceipt(ctx, v.acct.Scope, r.PathValue("id"))
		return err
	})
	if err != nil {
		return err
	}
	if r.URL.Query().Get("raw") == "1" {
		h := w.Header()
		h.Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(rec.HTML))
		return nil
	}
	d.render(w, r, http.StatusOK, "receipt_view", v, rec)
	return nil
}
