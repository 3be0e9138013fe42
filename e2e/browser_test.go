package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// testTimeout bounds a whole browser test: browser start, journey and checks.
	testTimeout = 3 * time.Minute
	// stepTimeout bounds one step (a wait for an element, a click that loads a page,
	// an axe run), so that a stuck step fails with its own name and the page it was
	// on, not with the test's deadline.
	stepTimeout = 30 * time.Second
)

// axeSource is axe.min.js, read once from ESPEKS_AXE_JS.
var axeSource struct {
	once sync.Once
	js   string
	err  error
}

// requireBrowser skips unless browser tests are on (ESPEKS_E2E=1, as scripts/test.sh
// sets it). When they are on, a missing Chromium or axe-core fails the test: CI must
// never pass by skipping silently.
func requireBrowser(t *testing.T) (chromium string) {
	t.Helper()
	if os.Getenv("ESPEKS_E2E") != "1" {
		t.Skip("browser tests run from scripts/test.sh (ESPEKS_E2E=1)")
	}
	chromium = os.Getenv("ESPEKS_CHROMIUM")
	if chromium == "" {
		t.Fatal("ESPEKS_E2E=1 but ESPEKS_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium)")
	}
	if fi, err := os.Stat(chromium); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		t.Fatalf("ESPEKS_E2E=1 but ESPEKS_CHROMIUM=%s is not an executable file (err: %v)", chromium, err)
	}
	axeSource.once.Do(func() {
		p := os.Getenv("ESPEKS_AXE_JS")
		if p == "" {
			axeSource.err = errors.New("ESPEKS_AXE_JS is not set (scripts/test.sh installs axe-core and sets it)")
			return
		}
		b, err := os.ReadFile(p)
		if err != nil {
			axeSource.err = fmt.Errorf("read ESPEKS_AXE_JS: %w", err)
			return
		}
		if !strings.Contains(string(b), "axe") || len(b) < 1000 {
			axeSource.err = fmt.Errorf("ESPEKS_AXE_JS=%s does not look like axe.min.js", p)
			return
		}
		axeSource.js = string(b)
	})
	if axeSource.err != nil {
		t.Fatalf("ESPEKS_E2E=1 but axe-core is missing: %v", axeSource.err)
	}
	return chromium
}

// browser is one tab of a headless Chromium, with the base URL of the portal.
type browser struct {
	t    *testing.T
	ctx  context.Context // the tab; the browser dies with the test's deadline
	base string
}

// startBrowser starts a headless Chromium for the test, with a fresh profile, and
// returns its first tab. Everything ends when the test ends or after testTimeout.
func startBrowser(t *testing.T, base string) *browser {
	t.Helper()
	chromium := requireBrowser(t)
	profile := t.TempDir() // created before the cleanups below, so removed after Chromium exits

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc) // kills Chromium and waits for it
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	// The first Do starts the browser with the test's context, so that the shorter
	// step contexts later bound single steps only.
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("start Chromium (%s): %v", chromium, err)
	}
	watchConsole(t, tabCtx, "first tab")
	return &browser{t: t, ctx: tabCtx, base: strings.TrimRight(base, "/")}
}

// newSession opens a tab in a new browser context of the same Chromium: its own
// cookies, as another person at another computer.
func (b *browser) newSession() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a new browser context: %v", err)
	}
	watchConsole(b.t, ctx, "second browser context")
	return &browser{t: b.t, ctx: ctx, base: b.base}
}

// watchConsole fails the test, at its end, for every error, warning or uncaught
// exception the tab's pages put on the console: a blocked or missing stylesheet or
// image, a CSP violation. The portal's pages have no script, so any of these is a
// fault.
func watchConsole(t *testing.T, ctx context.Context, tab string) {
	t.Helper()
	msgs := chromedp.Console(ctx) // subscribes now
	var mu sync.Mutex
	var bad []string
	go func() {
		for m, err := range msgs {
			if err != nil {
				return // the tab is closed
			}
			if strings.HasPrefix(m.Text, "Failed to load resource") && !strings.Contains(m.URL, "/static/") {
				// A page itself answered with an error status (422 for a form with
				// errors, 403 for a refused login): clickToPage checks those.
				continue
			}
			switch m.Type {
			case chromedp.ConsoleError, chromedp.ConsoleWarning, chromedp.ConsoleException:
				mu.Lock()
				bad = append(bad, fmt.Sprintf("%s at %s: %s", m.Type, m.URL, m.Text))
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range bad {
			t.Errorf("browser console (%s): %s", tab, m)
		}
	})
}

// close closes the tab (and its browser context, if it has its own).
func (b *browser) close() {
	b.t.Helper()
	if err := chromedp.Cancel(b.ctx); err != nil && !errors.Is(err, context.Canceled) {
		b.t.Logf("close tab: %v", err)
	}
}

// do runs actions as one named step and fails the test, saying where the page was,
// if they fail.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v\n%s", step, err, b.where())
	}
}

// get runs one action that returns a value, as a named step.
func get[T any](b *browser, step string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v\n%s", step, err, b.where())
	}
	return v
}

// where describes the page the tab is on, for failure messages.
func (b *browser) where() string {
	if b.ctx.Err() != nil {
		return "(the browser is gone: " + b.ctx.Err().Error() + ")"
	}
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(page unknown: " + err.Error() + ")"
	}
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(text) > 2000 {
		text = text[:2000] + "…"
	}
	return "page " + loc + ":\n" + text
}

// open loads a path of the portal and waits until ready is visible.
func open[S chromedp.Selectable](b *browser, path string, ready S) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(ready))
}

// clickToPage clicks what sel selects, which must load a page (a link, a form's
// button), checks the HTTP status of the page it ends on (after redirects) and waits
// until ready, an element of that page, is visible.
func clickToPage[S, R chromedp.Selectable](b *browser, step string, sel S, wantStatus int, ready R) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(sel))
	if err != nil {
		b.t.Fatalf("%s: click %v: %v\n%s", step, sel, err, b.where())
	}
	if res == nil {
		b.t.Fatalf("%s: click %v: no page loaded\n%s", step, sel, b.where())
	}
	if int(res.Status) != wantStatus {
		b.t.Errorf("%s: %s answered HTTP %d, want %d", step, res.URL, res.Status, wantStatus)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(ready)); err != nil {
		b.t.Fatalf("%s: after the click, %v not visible: %v\n%s", step, ready, err, b.where())
	}
}

// text is the visible text of the first element sel selects, trimmed.
func text[S chromedp.Selectable](b *browser, sel S) string {
	b.t.Helper()
	return strings.TrimSpace(get(b, fmt.Sprintf("read the text of %v", sel), chromedp.Text(sel)))
}

// value is the current value of a form control.
func value[S chromedp.Selectable](b *browser, sel S) string {
	b.t.Helper()
	return get(b, fmt.Sprintf("read the value of %v", sel), chromedp.Value(sel))
}

// path is the path and query of the tab's current URL.
func (b *browser) path() string {
	b.t.Helper()
	loc := get(b, "read the location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatalf("location %q: %v", loc, err)
	}
	if !strings.HasPrefix(loc, b.base+"/") {
		b.t.Fatalf("location %q is not on the portal %s", loc, b.base)
	}
	return u.RequestURI()
}

// field types into the labelled input #f-<name>, as a person does, key by key.
func field(name, s string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.ID("f-"+name), s)
}

// quoted makes an XPath string literal; labels here never hold both quote kinds.
func quoted(s string) string {
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	return `"` + s + `"`
}

// mainButton is the button labelled label in the page's content.
func mainButton(label string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//main//button[normalize-space(.)=%s]`, quoted(label)))
}

// mainLink is the link labelled label in the page's content.
func mainLink(label string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//main//a[normalize-space(.)=%s]`, quoted(label)))
}

// headerButton is the button labelled label in the page header (language switch,
// Log Keluar).
func headerButton(label string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//header//button[normalize-space(.)=%s]`, quoted(label)))
}

// menuLink is the link labelled label in the main menu.
func menuLink(label string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//header//nav//a[normalize-space(.)=%s]`, quoted(label)))
}

// axeRun runs the rule sets the portal promises (WCAG 2.0, 2.1 and 2.2, A and AA) and
// returns what the test reports.
const axeRun = `axe.run(document, {
	runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
	resultTypes: ['violations']
}).then(r => ({
	url: r.url,
	violations: r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(x => Array.isArray(x) ? x.join(' >>> ') : String(x)),
			html: n.html, summary: n.failureSummary || ''
		}))
	})),
	incomplete: r.incomplete.map(v => ({id: v.id, impact: v.impact || '', help: v.help, nodes: []}))
}))`

type axeNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

type axeRule struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeResult struct {
	URL        string    `json:"url"`
	Violations []axeRule `json:"violations"`
	Incomplete []axeRule `json:"incomplete"`
}

// shots numbers the screenshots of a run, in the order taken.
var shots struct {
	mu sync.Mutex
	n  int
}

// checkA11y runs axe-core on the page the tab ctx shows, against WCAG 2.0/2.1/2.2
// A and AA, and fails the test (without stopping it) for every violation, naming the
// rule, its impact, its help text and the first elements with their HTML. With
// ESPEKS_E2E_SHOTS set it also saves a full-page screenshot of the page there.
func checkA11y(t *testing.T, ctx context.Context, pageName string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	// The page's CSS must be in for the contrast rules; the portal's pages have no
	// script, so "complete" is the page as the user sees it.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === 'complete'`)); err != nil {
		t.Fatalf("a11y %s: page not loaded: %v", pageName, err)
	}
	screenshot(t, ctx, pageName)
	// A new document has no axe yet. Runtime.evaluate is DevTools, not page script, so
	// the portal's CSP (no inline script) does not stop it.
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe !== 'undefined'`))
	if err != nil {
		t.Fatalf("a11y %s: %v", pageName, err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource.js)); err != nil {
			t.Fatalf("a11y %s: inject axe-core: %v", pageName, err)
		}
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("a11y %s: axe.run: %v", pageName, err)
	}
	if len(res.Incomplete) > 0 {
		ids := make([]string, 0, len(res.Incomplete))
		for _, r := range res.Incomplete {
			ids = append(ids, r.ID)
		}
		t.Logf("a11y %s: axe could not decide (review by hand): %s", pageName, strings.Join(ids, ", "))
	}
	if len(res.Violations) == 0 {
		t.Logf("a11y %s: no WCAG A/AA violations (%s)", pageName, res.URL)
		return
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "a11y %s: %d axe violation(s) on %s", pageName, len(res.Violations), res.URL)
	for _, v := range res.Violations {
		fmt.Fprintf(&sb, "\n  - %s [%s] %s (%s), %d element(s)", v.ID, v.Impact, v.Help, v.HelpURL, len(v.Nodes))
		for i, n := range v.Nodes {
			if i == 3 {
				fmt.Fprintf(&sb, "\n      … and %d more", len(v.Nodes)-3)
				break
			}
			html := n.HTML
			if len(html) > 300 {
				html = html[:300] + "…"
			}
			fmt.Fprintf(&sb, "\n      %s\n        %s", strings.Join(n.Target, ", "), html)
			if n.Summary != "" {
				fmt.Fprintf(&sb, "\n        %s", strings.ReplaceAll(n.Summary, "\n", "\n        "))
			}
		}
	}
	t.Error(sb.String())
}

var unsafeName = regexp.MustCompile(`[^a-z0-9]+`)

// screenshot saves a full-page PNG of the page into ESPEKS_E2E_SHOTS, when set: for
// people to look at, never needed by the test.
func screenshot(t *testing.T, ctx context.Context, pageName string) {
	t.Helper()
	dir := os.Getenv("ESPEKS_E2E_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", pageName, err)
		return
	}
	shots.mu.Lock()
	shots.n++
	n := shots.n
	shots.mu.Unlock()
	name := fmt.Sprintf("%02d-%s-%s.png", n, unsafeName.ReplaceAllString(strings.ToLower(t.Name()), "-"),
		strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(pageName), "-"), "-"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("screenshot %s: %v", pageName, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", pageName, err)
	}
}
