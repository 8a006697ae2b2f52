package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes the report as aligned text tables.
func (r *Report) WriteTable(w io.Writer) error {
	m := r.Machine
	fmt.Fprintf(w, "target:   %s\n", r.Target)
	fmt.Fprintf(w, "machine:  %d CPUs (%s), %s RAM, %s, %s, GOMAXPROCS=%d\n", m.CPUs, m.CPUModel, m.MemTotal, m.OS, m.Go, m.GOMAXPROCS)
	if m.LoadBefore != "" {
		fmt.Fprintf(w, "load:     %s before, %s after (1/5/15-min load averages: a before-figure well above 0 means other work was sharing the CPUs)\n", m.LoadBefore, m.LoadAfter)
	}
	limit := ""
	if r.Requests > 0 {
		limit = fmt.Sprintf(", at most %d requests", r.Requests)
	}
	fmt.Fprintf(w, "scenario: %s, %s per level%s; every request over HTTP/1.1 keep-alive on loopback, POSTs with their own Idempotency-Key\n\n",
		r.Scenario, r.Duration, limit)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	rows := slices.Concat(r.Before, r.Tender, r.Bare)
	width := 0
	for _, x := range rows {
		width = max(width, len(x.Target))
	}
	fmt.Fprintf(tw, "%-*s\tconc\trequests\treq/s\tp50\tp90\tp99\tmax\terrors\tCPU/req\tmachine\tpeak RSS\t\n", width, "target")
	for _, x := range rows {
		rss := "-"
		if x.PeakRSSKB > 0 {
			rss = fmt.Sprintf("%.0f MiB", float64(x.PeakRSSKB)/1024)
		}
		fmt.Fprintf(tw, "%-*s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t\n", width, x.Target, x.Concurrency, x.Requests, fmtRate(x.Throughput),
			fmtDur(x.P50), fmtDur(x.P90), fmtDur(x.P99), fmtDur(x.Max), x.Errors, fmtDur(x.CPUPerRequest), fmtCPU(x.MachineCPUPerRequest), rss)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	notes := map[string]bool{}
	for _, x := range rows {
		if x.RSSNote != "" && !notes[x.RSSNote] {
			notes[x.RSSNote] = true
			fmt.Fprintf(w, "peak RSS and CPU/req: %s (VmHWM reset before each level; CPU/req = process user+system CPU / requests)\n", x.RSSNote)
		}
	}
	fmt.Fprintln(w, "machine: the whole machine's busy CPU / requests (load generator and a database server on this machine included)")
	for _, x := range rows {
		if x.Scenario == "mixed" {
			fmt.Fprintf(w, "outcomes %s c=%d: %s\n", x.Target, x.Concurrency, fmtOutcomes(x.Outcomes))
		}
		for _, s := range x.ErrorSamples {
			fmt.Fprintf(w, "error %s c=%d: %s\n", x.Target, x.Concurrency, s)
		}
	}

	if r.Preload != nil {
		p := r.Preload
		fmt.Fprintf(w, "\npreload: %d succeeded payments stored through %s, concurrency %d, in %s (%s/s, %d errors)\n",
			p.Payments, p.Method, p.Concurrency, p.Elapsed.Round(100*time.Millisecond), fmtRate(p.PerSecond), p.Errors)
	}

	if len(r.Commits) > 0 {
		fmt.Fprintln(w, "\ndatabase baseline: one durable transaction = the rows one payment writes, in Tender's schema (payment method, intent, charge, 3 events, idempotency record); the ceiling: the rows of many payments per transaction")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "database\tconc\tcommits\tcommits/s\tp50\tp99\tpayments/s\tmachine CPU/payment\t  settings")
		for _, c := range r.Commits {
			fmt.Fprintf(tw, "%-8s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t  %s\n", c.Database, c.Concurrency, c.Commits, fmtRate(c.PerSecond),
				fmtDur(c.P50), fmtDur(c.P99), fmtRate(c.Payments()), fmtCPU(c.MachineCPU), c.Settings)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(r.Paired) > 0 {
		fmt.Fprintln(w, "\nside by side: Tender and the database's commit loop measured alternately, seconds apart")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "tender conc	req/s	errors	database	conc	commits/s	ratio	")
		for _, p := range r.Paired {
			fmt.Fprintf(tw, "%d	%s	%d	%s	%d	%s	%.2fx	\n", p.Concurrency, fmtRate(p.Tender), p.Errors, p.Database, p.DBConcurrency,
				fmtRate(p.Commits), p.Ratio())
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(r.PairedOne) > 0 {
		fmt.Fprintln(w, "\nside by side at one client: Tender's p50 and the database's commit p50, alternately, seconds apart")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "tender p50\terrors\tdatabase\tcommit p50\tratio\t")
		for _, p := range r.PairedOne {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.2fx\t\n", fmtDur(p.TenderP50), p.Errors, p.Database, fmtDur(p.CommitP50), p.Ratio())
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if err := r.writeVersus(w); err != nil {
		return err
	}
	r.writeTargets(w)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

// StatelessMockRate is what DESIGN.md gives for stripe-mock, which stores
// nothing, on this kind of machine for the seed call.
const StatelessMockRate = 4500

// writeTargets compares the figures with DESIGN.md's performance targets.
func (r *Report) writeTargets(w io.Writer) {
	var limit, ceiling *CommitResult
	for _, c := range r.Commits {
		if (r.Backend == "postgres") != (c.Database == "postgres") {
			continue
		}
		if c.PerCommit > 1 {
			ceiling = c
		} else if limit == nil || c.Concurrency < limit.Concurrency {
			limit = c
		}
	}
	var at32, at1 *LoadResult
	for _, x := range r.Tender {
		if x.Concurrency == 32 {
			at32 = x
		}
		if x.Concurrency == 1 {
			at1 = x
		}
	}
	if limit == nil || (at32 == nil && at1 == nil) {
		return
	}
	fmt.Fprintln(w, "\ntargets:")
	if at32 != nil {
		best := limit.PerSecond
		for _, c := range r.Commits {
			if c.Database == limit.Database && c.PerCommit <= 1 {
				best = max(best, c.PerSecond)
			}
		}
		verdict := "below"
		if at32.Throughput > best && at32.Errors == 0 {
			verdict = "ABOVE"
		}
		fmt.Fprintf(w, "  c=32 throughput %s/s with %d errors vs %s's best commit rate %s/s: %s the per-transaction limit (%.2fx)\n",
			fmtRate(at32.Throughput), at32.Errors, limit.Database, fmtRate(best), verdict, at32.Throughput/best)
		verdict = "not met"
		if at32.Throughput >= StatelessMockRate && at32.Errors == 0 {
			verdict = "MET"
		}
		fmt.Fprintf(w, "  c=32 throughput %s/s vs stripe-mock's stateless %s/s on this kind of machine (DESIGN.md's figure; measure stripe-mock side by side with --versus): %s\n",
			fmtRate(at32.Throughput), fmtRate(StatelessMockRate), verdict)
		if ceiling != nil {
			fmt.Fprintf(w, "  c=32 throughput %s/s vs %s's own ceiling for these rows, %d payments per commit from %d connections, %s payments/s: %.0f%% of it (machine CPU per payment: Tender with the database %s, the database alone %s)\n",
				fmtRate(at32.Throughput), ceiling.Database, ceiling.PerCommit, ceiling.Concurrency, fmtRate(ceiling.Payments()),
				100*at32.Throughput/ceiling.Payments(), fmtCPU(at32.MachineCPUPerRequest), fmtCPU(ceiling.MachineCPU))
		}
	}
	if len(r.Paired) > 0 {
		ratios, errs := ratiosOf(r.Paired)
		median, lo, hi := medianOf(ratios, false)
		verdict := "below"
		if median > 1 && errs == 0 {
			verdict = "ABOVE"
		}
		fmt.Fprintf(w, "  side by side, %d alternations: Tender over %s's commit rate at its best concurrency %.2fx (median; lowest %.2fx, highest %.2fx), %d errors: %s the per-transaction limit\n",
			len(ratios), limit.Database, median, lo, hi, errs, verdict)
	}
	if at1 != nil {
		verdict := "MET"
		if at1.P50 > 2*limit.P50 {
			verdict = "not met"
		}
		fmt.Fprintf(w, "  c=1 p50 %s vs 2 x %s commit p50 (%s): %s\n", fmtDur(at1.P50), limit.Database, fmtDur(2*limit.P50), verdict)
	}
	if len(r.PairedOne) > 0 {
		ratios, errs := ratiosOf(r.PairedOne)
		median, lo, hi := medianOf(ratios, true) // a latency: the worse middle
		verdict := "not met"
		if median <= 2 && errs == 0 {
			verdict = "MET"
		}
		fmt.Fprintf(w, "  side by side at one client, %d alternations: Tender's p50 %.2fx %s's commit p50 (median; lowest %.2fx, highest %.2fx), %d errors: within 2x %s\n",
			len(ratios), median, limit.Database, lo, hi, errs, verdict)
	}
}

// ratiosOf returns the ratios of side-by-side alternations and the errors
// Tender made in them.
func ratiosOf[P interface {
	Ratio() float64
	tenderErrors() int
}](ps []P) (ratios []float64, errs int) {
	for _, p := range ps {
		ratios = append(ratios, p.Ratio())
		errs += p.tenderErrors()
	}
	return ratios, errs
}

func (p Pair) tenderErrors() int        { return p.Errors }
func (p LatencyPair) tenderErrors() int { return p.Errors }

// medianOf sorts xs and returns its median — of an even count the higher
// middle if higher is set, else the lower: the one less in Tender's favour
// — and its extremes.
func medianOf(xs []float64, higher bool) (median, lo, hi float64) {
	slices.Sort(xs)
	i := (len(xs) - 1) / 2
	if higher {
		i = len(xs) / 2
	}
	return xs[i], xs[0], xs[len(xs)-1]
}

func fmtOutcomes(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/1e6)
	case d < time.Second:
		return fmt.Sprintf("%.1fms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

func fmtRate(r float64) string {
	n := int64(r + 0.5)
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func humanCount(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
