package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"xinlu/internal/demo"
	"xinlu/internal/seal"
	"xinlu/internal/testfix"
	"xinlu/internal/web"
	"xinlu/internal/xinlu"
)

// newDemoApp is a running xinlu on a temporary SQLite database holding the
// demo zone, every demo account with the test password and, where the roles
// require one, an authenticator.
func newDemoApp(t *testing.T) *app {
	t.Helper()
	ctx := context.Background()
	st, path := testfix.SQLiteFile(t)
	keys, err := seal.NewKeys(seal.AES)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UseKeys(ctx, keys); err != nil {
		t.Fatal(err)
	}
	fix := testfix.Attach(t, st)
	a := &app{t: t, store: st, path: path, users: fix.Users, clock: fix.Clock, fix: fix}
	res, err := demo.Seed(ctx, st, demo.Options{Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	a.zone = res.Zone
	for _, l := range res.Logins {
		u, err := st.UserByUsername(ctx, l.Username)
		if err != nil {
			t.Fatal(err)
		}
		a.users[l.Role] = u
		if xinlu.NeedsSecondFactor(u.Roles) {
			a.enrol(u.Username)
		}
	}
	cfg := web.DefaultConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	a.srv, err = web.New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.http = httptest.NewServer(a.srv)
	t.Cleanup(a.http.Close)
	return a
}

// pageCheck is the script that looks at a rendered page in a language. It
// answers what it finds wrong: sideways scrolling, text that looks like a
// key or a code (stage_due, auth.login), a Chinese 合计 or a full-width
// separator after English words on an English page, and numbers of five
// digits or more printed without thousands separators. Text inside code,
// pre, kbd, samp, time and elements marked .raw (phone numbers, ID numbers
// and other codes that are not amounts) is not read.
const pageCheck = `((lang) => {
  const out = [];
  const se = document.scrollingElement;
  if (se.scrollWidth > se.clientWidth) out.push("scrolls sideways: " + se.scrollWidth + " > " + se.clientWidth);
  const skip = "code,pre,kbd,samp,time,script,style,textarea,noscript,template,.raw,[hidden]";
  const keyRe = /\b[a-z]+[._][a-z_]+\b/g;
  const words = new Set(["e.g", "i.e"]); // English abbreviations
  const numRe = /\d{5,}/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!e || e.closest(skip)) continue;
    const s = n.nodeValue;
    if (!s.trim()) continue;
    if (e.getClientRects().length === 0) continue;
    const st = getComputedStyle(e);
    if (st.visibility === "hidden" || st.display === "none") continue;
    for (const m of s.matchAll(keyRe)) {
      if (words.has(m[0])) continue;
      const msg = "code-like text " + JSON.stringify(m[0]) + " in " + JSON.stringify(s.trim().slice(0, 80));
      if (!seen.has(msg)) { seen.add(msg); out.push(msg); }
    }
    if (lang === "en") {
      for (const m of s.matchAll(/合计|[A-Za-z0-9)][：；]/g)) {
        const msg = "Chinese wording or separator " + JSON.stringify(m[0]) + " in English: " + JSON.stringify(s.trim().slice(0, 80));
        if (!seen.has(msg)) { seen.add(msg); out.push(msg); }
      }
    }
    for (const m of s.matchAll(numRe)) {
      const msg = "number without separators " + JSON.stringify(m[0]) + " in " + JSON.stringify(s.trim().slice(0, 80));
      if (!seen.has(msg)) { seen.add(msg); out.push(msg); }
    }
  }
  return out;
})`

// layoutCheck answers what is wrong with the layout at the current width:
// sideways scrolling, and form controls (inputs, selects, text areas,
// buttons) that overlap one another.
const layoutCheck = `(() => {
  const out = [];
  const se = document.scrollingElement;
  if (se.scrollWidth > se.clientWidth) {
    // Name the innermost elements that reach past the right edge.
    const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > se.clientWidth + 1 && !e.closest(".table-scroll,.kanban,[hidden]"));
    const inner = wide.filter(e => !wide.some(c => c !== e && e.contains(c))).slice(0, 3)
      .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") + " " + JSON.stringify((e.textContent || "").trim().slice(0, 30)));
    out.push("scrolls sideways: " + se.scrollWidth + " > " + se.clientWidth + " (" + inner.join("; ") + ")");
  }
  const ctrls = [...document.querySelectorAll("#content input:not([type=hidden]),#content select,#content textarea,#content button")]
    .filter(e => { const st = getComputedStyle(e); return e.getClientRects().length && st.visibility !== "hidden" && st.display !== "none" && !e.closest("[hidden],details:not([open]),dialog:not([open])"); })
    .map(e => ({ e, r: e.getBoundingClientRect() }))
    .filter(x => x.r.width > 0 && x.r.height > 0);
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : e.name ? "[name=" + e.name + "]" : "") + (e.textContent.trim() ? " " + JSON.stringify(e.textContent.trim().slice(0, 20)) : "");
  for (let i = 0; i < ctrls.length && out.length < 5; i++) {
    for (let j = i + 1; j < ctrls.length; j++) {
      const a = ctrls[i].r, b = ctrls[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) { out.push("overlap: " + name(ctrls[i].e) + " and " + name(ctrls[j].e)); break; }
    }
  }
  return out;
})()`

// detailLinks picks the links of a page that open a record, the first of
// each kind not in seen: a lead, project, member, team, claim, period, and a
// period's results, publication and scores.
const detailLinks = `((seen) => {
  const kinds = {};
  for (const a of document.querySelectorAll("#content a[href]")) {
    const h = a.getAttribute("href").split(/[?#]/)[0];
    let m = h.match(/^\/(leads|projects|members|teams|tolerance|appraisal\/periods|land\/parks|enterprises)\/\d+$/);
    if (m && !kinds[m[1]] && !seen.includes(m[1])) kinds[m[1]] = h;
    m = h.match(/^\/appraisal\/periods\/\d+\/(results|publication|scores)(\/\d+)?$/);
    if (m && !kinds["period-" + m[1]] && !seen.includes("period-" + m[1])) kinds["period-" + m[1]] = h;
  }
  return kinds;
})`

type viewport struct {
	name string
	w, h int64
}

var pageViewports = []viewport{{"wide", 1366, 768}, {"phone", 390, 844}}

// TestBrowserEveryPage signs in as every role of the demo zone and opens
// every page of its menu, and one record of each kind it can open, in both
// languages, at 1366×768 (and, once per page, at 390×844). A page fails
// when it scrolls sideways or its form controls overlap, shows a
// key or a code where words belong, prints an amount without thousands
// separators, logs a console error, or (a menu page) answers other than
// 200. Each page is also screenshotted at 1366×768 and 390×844, once per
// language by the first role that opens it, into $XINLU_TEST_ARTIFACTS/pages
// or a temporary folder. XINLU_TEST_ROLES=member,viewer walks a few roles.
func TestBrowserEveryPage(t *testing.T) {
	started := time.Now()
	shots.Clear()
	root := browser(t)
	a := newDemoApp(t)
	dir := os.Getenv("XINLU_TEST_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else {
		dir = filepath.Join(dir, "pages")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo zone ready in %s", time.Since(started).Round(time.Millisecond))

	roles := demo.Usernames()
	if r := os.Getenv("XINLU_TEST_ROLES"); r != "" { // a few roles only, while fixing a page
		roles = strings.Split(r, ",")
	}
	work := make(chan string)
	var mu sync.Mutex
	problems := map[string][]string{}
	report := func(role, page, what string) {
		mu.Lock()
		defer mu.Unlock()
		problems[role] = append(problems[role], page+": "+what)
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for role := range work {
				walkRole(t, root, a, dir, role, func(page, what string) { report(role, page, what) })
			}
		}()
	}
	for _, r := range roles {
		work <- r
	}
	close(work)
	wg.Wait()
	t.Logf("walked %d roles in %s", len(roles), time.Since(started).Round(time.Millisecond))
	var all []string
	for _, r := range roles {
		for _, p := range problems[r] {
			all = append(all, r+" "+p)
		}
	}
	if len(all) > 0 {
		sort.Strings(all)
		t.Errorf("%d problems (screenshots in %s):\n%s", len(all), dir, strings.Join(all, "\n"))
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// shots are the pages screenshotted so far: one screenshot per page,
// language and width, by the first role that opens it.
var shots sync.Map

func firstShot(key string) bool {
	_, taken := shots.LoadOrStore(key, true)
	return !taken
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// walkRole signs in as role in a browser context of its own and opens its
// pages.
func walkRole(t *testing.T, root context.Context, a *app, dir, role string, report func(page, what string)) {
	var cmu sync.Mutex
	var console []string
	listen := func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, arg := range e.Args {
					parts = append(parts, strings.Trim(string(arg.Value), `"`)+arg.Description)
				}
				msg = "console error: " + strings.Join(parts, " ")
			}
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError {
				msg = "console error: " + e.Entry.Text + " " + e.Entry.URL
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		}
		if msg != "" {
			cmu.Lock()
			console = append(console, msg)
			cmu.Unlock()
		}
	}
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext(), chromedp.WithListener(listen))
	defer cancel()
	fail := func(what string, err error) {
		report("-", fmt.Sprintf("%s: %v", what, err))
	}
	// The first action opens the tab, which lives as long as the context
	// that action gets: no deadline here.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		fail("viewport", err)
		return
	}
	if err := signIn(ctx, a, role); err != nil {
		c, cc := context.WithTimeout(ctx, 5*time.Second)
		loc, _ := chromedp.Run(c, chromedp.Location())
		body, _ := chromedp.Run(c, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 200) : ""`))
		cc()
		fail("sign in at "+loc+" "+body, err)
		return
	}
	for _, lang := range []string{"zh-CN", "en"} {
		if lang == "en" {
			c, cc := context.WithTimeout(ctx, 15*time.Second)
			err := chromedp.Do(c, chromedp.Navigate(a.http.URL+"/"), chromedp.Click("#lang-switch"), chromedp.WaitReady(`html[lang="en"] #current-user`))
			cc()
			if err != nil {
				fail("switch to English", err)
				return
			}
		}
		c, cc := context.WithTimeout(ctx, 15*time.Second)
		menu, err := chromedp.Run(c, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#sidebar nav a[href]")].map(a => a.getAttribute("href"))`))
		cc()
		if err != nil {
			fail("menu", err)
			return
		}
		queue := append([]string(nil), menu...)
		isMenu := map[string]bool{}
		for _, p := range menu {
			isMenu[p] = true
		}
		done := map[string]bool{}
		kinds := []string{} // the kinds of record already opened
		for len(queue) > 0 {
			path := queue[0]
			queue = queue[1:]
			if done[path] {
				continue
			}
			done[path] = true
			more := openPage(ctx, a, dir, role, lang, path, isMenu[path], kinds, report, func() []string {
				cmu.Lock()
				defer cmu.Unlock()
				out := console
				console = nil
				return out
			})
			for kind, p := range more {
				kinds = append(kinds, kind)
				queue = append(queue, p)
			}
		}
	}
}

// signIn signs in through the login page, with the second factor where the
// account has one.
func signIn(ctx context.Context, a *app, user string) error {
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(c,
		chromedp.Navigate(a.http.URL+"/login"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", user),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Click("#login-submit"),
	); err != nil {
		return err
	}
	u, _ := a.store.UserByUsername(context.Background(), user)
	if u != nil && xinlu.NeedsSecondFactor(u.Roles) {
		if err := chromedp.Do(c,
			chromedp.WaitVisible("#totp-code"),
			chromedp.SendKeys("#totp-code", a.totpCode(user)),
			chromedp.Click("#totp-submit"),
		); err != nil {
			return err
		}
	}
	return chromedp.Do(c, chromedp.WaitVisible("#current-user"))
}

// openPage opens one page, checks it at each viewport, saves screenshots
// and answers the record pages it links to.
func openPage(ctx context.Context, a *app, dir, role, lang, path string, menu bool, kinds []string, report func(page, what string), console func() []string) map[string]string {
	name := lang + " " + path
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	console() // forget what earlier pages said
	res, err := chromedp.Run(c, chromedp.NavigateResponse(a.http.URL+path))
	if err != nil {
		report(name, "open: "+err.Error())
		return nil
	}
	if res.Status != 200 {
		if menu {
			report(name, fmt.Sprintf("status %d", res.Status))
		}
		return nil
	}
	seen, _ := json.Marshal(kinds)
	more, _ := chromedp.Run(c, chromedp.Evaluate[map[string]string](detailLinks+"("+string(seen)+")"))
	found, err := chromedp.Run(c, chromedp.Evaluate[[]string](pageCheck+"("+strconvQuote(lang)+")"))
	if err != nil {
		report(name, "check: "+err.Error())
	}
	for _, f := range found {
		report(name, f)
	}
	// A screenshot at each width, once per page and language.
	for i, vp := range pageViewports {
		if !firstShot(lang + " " + path + " " + vp.name) {
			continue // another role's screenshot shows this page
		}
		if i > 0 {
			if err := chromedp.Do(c, chromedp.EmulateViewport(vp.w, vp.h)); err != nil {
				report(name, "viewport: "+err.Error())
				return more
			}
			defer chromedp.Do(c, chromedp.EmulateViewport(pageViewports[0].w, pageViewports[0].h))
			// Let the page see the resize (charts follow it).
			chromedp.Run(c, chromedp.Evaluate[bool](`new Promise(r => requestAnimationFrame(() => setTimeout(() => r(true), 50)))`, chromedp.EvalAwaitPromise))
		}
		bad, err := chromedp.Run(c, chromedp.Evaluate[[]string](layoutCheck))
		if err != nil {
			report(name, "layout check: "+err.Error())
		}
		for _, b := range bad {
			report(name, vp.name+": "+b)
		}
		png, err := chromedp.Run(c, chromedp.FullScreenshot(50))
		if err == nil {
			file := unsafeName.ReplaceAllString(strings.Join([]string{role, lang, strings.Trim(path, "/"), vp.name}, "_"), "-") + ".jpg"
			os.WriteFile(filepath.Join(dir, file), png, 0o644)
		}
	}
	time.Sleep(20 * time.Millisecond) // let the last console messages arrive
	for _, m := range console() {
		report(name, m)
	}
	return more
}
