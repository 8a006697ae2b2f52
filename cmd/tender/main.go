// Command tender runs Tender, a self-hosted payments server that speaks the
// Stripe API. See the README for the command-line contract.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
)

const usage = `Tender: a self-hosted payments server that speaks the Stripe API.

Usage:
  tender serve [flags]             run the API, tender.js, hosted pages and dashboard
  tender accounts create [flags]   add an isolated account; prints its keys as JSON
  tender accounts set-password     set an account's dashboard password (read from stdin)
  tender listen --forward-to URL   forward the account's events, signed, to a local URL
  tender trigger EVENT             run the API calls that cause EVENT
  tender bench [flags]             measure throughput and latency against the database's own limits
  tender demo [flags]              start Tender and the example checkout together; print the checkout URL
  tender version                   print the version

Run "tender <command> -h" for a command's flags.
`

func main() {
	if os.Getenv("GOGC") == "" {
		// A request allocates many times the live heap, which is a few
		// MiB while serving payments: collecting at 11× it instead of 2×
		// costs tens of MiB of RSS and takes collections (and the mark
		// assists that stall the single writer) out of the way: about a
		// tenth less CPU per payment at 5×, a few percent more payments
		// again at 11× (measured with tender bench, alternately).
		debug.SetGCPercent(1000)
		if os.Getenv("GOMEMLIMIT") == "" {
			// Should the live heap ever grow large, collect before the
			// heap passes 1 GiB rather than at 11× it.
			debug.SetMemoryLimit(1 << 30)
		}
	}
	if os.Getenv("GOMAXPROCS") == "" {
		// One P more than the CPUs: the goroutine that fsyncs the WAL
		// comes back from the system call to a free P instead of queueing
		// behind the requests for one, and hands the writer its next
		// batch sooner (+3% at 32 clients on 2 CPUs; +2 was slower).
		runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + 1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tender:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "accounts":
		if len(args) >= 2 && args[1] == "set-password" {
			return setPassword(ctx, args[2:], stdinReader, stdout, stderr)
		}
		if len(args) < 2 || args[1] != "create" {
			return fmt.Errorf("usage: tender accounts create [--name N] [--db PATH|URL]")
		}
		return createAccount(ctx, args[2:], stdout, stderr)
	case "listen":
		return listen(ctx, args[1:], stdout, stderr)
	case "trigger":
		return trigger(ctx, args[1:], stdout, stderr)
	case "bench":
		return benchCmd(ctx, args[1:], stdout, stderr)
	case "demo":
		return demo(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "tender", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
