package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	httppprof "net/http/pprof"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/tenderpay/tender/internal/bench"
)

// bench is `tender bench`: a thin wrapper around internal/bench.
func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", stderr)
	var o bench.Options
	fs.StringVar(&o.URL, "url", "", "target a running Tender at this base URL instead of starting one in-process")
	fs.StringVar(&o.APIKey, "api-key", envString("TENDER_SECRET_KEY", ""), "secret key for --url (env TENDER_SECRET_KEY)")
	fs.StringVar(&o.DB, "db", "", "in-process database: SQLite path or postgres:// URL (default: a temp SQLite file); a postgres:// URL also runs the PostgreSQL commit baseline")
	fs.IntVar(&o.PID, "pid", 0, "process id of the --url server, for its peak RSS (default: found by the URL's loopback port)")
	fs.StringVar(&o.Scenario, "scenario", "seed", "seed (create+confirm with pm_card_visa), mixed (3DS, declines, customers, lists), or stateless (the seed call, any 2xx PaymentIntent counts: for stripe-mock)")
	conc := fs.String("concurrency", "1,8,32", "comma-separated client concurrencies")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "duration of each concurrency level")
	fs.IntVar(&o.Requests, "requests", 0, "cap on requests per level (0: no cap)")
	fs.BoolVar(&o.Baselines, "baselines", true, "also measure the database's commit rate and a bare net/http handler")
	fs.IntVar(&o.Pairs, "pairs", 3, "with --baselines, then measure Tender at its highest concurrency and the database's commits at their best, alternately, this many times each (the per-transaction verdict on figures taken seconds apart)")
	fs.StringVar(&o.Versus, "versus", "", "another server to measure alternately with Tender at the highest concurrency, --pairs times, with the stateless scenario (stripe-mock: http://127.0.0.1:12111)")
	fs.StringVar(&o.VersusKey, "versus-key", "sk_test_x", "secret key sent to --versus")
	fs.IntVar(&o.Preload, "preload", 0, "store this many succeeded payments through the API first, measuring before and after")
	fs.IntVar(&o.PreloadConcurrency, "preload-concurrency", 32, "client concurrency of the preload")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pprofAddr := fs.String("pprof", "", "serve net/http/pprof on this address while the benchmark runs (for example 127.0.0.1:6060)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file; client goroutines carry the label role=loadgen (go tool pprof -tagignore role=loadgen shows the server alone)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	for _, s := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("--concurrency: %q is not a positive integer", s)
		}
		o.Concurrencies = append(o.Concurrencies, n)
	}
	if o.URL != "" && o.APIKey == "" {
		return fmt.Errorf("--url needs --api-key (or TENDER_SECRET_KEY)")
	}
	if o.Duration <= 0 && o.Requests <= 0 {
		return fmt.Errorf("set --duration or --requests")
	}
	o.Progress = stderr
	o.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	if *pprofAddr != "" {
		// A mux of its own: importing net/http/pprof for its side effect
		// would register the profiler on http.DefaultServeMux for the whole
		// binary.
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", httppprof.Index)
		mux.HandleFunc("/debug/pprof/profile", httppprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", httppprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", httppprof.Trace)
		srv := &http.Server{Addr: *pprofAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.ListenAndServe() }()
		defer srv.Close()
		fmt.Fprintf(stderr, "pprof on http://%s/debug/pprof/\n", *pprofAddr)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	rep, err := bench.Suite(ctx, o)
	if rep != nil {
		var werr error
		if *asJSON {
			werr = rep.WriteJSON(stdout)
		} else {
			werr = rep.WriteTable(stdout)
		}
		if err == nil {
			err = werr
		}
	}
	return err
}
