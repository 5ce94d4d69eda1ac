package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
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

// TestPagesPastTheEnd: a page number past the end shows the last page on
// the pages (however large the number), and the API refuses a page number
// no list can reach with 422 in its error envelope.
func TestPagesPastTheEnd(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAdmin)
	for i := range 4 {
		c.postForm("/departments", url.Values{"code": {"P" + itoa(i)}, "name": {"分页部门" + itoa(i)}})
	}
	// Five departments, two a page: the last page is 3.
	for _, page := range []string{"9223372036854775807", "9223372036854775808", "10000001", "4", "99"} {
		r := c.get("/departments?per_page=2&page=" + page)
		loc, _ := url.Parse(r.Header.Get("Location"))
		if r.StatusCode != http.StatusSeeOther || loc == nil || loc.Path != "/departments" || loc.Query().Get("page") != "3" || loc.Query().Get("per_page") != "2" {
			t.Errorf("page=%s: %d to %q", page, r.StatusCode, r.Header.Get("Location"))
		}
	}
	last := c.get("/departments?per_page=2&page=3")
	if last.StatusCode != 200 || strings.Count(last.body, "<tr><td>") != 1 {
		t.Fatalf("the last page: %d", last.StatusCode)
	}
	if r := c.get("/departments?per_page=2&page=1"); r.StatusCode != 200 {
		t.Fatalf("the first page: %d", r.StatusCode)
	}
	// A list with nothing in it has one (empty) page.
	if r := c.get("/teams?page=5"); r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "page=1") {
		t.Errorf("an empty list, page 5: %d %q", r.StatusCode, r.Header.Get("Location"))
	}

	api := a.api(xinlu.RoleAdmin)
	for _, page := range []string{"9223372036854775807", "9223372036854775808", "10000001", "0", "-1", "x"} {
		r := api.get("/api/v1/departments?per_page=2&page=" + page)
		if code, field, msg := jsonError(t, r.body); r.StatusCode != 422 || code != "invalid" || field != "page" || msg == "" {
			t.Errorf("API page=%s: %d %s", page, r.StatusCode, r.body)
		}
	}
	r := api.get("/api/v1/departments?per_page=2&page=10000000")
	if r.StatusCode != 200 || !strings.Contains(r.body, `"items":[]`) || !strings.Contains(r.body, `"total":5`) {
		t.Errorf("API, a page past the end within bounds: %d %s", r.StatusCode, r.body)
	}
}
