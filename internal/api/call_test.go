package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/web"
)

// apiCall sends one request to /api/v1 of the server at base, with a
// bearer token when given, and returns the status and body.
func apiCall(t *testing.T, base, token, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+"/api/v1"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// newAPIServer runs xinlu on st with the default configuration, logging
// nowhere, changed by tweak when given.
func newAPIServer(t *testing.T, st *store.Store, tweak func(*web.Config)) *httptest.Server {
	t.Helper()
	cfg := web.DefaultConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := web.New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// fixLogin returns an API token for username, who signs in with
// testfix.Password, through POST /auth/login as a person with an
// authenticator app would: an account whose roles require a second factor
// it lacks is enrolled first, and each sign-in sends a code not used before.
func fixLogin(t *testing.T, z *testfix.Zone, base, username string) string {
	t.Helper()
	post := func(totp string) (int, string, string) {
		b, _ := json.Marshal(map[string]string{"username": username, "password": testfix.Password, "totp": totp})
		status, body := apiCall(t, base, "", "POST", "/auth/login", string(b))
		var out struct {
			Token string
			Error struct{ Key string }
		}
		json.Unmarshal([]byte(body), &out)
		return status, out.Token, out.Error.Key
	}
	status, tok, key := post("")
	switch key {
	case "identity.totp_enrol_required":
		z.Enrol(username)
		fallthrough
	case "identity.totp_required":
		status, tok, key = post(z.TOTPCode(username))
	}
	if status != 200 {
		t.Fatalf("login %s: %d %s", username, status, key)
	}
	return tok
}

// scenario is one API request and what it must answer: new API tests are
// tables of these, run by runScenarios.
type scenario struct {
	as           string // the account, by username; "" sends no token
	method, path string
	body         string
	status       int    // the status wanted
	code, field  string // of the error envelope, when given (which then has a message too)
	key          string // of the error envelope, when given
	contains     string // in the body, when given
}

// runScenarios sends each scenario as its account, with the token token
// gives for it (asked once per account), and checks the answer.
func runScenarios(t *testing.T, base string, token func(username string) string, table []scenario) {
	t.Helper()
	tokens := map[string]string{}
	for _, sc := range table {
		tok, ok := tokens[sc.as]
		if !ok && sc.as != "" {
			tok = token(sc.as)
			tokens[sc.as] = tok
		}
		status, body := apiCall(t, base, tok, sc.method, sc.path, sc.body)
		what := sc.as + " " + sc.method + " " + sc.path + " " + sc.body
		if status != sc.status {
			t.Errorf("%s: %d %.300s, want %d", what, status, body, sc.status)
			continue
		}
		if sc.code != "" || sc.field != "" || sc.key != "" {
			var env struct {
				Error struct{ Code, Field, Key, Message string }
			}
			json.Unmarshal([]byte(body), &env)
			if sc.code != "" && env.Error.Code != sc.code || sc.field != "" && env.Error.Field != sc.field || sc.key != "" && env.Error.Key != sc.key ||
				env.Error.Message == "" {
				t.Errorf("%s: %.300s, want code %q field %q key %q and a message", what, body, sc.code, sc.field, sc.key)
			}
		}
		if sc.contains != "" && !strings.Contains(body, sc.contains) {
			t.Errorf("%s: %.300s, want %s in it", what, body, sc.contains)
		}
	}
}
