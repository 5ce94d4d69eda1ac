package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xinlu/internal/xinlu"
)

func TestUserAdministration(t *testing.T) {
	a := newApp(t)
	admin := a.as(xinlu.RoleAdmin)
	bad := admin.postForm("/users", url.Values{"username": {"9bad"}, "name": {"张三"}, "roles": {"member"}})
	if bad.StatusCode != 422 || !strings.Contains(bad.body, "用户名须以小写字母开头") {
		t.Fatalf("bad username: %d", bad.StatusCode)
	}
	res := admin.postForm("/users", url.Values{"username": {"zhangsan"}, "name": {"张三"}})
	m := regexp.MustCompile(`id="password-value">([^<]+)<`).FindStringSubmatch(res.body)
	if res.StatusCode != http.StatusCreated || m == nil {
		t.Fatalf("create: %d", res.StatusCode)
	}
	initial := m[1]
	if dup := admin.postForm("/users", url.Values{"username": {"zhangsan"}, "name": {"x"}}); dup.StatusCode != 409 || !strings.Contains(dup.body, "用户名已被占用") {
		t.Fatalf("duplicate: %d", dup.StatusCode)
	}
	created, _ := a.store.UserByUsername(t.Context(), "zhangsan")
	if len(created.Roles) != 1 || created.Roles[0] != xinlu.RoleMember {
		t.Fatalf("new account roles %v", created.Roles)
	}
	// Business roles are the security administrator's to assign; the
	// administrators' roles are the operator's, on the command line.
	sec := a.as(xinlu.RoleSecAdmin)
	rolesPath := "/users/" + itoa64(created.ID) + "/roles"
	if r := sec.postForm(rolesPath, url.Values{"roles": {"sysadmin", "auditadmin"}, "version": {itoa(created.Version)}}); r.StatusCode != 403 || !strings.Contains(r.body, "命令行") {
		t.Fatalf("two admin roles: %d", r.StatusCode)
	}
	if r := sec.postForm(rolesPath, url.Values{"roles": {"sysadmin", "member"}, "version": {itoa(created.Version)}}); r.StatusCode != 403 || !strings.Contains(r.body, "命令行") {
		t.Fatalf("admin with business role: %d", r.StatusCode)
	}
	if r := sec.postForm(rolesPath, url.Values{"roles": {"member", "screener"}, "version": {itoa(created.Version)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("set roles: %d %s", r.StatusCode, r.body)
	}
	if r := admin.postForm(rolesPath, url.Values{"roles": {"member"}, "version": {"1"}}); r.StatusCode != 409 {
		t.Fatalf("stale roles: %d", r.StatusCode)
	}
	if r := a.as(xinlu.RoleSysAdmin).postForm(rolesPath, url.Values{"roles": {"member"}, "version": {"2"}}); r.StatusCode != 403 {
		t.Fatalf("system administrator assigned roles: %d", r.StatusCode)
	}

	// The new user must change the initial password before anything else.
	c := a.anon()
	r := c.postForm("/login", url.Values{"username": {"zhangsan"}, "password": {initial}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/password" {
		t.Fatalf("first login: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.get("/departments"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/password" {
		t.Fatalf("before change: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	weak := c.postForm("/password", url.Values{"current_password": {initial}, "new_password": {"zhangsan1A!"}, "confirm_password": {"zhangsan1A!"}})
	if weak.StatusCode != 422 || !strings.Contains(weak.body, "密码不能包含用户名") {
		t.Fatalf("weak: %d", weak.StatusCode)
	}
	if r := c.postForm("/password", url.Values{"current_password": {initial}, "new_password": {"Xin!lu2026"}, "confirm_password": {"Xin!lu2026"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d %s", r.StatusCode, r.body)
	}
	if r := c.get("/departments"); r.StatusCode != 200 {
		t.Fatalf("after change: %d", r.StatusCode)
	}

	// Disabling the account ends its session at once.
	users, _ := a.store.UserByUsername(t.Context(), "zhangsan")
	if len(users.Roles) != 2 {
		t.Fatalf("roles after assignment %v", users.Roles)
	}
	form := url.Values{"name": {"张三"}, "disabled": {"on"}, "version": {itoa(users.Version)}}
	if r := admin.postForm("/users/"+itoa64(users.ID), form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", r.StatusCode, r.body)
	}
	if r := c.get("/departments"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("disabled user still in: %d", r.StatusCode)
	}
	if r := c.postForm("/login", url.Values{"username": {"zhangsan"}, "password": {"Xin!lu2026"}}); r.StatusCode != 401 {
		t.Fatalf("disabled login: %d", r.StatusCode)
	}
	// An admin cannot lock themselves out.
	me := a.users[xinlu.RoleAdmin]
	self := admin.postForm("/users/"+itoa64(me.ID)+"/roles", url.Values{"roles": {"member"}, "version": {itoa(me.Version)}})
	if self.StatusCode != 422 || !strings.Contains(self.body, "不能修改自己的角色") {
		t.Fatalf("self demotion: %d", self.StatusCode)
	}
	disable := admin.postForm("/users/"+itoa64(me.ID), url.Values{"name": {"x"}, "disabled": {"on"}, "version": {itoa(me.Version)}})
	if disable.StatusCode != 422 || !strings.Contains(disable.body, "不能停用自己的账号") {
		t.Fatalf("self disable: %d", disable.StatusCode)
	}
}

func TestUserAPI(t *testing.T) {
	a := newApp(t)
	c := a.api(xinlu.RoleAdmin)
	r := c.do("POST", "/api/v1/users", `{"username":"lisi","name":"李四"}`, nil)
	if r.StatusCode != 201 || !strings.Contains(r.body, `"password":`) || !strings.Contains(r.body, `"must_change_password":true`) {
		t.Fatalf("create: %d %s", r.StatusCode, r.body)
	}
	lisi, _ := a.store.UserByUsername(t.Context(), "lisi")
	if r := c.do("PUT", "/api/v1/users/"+itoa64(lisi.ID)+"/roles", `{"roles":["king"],"version":1}`, nil); r.StatusCode != 422 {
		t.Fatalf("bad role: %d", r.StatusCode)
	} else if _, field, _ := jsonError(t, r.body); field != "roles" {
		t.Fatalf("bad role field: %s", r.body)
	}
	if r := c.do("PUT", "/api/v1/users/"+itoa64(lisi.ID)+"/roles", `{"roles":["screener","member"],"version":1}`, nil); r.StatusCode != 200 || !strings.Contains(r.body, `"roles":["member","screener"]`) {
		t.Fatalf("set roles: %d %s", r.StatusCode, r.body)
	}
	other := a.users[xinlu.RoleMember]
	if r := c.do("POST", "/api/v1/users", `{"username":"dup","name":"重复","member_id":`+itoa64(other.MemberID)+`}`, nil); r.StatusCode != 409 {
		t.Fatalf("member linked twice: %d %s", r.StatusCode, r.body)
	}
	if r := c.get("/api/v1/users?role=member"); !strings.Contains(r.body, `"username":"lisi"`) {
		t.Fatalf("list: %s", r.body)
	}
}

func TestAuditPageAndExport(t *testing.T) {
	a := newApp(t)
	admin := a.as(xinlu.RoleAdmin)
	admin.postForm("/departments", url.Values{"code": {"AUD"}, "name": {"=HYPERLINK(\"x\")"}})
	page := admin.get("/audit?action=department.&actor=admin")
	if page.StatusCode != 200 || !strings.Contains(page.body, `<td title="department.create">新增部门</td><td>部门 =HYPERLINK(&#34;x&#34;)</td>`) {
		t.Fatalf("audit page names neither the action nor the department: %d\n%s", page.StatusCode, page.body)
	}
	if !strings.Contains(page.body, `<option value="department." selected>部门：全部</option>`) {
		t.Error("the action filter does not keep the chosen module")
	}
	// A lead reported by a member: the audit row names it; the audit
	// administrator may not open leads, so the name has no link.
	member := a.as(xinlu.RoleMember)
	if r := member.postForm("/leads", reportLeadForm("审计链接科技有限公司")); r.StatusCode != 303 {
		t.Fatalf("report: %d", r.StatusCode)
	}
	leads := a.as(xinlu.RoleAuditAdmin).get("/audit?action=lead.report")
	if !strings.Contains(leads.body, `<td title="lead.report">报送线索</td><td>线索 审计链接科技有限公司 · 碳纤维复合材料</td>`) {
		t.Errorf("lead row is not named:\n%s", leads.body)
	}
	// A task force: the administrator may open it, so its name links.
	if r := admin.postForm("/teams", url.Values{"name": {"审计专班"}, "kind": {"taskforce"}}); r.StatusCode != 303 {
		t.Fatalf("team: %d %s", r.StatusCode, r.body)
	}
	teams := admin.get("/audit?action=team.create")
	if !regexp.MustCompile(`<td title="team.create">新建专班</td><td>专班 <a href="/teams/\d+">审计专班</a></td>`).MatchString(teams.body) {
		t.Errorf("team row is not named and linked:\n%s", teams.body)
	}
	x := admin.get("/audit/export.xlsx?action=department.")
	if x.StatusCode != 200 || x.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("export: %d %s", x.StatusCode, x.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) < 4 || rows[0][0] != "审计日志" || rows[2][3] != "操作" || rows[3][3] != "新增部门" || rows[3][4] != "department.create" ||
		rows[3][5] != "部门" || !strings.Contains(rows[3][7], "HYPERLINK") || !strings.Contains(rows[3][10], "HYPERLINK") {
		t.Fatalf("rows: %q", rows)
	}
	auditor := a.as(xinlu.RoleAuditAdmin)
	if r := auditor.get("/audit"); r.StatusCode != 200 || !strings.Contains(r.body, `<td title="audit.export">导出审计日志</td>`) {
		t.Fatalf("audit administrator sees the export in the log: %d", r.StatusCode)
	}
	if r := a.as(xinlu.RoleAuditor).get("/audit"); r.StatusCode != 403 {
		t.Fatalf("business auditor on the audit log: %d", r.StatusCode)
	}
	if r := a.as(xinlu.RoleDirector).get("/audit"); r.StatusCode != 403 {
		t.Fatalf("director on audit: %d", r.StatusCode)
	}
	denied, _, _ := a.store.ListAudit(t.Context(), xinlu.AuditFilter{ZoneID: a.zone.ID, Action: "access.denied"})
	if len(denied) == 0 {
		t.Fatal("the 403 was not audited")
	}
}

func TestLanguageErrorPagesAndOperations(t *testing.T) {
	a := newApp(t)
	anon := a.anon()
	anon.lang = "en-US,en;q=0.9"
	if r := anon.get("/login"); !strings.Contains(r.body, "Sign in") || !strings.Contains(r.body, `lang="en"`) {
		t.Fatal("Accept-Language en not honoured")
	}
	if r := anon.get("/nope"); r.StatusCode != 404 || !strings.Contains(r.body, "This page does not exist") {
		t.Fatalf("404 page: %d", r.StatusCode)
	}
	c := a.as(xinlu.RoleMember)
	if r := c.get("/users"); r.StatusCode != 403 || !strings.Contains(r.body, "没有权限") || !strings.Contains(r.body, "请求编号") {
		t.Fatalf("403 page: %d", r.StatusCode)
	}
	if r := c.postForm("/lang", url.Values{"lang": {"en"}, "next": {"/departments"}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/departments" {
		t.Fatalf("switch: %d", r.StatusCode)
	}
	// Remembered on the account: a fresh session in Chinese-speaking browser still gets English.
	c2 := a.as(xinlu.RoleMember)
	c2.lang = "zh-CN"
	if r := c2.get("/departments"); !strings.Contains(r.body, "Departments") {
		t.Fatal("language not remembered per user")
	}
	if r := c.postForm("/lang", url.Values{"lang": {"fr"}}); r.StatusCode != 422 {
		t.Fatalf("bad language: %d", r.StatusCode)
	}
	if r := anon.get("/healthz"); r.StatusCode != 200 || !strings.Contains(r.body, `"ok"`) {
		t.Fatalf("healthz: %d %s", r.StatusCode, r.body)
	}
	m := anon.get("/metrics")
	for _, want := range []string{`xinlu_http_requests_total{route="GET /login",status="200"}`, "xinlu_http_request_duration_seconds_bucket", "xinlu_db_open_connections"} {
		if !strings.Contains(m.body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Every asset comes from the server itself.
	page := c.get("/")
	for _, src := range regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page.body, -1) {
		if strings.HasPrefix(src[1], "http") || strings.HasPrefix(src[1], "//") {
			t.Errorf("page loads %s from outside", src[1])
		}
	}
	js := regexp.MustCompile(`src="(/static/[^"]+htmx.min.js)"`).FindStringSubmatch(page.body)
	if js == nil {
		t.Fatal("no htmx script")
	}
	if r := anon.get(js[1]); r.StatusCode != 200 || len(r.body) < 10000 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("htmx: %d %d bytes", r.StatusCode, len(r.body))
	}
	if r := anon.get("/static/x/vendor/echarts.min.js"); r.StatusCode != 200 || len(r.body) < 100000 {
		t.Fatalf("echarts: %d", r.StatusCode)
	}
	h := page.Header
	if !strings.Contains(h.Get("Content-Security-Policy"), "object-src 'none'") || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("security headers: %v", h)
	}
}

func itoa(n int) string     { return itoa64(int64(n)) }
func itoa64(n int64) string { return strconvFormat(n) }

func TestExportRateLimit(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAuditAdmin)
	for i := 0; i < 10; i++ {
		if r := c.get("/audit/export.xlsx"); r.StatusCode != 200 {
			t.Fatalf("export %d: %d", i+1, r.StatusCode)
		}
	}
	r := c.get("/audit/export.xlsx")
	if r.StatusCode != 429 || r.Header.Get("Retry-After") == "" || !strings.Contains(r.body, "操作过于频繁") {
		t.Fatalf("11th export: %d %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// Ten exports within the hour raise a mass-export alarm for the security administrator.
	sec := a.as(xinlu.RoleSecAdmin)
	page := sec.get("/security/alarms")
	if !strings.Contains(page.body, "大量导出") || !strings.Contains(page.body, `id="alarm-bell"`) {
		t.Fatalf("no mass-export alarm: %d", page.StatusCode)
	}
	if r := a.as(xinlu.RoleAuditAdmin).get("/security/alarms"); r.StatusCode != 403 {
		t.Fatalf("audit administrator on alarms: %d", r.StatusCode)
	}
}
