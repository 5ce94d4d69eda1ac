package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

// staffAPIEnv is a running xinlu with one zone: departments INVEST and its
// child INVEST1 plus OFFICE; members in each; accounts admin, head (of
// INVEST), director and member (in INVEST1); and a second zone with one
// member.
type staffAPIEnv struct {
	t       *testing.T
	fix     *testfix.Zone
	st      *store.Store
	srv     *httptest.Server
	zone    *xinlu.Zone
	invest  *xinlu.Department
	invest1 *xinlu.Department
	office  *xinlu.Department
	head    *xinlu.Member // in INVEST
	self    *xinlu.Member // in INVEST1, the "member" account
	clerk   *xinlu.Member // in OFFICE
	far     *xinlu.Member // in the other zone
	tokens  map[string]string
}

func newStaffAPIEnv(t *testing.T) *staffAPIEnv {
	t.Helper()
	ctx := context.Background()
	st := testfix.SQLite(t)
	e := &staffAPIEnv{t: t, st: st, fix: testfix.Bare(t, st, testfix.DemoZone()), tokens: map[string]string{}}
	e.zone = e.fix.Zone
	sys := xinlu.SystemActor(e.zone.ID)
	dept := func(parent int64, code, name string) *xinlu.Department {
		d := &xinlu.Department{ZoneID: e.zone.ID, ParentID: parent, Code: code, Name: name}
		if err := st.CreateDepartment(ctx, sys, d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	e.invest = dept(0, "INVEST", "招商局")
	e.invest1 = dept(e.invest.ID, "INVEST1", "招商一部")
	e.office = dept(0, "OFFICE", "办公室")
	member := func(zone int64, deptID int64, no, name, phone string) *xinlu.Member {
		m := &xinlu.Member{ZoneID: zone, DepartmentID: deptID, StaffNo: no, Name: name, Phone: phone, IDNumber: "11010519491231002X"}
		if err := st.CreateMember(ctx, xinlu.SystemActor(zone), m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	e.head = member(e.zone.ID, e.invest.ID, "H1", "孙局长", "13800000001")
	e.self = member(e.zone.ID, e.invest1.ID, "M1", "李明", "13800000002")
	e.clerk = member(e.zone.ID, e.office.ID, "C1", "赵文书", "13800000003")
	for _, a := range []struct {
		name   string
		role   xinlu.Role
		member int64
	}{{"admin", xinlu.RoleAdmin, 0}, {"head", xinlu.RoleHead, e.head.ID}, {"director", xinlu.RoleDirector, 0}, {"member", xinlu.RoleMember, e.self.ID}} {
		e.fix.AddUser(&xinlu.User{Username: a.name, Name: a.name, Roles: []xinlu.Role{a.role}, MemberID: a.member})
	}
	z2 := e.fix.Sibling(&xinlu.Zone{Code: "FAR", Name: "外区"}).Zone
	e.far = member(z2.ID, 0, "F1", "外区人员", "13800000009")
	e.srv = newAPIServer(t, st, nil)
	return e
}

// call sends a JSON request as username (signing in on first use) and
// returns the status and body.
func (e *staffAPIEnv) call(username, method, path, body string) (int, string) {
	e.t.Helper()
	tok, ok := e.tokens[username]
	if !ok {
		tok = fixLogin(e.t, e.fix, e.srv.URL, username)
		e.tokens[username] = tok
	}
	return apiCall(e.t, e.srv.URL, tok, method, path, body)
}

// staffList decodes a list envelope.
func staffList[T any](t *testing.T, body string) ([]T, int) {
	t.Helper()
	var out struct {
		Items []T `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("not a list: %s", body)
	}
	return out.Items, out.Total
}

type staffMemberOut struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	IDNumber string `json:"id_number"`
	Masked   bool   `json:"masked"`
	Status   string `json:"status"`
	Version  int    `json:"version"`
}

func staffErrorOf(t *testing.T, body string) (code, field, message string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Field, Message string }
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code == "" {
		t.Fatalf("not an error envelope: %s", body)
	}
	return e.Error.Code, e.Error.Field, e.Error.Message
}

func staffID(n int64) string { return strconv.FormatInt(n, 10) }

func TestStaffAPIMemberScopeAndMasking(t *testing.T) {
	e := newStaffAPIEnv(t)
	names := func(user string) (string, []staffMemberOut) {
		code, body := e.call(user, "GET", "/members?per_page=50", "")
		if code != 200 {
			t.Fatalf("%s list: %d %s", user, code, body)
		}
		items, total := staffList[staffMemberOut](t, body)
		var ns []string
		for _, m := range items {
			ns = append(ns, m.Name)
		}
		if total != len(items) {
			t.Fatalf("%s total %d", user, total)
		}
		return strings.Join(ns, ","), items
	}
	for _, tc := range []struct {
		user, want string
		masked     bool
	}{
		{"member", "李明", false},
		{"head", "孙局长,李明", true},
		{"director", "孙局长,李明,赵文书", true},
		{"admin", "孙局长,李明,赵文书", true},
	} {
		got, items := names(tc.user)
		if got != tc.want {
			t.Errorf("%s sees %s, want %s", tc.user, got, tc.want)
		}
		for _, m := range items {
			self := (tc.user == "member" && m.ID == e.self.ID) || (tc.user == "head" && m.ID == e.head.ID)
			wantMasked := tc.masked && !self
			if m.Masked != wantMasked || strings.Contains(m.Phone, "*") != wantMasked || strings.Contains(m.IDNumber, "*") != wantMasked {
				t.Errorf("%s sees %s as %q %q masked=%v", tc.user, m.Name, m.Phone, m.IDNumber, m.Masked)
			}
		}
	}
	// One record: scope-filtered, outside it not found.
	for _, tc := range []struct {
		user   string
		member int64
		status int
	}{
		{"member", e.self.ID, 200}, {"member", e.head.ID, 404},
		{"head", e.self.ID, 200}, {"head", e.clerk.ID, 404},
		{"director", e.clerk.ID, 200}, {"director", e.far.ID, 404}, {"admin", e.far.ID, 404},
	} {
		if code, body := e.call(tc.user, "GET", "/members/"+staffID(tc.member), ""); code != tc.status {
			t.Errorf("%s GET member %d: %d %s", tc.user, tc.member, code, body)
		}
	}
	_, body := e.call("head", "GET", "/members/"+staffID(e.self.ID), "")
	if !strings.Contains(body, `"phone":"138****0002"`) || !strings.Contains(body, `"masked":true`) {
		t.Fatalf("head sees %s", body)
	}
	if code, body := e.call("head", "GET", "/members?department_id="+staffID(e.invest1.ID), ""); code != 200 || !strings.Contains(body, `"total":1`) {
		t.Fatalf("department filter: %d %s", code, body)
	}
	if code, _ := e.call("head", "GET", "/members?status=gone", ""); code != 422 {
		t.Fatalf("bad status: %d", code)
	}
}

func TestStaffAPIWrites(t *testing.T) {
	e := newStaffAPIEnv(t)
	// Positions.
	code, body := e.call("admin", "POST", "/positions", `{"name":"招商专员","grade":"八级职员","department_id":`+staffID(e.invest.ID)+`}`)
	if code != 201 || !strings.Contains(body, `"kind":"staff"`) || !strings.Contains(body, `"department_name":"招商局"`) {
		t.Fatalf("create position: %d %s", code, body)
	}
	var pos struct{ ID int64 }
	json.Unmarshal([]byte(body), &pos)
	if code, body := e.call("admin", "POST", "/positions", `{"name":"招商专员"}`); code != 409 {
		t.Fatalf("duplicate position: %d %s", code, body)
	} else if c, f, m := staffErrorOf(t, body); c != "conflict" || f != "name" || m != "岗位名称已存在" {
		t.Fatalf("duplicate position: %s", body)
	}
	if code, _ := e.call("member", "POST", "/positions", `{"name":"x"}`); code != 403 {
		t.Fatalf("member creates a position: %d", code)
	}
	if code, body := e.call("admin", "PUT", "/positions/"+staffID(pos.ID), `{"name":"招商专员","kind":"head","version":1}`); code != 200 || !strings.Contains(body, `"version":2`) {
		t.Fatalf("update position: %d %s", code, body)
	}
	if code, _ := e.call("admin", "PUT", "/positions/"+staffID(pos.ID), `{"name":"再改","version":1}`); code != 409 {
		t.Fatalf("stale position: %d", code)
	}

	// Members.
	code, body = e.call("admin", "POST", "/members", `{"staff_no":"N1","name":"新人","phone":"1380000","department_id":`+staffID(e.invest.ID)+`}`)
	if c, f, msg := staffErrorOf(t, body); code != 422 || c != "invalid" || f != "phone" || msg != "手机号须为 11 位手机号" {
		t.Fatalf("bad phone: %d %s", code, body)
	}
	if code, body := e.call("admin", "POST", "/members", `{"staff_no":"N1","name":"新人","nickname":"x"}`); code != 422 || !strings.Contains(body, `"field":"nickname"`) {
		t.Fatalf("unknown field: %d %s", code, body)
	}
	code, body = e.call("admin", "POST", "/members", `{"staff_no":"N1","name":"新人","phone":"13900001111","position_id":`+staffID(pos.ID)+`}`)
	if code != 201 || !strings.Contains(body, `"phone":"139****1111"`) || !strings.Contains(body, `"position_name":"招商专员"`) {
		t.Fatalf("create member: %d %s", code, body)
	}
	var nm staffMemberOut
	json.Unmarshal([]byte(body), &nm)
	if code, _ := e.call("admin", "PUT", "/members/"+staffID(nm.ID), `{"staff_no":"N1","name":"新人"}`); code != 422 {
		t.Fatalf("update without version: %d", code)
	}
	if code, body := e.call("admin", "PUT", "/members/"+staffID(nm.ID), `{"staff_no":"N1","name":"新人","status":"probation","position_id":`+staffID(pos.ID)+`,"version":1}`); code != 200 || !strings.Contains(body, `"status":"probation"`) {
		t.Fatalf("update member: %d %s", code, body)
	}
	if code, _ := e.call("admin", "PUT", "/members/"+staffID(nm.ID), `{"staff_no":"N1","name":"过期","version":1}`); code != 409 {
		t.Fatalf("stale member: %d", code)
	}
	if code, _ := e.call("admin", "PUT", "/members/"+staffID(e.far.ID), `{"staff_no":"F1","name":"篡改","version":1}`); code != 404 {
		t.Fatalf("update another zone's member: %d", code)
	}
	if code, _ := e.call("admin", "DELETE", "/members/"+staffID(e.far.ID), ""); code != 404 {
		t.Fatalf("delete another zone's member: %d", code)
	}
	if code, _ := e.call("head", "POST", "/members", `{"staff_no":"N2","name":"x"}`); code != 403 {
		t.Fatalf("head creates a member: %d", code)
	}
	if code, body := e.call("admin", "DELETE", "/positions/"+staffID(pos.ID), ""); code != 409 || !strings.Contains(body, "不能删除") {
		t.Fatalf("delete a position in use: %d %s", code, body)
	}

	// Contracts.
	end := time.Now().AddDate(0, 0, 40).Format(xinlu.DateLayout)
	code, body = e.call("admin", "POST", "/members/"+staffID(e.self.ID)+"/contracts", `{"start_date":"2026-01-01","end_date":"2025-01-01"}`)
	if c, f, _ := staffErrorOf(t, body); code != 422 || c != "invalid" || f != "end_date" {
		t.Fatalf("end before start: %d %s", code, body)
	}
	code, body = e.call("admin", "POST", "/members/"+staffID(e.self.ID)+"/contracts", `{"start_date":"2023-07-01","end_date":"`+end+`","position_id":`+staffID(pos.ID)+`}`)
	if code != 201 || !strings.Contains(body, `"status":"active"`) || !strings.Contains(body, `"member_name":"李明"`) {
		t.Fatalf("create contract: %d %s", code, body)
	}
	var con struct{ ID int64 }
	json.Unmarshal([]byte(body), &con)
	code, body = e.call("admin", "POST", "/members/"+staffID(e.self.ID)+"/contracts", `{"start_date":"2026-07-01","end_date":"2029-06-30"}`)
	if c, _, msg := staffErrorOf(t, body); code != 409 || c != "conflict" || !strings.Contains(msg, "已有一份履行中的合同") {
		t.Fatalf("second active contract: %d %s", code, body)
	}
	if code, _ := e.call("admin", "POST", "/members/"+staffID(e.far.ID)+"/contracts", `{"start_date":"2024-01-01","end_date":"2025-01-01"}`); code != 404 {
		t.Fatalf("contract for another zone's member: %d", code)
	}
	if code, body := e.call("admin", "PUT", "/contracts/"+staffID(con.ID), `{"start_date":"2023-07-01","end_date":"`+end+`","note":"待续签","version":1}`); code != 200 || !strings.Contains(body, `"note":"待续签"`) {
		t.Fatalf("update contract: %d %s", code, body)
	}
	if code, _ := e.call("admin", "PUT", "/contracts/"+staffID(con.ID), `{"start_date":"2023-07-01","end_date":"`+end+`","version":1}`); code != 409 {
		t.Fatalf("stale contract: %d", code)
	}
	for _, user := range []string{"member", "head", "admin"} {
		code, body := e.call(user, "GET", "/members/"+staffID(e.self.ID)+"/contracts", "")
		if items, total := staffList[map[string]any](t, body); code != 200 || total != 1 || items[0]["days_left"] != nil {
			t.Fatalf("%s lists the contracts: %d %s", user, code, body)
		}
	}
	if code, _ := e.call("member", "GET", "/members/"+staffID(e.head.ID)+"/contracts", ""); code != 404 {
		t.Fatalf("member lists another's contracts: %d", code)
	}
	for _, tc := range []struct {
		user  string
		total int
	}{{"member", 1}, {"head", 1}, {"director", 1}} {
		code, body := e.call(tc.user, "GET", "/contracts/expiring", "")
		items, total := staffList[map[string]any](t, body)
		if code != 200 || total != tc.total || (total > 0 && items[0]["days_left"] == nil) {
			t.Fatalf("%s expiring: %d %s", tc.user, code, body)
		}
	}
	if code, body := e.call("admin", "GET", "/contracts/expiring?days=30", ""); code != 200 || !strings.Contains(body, `"total":0`) {
		t.Fatalf("expiring within 30 days: %d %s", code, body)
	}
	if code, _ := e.call("admin", "GET", "/contracts/expiring?days=0", ""); code != 422 {
		t.Fatalf("days=0: %d", code)
	}
	if code, _ := e.call("admin", "GET", "/contracts/expiring?sort=start", ""); code != 422 {
		t.Fatalf("bad sort: %d", code)
	}

	// Terms.
	code, body = e.call("admin", "POST", "/members/"+staffID(e.head.ID)+"/terms", `{"title":"招商局局长","start_date":"2024-03-01","targets":"签约 30 亿元"}`)
	if code != 201 || !strings.Contains(body, `"end_date":"2027-02-28"`) {
		t.Fatalf("create term: %d %s", code, body)
	}
	var term struct{ ID int64 }
	json.Unmarshal([]byte(body), &term)
	if code, body := e.call("admin", "POST", "/members/"+staffID(e.head.ID)+"/terms", `{"title":"","start_date":"2024-03-01"}`); code != 422 || !strings.Contains(body, "职务不能为空") {
		t.Fatalf("term without title: %d %s", code, body)
	}
	if code, body := e.call("head", "GET", "/members/"+staffID(e.head.ID)+"/terms", ""); code != 200 || !strings.Contains(body, "签约 30 亿元") {
		t.Fatalf("head lists own terms: %d %s", code, body)
	}
	if code, _ := e.call("member", "GET", "/members/"+staffID(e.head.ID)+"/terms", ""); code != 404 {
		t.Fatalf("member lists another's terms: %d", code)
	}
	if code, body := e.call("admin", "PUT", "/terms/"+staffID(term.ID), `{"title":"招商局局长","start_date":"2024-03-01","end_date":"2027-03-31","version":1}`); code != 200 || !strings.Contains(body, `"version":2`) {
		t.Fatalf("update term: %d %s", code, body)
	}
	if code, _ := e.call("admin", "DELETE", "/terms/"+staffID(term.ID)+"?version=1", ""); code != 409 {
		t.Fatalf("stale term delete: %d", code)
	}
	if code, _ := e.call("admin", "DELETE", "/terms/"+staffID(term.ID)+"?version=2", ""); code != 204 {
		t.Fatalf("delete term: %d", code)
	}
	if code, _ := e.call("admin", "DELETE", "/contracts/"+staffID(con.ID)+"?version=2", ""); code != 204 {
		t.Fatalf("delete contract: %d", code)
	}

	// Every write left an audit row, none with a full phone number.
	rows, total, err := e.st.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: e.zone.ID, Page: xinlu.Page{PerPage: 200}})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, r := range rows {
		if r.ActorName == "admin" {
			actions[r.Action]++
		}
		if strings.Contains(r.Before+r.After, "13900001111") {
			t.Fatalf("unmasked phone in audit row %+v", r)
		}
	}
	for _, a := range []string{"position.create", "position.update", "member.create", "member.update", "contract.create",
		"contract.update", "contract.delete", "term.create", "term.update", "term.delete"} {
		if actions[a] != 1 {
			t.Errorf("%s: %d audit rows (of %d)", a, actions[a], total)
		}
	}
}
