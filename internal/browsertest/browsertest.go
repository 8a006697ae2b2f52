// Package browsertest runs the browser tests' shared headless Chromium
// (Debian's /usr/bin/chromium, driven with chromedp) and evaluates script
// inside frames. Tests that need it skip loudly when Chromium is missing,
// and fail under CI=true, where it must be installed.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package installs the browser.
const ChromiumPath = "/usr/bin/chromium"

// Browser is one Chromium per test binary; each test opens its own tab,
// as starting a browser per test would dominate a suite's runtime.
type Browser struct {
	width, height int
	once          sync.Once
	ctx           context.Context
	err           error
	stop          func()
}

// New describes a browser with the given window size; it starts on first
// use.
func New(width, height int) *Browser {
	return &Browser{width: width, height: height, stop: func() {}}
}

func (b *Browser) start() {
	dir, err := os.MkdirTemp("", "tender-chromium-")
	if err != nil {
		b.err = err
		return
	}
	// The machine has no internet: without the background-networking flags
	// Chromium keeps trying to reach Google's hosts.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(ChromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(b.width, b.height),
	)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil {
		b.err = err
	}
	b.ctx = ctx
	b.stop = func() {
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(dir)
	}
}

// Require returns the browser's context, starting it on first use. Without
// Chromium it skips the test loudly, except under CI=true, where it fails.
func (b *Browser) Require(t testing.TB) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is missing: browser tests must run in CI", ChromiumPath)
		}
		fmt.Fprintf(os.Stderr, "\n*** %s: SKIPPED — %s not found; install Debian's chromium to run the browser tests ***\n\n", t.Name(), ChromiumPath)
		t.Skipf("%s not found", ChromiumPath)
	}
	b.once.Do(b.start)
	if b.err != nil {
		t.Fatalf("start chromium: %v", b.err)
	}
	return b.ctx
}

// Close stops the browser; call it from TestMain after m.Run.
func (b *Browser) Close() { b.stop() }

// EvalInFrame evaluates js inside a frame's document, awaiting promises, and
// decodes the result into out (when not nil). It runs in an isolated world:
// it sees the frame's DOM, not its scripts' variables.
func EvalInFrame(ctx context.Context, node *chromedp.Node, js string, out any) error {
	var raw []byte
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		w, err := cdp.Call(ctx, tg, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: node.FrameID, WorldName: "tender-test"})
		if err != nil {
			return err
		}
		yes := true
		res, err := cdp.Call(ctx, tg, runtime.Evaluate, runtime.EvaluateParams{Expression: js, ContextID: w.ExecutionContextID, AwaitPromise: &yes, ReturnByValue: &yes})
		if err != nil {
			return err
		}
		if res.ExceptionDetails != nil {
			desc := res.ExceptionDetails.Text
			if res.ExceptionDetails.Exception != nil {
				desc = res.ExceptionDetails.Exception.Description
			}
			return fmt.Errorf("%s", desc)
		}
		raw = res.Result.Value
		return nil
	}))
	if err != nil {
		return fmt.Errorf("in frame: %s: %v", Abbreviate(js), err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("in frame %s: decode %s: %v", Abbreviate(js), raw, err)
		}
	}
	return nil
}

// Abbreviate shortens script for error messages.
func Abbreviate(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}
