package playground_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/peervoice/peervoice/internal/testutil/storetest"
	"github.com/peervoice/peervoice/playground"
	"github.com/peervoice/peervoice/store"
)

// screenshots makes the tests write docs/playground-*.png, the README's
// pictures of each view: go test ./playground/ -run Screens -screenshots
var screenshots = flag.Bool("screenshots", false, "write the views' screenshots to docs/playground-*.png")

// browsers are the names Chromium goes by; PEERVOICE_CHROMIUM names one
// elsewhere.
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// findBrowser returns a Chromium to drive. With none, the test is
// skipped, but only on a developer's machine: in CI (CI is set, as
// .ci/run sets it) a missing browser is a failure, so these tests can
// never pass there by not running.
func findBrowser(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PEERVOICE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range browsers {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("no Chromium found (looked for %s on PATH, and PEERVOICE_CHROMIUM): install it (apt-get install chromium) to run the playground's browser tests", strings.Join(browsers, ", "))
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI must have one, so this fails rather than skips")
	}
	t.Skip(msg)
	return ""
}

// env is a playground served to a real headless Chromium.
type env struct {
	t    *testing.T
	ctx  context.Context
	base string
	srv  *playground.Server

	steps string // the page's step count at mark
}

// newEnv serves a playground over a new database (flowsDir "" for the
// built-in flows) and opens a browser tab on it.
func newEnv(t *testing.T, flowsDir string) *env {
	t.Helper()
	exe := findBrowser(t)
	path := storetest.Path(t)
	db := storetest.Open(t, path, store.Options{})
	srv, err := playground.New(playground.Config{DB: db, DBPath: path, Scratch: true, FlowsDir: flowsDir})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stopRun := context.WithCancel(context.Background())
	go srv.Run(runCtx)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { stopRun(); hs.Close() })

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		// Without these Chromium reaches out to Google's services, and on
		// a machine without the network its connections are refused.
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first Run starts the browser; it must not have a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium (%s): %v", exe, err)
	}
	return &env{t: t, ctx: ctx, base: hs.URL, srv: srv}
}

// run runs actions, each call within a minute.
func (e *env) run(steps ...chromedp.Action[chromedp.Void]) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		e.t.Fatalf("browser: %v\npage text:\n%s", err, e.pageText())
	}
}

// eval evaluates a JavaScript expression, decoding its JSON result.
func eval[T any](e *env, js string) T {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		e.t.Fatalf("evaluate %.80q: %v", js, err)
	}
	return v
}

func (e *env) pageText() string {
	ctx, cancel := context.WithTimeout(e.ctx, 5*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	return s
}

// open loads a view of the playground.
func (e *env) open(path string) {
	e.t.Helper()
	// Until htmx has set the page up, a click would post the form
	// without it (which works too, but as a new page).
	e.run(chromedp.Navigate(e.base+path), chromedp.WaitVisible(chromedp.CSS("main")),
		chromedp.Poll[chromedp.Void](`document.readyState === "complete" && window.htmx !== undefined`))

}

// js quotes s for JavaScript.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// mark notes the steps the page has counted (playground.js counts each
// swap on <body data-steps> once htmx has settled it), so waitStep can tell
// when the next has finished.
func (e *env) mark() {
	e.t.Helper()
	e.steps = eval[string](e, `document.body.dataset.steps || "0"`)
}

// waitStep waits for the step after mark to have finished: a column
// (or the moderator's panel) replaced and its forms set up by htmx.
func (e *env) waitStep() {
	e.t.Helper()
	e.run(chromedp.Poll[chromedp.Void](`(document.body.dataset.steps || "0") !== `+js(e.steps),
		chromedp.WithPollingTimeout(30*time.Second)))
}

// findControl marks the last enabled button (or the control labelled
// label) in the column whose text is label, for a CSS query.
func (e *env) findControl(col, label string) string {
	e.t.Helper()
	found := eval[bool](e, `(() => {
		document.querySelectorAll("[data-pick]").forEach(n => n.removeAttribute("data-pick"));
		const col = document.getElementById("col-`+col+`");
		const want = `+js(label)+`;
		const all = [...col.querySelectorAll("button:not([disabled])")].filter(b => b.innerText.replace(/\s+/g, " ").trim() === want);
		if (all.length === 0) return false;
		all[all.length - 1].setAttribute("data-pick", "1");
		return true
	})()`)
	if !found {
		e.t.Fatalf("no enabled button %q in column %s; it shows:\n%s", label, col, e.columnText(col))
	}
	return `[data-pick="1"]`
}

// click clicks the button label in the column with the mouse, and waits
// for the step.
func (e *env) click(col, label string) {
	e.t.Helper()
	sel := e.findControl(col, label)
	e.mark()
	e.run(chromedp.Click(chromedp.CSS(sel)))
	e.waitStep()
}

// say types text in the column's message box and sends it with Enter.
func (e *env) say(col, text string) {
	e.t.Helper()
	e.mark()
	e.run(chromedp.Click(chromedp.CSS("#say-"+col)), chromedp.KeyEvent(text), chromedp.KeyEvent(kb.Enter))
	e.waitStep()
}

// columnText is what the column shows.
func (e *env) columnText(col string) string {
	return eval[string](e, `(document.getElementById("col-`+col+`") || document.body).innerText`)
}

// question is the latest question's text in the column (its embeds).
func (e *env) question(col string) string {
	return eval[string](e, `(() => { const m = [...document.querySelectorAll("#col-`+col+` li.msg")].filter(l => l.querySelector("button:not([disabled]), select:not([disabled])")).pop(); return m ? m.innerText : "" })()`)
}

// wantQuestion fails unless the latest question contains want.
func (e *env) wantQuestion(col, want string) {
	e.t.Helper()
	if got := e.question(col); !strings.Contains(got, want) {
		e.t.Fatalf("latest question in %s = %q; want it to contain %q\ncolumn:\n%s", col, got, want, e.columnText(col))
	}
}

// screenshot writes docs/playground-name.png when -screenshots is given,
// of the window scrolled to show the element at (a CSS selector; "" for
// the top of the page) at its bottom.
func (e *env) screenshot(name, at string) {
	e.t.Helper()
	if !*screenshots {
		return
	}
	eval[bool](e, `(() => { const el = `+js(at)+` && document.querySelector(`+js(at)+`);
		if (el) el.scrollIntoView({block: "end"}); else window.scrollTo(0, 0); return true })()`)
	ctx, cancel := context.WithTimeout(e.ctx, time.Minute)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		e.t.Fatal(err)
	}
	out := filepath.Join("..", "docs", "playground-"+name+".png")
	if err := os.WriteFile(out, png, 0o644); err != nil {
		e.t.Fatal(err)
	}
	e.t.Logf("wrote %s", out)
}

func clickSel(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }

func setSelect(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(sel), value)
}
