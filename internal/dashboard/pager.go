package dashboard

import (
	"net/url"

	"github.com/tenderpay/tender/internal/payments"
)

const pageSize = 20

// scanBudget bounds how many objects one filtered page reads.
const scanBudget = 2000

// cursor is where a list page starts: after an id (older) or before one
// (newer), Stripe's starting_after and ending_before.
type cursor struct{ After, Before string }

func cursorFrom(q url.Values) cursor {
	return cursor{After: q.Get("starting_after"), Before: q.Get("ending_before")}
}

// pageOf reads one page of a newest-first list through the same list
// function the API uses. With keep, objects are filtered in Go, reading
// further pages (up to scanBudget objects) until the page is full. It
// returns the page and whether more objects lie beyond it in the direction
// of travel.
func pageOf[T any](list func(payments.Page) (payments.ListResult[T], error), base payments.Page, c cursor, keep func(T) bool, id func(T) string) ([]T, bool, error) {
	if keep == nil {
		base.Limit, base.StartingAfter, base.EndingBefore = pageSize, c.After, c.Before
		res, err := list(base)
		return res.Data, res.HasMore, err
	}
	var out []T
	backward := c.Before != "" && c.After == ""
	after, before := c.After, c.Before
	read := 0
	for read < scanBudget {
		pg := base
		pg.Limit, pg.StartingAfter, pg.EndingBefore = 100, after, before
		res, err := list(pg)
		if err != nil {
			return nil, false, err
		}
		read += len(res.Data)
		if backward {
			// Newest first; the objects nearest the cursor come last.
			for i := len(res.Data) - 1; i >= 0; i-- {
				if keep(res.Data[i]) {
					if len(out) == pageSize {
						return out, true, nil
					}
					out = append([]T{res.Data[i]}, out...)
				}
			}
		} else {
			for _, x := range res.Data {
				if keep(x) {
					if len(out) == pageSize {
						return out, true, nil
					}
					out = append(out, x)
				}
			}
		}
		if !res.HasMore || len(res.Data) == 0 {
			return out, false, nil
		}
		if backward {
			before = id(res.Data[0])
		} else {
			after = id(res.Data[len(res.Data)-1])
		}
	}
	return out, true, nil
}

// pager links to the neighbouring pages of a list.
type pager struct{ Newer, Older string }

// newPager builds the links from the page shown, whether more lie beyond it,
// and the query of the current page (filters are kept).
func newPager[T any](path string, q url.Values, c cursor, items []T, more bool, id func(T) string) pager {
	var p pager
	if len(items) == 0 {
		if c.After != "" || c.Before != "" {
			p.Newer = path + "?" + without(q, "starting_after", "ending_before")
		}
		return p
	}
	backward := c.Before != "" && c.After == ""
	if (backward && more) || (!backward && c.After != "") {
		p.Newer = path + "?" + with(q, "ending_before", id(items[0]))
	}
	if (!backward && more) || backward {
		p.Older = path + "?" + with(q, "starting_after", id(items[len(items)-1]))
	}
	return p
}

func with(q url.Values, k, v string) string {
	c := url.Values{}
	for key, vs := range q {
		if key != "starting_after" && key != "ending_before" {
			c[key] = vs
		}
	}
	c.Set(k, v)
	return c.Encode()
}

func without(q url.Values, keys ...string) string {
	c := url.Values{}
	for key, vs := range q {
		c[key] = vs
	}
	for _, k := range keys {
		c.Del(k)
	}
	return c.Encode()
}
