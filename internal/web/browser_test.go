package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"xinlu/internal/xinlu"
)

// browser starts headless Chromium for one test. Browser tests run when
// XINLU_TEST_BROWSER is set; with "required" a missing browser fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	mode := os.Getenv("XINLU_TEST_BROWSER")
	if mode == "" {
		t.Skip("browser tests off: set XINLU_TEST_BROWSER=1 (make test does when chromium is installed)")
	}
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		} else if mode == "required" {
			t.Fatal("XINLU_TEST_BROWSER=required but chromium is not installed (apt-get install chromium)")
		} else {
			t.Skip("no chromium")
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("lang", "zh-CN"), chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// step runs actions with a deadline so that a broken page fails fast.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		shot(t, ctx, "failed-"+what)
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

// shot saves a screenshot when XINLU_SCREENSHOTS names a folder.
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("XINLU_SCREENSHOTS")
	if dir == "" {
		return
	}
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(c, chromedp.FullScreenshot(100)); err == nil {
		os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
}

// login signs in through the page; accounts with a second factor type the
// code their authenticator would show.
func login(t *testing.T, ctx context.Context, a *app, user string) {
	t.Helper()
	step(t, ctx, "password of "+user,
		chromedp.Navigate(a.http.URL+"/login"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", user),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Click("#login-submit"),
	)
	u, _ := a.store.UserByUsername(t.Context(), user)
	if u != nil && xinlu.NeedsSecondFactor(u.Roles) {
		step(t, ctx, "second factor of "+user,
			chromedp.WaitVisible("#totp-code"),
			chromedp.SendKeys("#totp-code", a.totpCode(user)),
			chromedp.Click("#totp-submit"),
		)
	}
	step(t, ctx, "signed in as "+user, chromedp.WaitVisible("#current-user"))
}

func TestBrowserAdminJourney(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	base := a.http.URL

	login(t, ctx, a, "admin")
	shot(t, ctx, "home-zh")
	if got := text(t, ctx, "#current-user"); got != "测试admin" {
		t.Fatalf("signed in as %q", got)
	}
	if got := text(t, ctx, "#sidebar"); !strings.Contains(got, "部门管理") || !strings.Contains(got, "审计日志") {
		t.Fatalf("admin menu: %q", got)
	}

	// Switch to English: the choice sticks to the account.
	step(t, ctx, "switch language", chromedp.Click("#lang-switch"), chromedp.WaitReady(`html[lang="en"] #current-user`))
	if got := text(t, ctx, "#sidebar"); !strings.Contains(got, "Departments") {
		t.Fatalf("English menu: %q", got)
	}
	if u, _ := a.store.UserByUsername(t.Context(), "admin"); u.Lang != "en" {
		t.Fatalf("language not remembered: %q", u.Lang)
	}

	// Create a department and see it listed.
	step(t, ctx, "create department",
		chromedp.Navigate(base+"/departments"),
		chromedp.WaitVisible("#department-new"),
		chromedp.Click("#department-new"),
		chromedp.WaitVisible("#code"),
		chromedp.SendKeys("#code", "BROWSER"),
		chromedp.SendKeys("#name", "浏览器测试部"),
		chromedp.Click("#save"),
		chromedp.WaitVisible("#flash"),
	)
	shot(t, ctx, "departments-en")
	if got := text(t, ctx, "#flash"); got != "Created" {
		t.Fatalf("flash %q", got)
	}
	if got := text(t, ctx, "#department-table"); !strings.Contains(got, "浏览器测试部") || !strings.Contains(got, "BROWSER") {
		t.Fatalf("department not listed: %q", got)
	}

	// A bad form keeps the input and names the field.
	step(t, ctx, "bad department",
		chromedp.Navigate(base+"/departments/new"),
		chromedp.WaitVisible("#code"),
		chromedp.SendKeys("#code", "BROWSER"),
		chromedp.SendKeys("#name", "重复"),
		chromedp.Click("#save"),
		chromedp.WaitVisible("#form-error"),
	)
	if got := text(t, ctx, "#form-error"); !strings.Contains(got, "code is taken") {
		t.Fatalf("duplicate message: %q", got)
	}

	step(t, ctx, "logout", chromedp.Click("#logout"), chromedp.WaitVisible("#login-submit"))
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if loc, err := chromedp.Run(c, chromedp.Location()); err != nil || !strings.HasSuffix(loc, "/login") {
		t.Fatalf("after logout at %q: %v", loc, err)
	}
}

func TestBrowserMemberCannotOpenAdminPages(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	base := a.http.URL
	login(t, ctx, a, "member")
	if got := text(t, ctx, "#sidebar"); strings.Contains(got, "账号管理") || strings.Contains(got, "审计日志") {
		t.Fatalf("member menu shows admin pages: %q", got)
	}
	for _, path := range []string{"/users", "/audit", "/departments/new"} {
		step(t, ctx, "open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible("#error-message"))
		if got := text(t, ctx, ".error-code"); got != "403" {
			t.Fatalf("%s: code %q", path, got)
		}
		if got := text(t, ctx, "#error-message"); got != "您没有执行此操作的权限" {
			t.Fatalf("%s: message %q", path, got)
		}
	}
	shot(t, ctx, "member-403")
}
