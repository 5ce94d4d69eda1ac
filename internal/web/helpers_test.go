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
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/web"
	"xinlu/internal/xinlu"
)

// testPassword is every test user's password.
const testPassword = "Test@2026x"

// app is a running xinlu on a temporary SQLite database with one zone, one
// department and one user per role (username = role name).
type app struct {
	t     testing.TB
	srv   *web.Server
	http  *httptest.Server
	store *store.Store
	zone  *xinlu.Zone
	dept  *xinlu.Department
	users map[xinlu.Role]*xinlu.User
}

var sharedHash string

func newApp(t testing.TB) *app {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "xinlu.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a := &app{t: t, store: st, users: map[xinlu.Role]*xinlu.User{}}
	a.zone = &xinlu.Zone{Code: "T", Name: "测试开发区"}
	if err := st.CreateZone(ctx, xinlu.SystemActor(0), a.zone); err != nil {
		t.Fatal(err)
	}
	sys := xinlu.SystemActor(a.zone.ID)
	a.dept = &xinlu.Department{ZoneID: a.zone.ID, Code: "INVEST", Name: "招商局"}
	if err := st.CreateDepartment(ctx, sys, a.dept); err != nil {
		t.Fatal(err)
	}
	if sharedHash == "" {
		if sharedHash, err = xinlu.HashPassword(testPassword); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range xinlu.Roles {
		u := &xinlu.User{ZoneID: a.zone.ID, Username: string(r), Name: "测试" + string(r), Roles: []xinlu.Role{r}, PasswordHash: sharedHash}
		if !r.IsAdminRole() && r != xinlu.RoleViewer && r != xinlu.RoleAuditor {
			m := &xinlu.Member{ZoneID: a.zone.ID, DepartmentID: a.dept.ID, StaffNo: "S" + string(rune('A'+i)), Name: u.Name}
			if err := st.CreateMember(ctx, sys, m); err != nil {
				t.Fatal(err)
			}
			u.MemberID = m.ID
		}
		if err := st.CreateUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
		a.users[r] = u
	}
	cfg := web.DefaultConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("XINLU_TEST_LOG") != "" {
		cfg.Logger = slog.Default()
	}
	a.srv, err = web.New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.http = httptest.NewServer(a.srv)
	t.Cleanup(a.http.Close)
	return a
}

// client is one browser-like visitor with its own cookies.
type client struct {
	a     *app
	c     *http.Client
	token string // API bearer token, when signed in through the API
	lang  string
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
	return response{res, string(b)}
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
