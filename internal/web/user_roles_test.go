package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// On the roles page the security administrator gives business roles of the
// zone only: the administrators' roles and roles that read other zones are
// the operator's, on the command line. A refused attempt says why in the
// user's language and leaves the roles as they were.
func TestRolesPageLeavesAdministratorRolesToTheOperator(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	sec := a.as(xinlu.RoleSecAdmin)
	member := &xinlu.User{ZoneID: a.zone.ID, Username: "zhangsan", Name: "张三", Roles: []xinlu.Role{xinlu.RoleMember}, PasswordHash: sharedHash}
	if err := a.store.CreateUser(ctx, xinlu.SystemActor(a.zone.ID), member); err != nil {
		t.Fatal(err)
	}
	path := func(u *xinlu.User) string { return "/users/" + itoa64(u.ID) + "/roles" }
	for _, tc := range []struct {
		user  *xinlu.User
		roles []string
		want  string
	}{
		{a.users[xinlu.RoleAuditAdmin], []string{"secadmin"}, "只能由运维人员在服务器上用命令行"},
		{a.users[xinlu.RoleSysAdmin], []string{"member"}, "只能由运维人员在服务器上用命令行"},
		{member, []string{"admin"}, "只能由运维人员在服务器上用命令行"},
		{member, []string{"member", "viewer"}, "可查看其他开发区的数据"},
	} {
		before, _ := a.store.UserByID(ctx, a.zone.ID, tc.user.ID)
		r := sec.postForm(path(tc.user), url.Values{"roles": tc.roles, "version": {itoa(before.Version)}})
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, tc.want) || !strings.Contains(r.body, "安全告警") {
			t.Errorf("%s → %v: %d", tc.user.Username, tc.roles, r.StatusCode)
		}
		after, _ := a.store.UserByID(ctx, a.zone.ID, tc.user.ID)
		if after.Version != before.Version {
			t.Errorf("%s → %v: roles changed to %v", tc.user.Username, tc.roles, after.Roles)
		}
	}
	en := a.as(xinlu.RoleSecAdmin)
	en.lang = "en"
	if r := en.postForm(path(member), url.Values{"roles": {"viewer"}, "version": {"1"}}); r.StatusCode != http.StatusForbidden ||
		!strings.Contains(r.body, "only by the operator") {
		t.Errorf("english: %d", r.StatusCode)
	}
	// The page offers zone roles only, and no form at all for an administrator.
	page := sec.get(path(member))
	for _, r := range []string{"admin", "sysadmin", "secadmin", "auditadmin", "viewer"} {
		if strings.Contains(page.body, `value="`+r+`"`) {
			t.Errorf("the roles page offers %s", r)
		}
	}
	if !strings.Contains(page.body, `value="finance"`) || !strings.Contains(page.body, `id="save"`) {
		t.Error("the roles page lacks business roles")
	}
	adminPage := sec.get(path(a.users[xinlu.RoleSysAdmin]))
	if adminPage.StatusCode != 200 || strings.Contains(adminPage.body, `id="save"`) || !strings.Contains(adminPage.body, "xinlu user roles") {
		t.Errorf("an administrator's roles page: %d", adminPage.StatusCode)
	}
	if r := sec.postForm(path(member), url.Values{"roles": {"member", "finance"}, "version": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("business roles: %d %s", r.StatusCode, r.body)
	}
}
