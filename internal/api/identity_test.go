package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

const identityAPIPassword = testfix.Password

// identityEnv is a running xinlu with a clock stopped at a second of today
// that moves when told and the accounts admin and sec (with a second
// factor), sec2 (a security administrator who has yet to enrol) and member
// (who needs none).
type identityEnv struct {
	t     *testing.T
	fix   *testfix.Zone
	st    *store.Store
	srv   *httptest.Server
	zone  *xinlu.Zone
	users map[string]*xinlu.User
}

func newIdentityEnv(t *testing.T) *identityEnv {
	t.Helper()
	st := testfix.SQLite(t)
	e := &identityEnv{t: t, st: st, fix: testfix.Bare(t, st, testfix.DemoZone()), users: map[string]*xinlu.User{}}
	e.fix.Clock.Set(time.Now().UTC().Truncate(time.Second))
	e.zone = e.fix.Zone
	for _, a := range []struct {
		name  string
		role  xinlu.Role
		enrol bool
	}{{"admin", xinlu.RoleAdmin, true}, {"sec", xinlu.RoleSecAdmin, true}, {"sec2", xinlu.RoleSecAdmin, false}, {"member", xinlu.RoleMember, false}} {
		e.users[a.name] = e.fix.AddUser(&xinlu.User{Username: a.name, Name: a.name, Roles: []xinlu.Role{a.role}})
		if a.enrol {
			e.fix.Enrol(a.name)
		}
	}
	e.srv = newAPIServer(t, st, nil)
	return e
}

func (e *identityEnv) clock() time.Time { return e.fix.Clock.Now() }

func (e *identityEnv) advance(d time.Duration) { e.fix.Clock.Advance(d) }

// code is the next unused code of username's authenticator, letting time
// pass when needed.
func (e *identityEnv) code(username string) string {
	e.t.Helper()
	return e.fix.TOTPCode(username)
}

func (e *identityEnv) call(token, method, path, body string) (int, string) {
	e.t.Helper()
	return apiCall(e.t, e.srv.URL, token, method, path, body)
}

// login signs in with an optional second factor and returns status, token
// and error key.
func (e *identityEnv) login(username, password, totp string) (int, string, string) {
	e.t.Helper()
	req := map[string]string{"username": username, "password": password}
	if totp != "" {
		req["totp"] = totp
	}
	b, _ := json.Marshal(req)
	status, body := e.call("", "POST", "/auth/login", string(b))
	var out struct {
		Token string
		Error struct{ Key, Field string }
	}
	json.Unmarshal([]byte(body), &out)
	return status, out.Token, out.Error.Key
}

func (e *identityEnv) token(username string) string {
	e.t.Helper()
	totp := ""
	if e.fix.Secret(username) != "" {
		totp = e.code(username)
	}
	status, tok, key := e.login(username, identityAPIPassword, totp)
	if status != 200 {
		e.t.Fatalf("login %s: %d %s", username, status, key)
	}
	return tok
}

// fixLogin signs in an account that needs no code, one that must enrol
// first, and the same again on a fresh code.
func TestFixLogin(t *testing.T) {
	e := newIdentityEnv(t)
	for _, name := range []string{"member", "sec2", "sec2"} {
		tok := fixLogin(t, e.fix, e.srv.URL, name)
		if s, body := e.call(tok, "GET", "/me", ""); s != 200 || !strings.Contains(body, `"username":"`+name+`"`) {
			t.Fatalf("%s: %d %s", name, s, body)
		}
	}
}

func TestAPILoginTakesTheSecondFactor(t *testing.T) {
	e := newIdentityEnv(t)
	if status, _, _ := e.login("member", identityAPIPassword, ""); status != 200 {
		t.Fatalf("member without a code: %d", status)
	}
	if status, _, key := e.login("admin", identityAPIPassword, ""); status != 401 || key != "identity.totp_required" {
		t.Fatalf("admin without a code: %d %s", status, key)
	}
	if status, _, key := e.login("admin", identityAPIPassword, "000000"); status != 401 || key != "identity.totp_invalid" {
		t.Fatalf("admin with a wrong code: %d %s", status, key)
	}
	code := e.code("admin")
	status, tok, _ := e.login("admin", identityAPIPassword, code)
	if status != 200 || tok == "" {
		t.Fatalf("admin with the code: %d", status)
	}
	if s, body := e.call(tok, "GET", "/me", ""); s != 200 || !strings.Contains(body, `"username":"admin"`) {
		t.Fatalf("me: %d %s", s, body)
	}
	if status, _, key := e.login("admin", identityAPIPassword, code); status != 401 || key != "identity.totp_invalid" {
		t.Fatalf("replayed code: %d %s", status, key)
	}
	// The code is never checked before the password.
	if status, _, key := e.login("admin", "wrong", e.code("admin")); status != 401 || key != "auth.bad_credentials" {
		t.Fatalf("wrong password: %d %s", status, key)
	}
	// An account whose roles require a factor it lacks enrols on the web first.
	if status, _, key := e.login("sec2", identityAPIPassword, "123456"); status != 401 || key != "identity.totp_enrol_required" {
		t.Fatalf("not enrolled: %d %s", status, key)
	}
	// A recovery code works once.
	codes, err := e.st.RegenerateRecoveryCodes(context.Background(), xinlu.SystemActor(e.zone.ID), e.users["admin"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, key := e.login("admin", identityAPIPassword, codes[0]); status != 200 {
		t.Fatalf("recovery code: %d %s", status, key)
	}
	if status, _, _ := e.login("admin", identityAPIPassword, codes[0]); status != 401 {
		t.Fatalf("recovery code twice: %d", status)
	}
}

func TestAPILockoutUnlockAndReset(t *testing.T) {
	e := newIdentityEnv(t)
	member, admin := e.users["member"], e.users["admin"]
	memberTok := e.token("member")
	// Five wrong passwords lock the account; then even the right one is refused.
	for i := 0; i < 5; i++ {
		if status, _, key := e.login("member", "wrong", ""); status != 401 || key != "auth.bad_credentials" {
			t.Fatalf("attempt %d: %d %s", i+1, status, key)
		}
	}
	e.advance(16 * time.Minute) // past the per-address throttle
	if status, _, key := e.login("member", identityAPIPassword, ""); status != 429 || key != "identity.locked" {
		t.Fatalf("locked: %d %s", status, key)
	}
	// Administrators sign in now: their tokens end after 15 idle minutes.
	secTok := e.token("sec")
	adminTok := e.token("admin")
	status, body := e.call(secTok, "GET", "/users/locked", "")
	var locked struct {
		Items []api.LockedAccountJSON
		Total int
	}
	if json.Unmarshal([]byte(body), &locked); status != 200 || locked.Total != 1 || locked.Items[0].ID != member.ID || locked.Items[0].Failures != 5 {
		t.Fatalf("locked list: %d %s", status, body)
	}
	unlock := "/users/" + strconv.FormatInt(member.ID, 10) + "/unlock"
	if s, _ := e.call(memberTok, "POST", unlock, ""); s != 403 {
		t.Fatalf("member unlocked: %d", s)
	}
	if s, _ := e.call(memberTok, "GET", "/users/locked", ""); s != 403 {
		t.Fatalf("member listed locked accounts: %d", s)
	}
	if s, body := e.call(secTok, "POST", unlock, ""); s != 204 {
		t.Fatalf("unlock: %d %s", s, body)
	}
	if s, _ := e.call(secTok, "POST", unlock, ""); s != 409 {
		t.Fatalf("unlock again: %d", s)
	}
	if s, _ := e.call(secTok, "POST", "/users/999999/unlock", ""); s != 404 {
		t.Fatalf("unlock unknown: %d", s)
	}
	if status, _, _ := e.login("member", identityAPIPassword, ""); status != 200 {
		t.Fatalf("after unlock: %d", status)
	}
	// Resetting a second factor ends the account's tokens; nobody resets their own.
	reset := "/users/" + strconv.FormatInt(admin.ID, 10) + "/reset-totp"
	if s, _ := e.call(memberTok, "POST", reset, ""); s != 403 {
		t.Fatalf("member reset: %d", s)
	}
	if s, _ := e.call(secTok, "POST", "/users/"+strconv.FormatInt(e.users["sec"].ID, 10)+"/reset-totp", ""); s != 422 {
		t.Fatalf("own reset: %d", s)
	}
	if s, body := e.call(secTok, "POST", reset, ""); s != 204 {
		t.Fatalf("reset: %d %s", s, body)
	}
	if s, _ := e.call(adminTok, "GET", "/me", ""); s != 401 {
		t.Fatalf("token survived the reset: %d", s)
	}
	if status, _, key := e.login("admin", identityAPIPassword, ""); status != 401 || key != "identity.totp_enrol_required" {
		t.Fatalf("after reset: %d %s", status, key)
	}
	if s, _ := e.call(secTok, "POST", reset, ""); s != 409 {
		t.Fatalf("reset again: %d", s)
	}
	rows, _, err := e.st.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "auth.", Page: xinlu.Page{Page: 1, PerPage: xinlu.MaxPerPage}})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.Action] = true
		if strings.Contains(r.Before+r.After, e.fix.Secret("admin")) {
			t.Fatalf("audit row %s holds the secret", r.Action)
		}
	}
	for _, a := range []string{"auth.lockout", "auth.unlock", "auth.totp_reset", "auth.login_failed"} {
		if !seen[a] {
			t.Errorf("no %s audit row", a)
		}
	}
}

func TestIdentityRoutesInOpenAPI(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ method, path string }{
		{"get", "/users/locked"}, {"post", "/users/{id}/unlock"}, {"post", "/users/{id}/reset-totp"},
	} {
		if d.Paths[want.path][want.method] == nil {
			t.Errorf("%s %s is not documented", want.method, want.path)
		}
	}
	if !strings.Contains(string(d.Paths["/auth/login"]["post"]), `"totp"`) {
		t.Error("the login's totp field is not documented")
	}
}
