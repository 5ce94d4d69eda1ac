package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

// calendarServer runs xinlu on a temporary SQLite database with one zone
// holding the 2026 Spring Festival and the fixture's account per role.
type calendarServer struct {
	t     *testing.T
	fix   *testfix.Zone
	url   string
	store *store.Store
	zone  *xinlu.Zone
}

func newCalendarServer(t *testing.T) *calendarServer {
	t.Helper()
	ctx := context.Background()
	st := testfix.SQLite(t)
	fix := testfix.NewZone(t, st)
	z := fix.Zone
	sys := xinlu.SystemActor(z.ID)
	days := []xinlu.CalendarDay{
		{Date: "2026-02-14", Kind: xinlu.DayWorkday, Name: "春节调休"},
		{Date: "2026-02-28", Kind: xinlu.DayWorkday, Name: "春节调休"},
	}
	for d := 15; d <= 23; d++ {
		days = append(days, xinlu.CalendarDay{Date: fmt.Sprintf("2026-02-%02d", d), Kind: xinlu.DayHoliday, Name: "春节"})
	}
	if _, err := st.ImportCalendarDays(ctx, sys, z.ID, days); err != nil {
		t.Fatal(err)
	}
	hs := newAPIServer(t, st, nil)
	return &calendarServer{t: t, fix: fix, url: hs.URL, store: st, zone: z}
}

// login returns a bearer token for the account of role r.
func (s *calendarServer) login(r xinlu.Role) string {
	s.t.Helper()
	return fixLogin(s.t, s.fix, s.url, string(r))
}

func (s *calendarServer) call(token, method, path, body string) (int, string) {
	s.t.Helper()
	return apiCall(s.t, s.url, token, method, path, body)
}

func TestAPIAddWorkdaysAcrossSpringFestival(t *testing.T) {
	s := newCalendarServer(t)
	member := s.login(xinlu.RoleMember) // everyone may ask
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-02-13", 0, "2026-02-13"},
		{"2026-02-13", 1, "2026-02-14"}, // the make-up Saturday
		{"2026-02-13", 2, "2026-02-24"}, // over the whole holiday
		{"2026-02-18", 1, "2026-02-24"}, // from inside the holiday
		{"2026-02-14", 5, "2026-02-28"},
		{"2026-02-14", 6, "2026-03-02"},
		{"2026-02-24", -2, "2026-02-13"},
		{"2026-03-02", -6, "2026-02-14"},
	} {
		status, body := s.call(member, "GET", fmt.Sprintf("/calendar/add-workdays?from=%s&n=%d", tc.from, tc.n), "")
		var out struct{ Date string }
		if err := json.Unmarshal([]byte(body), &out); status != 200 || err != nil || out.Date != tc.want {
			t.Errorf("add-workdays from %s n=%d: %d %s, want %s", tc.from, tc.n, status, body, tc.want)
		}
	}
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2026-02-13", "2026-02-24", 2},
		{"2026-02-14", "2026-02-23", 0},
		{"2026-02-20", "2026-02-13", -2},
		{"2026-02-01", "2026-03-01", 16},
	} {
		status, body := s.call(member, "GET", "/calendar/workdays-between?from="+tc.from+"&to="+tc.to, "")
		var out struct{ Workdays *int }
		if err := json.Unmarshal([]byte(body), &out); status != 200 || err != nil || out.Workdays == nil || *out.Workdays != tc.want {
			t.Errorf("workdays-between %s %s: %d %s, want %d", tc.from, tc.to, status, body, tc.want)
		}
	}
}

func TestAPICalendarBadInput(t *testing.T) {
	s := newCalendarServer(t)
	bad := func(path, field string) scenario {
		return scenario{as: string(xinlu.RoleMember), method: "GET", path: path, status: 422, code: "invalid", field: field}
	}
	runScenarios(t, s.url, func(u string) string { return s.login(xinlu.Role(u)) }, []scenario{
		bad("/calendar/add-workdays?from=2026-02-30&n=1", "from"),
		bad("/calendar/add-workdays?from=2026/02/13&n=1", "from"),
		bad("/calendar/add-workdays?n=1", "from"),
		bad("/calendar/add-workdays?from=2026-02-13&n=two", "n"),
		bad("/calendar/add-workdays?from=2026-02-13", "n"),
		bad("/calendar/add-workdays?from=2026-02-13&n=100000", "n"),
		bad("/calendar/workdays-between?from=2026-02-13&to=tomorrow", "to"),
		bad("/calendar/workdays-between?from=x&to=2026-02-13", "from"),
		bad("/calendar/workdays-between?from=1900-01-01&to=2100-12-31", "to"),
		bad("/calendar/workdays-between?from=0001-01-01&to=2026-02-13", "from"),
		bad("/calendar/add-workdays?from=9999-12-31&n=1", "from"),
		bad("/calendar/days?year=abc", "year"),
		{method: "GET", path: "/calendar/add-workdays?from=2026-02-13&n=1", status: 401},
	})
}

func TestAPICalendarDays(t *testing.T) {
	s := newCalendarServer(t)
	admin, member := s.login(xinlu.RoleAdmin), s.login(xinlu.RoleMember)

	status, body := s.call(member, "GET", "/calendar/days?year=2026", "")
	if status != 200 || !strings.Contains(body, `"total":11`) || !strings.Contains(body, `"date":"2026-02-14","kind":"workday"`) {
		t.Fatalf("list: %d %s", status, body)
	}
	if status, _ := s.call(member, "POST", "/calendar/days", `{"date":"2026-10-01","kind":"holiday","name":"国庆节"}`); status != 403 {
		t.Fatalf("member create: %d", status)
	}
	status, body = s.call(admin, "POST", "/calendar/days", `{"date":"2026-10-01","kind":"holiday","name":"国庆节"}`)
	var d struct {
		ID      int64
		Version int
	}
	if json.Unmarshal([]byte(body), &d); status != 201 || d.ID == 0 || d.Version != 1 {
		t.Fatalf("create: %d %s", status, body)
	}
	status, body = s.call(admin, "POST", "/calendar/days", `{"date":"2026-10-01","kind":"holiday","name":"重复"}`)
	if code, field := errorOf(t, body); status != 409 || code != "conflict" || field != "date" {
		t.Fatalf("duplicate: %d %s", status, body)
	}
	status, body = s.call(admin, "POST", "/calendar/days", `{"date":"2026-10-09","kind":"workday","name":"国庆调休"}`) // a Friday
	if _, field := errorOf(t, body); status != 422 || field != "kind" {
		t.Fatalf("workday on a Friday: %d %s", status, body)
	}
	path := fmt.Sprintf("/calendar/days/%d", d.ID)
	if status, body := s.call(admin, "PUT", path, `{"date":"2026-10-01","kind":"holiday","name":"国庆节"}`); status != 422 || !strings.Contains(body, `"field":"version"`) {
		t.Fatalf("update without version: %d %s", status, body)
	}
	if status, body := s.call(admin, "PUT", path, `{"date":"2026-10-01","kind":"holiday","name":"国庆节、中秋节","version":1}`); status != 200 || !strings.Contains(body, `"version":2`) {
		t.Fatalf("update: %d %s", status, body)
	}
	if status, body := s.call(admin, "PUT", path, `{"date":"2026-10-01","kind":"holiday","name":"过期","version":1}`); status != 409 {
		t.Fatalf("stale update: %d %s", status, body)
	}
	if status, body := s.call(member, "GET", path, ""); status != 200 || !strings.Contains(body, "国庆节、中秋节") {
		t.Fatalf("get: %d %s", status, body)
	}
	// The new holiday moves deadlines at once.
	if status, body := s.call(member, "GET", "/calendar/add-workdays?from=2026-09-30&n=1", ""); status != 200 || !strings.Contains(body, "2026-10-02") {
		t.Fatalf("after adding a holiday: %d %s", status, body)
	}
	if status, _ := s.call(admin, "DELETE", path+"?version=1", ""); status != 409 {
		t.Fatalf("stale delete: %d", status)
	}
	if status, _ := s.call(admin, "DELETE", path+"?version=2", ""); status != 204 {
		t.Fatalf("delete: %d", status)
	}
	if status, _ := s.call(member, "GET", path, ""); status != 404 {
		t.Fatalf("deleted entry: %d", status)
	}
}

func errorOf(t *testing.T, body string) (code, field string) {
	t.Helper()
	var e struct{ Error struct{ Code, Field string } }
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("not an error envelope: %s", body)
	}
	return e.Error.Code, e.Error.Field
}

// TestCalendarRoutesInOpenAPI checks that openapi/calendar.json describes
// every calendar route.
func TestCalendarRoutesInOpenAPI(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(doc, &spec); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, rt := range api.New(nil, nil, api.Config{}).Routes() {
		if !strings.HasPrefix(rt.Pattern, "/calendar") {
			continue
		}
		n++
		if _, ok := spec.Paths[rt.Pattern][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Pattern)
		}
	}
	if n != 7 {
		t.Errorf("%d calendar routes", n)
	}
}
