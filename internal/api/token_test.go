package api_test

import (
	"encoding/json"
	"testing"
	"time"

	"xinlu/internal/xinlu"
)

// tokenExpiry is the expires_at of the one token GET /auth/tokens lists.
func tokenExpiry(t *testing.T, e *identityEnv, tok string) time.Time {
	t.Helper()
	status, body := e.call(tok, "GET", "/auth/tokens", "")
	var out struct {
		Items []struct {
			ExpiresAt time.Time `json:"expires_at"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &out); status != 200 || err != nil || len(out.Items) != 1 {
		t.Fatalf("tokens: %d %s", status, body)
	}
	return out.Items[0].ExpiresAt
}

// The API tokens of administrators, of those who may reveal personal data
// and of those who see others' pay end like their web sessions: after 15
// idle minutes and 12 hours after sign-in.
func TestPrivilegedTokensEndLikeSessions(t *testing.T) {
	e := newIdentityEnv(t)
	for _, r := range []xinlu.Role{xinlu.RoleSecAdmin, xinlu.RoleHead, xinlu.RoleDirector, xinlu.RoleFinance} {
		name := "p-" + string(r)
		e.fix.AddUser(&xinlu.User{Username: name, Name: name, Roles: []xinlu.Role{r}})
		tok := fixLogin(t, e.fix, e.srv.URL, name)
		if exp := tokenExpiry(t, e, tok); exp.Sub(e.clock()) > 12*time.Hour {
			t.Errorf("%s: token lives until %v, %v from now", r, exp, exp.Sub(e.clock()))
		}
		e.advance(14 * time.Minute)
		if status, _ := e.call(tok, "GET", "/me", ""); status != 200 {
			t.Fatalf("%s: token ended within 14 minutes: %d", r, status)
		}
		e.advance(16 * time.Minute)
		if status, _ := e.call(tok, "GET", "/me", ""); status != 401 {
			t.Errorf("%s: token still good after 16 idle minutes: %d", r, status)
		}
		// In use, it still ends 12 hours after sign-in.
		tok = fixLogin(t, e.fix, e.srv.URL, name)
		for i := 1; i < 12*6; i++ {
			e.advance(10 * time.Minute)
			if status, _ := e.call(tok, "GET", "/me", ""); status != 200 {
				t.Fatalf("%s: token ended in use after %d minutes", r, i*10)
			}
		}
		e.advance(11 * time.Minute)
		if status, _ := e.call(tok, "GET", "/me", ""); status != 401 {
			t.Errorf("%s: token in use still good 12 hours after sign-in", r)
		}
	}
}

// Other accounts' tokens live the configured lifetime (30 days by default)
// but end after a week unused.
func TestOtherTokensExpireWhenIdle(t *testing.T) {
	e := newIdentityEnv(t)
	tok := fixLogin(t, e.fix, e.srv.URL, "member")
	if exp := tokenExpiry(t, e, tok); exp.Sub(e.clock()) != 30*24*time.Hour {
		t.Fatalf("member token lives %v", exp.Sub(e.clock()))
	}
	e.advance(6 * 24 * time.Hour)
	if status, _ := e.call(tok, "GET", "/me", ""); status != 200 {
		t.Fatalf("token ended after 6 idle days: %d", status)
	}
	e.advance(7*24*time.Hour + time.Minute)
	if status, _ := e.call(tok, "GET", "/me", ""); status != 401 {
		t.Fatalf("token still good after 7 idle days: %d", status)
	}
}
