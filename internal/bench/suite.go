package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tenderpay/tender/internal/store"
)

// Options configure a full `tender bench` run.
type Options struct {
	// URL and APIKey target a running Tender; empty URL starts one in-process.
	URL, APIKey string
	// DB is the in-process server's database: a SQLite path or a postgres://
	// URL; empty means a temp SQLite file. With URL set, a postgres:// DB is
	// only used for the PostgreSQL commit baseline.
	DB string
	// PID is the separate server's process, for its peak RSS; 0 looks it up
	// by the URL's port when the URL is on loopback.
	PID           int
	Scenario      string
	Concurrencies []int
	Duration      time.Duration
	Requests      int
	Baselines     bool
	// Pairs, with Baselines, measures Tender at its highest concurrency and
	// the database's commit loop at its best, alternately, this many times
	// each: the per-transaction target's verdict then compares figures
	// taken seconds apart, not minutes, on a machine whose speed drifts.
	Pairs int
	// Versus and VersusKey name another server — stripe-mock — to measure
	// alternately with Tender at its highest concurrency, max(Pairs, 1)
	// times, with the stateless scenario.
	Versus, VersusKey string
	// Preload stores this many succeeded payments (through the API, seed
	// call shape) before the measured runs, which then run twice: before
	// and after the preload.
	Preload            int
	PreloadConcurrency int
	// Progress, when set, receives a line per finished step.
	Progress io.Writer
	// Logger is the in-process server's logger; nil discards.
	Logger *slog.Logger
}

// Report is everything one run measured.
type Report struct {
	Machine  Machine         `json:"machine"`
	Target   string          `json:"target"`
	Backend  string          `json:"backend"`
	Scenario string          `json:"scenario"`
	Duration time.Duration   `json:"duration_ns"`
	Requests int             `json:"requests_cap,omitempty"`
	Before   []*LoadResult   `json:"before_preload,omitempty"`
	Preload  *PreloadResult  `json:"preload,omitempty"`
	Tender   []*LoadResult   `json:"tender"`
	Bare     []*LoadResult   `json:"bare_handler,omitempty"`
	Commits  []*CommitResult `json:"commit_baselines,omitempty"`
	Paired   []Pair          `json:"paired,omitempty"`
	// PairedOne is the side-by-side measurement at one client: latency.
	PairedOne []LatencyPair `json:"paired_one_client,omitempty"`
	// VersusURL is the other server of Versus.
	VersusURL string   `json:"versus_url,omitempty"`
	Versus    []Versus `json:"versus,omitempty"`
	Notes     []string `json:"notes,omitempty"`
}

// Pair is one alternation of the side-by-side measurement (Options.Pairs).
type Pair struct {
	Concurrency   int     `json:"concurrency"`
	Tender        float64 `json:"tender_per_s"`
	Errors        int     `json:"errors"`
	Database      string  `json:"database"`
	DBConcurrency int     `json:"database_concurrency"`
	Commits       float64 `json:"commits_per_s"`
}

// Ratio is Tender's throughput over the database's commit rate.
func (p Pair) Ratio() float64 {
	if p.Commits == 0 {
		return 0
	}
	return p.Tender / p.Commits
}

// LatencyPair is one alternation of Tender at one client with the
// database's commit loop at one client (Options.Pairs): the one-client
// target compares their p50s.
type LatencyPair struct {
	TenderP50 time.Duration `json:"tender_p50_ns"`
	Errors    int           `json:"errors"`
	Database  string        `json:"database"`
	CommitP50 time.Duration `json:"commit_p50_ns"`
}

// Ratio is Tender's p50 over the commit's.
func (p LatencyPair) Ratio() float64 {
	if p.CommitP50 == 0 {
		return 0
	}
	return float64(p.TenderP50) / float64(p.CommitP50)
}

// PreloadResult describes how history was stored before measuring.
type PreloadResult struct {
	Payments    int           `json:"payments"`
	Method      string        `json:"method"`
	Concurrency int           `json:"concurrency"`
	Elapsed     time.Duration `json:"elapsed_ns"`
	PerSecond   float64       `json:"per_s"`
	Errors      int           `json:"errors"`
}

// Machine describes where the run happened.
type Machine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	CPUModel   string `json:"cpu_model"`
	MemTotal   string `json:"mem_total"`
	OS         string `json:"os"`
	Go         string `json:"go"`
	// LoadBefore and LoadAfter are /proc/loadavg's 1, 5 and 15 minute
	// averages when the run started and ended: other work on the machine
	// shows there.
	LoadBefore string `json:"loadavg_before"`
	LoadAfter  string `json:"loadavg_after"`
}

// DescribeMachine reads the CPU model and memory from /proc.
func DescribeMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	m.CPUModel = procField("/proc/cpuinfo", "model name")
	m.LoadBefore = loadAvg()
	if kb := procField("/proc/meminfo", "MemTotal"); kb != "" {
		if n, err := strconv.ParseInt(strings.TrimSuffix(kb, " kB"), 10, 64); err == nil {
			m.MemTotal = fmt.Sprintf("%.1f GiB", float64(n)/(1<<20))
		}
	}
	return m
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func procField(file, key string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Suite runs what opts ask for and returns the report.
func Suite(ctx context.Context, opts Options) (*Report, error) {
	if len(opts.Concurrencies) == 0 {
		opts.Concurrencies = []int{1, 8, 32}
	}
	if opts.PreloadConcurrency <= 0 {
		opts.PreloadConcurrency = 32
	}
	sc, err := ScenarioByName(opts.Scenario)
	if err != nil {
		return nil, err
	}
	progress := func(format string, args ...any) {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, format+"\n", args...)
		}
	}
	rep := &Report{Machine: DescribeMachine(), Scenario: sc.Name, Duration: opts.Duration, Requests: opts.Requests}
	defer func() { rep.Machine.LoadAfter = loadAvg() }()

	var target Target
	var rss rssProbe
	if opts.URL == "" {
		srv, err := StartServer(ctx, opts.DB, opts.Logger)
		if err != nil {
			return nil, err
		}
		defer srv.Close()
		target = srv.Target()
		rep.Backend = srv.Backend
		where := srv.DSN
		if srv.Backend == "postgres" {
			where = redact(srv.DSN)
		}
		rep.Target = fmt.Sprintf("in-process Tender at %s on %s (%s)", srv.URL, srv.Backend, where)
		rss = rssProbe{pid: os.Getpid(), note: "in-process: server and load generator share the process"}
	} else {
		target = Target{URL: opts.URL, Key: opts.APIKey}
		rep.Target = "running Tender at " + opts.URL
		rep.Backend = "remote"
		pid := opts.PID
		if pid == 0 {
			if port := loopbackPort(opts.URL); port > 0 {
				pid, _ = PidByPort(port)
			}
		}
		if pid > 0 {
			rss = rssProbe{pid: pid, note: fmt.Sprintf("server process %d", pid)}
		} else {
			rep.Notes = append(rep.Notes, "server peak RSS unknown: pass --pid for a server not on this host's loopback")
		}
	}

	measure := func(label string, tgt Target, sc *Scenario, conc int) (*LoadResult, error) {
		rss.reset()
		res, err := runMeasured(ctx, tgt, sc, LoadConfig{Concurrency: conc, Duration: opts.Duration, Requests: opts.Requests}, &rss)
		if err != nil {
			return nil, err
		}
		res.Target = label
		res.PeakRSSKB, res.RSSNote = rss.peak()
		progress("  %-22s c=%-3d %8d requests %9.0f/s  p50 %-8s p99 %-8s errors %d", label, conc, res.Requests, res.Throughput,
			fmtDur(res.P50), fmtDur(res.P99), res.Errors)
		return res, ctx.Err()
	}
	tenderLabel := "tender " + rep.Backend

	if opts.Preload > 0 {
		progress("measuring before preload (%s)…", sc.Name)
		for _, c := range opts.Concurrencies {
			res, err := measure(tenderLabel+" (empty)", target, sc, c)
			if err != nil {
				return rep, err
			}
			rep.Before = append(rep.Before, res)
		}
		progress("preloading %d payments through the API at concurrency %d…", opts.Preload, opts.PreloadConcurrency)
		var done atomic.Int64
		stop, stopped := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(stopped)
			t := time.NewTicker(15 * time.Second)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					progress("  … %d of %d", done.Load(), opts.Preload)
				}
			}
		}()
		res, err := runLabelled(ctx, target, Seed(), LoadConfig{Concurrency: opts.PreloadConcurrency, Requests: opts.Preload, Completed: &done})
		close(stop)
		<-stopped
		if err != nil {
			return rep, err
		}
		rep.Preload = &PreloadResult{Payments: res.Outcomes[OutcomeSucceeded], Method: "HTTP API, seed call shape (create+confirm, one request per payment)",
			Concurrency: opts.PreloadConcurrency, Elapsed: res.Elapsed, PerSecond: res.Throughput, Errors: res.Errors}
		progress("  stored %d payments in %s (%.0f/s, %d errors)", rep.Preload.Payments, res.Elapsed.Round(time.Second), res.Throughput, res.Errors)
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		tenderLabel = fmt.Sprintf("tender %s (+%s)", rep.Backend, humanCount(rep.Preload.Payments))
	}

	progress("measuring Tender (%s)…", sc.Name)
	for _, c := range opts.Concurrencies {
		res, err := measure(tenderLabel, target, sc, c)
		if err != nil {
			return rep, err
		}
		rep.Tender = append(rep.Tender, res)
	}

	if opts.Versus != "" {
		if err := measureVersus(ctx, rep, opts, target, sc, &rss, progress); err != nil {
			return rep, err
		}
	}
	if !opts.Baselines {
		return rep, nil
	}
	progress("measuring the bare net/http handler…")
	bare, err := StartBare()
	if err != nil {
		return rep, err
	}
	for _, c := range opts.Concurrencies {
		res, err := measure("bare net/http", Target{URL: bare.URL, Key: "sk_test_bare"}, Plain(), c)
		if err != nil {
			bare.Close()
			return rep, err
		}
		rep.Bare = append(rep.Bare, res)
	}
	bare.Close()

	commitDur := opts.Duration
	if commitDur <= 0 || commitDur > 5*time.Second {
		commitDur = 5 * time.Second
	}
	progress("measuring the database's commit rate…")
	dir, err := os.MkdirTemp("", "tender-bench-baseline-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(dir)
	cr, err := SQLiteCommits(ctx, dir, commitDur, 0)
	if err != nil {
		return rep, err
	}
	rep.Commits = append(rep.Commits, cr)
	progress("  sqlite     c=1   %8.0f commits/s  p50 %s", cr.PerSecond, fmtDur(cr.P50))
	if store.IsPostgres(opts.DB) {
		// At the levels Tender ran at: PostgreSQL's best rate is at a
		// middling concurrency on a small machine, and the target is the best.
		crs, err := PostgresCommits(ctx, opts.DB, commitDur, 0, opts.Concurrencies)
		if err != nil {
			return rep, err
		}
		for _, cr := range crs {
			progress("  postgres   c=%-3d %8.0f commits/s  p50 %s", cr.Concurrency, cr.PerSecond, fmtDur(cr.P50))
		}
		rep.Commits = append(rep.Commits, crs...)
		// Batches as full as Tender's at 32 clients at best: its two
		// writers, each with half the clients' writes.
		cr, err := PostgresRowsCeiling(ctx, opts.DB, commitDur, 0, ceilingBatch, store.PostgresWriters)
		if err != nil {
			return rep, err
		}
		progress("  postgres   c=%-3d %8.0f payments/s, %d per commit, machine CPU %s per payment", cr.Concurrency, cr.Payments(), cr.PerCommit, fmtCPU(cr.MachineCPU))
		rep.Commits = append(rep.Commits, cr)
	}
	if opts.URL != "" {
		rep.Notes = append(rep.Notes, "the SQLite commit baseline ran in this host's temp dir, which may not be the remote server's disk")
	}
	if opts.Pairs > 0 && len(rep.Tender) > 0 {
		if err := measurePairs(ctx, rep, opts, target, sc, dir, commitDur, progress); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// ceilingBatch is how many payments' rows each transaction of the
// PostgreSQL ceiling holds.
const ceilingBatch = 16

// measurePairs alternates Tender at its highest concurrency with the
// commit loop of its own database at that database's best concurrency, and
// then, if one client is among the levels, Tender at one client with the
// commit loop at one client.
func measurePairs(ctx context.Context, rep *Report, opts Options, target Target, sc *Scenario, dir string, d time.Duration, progress func(string, ...any)) error {
	conc := slices.Max(opts.Concurrencies)
	pg := rep.Backend == "postgres"
	database, dbConc, best := "sqlite", 1, 0.0
	for _, c := range rep.Commits {
		if (c.Database == "postgres") == pg && c.PerCommit <= 1 && c.PerSecond > best {
			database, dbConc, best = c.Database, c.Concurrency, c.PerSecond
		}
	}
	if best == 0 {
		return nil
	}
	commits := func(c int) (*CommitResult, error) {
		if !pg {
			return SQLiteCommits(ctx, dir, d, 0)
		}
		crs, err := PostgresCommits(ctx, opts.DB, d, 0, []int{c})
		if err != nil {
			return nil, err
		}
		return crs[0], nil
	}
	progress("measuring Tender at %d and %s's commits at %d side by side, %d times…", conc, database, dbConc, opts.Pairs)
	for range opts.Pairs {
		res, err := runLabelled(ctx, target, sc, LoadConfig{Concurrency: conc, Duration: d})
		if err != nil {
			return err
		}
		cr, err := commits(dbConc)
		if err != nil {
			return err
		}
		p := Pair{Concurrency: conc, Tender: res.Throughput, Errors: res.Errors, Database: database, DBConcurrency: dbConc, Commits: cr.PerSecond}
		rep.Paired = append(rep.Paired, p)
		progress("  tender %8.0f/s (errors %d)   %s %8.0f commits/s   %.2fx", p.Tender, p.Errors, database, p.Commits, p.Ratio())
	}
	if !slices.Contains(opts.Concurrencies, 1) {
		return ctx.Err()
	}
	progress("measuring Tender and %s's commits at one client side by side, %d times…", database, opts.Pairs)
	for range opts.Pairs {
		res, err := runLabelled(ctx, target, sc, LoadConfig{Concurrency: 1, Duration: d})
		if err != nil {
			return err
		}
		cr, err := commits(1)
		if err != nil {
			return err
		}
		p := LatencyPair{TenderP50: res.P50, Errors: res.Errors, Database: database, CommitP50: cr.P50}
		rep.PairedOne = append(rep.PairedOne, p)
		progress("  tender p50 %s (errors %d)   %s commit p50 %s   %.2fx", fmtDur(p.TenderP50), p.Errors, database, fmtDur(p.CommitP50), p.Ratio())
	}
	return ctx.Err()
}

// runLabelled runs the load with the pprof label role=loadgen on every
// client goroutine, so that a CPU profile of an in-process run separates
// the server (go tool pprof -tagignore role=loadgen) from the client.
func runLabelled(ctx context.Context, t Target, sc *Scenario, cfg LoadConfig) (res *LoadResult, err error) {
	pprof.Do(ctx, pprof.Labels("role", "loadgen"), func(ctx context.Context) {
		res, err = Run(ctx, t, sc, cfg)
	})
	return res, err
}

type rssProbe struct {
	pid        int
	note       string
	resetWorks bool
}

func (p *rssProbe) reset() {
	if p.pid > 0 {
		p.resetWorks = ResetHWM(p.pid)
	}
}

// cpu is the process's user+system CPU time so far; 0 when unknown.
func (p *rssProbe) cpu() time.Duration {
	if p.pid == 0 {
		return 0
	}
	d, err := ProcessCPU(p.pid)
	if err != nil {
		return 0
	}
	return d
}

func (p *rssProbe) peak() (int64, string) {
	if p.pid == 0 {
		return 0, ""
	}
	kb, err := VmHWM(p.pid)
	if err != nil {
		return 0, ""
	}
	note := p.note
	if !p.resetWorks {
		note += "; peak since the process started (clear_refs unavailable)"
	}
	return kb, note
}

func loopbackPort(raw string) int {
	u, err := url.Parse(raw)
	if err != nil {
		return 0
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "80"
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return 0
	}
	n, _ := strconv.Atoi(port)
	return n
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxx")
		}
	}
	return u.String()
}
