package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/web"
	"xinlu/internal/xinlu"
)

// testPassword is every test user's password.
const testPassword = testfix.Password

// sharedHash is the hash of testPassword.
var sharedHash = testfix.PasswordHash()

// app is a running xinlu on a temporary SQLite database with the shared
// fixture's zone: one department and one user per role (username = role
// name). The users whose roles require a second factor have a TOTP,
// enrolled through the store.
type app struct {
	t     testing.TB
	srv   *web.Server
	http  *httptest.Server
	store *store.Store
	path  string // the SQLite file
	zone  *xinlu.Zone
	dept  *xinlu.Department
	users map[xinlu.Role]*xinlu.User
	clock *testfix.Clock
	fix   *testfix.Zone
}

func newApp(t testing.TB) *app {
	t.Helper()
	ctx := context.Background()
	st, path := testfix.SQLiteFile(t)
	if keys, err := seal.NewKeys(seal.AES); err != nil {
		t.Fatal(err)
	} else if _, err := st.UseKeys(ctx, keys); err != nil {
		t.Fatal(err)
	}
	fix := testfix.NewZone(t, st)
	a := &app{t: t, store: st, path: path, zone: fix.Zone, dept: fix.Dept, users: fix.Users, clock: fix.Clock, fix: fix}
	cfg := web.DefaultConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("XINLU_TEST_LOG") != "" {
		cfg.Logger = slog.Default()
	}
	var err error
	a.srv, err = web.New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.http = httptest.NewServer(a.srv)
	t.Cleanup(a.http.Close)
	return a
}

// enrol gives username a TOTP through the store, as the enrolment page
// would, and keeps the secret for totpCode.
func (a *app) enrol(username string) { a.fix.Enrol(username) }

// remember keeps a secret enrolled through the pages, at the step used.
func (a *app) remember(username, secret string, step int64) { a.fix.Remember(username, secret, step) }

// totpCode is the code username's authenticator shows, for a step not used
// yet (each code is good once).
func (a *app) totpCode(username string) string { return a.fix.TOTPCode(username) }

// client is one browser-like visitor with its own cookies. Unless raw, it
// completes a sign-in's second step the way a person with an authenticator
// app does (enrolling when the roles require it), so that tests of other
// areas sign in as any role in one call; raw clients see each step.
type client struct {
	a     *app
	c     *http.Client
	token string // API bearer token, when signed in through the API
	lang  string
	raw   bool
}

// secondStep completes a password sign-in that answered with the second
// step: the code page, or the enrolment page for a required factor.
func (c *client) secondStep(first response, form url.Values) response {
	c.a.t.Helper()
	username := form.Get("username")
	page := c.get("/login/totp")
	if m := regexp.MustCompile(`id="totp-secret">([^<]+)<`).FindStringSubmatch(page.body); m != nil {
		secret := strings.ReplaceAll(m[1], " ", "")
		step := xinlu.TOTPStep(c.a.store.Now())
		c.a.remember(username, secret, step-1)
		res := c.postForm("/login/totp/enrol", url.Values{"totp": {c.a.totpCode(username)}})
		if res.StatusCode != http.StatusOK {
			c.a.t.Fatalf("enrol %s: %d %s", username, res.StatusCode, res.body)
		}
		return first
	}
	return c.postForm("/login/totp", url.Values{"totp": {c.a.totpCode(username)}})
}

// apiSecondFactor repeats an API sign-in with the code it asked for,
// enrolling first (through the store) when the account has yet to.
func (c *client) apiSecondFactor(first response, body string) response {
	c.a.t.Helper()
	var e struct{ Error struct{ Key string } }
	var req map[string]any
	if json.Unmarshal([]byte(first.body), &e) != nil || json.Unmarshal([]byte(body), &req) != nil || req["totp"] != nil ||
		(e.Error.Key != "identity.totp_required" && e.Error.Key != "identity.totp_enrol_required") {
		return first
	}
	username, _ := req["username"].(string)
	if e.Error.Key == "identity.totp_enrol_required" {
		c.a.enrol(username)
	}
	req["totp"] = c.a.totpCode(username)
	b, _ := json.Marshal(req)
	c.raw = true
	defer func() { c.raw = false }()
	return c.do("POST", "/api/v1/auth/login", string(b), nil)
}

func (a *app) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{a: a, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// as signs in through the login page as the user of role r.
func (a *app) as(r xinlu.Role) *client {
	a.t.Helper()
	c := a.anon()
	res := c.postForm("/login", url.Values{"username": {string(r)}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("login as %s: status %d: %s", r, res.StatusCode, res.body)
	}
	return c
}

// api signs in through the API as the user of role r.
func (a *app) api(r xinlu.Role) *client {
	a.t.Helper()
	c := a.anon()
	res := c.do("POST", "/api/v1/auth/login", `{"username":"`+string(r)+`","password":"`+testPassword+`"}`, nil)
	if res.StatusCode != 200 {
		a.t.Fatalf("api login as %s: %d %s", r, res.StatusCode, res.body)
	}
	var out struct{ Token string }
	json.Unmarshal([]byte(res.body), &out)
	c.token = out.Token
	return c
}

type response struct {
	*http.Response
	body string
}

// do sends a request; browsers send Sec-Fetch-Site, so the client does too
// unless headers say otherwise.
func (c *client) do(method, path, body string, hdr map[string]string) response {
	c.a.t.Helper()
	req, err := http.NewRequest(method, c.a.http.URL+path, strings.NewReader(body))
	if err != nil {
		c.a.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	} else {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if body != "" && strings.HasPrefix(path, "/api/") {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := response{res, string(b)}
	if !c.raw && method == "POST" {
		switch {
		case path == "/login" && res.StatusCode == http.StatusSeeOther && res.Header.Get("Location") == "/login/totp":
			form, _ := url.ParseQuery(body)
			return c.secondStep(out, form)
		case path == "/api/v1/auth/login" && res.StatusCode == http.StatusUnauthorized:
			return c.apiSecondFactor(out, body)
		}
	}
	return out
}

func (c *client) get(path string) response { return c.do("GET", path, "", nil) }

func (c *client) postForm(path string, v url.Values) response {
	return c.do("POST", path, v.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// csrfToken reads the token a page embeds in its forms.
func (c *client) csrfToken(path string) string {
	c.a.t.Helper()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(c.get(path).body)
	if m == nil {
		c.a.t.Fatalf("no csrf token on %s", path)
	}
	return m[1]
}

// jsonError decodes the API error envelope.
func jsonError(t testing.TB, body string) (code, field, message string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Field, Message string }
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("not an error envelope: %s", body)
	}
	return e.Error.Code, e.Error.Field, e.Error.Message
}

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }
