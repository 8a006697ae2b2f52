package api

import (
	"strconv"

	"github.com/tenderpay/tender/internal/payments"
	"github.com/tenderpay/tender/internal/wire"
)

// listJSON is Stripe's list envelope.
type listJSON struct {
	Object  string `json:"object"`
	Data    any    `json:"data"`
	HasMore bool   `json:"has_more"`
	URL     string `json:"url"`
}

func newList[T any](url string, data []T, hasMore bool) *listJSON {
	if data == nil {
		data = []T{}
	}
	return &listJSON{Object: "list", Data: data, HasMore: hasMore, URL: url}
}

// pageParams takes Stripe's list parameters out of params.
func pageParams(params wire.Params) (payments.Page, error) {
	var p struct {
		Limit         *string     `form:"limit"`
		StartingAfter *string     `form:"starting_after"`
		EndingBefore  *string     `form:"ending_before"`
		Created       rangeFilter `form:"created"`
	}
	sub := wire.Params{}
	for _, k := range []string{"limit", "starting_after", "ending_before", "created"} {
		if v, ok := params[k]; ok {
			sub[k] = v
			delete(params, k)
		}
	}
	pg := payments.Page{Limit: 10}
	if err := sub.Decode(&p); err != nil {
		return pg, err
	}
	if p.Limit != nil && *p.Limit != "" {
		n, err := strconv.Atoi(*p.Limit)
		if err != nil {
			return pg, wire.InvalidInteger("limit", *p.Limit)
		}
		if n < 1 || n > 100 {
			return pg, wire.InvalidValue("limit", "Invalid limit: must be between 1 and 100")
		}
		pg.Limit = n
	}
	if p.StartingAfter != nil {
		pg.StartingAfter = *p.StartingAfter
	}
	if p.EndingBefore != nil {
		pg.EndingBefore = *p.EndingBefore
	}
	if pg.StartingAfter != "" && pg.EndingBefore != "" {
		return pg, wire.InvalidRequest("parameters_exclusive", "ending_before",
			"You may only specify one of these parameters: ending_before, starting_after.")
	}
	pg.Created = payments.Range(p.Created)
	return pg, nil
}

// rangeFilter is a timestamp filter parameter: an exact value, or an
// object of gt, gte, lt and lte bounds.
type rangeFilter payments.Range

// UnmarshalForm implements the wire decoder's hook.
func (r *rangeFilter) UnmarshalForm(v any, path string) error {
	switch v := v.(type) {
	case string:
		if v == "" {
			return nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return wire.InvalidInteger(path, v)
		}
		r.GTE, r.LTE = n, n
		return nil
	case wire.Params:
		for k, raw := range v {
			param := path + "[" + k + "]"
			dst := map[string]*int64{"gt": &r.GT, "gte": &r.GTE, "lt": &r.LT, "lte": &r.LTE}[k]
			if dst == nil {
				return wire.Unknown(param)
			}
			s, ok := raw.(string)
			if !ok {
				return wire.InvalidInteger(param, "(an object)")
			}
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return wire.InvalidInteger(param, s)
			}
			*dst = n
		}
		return nil
	}
	return wire.InvalidValue(path, "Invalid %s: must be a timestamp or an object with gt, gte, lt or lte.", path)
}

// listParams takes expand[] and the paging parameters of a list of object.
func listParams(r *request, object string) (expansion, payments.Page, error) {
	exp, err := parseExpand(r.params, object, true)
	if err != nil {
		return nil, payments.Page{}, err
	}
	pg, err := pageParams(r.params)
	return exp, pg, err
}

// renderList renders one page of objects in Stripe's list envelope.
func renderList[T any](rd *renderer, url string, res payments.ListResult[T], exp expansion, render func(T, expansion) (any, error)) (any, error) {
	data := make([]any, len(res.Data))
	for i, v := range res.Data {
		var err error
		if data[i], err = render(v, exp); err != nil {
			return nil, err
		}
	}
	return newList(url, data, res.HasMore), nil
}
