package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tenderpay/tender/internal/app"
	"github.com/tenderpay/tender/internal/store"
)

// SecretKey is the key pinned on in-process servers.
const SecretKey = "sk_test_tender_bench_secret"

// Server is a Tender started in this process for a benchmark.
type Server struct {
	App     *app.App
	URL     string
	Backend string // "sqlite" or "postgres"
	DSN     string
	cleanup []func()
}

// StartServer starts Tender in-process on a free loopback port. db is a
// postgres:// URL (a scratch schema is created in it and dropped on Close)
// or a SQLite file path; empty means a fresh SQLite file in a temp dir.
func StartServer(ctx context.Context, db string, logger *slog.Logger) (*Server, error) {
	s := &Server{Backend: "sqlite"}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	switch {
	case store.IsPostgres(db):
		s.Backend = "postgres"
		dsn, drop, err := scratchSchema(ctx, db, "bench_tender_")
		if err != nil {
			return nil, err
		}
		s.DSN = dsn
		s.cleanup = append(s.cleanup, drop)
	case db == "":
		dir, err := os.MkdirTemp("", "tender-bench-")
		if err != nil {
			return nil, err
		}
		s.DSN = filepath.Join(dir, "tender.db")
		s.cleanup = append(s.cleanup, func() { os.RemoveAll(dir) })
	default:
		s.DSN = db
	}
	a, err := app.Start(ctx, app.Config{
		Addr:      "127.0.0.1:0",
		DB:        s.DSN,
		SecretKey: SecretKey,
		Logger:    logger,
	})
	if err != nil {
		s.runCleanup()
		return nil, err
	}
	s.App, s.URL = a, a.URL
	return s, nil
}

// Target is the server as a load target.
func (s *Server) Target() Target { return Target{URL: s.URL, Key: SecretKey} }

// Close stops the server and removes what StartServer created.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := s.App.Close(ctx)
	s.runCleanup()
	return err
}

func (s *Server) runCleanup() {
	for i := len(s.cleanup) - 1; i >= 0; i-- {
		s.cleanup[i]()
	}
}

// VmHWM returns pid's peak resident set size in KiB from /proc.
func VmHWM(pid int) (int64, error) {
	return procStatusKB(pid, "VmHWM:")
}

// VmRSS returns pid's current resident set size in KiB.
func VmRSS(pid int) (int64, error) {
	return procStatusKB(pid, "VmRSS:")
}

func procStatusKB(pid int, field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// ResetHWM resets pid's peak RSS to its current RSS (Linux clear_refs 5),
// so the next VmHWM covers one run only. It reports whether that worked.
func ResetHWM(pid int) bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
}

// PidByPort finds the process listening on TCP port on this host, by
// matching the socket inode in /proc/net/tcp{,6} with /proc/*/fd.
func PidByPort(port int) (int, error) {
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			fs := strings.Fields(line)
			if len(fs) < 10 || fs[3] != "0A" { // 0A: LISTEN
				continue
			}
			_, hexPort, ok := strings.Cut(fs[1], ":")
			if p, err := strconv.ParseInt(hexPort, 16, 32); ok && err == nil && int(p) == port {
				inodes["socket:["+fs[9]+"]"] = true
			}
		}
	}
	if len(inodes) == 0 {
		return 0, fmt.Errorf("no process listens on port %d", port)
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range procs {
		if l, err := os.Readlink(fd); err == nil && inodes[l] {
			pid, err := strconv.Atoi(strings.Split(fd, "/")[2])
			if err == nil {
				return pid, nil
			}
		}
	}
	return 0, fmt.Errorf("the process listening on port %d is not readable (pass --pid)", port)
}

// MachineCPU returns the CPU time all of this machine's CPUs have spent
// busy since boot (user, system, interrupts, stolen: /proc/stat, 10 ms
// ticks): over a run, every process's share — the server's, the load
// generator's, a database server's on this machine.
func MachineCPU() (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	// cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 9 || f[0] != "cpu" {
		return 0, fmt.Errorf("malformed /proc/stat")
	}
	var busy int64
	for _, i := range []int{1, 2, 3, 6, 7, 8} {
		v, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("malformed /proc/stat")
		}
		busy += v
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return time.Duration(busy) * tick, nil
}

// ProcessCPU returns pid's user+system CPU time: from getrusage for this
// process, from /proc/PID/stat (10 ms ticks) for another.
func ProcessCPU(pid int) (time.Duration, error) {
	if pid == os.Getpid() {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			return 0, err
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces: state is field 3, utime 14 and stime 15.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	f := strings.Fields(string(b)[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return time.Duration(ut+st) * tick, nil
}
