package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSignInLinkStaysOnSite: a sign-in link whose next hides a
// second slash behind a tab (which browsers drop) lands on the site, not on
// the other host, after a real Chromium signs in through it.
func TestBrowserSignInLinkStaysOnSite(t *testing.T) {
	ctx := browser(t)
	a := newApp(t)
	step(t, ctx, "open the link",
		chromedp.Navigate(a.http.URL+"/login?next=/%09/evil.example/phish"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "member"),
		chromedp.SendKeys("#password", testPassword),
		chromedp.Click("#login-submit"),
	)
	c, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	var loc string
	for {
		l, err := chromedp.Run(c, chromedp.Location())
		if err != nil {
			t.Fatalf("the browser did not come back to the site after %q: %v", loc, err)
		}
		loc = l
		if !strings.HasSuffix(loc, "/login") && !strings.Contains(loc, "/login?") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.HasPrefix(loc, a.http.URL+"/") || strings.Contains(loc, "evil.example") {
		t.Fatalf("the sign-in link led to %q", loc)
	}
	step(t, ctx, "signed in on the site", chromedp.WaitVisible("#current-user"))
}
