package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

// roleEnv is a running xinlu with a zone made by the operator (not the
// demo) holding the three administrators, and a second zone with a member
// and a lead that no account of the first may see.
type roleEnv struct {
	t    *testing.T
	fix  *testfix.Zone
	st   *store.Store
	srv  *httptest.Server
	zone *xinlu.Zone
	dept *xinlu.Department
	far  *xinlu.Zone
	seq  int
}

// The other zone's member and lead, which must not show up in the first.
const (
	farMemberName = "外区人员甲"
	farCompany    = "外区专属新材料有限公司"
)

func newRoleEnv(t *testing.T) *roleEnv {
	t.Helper()
	ctx := context.Background()
	st := testfix.SQLite(t)
	keys, err := seal.NewKeys(seal.AES)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UseKeys(ctx, keys); err != nil {
		t.Fatal(err)
	}
	e := &roleEnv{t: t, st: st, fix: testfix.Bare(t, st, &xinlu.Zone{Code: "jz", Name: "晋中开发区"})}
	e.zone = e.fix.Zone
	e.dept = &xinlu.Department{ZoneID: e.zone.ID, Code: "INVEST", Name: "招商局"}
	if err := st.CreateDepartment(ctx, xinlu.SystemActor(e.zone.ID), e.dept); err != nil {
		t.Fatal(err)
	}
	for _, r := range []xinlu.Role{xinlu.RoleSysAdmin, xinlu.RoleSecAdmin, xinlu.RoleAuditAdmin} {
		e.account(string(r), r, false)
	}
	e.far = e.fix.Sibling(&xinlu.Zone{Code: "far", Name: "外区"}).Zone
	fm := &xinlu.Member{ZoneID: e.far.ID, StaffNo: "F1", Name: farMemberName}
	if err := st.CreateMember(ctx, xinlu.SystemActor(e.far.ID), fm); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ReportLead(ctx, xinlu.SystemActor(e.far.ID), &xinlu.Lead{ZoneID: e.far.ID, ReporterID: fm.ID,
		Company: farCompany, ProjectName: "碳纤维", Industry: "materials"}); err != nil {
		t.Fatal(err)
	}
	e.srv = newAPIServer(t, st, nil)
	return e
}

// account creates an account of the zone with role, with a staff record
// when withMember.
func (e *roleEnv) account(username string, role xinlu.Role, withMember bool) *xinlu.User {
	e.t.Helper()
	ctx := context.Background()
	u := &xinlu.User{Username: username, Roles: []xinlu.Role{role}}
	if withMember {
		e.seq++
		m := &xinlu.Member{ZoneID: e.zone.ID, DepartmentID: e.dept.ID, StaffNo: "S" + strconv.Itoa(e.seq), Name: "测试" + username}
		if err := e.st.CreateMember(ctx, xinlu.SystemActor(e.zone.ID), m); err != nil {
			e.t.Fatal(err)
		}
		u.MemberID = m.ID
	}
	return e.fix.AddUser(u)
}

func (e *roleEnv) user(id int64) *xinlu.User {
	e.t.Helper()
	u, err := e.st.UserByID(context.Background(), e.zone.ID, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// setRoles asks PUT /users/{id}/roles as the holder of token.
func (e *roleEnv) setRoles(token string, u *xinlu.User, roles ...xinlu.Role) (int, string) {
	e.t.Helper()
	b, _ := json.Marshal(map[string]any{"roles": roles, "version": u.Version})
	return apiCall(e.t, e.srv.URL, token, "PUT", "/users/"+strconv.FormatInt(u.ID, 10)+"/roles", string(b))
}

type apiErrorOut struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
		Key     string `json:"key"`
	} `json:"error"`
}

// The roles of the three administrators (and of the demo's combined one)
// are the operator's, on the command line: a zone's security administrator
// neither gives them nor changes the roles of an account that holds one.
// Each refused attempt is audited and raises an alarm.
func TestAdministratorRolesAreTheOperators(t *testing.T) {
	e := newRoleEnv(t)
	ctx := context.Background()
	sec := fixLogin(t, e.fix, e.srv.URL, "secadmin")
	sys, _ := e.st.UserByUsername(ctx, "sysadmin")
	aud, _ := e.st.UserByUsername(ctx, "auditadmin")
	plain := e.account("zhang", xinlu.RoleMember, true)
	attempts := []struct {
		name   string
		target *xinlu.User
		roles  []xinlu.Role
	}{
		{"a super-administrator", plain, []xinlu.Role{xinlu.RoleAdmin}},
		{"a second security administrator", plain, []xinlu.Role{xinlu.RoleSecAdmin}},
		{"the audit administrator made security administrator", aud, []xinlu.Role{xinlu.RoleSecAdmin}},
		{"the audit administrator made super-administrator", aud, []xinlu.Role{xinlu.RoleAdmin}},
		{"the system administrator made a member", sys, []xinlu.Role{xinlu.RoleMember}},
		{"the system administrator's role given again", sys, []xinlu.Role{xinlu.RoleSysAdmin}},
	}
	for _, at := range attempts {
		before := e.user(at.target.ID)
		status, body := e.setRoles(sec, before, at.roles...)
		var out apiErrorOut
		json.Unmarshal([]byte(body), &out)
		if status != 403 || out.Error.Code != "forbidden" || out.Error.Field != "roles" || out.Error.Key != "user.admin_roles_operator_only" ||
			!strings.Contains(out.Error.Message, "命令行") {
			t.Errorf("%s: %d %s", at.name, status, body)
		}
		after := e.user(at.target.ID)
		if strings.Join(roleNames(after.Roles), ",") != strings.Join(roleNames(before.Roles), ",") || after.Version != before.Version {
			t.Errorf("%s: roles became %v", at.name, after.Roles)
		}
	}
	refused, n, err := e.st.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "user.roles_refused"})
	if err != nil || n != len(attempts) {
		t.Fatalf("%d refusals audited, want %d: %v", n, len(attempts), err)
	}
	if refused[0].ActorName != "secadmin" || !strings.Contains(refused[0].After, "user.admin_roles_operator_only") {
		t.Fatalf("refusal row: %+v", refused[0])
	}
	alarms, _, err := e.st.ListAlarms(ctx, store.AlarmFilter{ZoneID: e.zone.ID, Open: true})
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, a := range alarms {
		if a.Kind == "role_escalation" && a.Subject == "secadmin" {
			count += a.Count
		}
	}
	if count != len(attempts) {
		t.Fatalf("alarms %+v", alarms)
	}
	// The same refusal in English for an English-speaking administrator.
	if status, _ := apiCall(t, e.srv.URL, sec, "PUT", "/me/lang", `{"lang":"en"}`); status != 204 {
		t.Fatal("language")
	}
	status, body := e.setRoles(sec, e.user(plain.ID), xinlu.RoleAuditAdmin)
	if status != 403 || !strings.Contains(body, "command line") {
		t.Fatalf("english: %d %s", status, body)
	}
	// Business roles stay the security administrator's to give.
	if status, body := e.setRoles(sec, e.user(plain.ID), xinlu.RoleMember, xinlu.RoleScreener); status != 200 {
		t.Fatalf("business roles: %d %s", status, body)
	}
}

func roleNames(rs []xinlu.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// Walks every role a zone's security administrator could try to give
// through the API: each is refused, or the account it makes still sees
// nothing of another zone.
func TestZoneRoleGrantsStayInTheZone(t *testing.T) {
	e := newRoleEnv(t)
	ctx := context.Background()
	sec := fixLogin(t, e.fix, e.srv.URL, "secadmin")
	granted := 0
	for _, r := range xinlu.Roles {
		u := e.account("t-"+string(r), xinlu.RoleMember, true)
		roles := []xinlu.Role{r}
		if !r.IsAdminRole() && r != xinlu.RoleMember {
			roles = append(roles, xinlu.RoleMember)
		}
		status, body := e.setRoles(sec, u, roles...)
		if status != 200 {
			var out apiErrorOut
			json.Unmarshal([]byte(body), &out)
			if status != 403 || out.Error.Field != "roles" || out.Error.Message == "" {
				t.Errorf("%s: %d %s", r, status, body)
			}
			if got := e.user(u.ID); len(got.Roles) != 1 || got.Roles[0] != xinlu.RoleMember {
				t.Errorf("%s refused but the roles became %v", r, got.Roles)
			}
			continue
		}
		granted++
		u = e.user(u.ID)
		tok, _, err := e.st.CreateSession(ctx, xinlu.ActorOf(u, ""), u.ID, "api", "probe", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/members?per_page=200", "/leads?per_page=200", "/projects?per_page=200", "/departments?per_page=200"} {
			status, body := apiCall(t, e.srv.URL, tok, "GET", path, "")
			if status == 200 && (strings.Contains(body, farMemberName) || strings.Contains(body, farCompany) ||
				strings.Contains(body, `"zone_id":`+strconv.FormatInt(e.far.ID, 10))) {
				t.Errorf("%s given by the zone's security administrator reads another zone at %s", r, path)
			}
		}
	}
	if granted < 8 {
		t.Fatalf("only %d business roles could be given", granted)
	}
}
