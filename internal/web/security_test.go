package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"xinlu/internal/web"
	"xinlu/internal/xinlu"
)

// TestSecurityAdministratorEndsSessions: the session console lists a
// member's session, and ending it signs the member out at once.
func TestSecurityAdministratorEndsSessions(t *testing.T) {
	a := newApp(t)
	member := a.as(xinlu.RoleMember)
	if r := member.get("/"); r.StatusCode != 200 {
		t.Fatalf("member home: %d", r.StatusCode)
	}
	sec := a.as(xinlu.RoleSecAdmin)
	page := sec.get("/security/sessions")
	if page.StatusCode != 200 || !strings.Contains(page.body, "测试member") {
		t.Fatalf("session console: %d", page.StatusCode)
	}
	victim := a.users[xinlu.RoleMember]
	if r := sec.postForm("/security/users/"+itoa64(victim.ID)+"/end-sessions", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("end sessions: %d", r.StatusCode)
	}
	if r := member.get("/"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("member still signed in: %d", r.StatusCode)
	}
	if r := a.as(xinlu.RoleSysAdmin).get("/security/sessions"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("system administrator on the session console: %d", r.StatusCode)
	}
}

// TestTLSHeaders: behind TLS every answer carries HSTS and cookies are Secure.
func TestTLSHeaders(t *testing.T) {
	a := newApp(t)
	cfg := web.DefaultConfig()
	cfg.SecureCookies = true
	srv, err := web.New(a.store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
	if !strings.Contains(rec.Header().Get("Strict-Transport-Security"), "max-age=") {
		t.Fatalf("no HSTS: %v", rec.Header())
	}
	for _, c := range rec.Result().Cookies() {
		if !c.Secure || !c.HttpOnly {
			t.Errorf("cookie %s is not Secure and HttpOnly", c.Name)
		}
	}
	plain := httptest.NewRecorder()
	a.srv.ServeHTTP(plain, httptest.NewRequest("GET", "/login", nil))
	if plain.Header().Get("Strict-Transport-Security") != "" {
		t.Fatal("HSTS sent without TLS")
	}
}
