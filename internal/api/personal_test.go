package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

// personalEnv is a running xinlu that encrypts, with members in two
// departments and an API token per role (issued through the store, so that
// sign-in and its second factor are not what is tested here).
type personalEnv struct {
	t       *testing.T
	fix     *testfix.Zone
	st      *store.Store
	srv     *httptest.Server
	zone    *xinlu.Zone
	inDept  *xinlu.Member // in the head's department
	outside *xinlu.Member // in another department
	tokens  map[xinlu.Role]string
}

const (
	personalPhone = "13912345678"
	personalID    = "11010519491231002X"
)

func newPersonalEnv(t *testing.T) *personalEnv {
	t.Helper()
	ctx := context.Background()
	st := testfix.SQLite(t)
	keys, _ := seal.NewKeys(seal.SM4)
	if _, err := st.UseKeys(ctx, keys); err != nil {
		t.Fatal(err)
	}
	e := &personalEnv{t: t, st: st, fix: testfix.Bare(t, st, &xinlu.Zone{Code: "P", Name: "测试开发区", Demo: true}), tokens: map[xinlu.Role]string{}}
	e.zone = e.fix.Zone
	sys := xinlu.SystemActor(e.zone.ID)
	dept := func(code string) *xinlu.Department {
		d := &xinlu.Department{ZoneID: e.zone.ID, Code: code, Name: code}
		if err := st.CreateDepartment(ctx, sys, d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	invest, office := dept("INVEST"), dept("OFFICE")
	member := func(d *xinlu.Department, no, phone, id string) *xinlu.Member {
		m := &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: d.ID, StaffNo: no, Name: "人员" + no, Phone: phone, IDNumber: id}
		if err := st.CreateMember(ctx, sys, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	e.inDept = member(invest, "M1", personalPhone, personalID)
	e.outside = member(office, "M2", "13800000002", "")
	for _, r := range []xinlu.Role{xinlu.RoleHead, xinlu.RoleAppraiser, xinlu.RoleDirector, xinlu.RoleFinance, xinlu.RoleMember, xinlu.RoleAdmin} {
		u := &xinlu.User{Username: string(r), Name: string(r), Roles: []xinlu.Role{r}}
		switch r {
		case xinlu.RoleHead:
			u.MemberID = member(invest, "H1", "", "").ID
		case xinlu.RoleMember:
			u.MemberID = e.inDept.ID
		}
		e.fix.AddUser(u)
		e.tokens[r] = e.fix.Token(string(r), time.Hour)
	}
	e.srv = newAPIServer(t, st, nil)
	return e
}

func (e *personalEnv) call(r xinlu.Role, method, path, body string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+"/api/v1"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.tokens[r])
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (e *personalEnv) audits(action string) []xinlu.AuditEntry {
	rows, _, err := e.st.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: e.zone.ID, Action: action})
	if err != nil {
		e.t.Fatal(err)
	}
	return rows
}

func TestRevealAPI(t *testing.T) {
	e := newPersonalEnv(t)
	path := "/members/" + staffID(e.inDept.ID) + "/reveal"
	// Without reveal: 403 whatever the scope.
	for _, r := range []xinlu.Role{xinlu.RoleDirector, xinlu.RoleFinance, xinlu.RoleMember, xinlu.RoleAdmin} {
		if code, _ := e.call(r, "POST", path, `{"reason":"核对社保信息"}`); code != http.StatusForbidden {
			t.Errorf("%s reveals: %d", r, code)
		}
	}
	// The reason is required, at least four characters; unknown fields are refused.
	for body, field := range map[string]string{`{}`: "reason", `{"reason":"看看"}`: "reason", `{"reason":"核对社保信息","why":"x"}`: "why"} {
		code, res := e.call(xinlu.RoleHead, "POST", path, body)
		if c, f, _ := staffErrorOf(t, res); code != 422 || c != "invalid" || f != field {
			t.Errorf("%s: %d %s", body, code, res)
		}
	}
	if n := len(e.audits("personal.reveal")); n != 0 {
		t.Fatalf("refused reveals wrote %d audit rows", n)
	}
	// Out of the head's department: not found.
	if code, _ := e.call(xinlu.RoleHead, "POST", "/members/"+staffID(e.outside.ID)+"/reveal", `{"reason":"核对社保信息"}`); code != 404 {
		t.Fatalf("head reveals another department: %d", code)
	}
	code, body := e.call(xinlu.RoleHead, "POST", path, `{"reason":"核对社保缴纳信息"}`)
	var out struct {
		Phone    string   `json:"phone"`
		IDNumber string   `json:"id_number"`
		Fields   []string `json:"fields"`
	}
	json.Unmarshal([]byte(body), &out)
	if code != 200 || out.Phone != personalPhone || out.IDNumber != personalID || strings.Join(out.Fields, ",") != "phone,id_number" {
		t.Fatalf("reveal: %d %s", code, body)
	}
	rows := e.audits("personal.reveal")
	if len(rows) != 1 || rows[0].ActorName != "head" || rows[0].EntityID != e.inDept.ID || !strings.Contains(rows[0].After, "核对社保缴纳信息") ||
		strings.Contains(rows[0].After, personalPhone) || strings.Contains(rows[0].After, personalID) {
		t.Fatalf("audit %+v", rows)
	}
	// The appraisal office reveals zone-wide.
	if code, _ := e.call(xinlu.RoleAppraiser, "POST", "/members/"+staffID(e.outside.ID)+"/reveal", `{"reason":"考核核对"}`); code != 200 {
		t.Fatalf("appraiser: %d", code)
	}
}

// TestMaskedWithoutReveal: the list, the record and the lookup show masked
// values to every role that may read members, reveal or not, except the
// member themself and those who manage staff.
func TestMaskedWithoutReveal(t *testing.T) {
	e := newPersonalEnv(t)
	for _, tc := range []struct {
		role   xinlu.Role
		masked bool
	}{{xinlu.RoleDirector, true}, {xinlu.RoleFinance, true}, {xinlu.RoleHead, true}, {xinlu.RoleAppraiser, true}, {xinlu.RoleMember, false}} {
		for _, path := range []string{"/members?per_page=100", "/members/" + staffID(e.inDept.ID)} {
			code, body := e.call(tc.role, "GET", path, "")
			if code != 200 {
				t.Fatalf("%s %s: %d", tc.role, path, code)
			}
			full := strings.Contains(body, personalPhone) || strings.Contains(body, personalID)
			if tc.masked && (full || !strings.Contains(body, xinlu.MaskPhone(personalPhone)) || !strings.Contains(body, `"masked":true`)) {
				t.Errorf("%s %s: not masked: %s", tc.role, path, body)
			}
			if !tc.masked && !full {
				t.Errorf("%s %s: masked for the member themself", tc.role, path)
			}
		}
	}
}

func TestLookupAPI(t *testing.T) {
	e := newPersonalEnv(t)
	code, body := e.call(xinlu.RoleHead, "POST", "/members/lookup", `{"id_number":"11010519491231002x"}`)
	items, total := staffList[staffMemberOut](t, body)
	if code != 200 || total != 1 || items[0].ID != e.inDept.ID || !items[0].Masked || strings.Contains(body, personalID) {
		t.Fatalf("lookup by ID number: %d %s", code, body)
	}
	if code, body := e.call(xinlu.RoleHead, "POST", "/members/lookup", `{"phone":"13800000002"}`); code != 200 || !strings.Contains(body, `"total":0`) {
		t.Fatalf("a phone outside the head's department: %d %s", code, body)
	}
	if code, body := e.call(xinlu.RoleAppraiser, "POST", "/members/lookup", `{"phone":"13800000002"}`); code != 200 || !strings.Contains(body, `"total":1`) {
		t.Fatalf("appraiser lookup: %d %s", code, body)
	}
	for _, body := range []string{`{}`, `{"phone":"1","id_number":"2"}`} {
		if code, _ := e.call(xinlu.RoleHead, "POST", "/members/lookup", body); code != 422 {
			t.Errorf("%s: %d", body, code)
		}
	}
	if code, _ := e.call(xinlu.RoleDirector, "POST", "/members/lookup", `{"phone":"13912345678"}`); code != 403 {
		t.Fatalf("director lookup: %d", code)
	}
	rows := e.audits("personal.lookup")
	if len(rows) != 3 || strings.Contains(rows[0].After+rows[1].After+rows[2].After, "1380000") {
		t.Fatalf("lookup audit %+v", rows)
	}
}
