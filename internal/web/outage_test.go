package web_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"xinlu/internal/web"
	"xinlu/internal/xinlu"
)

// logBuffer collects the server's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveWith puts a server built with cfg (edited by edit) in place of a's,
// logging into the buffer it returns.
func serveWith(t *testing.T, a *app, edit func(*web.Config)) *logBuffer {
	t.Helper()
	logs := &logBuffer{}
	cfg := web.DefaultConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if edit != nil {
		edit(&cfg)
	}
	srv, err := web.New(a.store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.srv = srv
	a.http.Config.Handler = srv
	return logs
}

// logged finds the log line of an error answered to request id.
func logged(logs *logBuffer, id, level, cause string) bool {
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "id="+id) && strings.Contains(line, "level="+level) && strings.Contains(line, cause) {
			return true
		}
	}
	return false
}

// TestInternalErrorsAreLogged: a 500 says nothing of its cause to the
// caller, and the log has the cause under the request id, for the pages and
// for the API.
func TestInternalErrorsAreLogged(t *testing.T) {
	a := newApp(t)
	logs := serveWith(t, a, nil)
	page, api := a.as(xinlu.RoleAdmin), a.api(xinlu.RoleAdmin)
	db, err := sql.Open("sqlite", "file:"+a.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER refuse_departments BEFORE INSERT ON departments
		BEGIN SELECT RAISE(ABORT, 'departments refused by the test'); END`); err != nil {
		t.Fatal(err)
	}
	r := api.do("POST", "/api/v1/departments", `{"code":"BROKEN","name":"坏部门"}`, nil)
	if code, _, msg := jsonError(t, r.body); r.StatusCode != 500 || code != "internal" || strings.Contains(msg, "refused") {
		t.Fatalf("API: %d %s", r.StatusCode, r.body)
	}
	if id := r.Header.Get("X-Request-Id"); id == "" || !logged(logs, id, "ERROR", "departments refused by the test") {
		t.Errorf("the API's 500 (request %s) left no cause in the log:\n%s", id, logs)
	}
	r = page.postForm("/departments", map[string][]string{"code": {"BROKEN"}, "name": {"坏部门"}})
	if r.StatusCode != 500 || strings.Contains(r.body, "refused") {
		t.Fatalf("page: %d", r.StatusCode)
	}
	if id := r.Header.Get("X-Request-Id"); !logged(logs, id, "ERROR", "departments refused by the test") {
		t.Errorf("the page's 500 (request %s) left no cause in the log:\n%s", id, logs)
	}
}

// TestDatabaseOutageAnswers503: with the database gone, pages and the API
// answer 503 with Retry-After (the API in its error envelope, code
// "unavailable"), say nothing of the cause, and log it under the request id.
func TestDatabaseOutageAnswers503(t *testing.T) {
	a := newApp(t)
	logs := serveWith(t, a, nil)
	page, api := a.as(xinlu.RoleAdmin), a.api(xinlu.RoleAdmin)
	a.store.Close()
	r := page.get("/departments")
	if r.StatusCode != 503 || r.Header.Get("Retry-After") == "" || !strings.Contains(r.body, "暂时无法使用") ||
		!strings.Contains(r.body, r.Header.Get("X-Request-Id")) || strings.Contains(r.body, "closed") {
		t.Fatalf("page: %d %q\n%s", r.StatusCode, r.Header.Get("Retry-After"), r.body)
	}
	if !logged(logs, r.Header.Get("X-Request-Id"), "WARN", "database is closed") {
		t.Errorf("the page's 503 left no cause in the log:\n%s", logs)
	}
	r = api.get("/api/v1/departments")
	var e struct {
		Error struct{ Code, Message, Key string }
	}
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || r.StatusCode != 503 || r.Header.Get("Retry-After") == "" ||
		e.Error.Code != "unavailable" || e.Error.Message == "" || strings.Contains(r.body, "closed") {
		t.Fatalf("API: %d %q %s", r.StatusCode, r.Header.Get("Retry-After"), r.body)
	}
	if !logged(logs, r.Header.Get("X-Request-Id"), "WARN", "database is closed") {
		t.Errorf("the API's 503 left no cause in the log:\n%s", logs)
	}
	if r := a.anon().get("/healthz"); r.StatusCode != 503 || r.Header.Get("Retry-After") == "" || !strings.Contains(r.body, `"database":"down"`) {
		t.Fatalf("healthz: %d %s", r.StatusCode, r.body)
	}
}

// TestHealthzReportsALowDisk: the health check says how much the
// database's filesystem has left, and "degraded" (still 200: the server
// answers) when that is under the threshold.
func TestHealthzReportsALowDisk(t *testing.T) {
	a := newApp(t)
	var h struct {
		Status, Database, Disk string
		DiskFreeMB             *int64 `json:"disk_free_mb"`
	}
	r := a.anon().get("/healthz")
	if err := json.Unmarshal([]byte(r.body), &h); err != nil || r.StatusCode != 200 || h.Status != "ok" || h.Disk != "ok" || h.DiskFreeMB == nil {
		t.Fatalf("healthz: %d %s", r.StatusCode, r.body)
	}
	serveWith(t, a, func(c *web.Config) { c.DiskLowBytes = 1 << 62 })
	r = a.anon().get("/healthz")
	h = struct {
		Status, Database, Disk string
		DiskFreeMB             *int64 `json:"disk_free_mb"`
	}{}
	if err := json.Unmarshal([]byte(r.body), &h); err != nil || r.StatusCode != 200 || h.Status != "degraded" || h.Database != "up" || h.Disk != "low" || h.DiskFreeMB == nil {
		t.Fatalf("healthz on a full disk: %d %s", r.StatusCode, r.body)
	}
}
