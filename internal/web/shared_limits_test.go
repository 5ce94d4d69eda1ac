package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/web"
	"xinlu/internal/xinlu"
)

// Two servers on one PostgreSQL database, as behind a load balancer: a
// session begun on one works on the other, and the sign-in throttle and
// the per-user limits count requests to both, so that two servers do not
// double what one allows; a list total on one counts a write on the other.
func TestTwoServersShareSessionsAndLimits(t *testing.T) {
	dsn := os.Getenv("XINLU_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("PostgreSQL only (XINLU_TEST_POSTGRES)")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("t_two_servers_%d", os.Getpid())
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE; CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`) }) //nolint:errcheck
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	var servers []*httptest.Server
	var stores []*store.Store
	var first *store.Store
	for i := 0; i < 2; i++ {
		st, err := store.Open(ctx, dsn+sep+"search_path="+schema)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = st
		}
		stores = append(stores, st)
		cfg := web.DefaultConfig()
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		srv, err := web.New(st, cfg)
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		servers = append(servers, hs)
	}
	z := &xinlu.Zone{Code: "TW", Name: "两台服务器"}
	if err := first.CreateZone(ctx, xinlu.SystemActor(0), z); err != nil {
		t.Fatal(err)
	}
	sys := xinlu.SystemActor(z.ID)
	hash, err := xinlu.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	var members []*xinlu.User
	for i, name := range []string{"member", "other"} {
		m := &xinlu.Member{ZoneID: z.ID, StaffNo: fmt.Sprintf("W%d", i), Name: "成员" + name}
		if err := first.CreateMember(ctx, sys, m); err != nil {
			t.Fatal(err)
		}
		u := &xinlu.User{ZoneID: z.ID, Username: name, Name: m.Name, Roles: []xinlu.Role{xinlu.RoleMember}, PasswordHash: hash, MemberID: m.ID}
		if err := first.CreateUser(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
		members = append(members, u)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(srv int, method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, servers[srv].URL+path, strings.NewReader(body))
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if method == "POST" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", servers[srv].URL)
		}
		// The cookie jar keys cookies by host and port: hand the session
		// to whichever server is asked, as a load balancer's clients do.
		for _, hs := range servers {
			u, _ := url.Parse(hs.URL)
			for _, ck := range jar.Cookies(u) {
				req.AddCookie(ck)
			}
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	login := func(srv int, user, password string) int {
		t.Helper()
		code, _ := do(srv, "POST", "/login", url.Values{"username": {user}, "password": {password}}.Encode())
		return code
	}

	// Five failures, alternating between the servers: the sixth attempt is
	// refused on either, as on one server.
	for i := 0; i < 5; i++ {
		if code := login(i%2, "other", "wrong"); code != http.StatusUnauthorized {
			t.Fatalf("failure %d on server %d: %d", i+1, i%2+1, code)
		}
	}
	for srv := range servers {
		if code := login(srv, "other", testPassword); code != http.StatusTooManyRequests {
			t.Fatalf("sixth attempt on server %d: %d, want 429", srv+1, code)
		}
	}

	// A session begun on server 1 works on server 2.
	if code := login(0, "member", testPassword); code != http.StatusSeeOther {
		t.Fatalf("sign in on server 1: %d", code)
	}
	if code, _ := do(1, "GET", "/leads/mine", ""); code != http.StatusOK {
		t.Fatalf("server 2 with server 1's session: %d", code)
	}

	// Searches: 60 at once are allowed per user; spread over both servers,
	// the 61st is refused, wherever it goes.
	allowed := 0
	for i := 0; i < 70; i++ {
		code, body := do(i%2, "GET", "/leads/mine?q=%E5%85%AC%E5%8F%B8", "")
		switch code {
		case http.StatusOK:
			allowed++
		case http.StatusTooManyRequests:
		default:
			t.Fatalf("search %d: %d %s", i+1, code, body[:min(len(body), 200)])
		}
	}
	if allowed < 60 || allowed > 61 { // a token may refill while the requests run
		t.Fatalf("%d searches allowed across two servers, want the one burst of 60", allowed)
	}

	// A lead reported through server 2 is in the total server 1 gives at once.
	scope := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}
	_, before, err := stores[0].ListLeads(ctx, store.LeadFilter{Scope: scope})
	if err != nil {
		t.Fatal(err)
	}
	l := &xinlu.Lead{Company: "两台服务器有限公司", ProjectName: "项目", Industry: "materials", Channel: "expo"}
	if _, err := stores[1].ReportLead(ctx, xinlu.ActorOf(members[0], "127.0.0.1"), l); err != nil {
		t.Fatal(err)
	}
	if _, after, err := stores[0].ListLeads(ctx, store.LeadFilter{Scope: scope}); err != nil || after != before+1 {
		t.Fatalf("total on server 1 after a report on server 2: %d, was %d (%v)", after, before, err)
	}
}
