package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

// teamParkEnv is a running xinlu on a temporary SQLite database with one
// zone, one department and two accounts: "admin" and "member" (who has a
// staff record).
type teamParkEnv struct {
	t      *testing.T
	fix    *testfix.Zone
	st     *store.Store
	srv    *httptest.Server
	zone   *xinlu.Zone
	dept   *xinlu.Department
	member *xinlu.Member
	other  *testfix.Zone // the second zone, once used
}

func newTeamParkEnv(t *testing.T) *teamParkEnv {
	t.Helper()
	ctx := context.Background()
	st := testfix.SQLite(t)
	e := &teamParkEnv{t: t, st: st, fix: testfix.Bare(t, st, testfix.DemoZone())}
	e.zone = e.fix.Zone
	sys := xinlu.SystemActor(e.zone.ID)
	e.dept = &xinlu.Department{ZoneID: e.zone.ID, Code: "INVEST", Name: "招商局"}
	if err := st.CreateDepartment(ctx, sys, e.dept); err != nil {
		t.Fatal(err)
	}
	e.member = &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: e.dept.ID, StaffNo: "S1", Name: "李明"}
	if err := st.CreateMember(ctx, sys, e.member); err != nil {
		t.Fatal(err)
	}
	e.user(e.zone.ID, "admin", xinlu.RoleAdmin, 0)
	e.user(e.zone.ID, "member", xinlu.RoleMember, e.member.ID)
	e.srv = newAPIServer(t, st, nil)
	return e
}

// user creates an account, in this zone or the second, that signs in with
// testfix.Password.
func (e *teamParkEnv) user(zoneID int64, username string, role xinlu.Role, memberID int64) {
	e.t.Helper()
	z := e.fix
	if zoneID != e.zone.ID {
		z = e.other
	}
	z.AddUser(&xinlu.User{Username: username, Roles: []xinlu.Role{role}, MemberID: memberID})
}

// secondZone returns the id of another zone, creating it on first use.
func (e *teamParkEnv) secondZone() int64 {
	e.t.Helper()
	if e.other == nil {
		e.other = e.fix.Sibling(&xinlu.Zone{Code: "Z2", Name: "外区", Demo: true})
	}
	return e.other.Zone.ID
}

// login returns an API token for username.
func (e *teamParkEnv) login(username string) string {
	e.t.Helper()
	return fixLogin(e.t, e.fix, e.srv.URL, username)
}

// call sends one API request with a bearer token and returns status and body.
func (e *teamParkEnv) call(token, method, path, body string) (int, string) {
	e.t.Helper()
	return apiCall(e.t, e.srv.URL, token, method, path, body)
}

// errorOf decodes the error envelope.
func teamParkError(t *testing.T, body string) (code, field, message string) {
	t.Helper()
	var env struct {
		Error struct{ Code, Field, Message string }
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil || env.Error.Code == "" {
		t.Fatalf("not an error envelope: %s", body)
	}
	return env.Error.Code, env.Error.Field, env.Error.Message
}

func TestTeamAPI(t *testing.T) {
	e := newTeamParkEnv(t)
	admin := e.login("admin")

	status, body := e.call(admin, "POST", "/teams", `{"kind":"taskforce","name":"甄别专班","description":"线索甄别"}`)
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	var team api.TeamJSON
	if err := json.Unmarshal([]byte(body), &team); err != nil || team.ID == 0 || team.Version != 1 || team.Kind != "taskforce" || team.ZoneID != e.zone.ID {
		t.Fatalf("created %s", body)
	}
	tp := "/teams/" + strconv.FormatInt(team.ID, 10)

	t.Run("bad input names the field", func(t *testing.T) {
		for _, tc := range []struct{ body, field string }{
			{`{"kind":"committee","name":"x"}`, "kind"},
			{`{"name":"x"}`, "kind"},
			{`{"kind":"planning","name":" "}`, "name"},
			{`{"kind":"planning","name":"x","bogus":1}`, "bogus"},
		} {
			status, body := e.call(admin, "POST", "/teams", tc.body)
			if code, field, _ := teamParkError(t, body); status != 422 || code != "invalid" || field != tc.field {
				t.Errorf("%s: %d %s", tc.body, status, body)
			}
		}
		status, body := e.call(admin, "POST", "/teams", `{"kind":"planning","name":"甄别专班"}`)
		if code, field, msg := teamParkError(t, body); status != 409 || code != "conflict" || field != "name" || msg != "同名的专班或工作组已存在" {
			t.Errorf("duplicate: %d %s", status, body)
		}
	})
	t.Run("list searches, filters and pages", func(t *testing.T) {
		e.call(admin, "POST", "/teams", `{"kind":"planning","name":"策划专业组"}`)
		status, body := e.call(admin, "GET", "/teams?per_page=1", "")
		if status != 200 || !strings.Contains(body, `"total":2`) || strings.Count(body, `"id":`) != 1 {
			t.Fatalf("page: %d %s", status, body)
		}
		if _, body := e.call(admin, "GET", "/teams?kind=planning", ""); !strings.Contains(body, "策划专业组") || strings.Contains(body, "甄别专班") {
			t.Fatalf("kind filter: %s", body)
		}
		if _, body := e.call(admin, "GET", "/teams?q=甄别", ""); !strings.Contains(body, `"total":1`) {
			t.Fatalf("search: %s", body)
		}
		if status, body := e.call(admin, "GET", "/teams?kind=bogus", ""); status != 422 {
			t.Fatalf("bad kind: %d %s", status, body)
		}
		if status, _ := e.call(admin, "GET", "/teams?per_page=201", ""); status != 422 {
			t.Fatalf("per_page 201: %d", status)
		}
	})
	t.Run("update needs the current version", func(t *testing.T) {
		if status, body := e.call(admin, "PUT", tp, `{"kind":"taskforce","name":"线索甄别专班"}`); status != 422 {
			t.Fatalf("no version: %d %s", status, body)
		} else if _, field, _ := teamParkError(t, body); field != "version" {
			t.Fatalf("no version: %s", body)
		}
		status, body := e.call(admin, "PUT", tp, `{"kind":"taskforce","name":"线索甄别专班","version":1}`)
		if status != 200 || !strings.Contains(body, `"version":2`) || !strings.Contains(body, "线索甄别专班") {
			t.Fatalf("update: %d %s", status, body)
		}
		status, body = e.call(admin, "PUT", tp, `{"kind":"taskforce","name":"过期写入","version":1}`)
		if code, _, _ := teamParkError(t, body); status != 409 || code != "conflict" {
			t.Fatalf("stale: %d %s", status, body)
		}
		if _, body := e.call(admin, "GET", tp, ""); !strings.Contains(body, "线索甄别专班") {
			t.Fatalf("stale write landed: %s", body)
		}
	})

	mid := strconv.FormatInt(e.member.ID, 10)
	t.Run("members are added, marked and removed", func(t *testing.T) {
		status, body := e.call(admin, "POST", tp+"/members", `{"member_id":`+mid+`,"is_lead":true}`)
		if status != 201 || !strings.Contains(body, `"name":"李明"`) || !strings.Contains(body, `"department_name":"招商局"`) || !strings.Contains(body, `"is_lead":true`) {
			t.Fatalf("add: %d %s", status, body)
		}
		status, body = e.call(admin, "POST", tp+"/members", `{"member_id":`+mid+`}`)
		if code, field, msg := teamParkError(t, body); status != 409 || code != "conflict" || field != "member_id" || msg != "该人员已在本组中，不能重复添加" {
			t.Fatalf("twice: %d %s", status, body)
		}
		status, body = e.call(admin, "GET", tp+"/members", "")
		if status != 200 || !strings.Contains(body, `"total":1`) || !strings.Contains(body, `"member_id":`+mid) {
			t.Fatalf("members: %d %s", status, body)
		}
		if _, body := e.call(admin, "GET", tp+"/members?page=2", ""); !strings.Contains(body, `"items":[]`) || !strings.Contains(body, `"total":1`) {
			t.Fatalf("members page 2: %s", body)
		}
		if _, body := e.call(admin, "GET", tp, ""); !strings.Contains(body, `"member_count":1`) {
			t.Fatalf("member count: %s", body)
		}
		if status, body := e.call(admin, "PUT", tp+"/members/"+mid, `{}`); status != 422 {
			t.Fatalf("lead without is_lead: %d %s", status, body)
		}
		status, body = e.call(admin, "PUT", tp+"/members/"+mid, `{"is_lead":false}`)
		if status != 200 || !strings.Contains(body, `"is_lead":false`) {
			t.Fatalf("unmark lead: %d %s", status, body)
		}
		if status, _ := e.call(admin, "DELETE", tp+"/members/"+mid, ""); status != 204 {
			t.Fatalf("remove: %d", status)
		}
		if status, _ := e.call(admin, "DELETE", tp+"/members/"+mid, ""); status != 404 {
			t.Fatalf("remove again: %d", status)
		}
	})
	t.Run("a member of another zone cannot be added", func(t *testing.T) {
		z := e.secondZone()
		m := &xinlu.Member{ZoneID: z, StaffNo: "S1", Name: "外区人员"}
		if err := e.st.CreateMember(context.Background(), xinlu.SystemActor(z), m); err != nil {
			t.Fatal(err)
		}
		status, body := e.call(admin, "POST", tp+"/members", `{"member_id":`+strconv.FormatInt(m.ID, 10)+`}`)
		if code, field, _ := teamParkError(t, body); status != 422 || code != "invalid" || field != "member_id" {
			t.Fatalf("outsider: %d %s", status, body)
		}
	})
	t.Run("a member may read but not write", func(t *testing.T) {
		denied := func(method, path, body string) scenario {
			return scenario{as: "member", method: method, path: path, body: body, status: 403, code: "forbidden"}
		}
		runScenarios(t, e.srv.URL, e.login, []scenario{
			{as: "member", method: "GET", path: "/teams", status: 200},
			{as: "member", method: "GET", path: tp + "/members", status: 200},
			denied("POST", "/teams", `{"kind":"planning","name":"越权"}`),
			denied("PUT", tp, `{"kind":"planning","name":"越权","version":2}`),
			denied("DELETE", tp, ""),
			denied("POST", tp+"/members", `{"member_id":`+mid+`}`),
			denied("PUT", tp+"/members/"+mid, `{"is_lead":true}`),
			denied("DELETE", tp+"/members/"+mid, ""),
		})
	})
	t.Run("delete with a stale version is refused, then deletes", func(t *testing.T) {
		if status, _ := e.call(admin, "DELETE", tp+"?version=1", ""); status != 409 {
			t.Fatalf("stale delete: %d", status)
		}
		if status, _ := e.call(admin, "DELETE", tp+"?version=2", ""); status != 204 {
			t.Fatalf("delete: %d", status)
		}
		if status, _ := e.call(admin, "GET", tp, ""); status != 404 {
			t.Fatalf("deleted team: %d", status)
		}
	})
	t.Run("another zone's admin gets 404", func(t *testing.T) {
		e.call(admin, "POST", "/teams", `{"kind":"leadership","name":"招商领导组"}`)
		teams, _, _ := e.st.ListTeams(context.Background(), store.TeamFilter{ZoneID: e.zone.ID, Kind: xinlu.TeamLeadership})
		if len(teams) != 1 {
			t.Fatalf("teams %v", teams)
		}
		e.user(e.secondZone(), "admin2", xinlu.RoleAdmin, 0)
		p := "/teams/" + strconv.FormatInt(teams[0].ID, 10)
		runScenarios(t, e.srv.URL, e.login, []scenario{
			{as: "admin2", method: "GET", path: p, status: 404},
			{as: "admin2", method: "GET", path: p + "/members", status: 404},
			{as: "admin2", method: "PUT", path: p, body: `{"kind":"planning","name":"x","version":1}`, status: 404},
			{as: "admin2", method: "DELETE", path: p, status: 404},
			{as: "admin2", method: "POST", path: p + "/members", body: `{"member_id":` + mid + `}`, status: 404},
		})
	})
	t.Run("every change is audited", func(t *testing.T) {
		rows, total, err := e.st.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: e.zone.ID, Entity: "team", Page: xinlu.Page{PerPage: 50}})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range rows {
			seen[r.Action] = true
		}
		for _, want := range []string{"team.create", "team.update", "team.delete", "team.member_add", "team.member_lead", "team.member_remove"} {
			if !seen[want] {
				t.Errorf("no %s among %d rows", want, total)
			}
		}
	})
}

// TestOpenAPIDescribesTeamsAndParks checks the fragments of this area
// against its routes, both ways.
func TestOpenAPIDescribesTeamsAndParks(t *testing.T) {
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
	ours := func(p string) bool { return strings.HasPrefix(p, "/teams") || p == "/parks" || p == "/parks/{id}" }
	served := map[string]bool{}
	for _, rt := range api.New(nil, nil, api.Config{}).Routes() {
		if !ours(rt.Pattern) {
			continue
		}
		served[strings.ToLower(rt.Method)+" "+rt.Pattern] = true
		if d.Paths[rt.Pattern][strings.ToLower(rt.Method)] == nil {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Pattern)
		}
	}
	if len(served) != 14 {
		t.Errorf("%d team and park routes, want 14", len(served))
	}
	for p, ops := range d.Paths {
		if !ours(p) {
			continue
		}
		for m := range ops {
			if m != "parameters" && !served[m+" "+p] {
				t.Errorf("the document describes %s %s, which no route serves", m, p)
			}
		}
	}
}
