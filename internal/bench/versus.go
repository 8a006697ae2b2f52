package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// Versus is one alternation of Tender against another server
// (Options.Versus): the other at Tender's highest concurrency with the
// stateless scenario (stripe-mock's intents never succeed), then Tender
// with its own.
type Versus struct {
	Concurrency int           `json:"concurrency"`
	Other       float64       `json:"other_per_s"`
	OtherP99    time.Duration `json:"other_p99_ns"`
	OtherErrors int           `json:"other_errors"`
	OtherCPU    time.Duration `json:"other_cpu_per_request_ns,omitempty"`
	Tender      float64       `json:"tender_per_s"`
	TenderP99   time.Duration `json:"tender_p99_ns"`
	Errors      int           `json:"errors"`
	TenderCPU   time.Duration `json:"tender_cpu_per_request_ns,omitempty"`
	// The machine's busy CPU per request in each run (load generator and
	// a local database server included).
	OtherMachineCPU  time.Duration `json:"other_machine_cpu_per_request_ns,omitempty"`
	TenderMachineCPU time.Duration `json:"tender_machine_cpu_per_request_ns,omitempty"`
}

// Ratio is Tender's throughput over the other server's.
func (v Versus) Ratio() float64 {
	if v.Other == 0 {
		return 0
	}
	return v.Tender / v.Other
}

// measureVersus alternates the other server and Tender, max(opts.Pairs, 1)
// times: this machine's speed drifts by a tenth within minutes, so only
// figures taken seconds apart compare.
func measureVersus(ctx context.Context, rep *Report, opts Options, target Target, sc *Scenario, tender *rssProbe, progress func(string, ...any)) error {
	conc := slices.Max(opts.Concurrencies)
	other := Target{URL: opts.Versus, Key: opts.VersusKey}
	var probe rssProbe
	if port := loopbackPort(opts.Versus); port > 0 {
		if pid, err := PidByPort(port); err == nil && pid > 0 {
			probe = rssProbe{pid: pid}
		}
	}
	rounds := max(opts.Pairs, 1)
	progress("measuring %s and Tender at %d side by side, %d times…", opts.Versus, conc, rounds)
	cfg := LoadConfig{Concurrency: conc, Duration: opts.Duration, Requests: opts.Requests}
	for range rounds {
		var v Versus
		v.Concurrency = conc
		res, err := runMeasured(ctx, other, Stateless(), cfg, &probe)
		if err != nil {
			return err
		}
		v.Other, v.OtherP99, v.OtherErrors, v.OtherCPU, v.OtherMachineCPU = res.Throughput, res.P99, res.Errors, res.CPUPerRequest, res.MachineCPUPerRequest
		if res, err = runMeasured(ctx, target, sc, cfg, tender); err != nil {
			return err
		}
		v.Tender, v.TenderP99, v.Errors, v.TenderCPU, v.TenderMachineCPU = res.Throughput, res.P99, res.Errors, res.CPUPerRequest, res.MachineCPUPerRequest
		rep.Versus = append(rep.Versus, v)
		progress("  %s %8.0f/s (errors %d)   tender %8.0f/s (errors %d)   %.0f%%", opts.Versus, v.Other, v.OtherErrors, v.Tender, v.Errors, 100*v.Ratio())
	}
	rep.VersusURL = opts.Versus
	return ctx.Err()
}

// runMeasured runs the load and records the CPU time the probe's process
// (CPUPerRequest) and the whole machine (MachineCPUPerRequest) spent per
// request meanwhile, where known.
func runMeasured(ctx context.Context, t Target, sc *Scenario, cfg LoadConfig, probe *rssProbe) (*LoadResult, error) {
	cpu0 := probe.cpu()
	m0, mErr := MachineCPU()
	res, err := runLabelled(ctx, t, sc, cfg)
	if err != nil {
		return nil, err
	}
	m1, mErr1 := MachineCPU()
	if res.Requests == 0 {
		return res, nil
	}
	n := time.Duration(res.Requests)
	if cpu1 := probe.cpu(); cpu0 > 0 && cpu1 > cpu0 {
		res.CPUPerRequest = (cpu1 - cpu0) / n
	}
	if mErr == nil && mErr1 == nil && m1 > m0 {
		res.MachineCPUPerRequest = (m1 - m0) / n
	}
	return res, nil
}

// writeVersus prints the alternations with another server and their
// verdict.
func (r *Report) writeVersus(w io.Writer) error {
	if len(r.Versus) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nside by side with %s (stateless scenario) and Tender (%s), alternately, seconds apart\n", r.VersusURL, r.Scenario)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "conc	other req/s	p99	errors	CPU/req	machine	busy	tender req/s	p99	errors	CPU/req	machine	busy	ratio	")
	ratios := make([]float64, 0, len(r.Versus))
	var otherBusy, tenderBusy []float64
	errs := 0
	for _, v := range r.Versus {
		ob, tb := busyShare(v.Other, v.OtherMachineCPU, r.Machine.CPUs), busyShare(v.Tender, v.TenderMachineCPU, r.Machine.CPUs)
		fmt.Fprintf(tw, "%d	%s	%s	%d	%s	%s	%s	%s	%s	%d	%s	%s	%s	%.0f%%	\n", v.Concurrency, fmtRate(v.Other), fmtDur(v.OtherP99), v.OtherErrors, fmtCPU(v.OtherCPU), fmtCPU(v.OtherMachineCPU), fmtShare(ob),
			fmtRate(v.Tender), fmtDur(v.TenderP99), v.Errors, fmtCPU(v.TenderCPU), fmtCPU(v.TenderMachineCPU), fmtShare(tb), 100*v.Ratio())
		ratios = append(ratios, v.Ratio())
		if ob > 0 && tb > 0 {
			otherBusy, tenderBusy = append(otherBusy, ob), append(tenderBusy, tb)
		}
		errs += v.Errors
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	median, lo, hi := medianOf(ratios, false)
	verdict := "below it"
	if median >= 1 && errs == 0 {
		verdict = "AT LEAST its figure"
	}
	fmt.Fprintf(w, "  Tender at %.0f%% of %s's throughput (median of %d; lowest %.0f%%, highest %.0f%%), %d errors: %s\n",
		100*median, r.VersusURL, len(ratios), 100*lo, 100*hi, errs, verdict)
	if len(tenderBusy) > 0 {
		// Throughput is the machine's busy share over the machine's CPU
		// per request: this tells which of the two a shortfall is in.
		ob, _, _ := medianOf(otherBusy, false)
		tb, _, _ := medianOf(tenderBusy, false)
		fmt.Fprintf(w, "  the machine busy (median): %.0f%% with %s, %.0f%% with Tender\n", 100*ob, r.VersusURL, 100*tb)
	}
	return nil
}

// busyShare is the share of the machine's cpus a run kept busy: its
// throughput times the machine's CPU per request. 0 if either is unknown.
func busyShare(perSecond float64, machinePerRequest time.Duration, cpus int) float64 {
	if perSecond <= 0 || machinePerRequest <= 0 || cpus <= 0 {
		return 0
	}
	return perSecond * machinePerRequest.Seconds() / float64(cpus)
}

func fmtShare(x float64) string {
	if x <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*x)
}

func fmtCPU(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return fmtDur(d)
}
