package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestLoginNextStaysOnSite: a sign-in link whose next leads off the site
// (a tab that browsers drop turns "/\t/host" into "//host") ends at home.
func TestLoginNextStaysOnSite(t *testing.T) {
	a := newApp(t)
	for _, next := range []string{"/%09/evil.example/phish", "/%0A/evil.example", "/%5Cevil.example", "//evil.example", "https://evil.example/"} {
		c := a.anon()
		page := c.get("/login?next=" + next)
		m := regexp.MustCompile(`action="/login"[^>]*>\s*<input[^>]*>\s*<input type="hidden" name="next" value="([^"]*)"`).FindStringSubmatch(page.body)
		if m == nil || m[1] != "/" {
			t.Errorf("login form for next=%s carries %q", next, m)
		}
		raw, _ := url.QueryUnescape(next)
		res := c.postForm("/login", url.Values{"username": {"member"}, "password": {testPassword}, "next": {raw}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Errorf("next=%s: %d to %q", next, res.StatusCode, res.Header.Get("Location"))
		}
	}
	c := a.anon()
	res := c.postForm("/login", url.Values{"username": {"member"}, "password": {testPassword}, "next": {"/departments?q=x"}})
	if res.Header.Get("Location") != "/departments?q=x" {
		t.Errorf("a path of the site: %q", res.Header.Get("Location"))
	}
}

// TestAnonymousFormsNeedTheTokenFromOldBrowsers: a browser that sends
// neither Origin nor Sec-Fetch-Site must bring the login page's token to
// /login, /lang and /login/totp, with or without cookies; the token the
// login page gives works without a session.
func TestAnonymousFormsNeedTheTokenFromOldBrowsers(t *testing.T) {
	a := newApp(t)
	old := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": ""}
	login := url.Values{"username": {"member"}, "password": {testPassword}}
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/login", login},
		{"/lang", url.Values{"lang": {"en"}, "next": {"/"}}},
		{"/login/totp", url.Values{"totp": {"123456"}}},
		{"/login/totp/enrol", url.Values{"totp": {"123456"}}},
	} {
		c := a.anon() // no cookies at all: a forged form from another site
		c.raw = true
		if r := c.do("POST", tc.path, tc.form.Encode(), old); r.StatusCode != http.StatusForbidden {
			t.Errorf("cookieless %s without token: %d", tc.path, r.StatusCode)
		}
		c.get("/login") // now with the anonymous cookie, still without the token
		if r := c.do("POST", tc.path, tc.form.Encode(), old); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s with the cookie but no token: %d", tc.path, r.StatusCode)
		}
	}
	// An old browser signs in with the token of the login page.
	c := a.anon()
	form := url.Values{"username": {"member"}, "password": {testPassword}, "csrf": {c.csrfToken("/login")}}
	res := c.do("POST", "/login", form.Encode(), old)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("old browser with the token: %d %s", res.StatusCode, res.body)
	}
	if r := c.get("/"); r.StatusCode != 200 || !strings.Contains(r.body, "测试member") {
		t.Fatalf("signed in: %d", r.StatusCode)
	}
	// ... and switches the language before signing in.
	c = a.anon()
	lang := url.Values{"lang": {"en"}, "next": {"/login"}, "csrf": {c.csrfToken("/login")}}
	if r := c.do("POST", "/lang", lang.Encode(), old); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("old browser switching language with the token: %d", r.StatusCode)
	}
	// Modern browsers say where a form comes from: no token needed.
	c = a.anon()
	if r := c.postForm("/login", login); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin sign-in: %d", r.StatusCode)
	}
	if r := a.anon().do("POST", "/login", login.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded",
		"Sec-Fetch-Site": "", "Origin": a.http.URL}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in with Origin only: %d", r.StatusCode)
	}
	// The API's sign-in sets no cookie and answers a token: programs call
	// it without any of these headers.
	api := a.anon()
	if r := api.do("POST", "/api/v1/auth/login", `{"username":"member","password":"`+testPassword+`"}`, map[string]string{"Sec-Fetch-Site": ""}); r.StatusCode != 200 {
		t.Fatalf("API sign-in from a program: %d %s", r.StatusCode, r.body)
	}
}
