package shop

import (
	"fmt"
	"net/http"
	"strings"
)

// The shop sells one cart; the server alone prices it.
type lineItem struct {
	Name       string `json:"name"`
	Quantity   int64  `json:"quantity"`
	UnitAmount int64  `json:"unit_amount"`
}

var catalog = []lineItem{
	{Name: "Tender tee", Quantity: 1, UnitAmount: 2500},
	{Name: "Sticker pack", Quantity: 2, UnitAmount: 350},
}

// discountCodes maps a code to its percentage off.
var discountCodes = map[string]int64{"TENDER10": 10}

type cart struct {
	Items        []lineItem `json:"items"`
	Subtotal     int64      `json:"subtotal"`
	DiscountCode string     `json:"discount_code"`
	Discount     int64      `json:"discount"`
	Total        int64      `json:"total"`
	Currency     string     `json:"currency"`
	TotalDisplay string     `json:"total_display"`
}

// cart prices the session's cart: the only place an amount is decided.
func (s *Shop) cart(sess *session) cart {
	_, _, code := sess.snapshot()
	c := cart{Items: catalog, Currency: s.cfg.Currency, DiscountCode: code}
	for _, it := range catalog {
		c.Subtotal += it.Quantity * it.UnitAmount
	}
	if pct, ok := discountCodes[code]; ok {
		c.Discount = c.Subtotal * pct / 100
	}
	c.Total = c.Subtotal - c.Discount
	c.TotalDisplay = formatMoney(c.Total, c.Currency)
	return c
}

// applyDiscount sets (or, with an empty code, removes) the session's
// discount code and answers with the repriced cart; the page passes the new
// total to elements.update({amount}).
func (s *Shop) applyDiscount(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Code string `json:"code"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	if _, ok := discountCodes[code]; !ok && code != "" {
		writeError(w, http.StatusBadRequest, "That discount code isn't valid.")
		return
	}
	sess := s.sessions.get(w, r)
	sess.mu.Lock()
	sess.discount = code
	sess.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"cart": s.cart(sess)})
}

func formatMoney(amount int64, currency string) string {
	sym := map[string]string{"usd": "$", "eur": "€", "gbp": "£"}[strings.ToLower(currency)]
	neg := ""
	if amount < 0 {
		neg, amount = "-", -amount
	}
	if sym == "" {
		return fmt.Sprintf("%s%d.%02d %s", neg, amount/100, amount%100, strings.ToUpper(currency))
	}
	return fmt.Sprintf("%s%s%d.%02d", neg, sym, amount/100, amount%100)
}
