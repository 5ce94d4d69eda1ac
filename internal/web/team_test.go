package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// teamParkOtherZone creates a second zone with an administrator and signs in
// as them through the login page and the API.
func (a *app) teamParkOtherZone() (page, api *client) {
	a.t.Helper()
	ctx := context.Background()
	z := &xinlu.Zone{Code: "OTHER", Name: "另一开发区", Demo: true}
	if err := a.store.CreateZone(ctx, xinlu.SystemActor(0), z); err != nil {
		a.t.Fatal(err)
	}
	u := &xinlu.User{ZoneID: z.ID, Username: "admin2", Name: "外区管理员", Roles: []xinlu.Role{xinlu.RoleAdmin}, PasswordHash: sharedHash}
	if err := a.store.CreateUser(ctx, xinlu.SystemActor(z.ID), u); err != nil {
		a.t.Fatal(err)
	}
	page = a.anon()
	if res := page.postForm("/login", url.Values{"username": {"admin2"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("login as admin2: %d", res.StatusCode)
	}
	api = a.anon()
	res := api.do("POST", "/api/v1/auth/login", `{"username":"admin2","password":"`+testPassword+`"}`, nil)
	if res.StatusCode != 200 {
		a.t.Fatalf("api login as admin2: %d %s", res.StatusCode, res.body)
	}
	api.token = strings.Split(strings.Split(res.body, `"token":"`)[1], `"`)[0]
	return page, api
}

// teamIDFromLocation reads the record id from a redirect to /area/{id}.
func teamIDFromLocation(t *testing.T, res response) string {
	t.Helper()
	loc := res.Header.Get("Location")
	id := loc[strings.LastIndex(loc, "/")+1:]
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		t.Fatalf("no id in redirect %q", loc)
	}
	return id
}

func TestTeamPages(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleAdmin)
	if r := c.get("/teams"); r.StatusCode != 200 || !strings.Contains(r.body, "暂无专班或工作组") || !strings.Contains(r.body, `id="team-new"`) {
		t.Fatalf("empty list: %d", r.StatusCode)
	}

	t.Run("bad input is refused naming the field", func(t *testing.T) {
		r := c.postForm("/teams", url.Values{"name": {""}, "kind": {"taskforce"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "名称不能为空") {
			t.Fatalf("no name: %d", r.StatusCode)
		}
		r = c.postForm("/teams", url.Values{"name": {"甄别专班"}, "kind": {""}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "类型不能为空") || !strings.Contains(r.body, `value="甄别专班"`) {
			t.Fatalf("no kind: %d", r.StatusCode)
		}
		r = c.postForm("/teams", url.Values{"name": {"甄别专班"}, "kind": {"committee"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "类型的取值无效") {
			t.Fatalf("bad kind: %d", r.StatusCode)
		}
	})

	created := c.postForm("/teams", url.Values{"name": {"甄别专班"}, "kind": {"taskforce"}, "description": {"线索甄别筛选"}})
	if created.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", created.StatusCode, created.body)
	}
	id := teamIDFromLocation(t, created)
	show := c.get("/teams/" + id)
	if show.StatusCode != 200 || !strings.Contains(show.body, "甄别专班") || !strings.Contains(show.body, "新增成功") ||
		!strings.Contains(show.body, "暂无成员") || !strings.Contains(show.body, "测试member") {
		t.Fatalf("show after create: %d", show.StatusCode)
	}

	t.Run("list searches and filters by kind", func(t *testing.T) {
		r := c.get("/teams?q=甄别")
		if !strings.Contains(r.body, "甄别专班") || !strings.Contains(r.body, "共 1 条") || !strings.Contains(r.body, `<span class="tag tag-blue">专班</span>`) {
			t.Fatalf("search: %s", r.body)
		}
		if r := c.get("/teams?kind=planning"); strings.Contains(r.body, "甄别专班") || !strings.Contains(r.body, "暂无专班或工作组") {
			t.Fatalf("kind filter shows a task force")
		}
	})
	t.Run("duplicate name is refused", func(t *testing.T) {
		r := c.postForm("/teams", url.Values{"name": {"甄别专班"}, "kind": {"planning"}})
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "同名的专班或工作组已存在") {
			t.Fatalf("duplicate: %d", r.StatusCode)
		}
	})

	member := a.users[xinlu.RoleMember].MemberID
	mid := strconv.FormatInt(member, 10)
	t.Run("members are added with department and lead mark", func(t *testing.T) {
		r := c.postForm("/teams/"+id+"/members", url.Values{"member_id": {mid}, "is_lead": {"on"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/teams/"+id {
			t.Fatalf("add: %d %s", r.StatusCode, r.body)
		}
		show := c.get("/teams/" + id)
		table := show.body[strings.Index(show.body, `id="team-member-table"`):]
		table = table[:strings.Index(table, "</table>")]
		if !strings.Contains(table, "测试member") || !strings.Contains(table, "招商局") || !strings.Contains(table, "取消负责人") {
			t.Fatalf("member table: %s", table)
		}
		if !strings.Contains(show.body, "确定将“测试member”移出“甄别专班”吗？") {
			t.Fatalf("removal is not confirmed by name")
		}
		if list := c.get("/teams"); !strings.Contains(list.body, `<a href="/teams/`+id+`">1</a>`) {
			t.Fatalf("member count not listed")
		}
	})
	t.Run("adding twice is refused with a clear message", func(t *testing.T) {
		r := c.postForm("/teams/"+id+"/members", url.Values{"member_id": {mid}})
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "该人员已在本组中，不能重复添加") {
			t.Fatalf("twice: %d", r.StatusCode)
		}
	})
	t.Run("adding nobody or a member of another zone is refused", func(t *testing.T) {
		r := c.postForm("/teams/"+id+"/members", url.Values{"member_id": {""}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "人员不能为空") {
			t.Fatalf("nobody: %d", r.StatusCode)
		}
		ctx := context.Background()
		z := &xinlu.Zone{Code: "Z9", Name: "外区"}
		if err := a.store.CreateZone(ctx, xinlu.SystemActor(0), z); err != nil {
			t.Fatal(err)
		}
		m := &xinlu.Member{ZoneID: z.ID, StaffNo: "X1", Name: "外区人员"}
		if err := a.store.CreateMember(ctx, xinlu.SystemActor(z.ID), m); err != nil {
			t.Fatal(err)
		}
		r = c.postForm("/teams/"+id+"/members", url.Values{"member_id": {strconv.FormatInt(m.ID, 10)}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "人员不存在或不属于本开发区") {
			t.Fatalf("outsider: %d", r.StatusCode)
		}
		if strings.Contains(c.get("/teams/"+id).body, "外区人员") {
			t.Fatalf("another zone's member is offered")
		}
	})
	t.Run("lead is unmarked and the member removed", func(t *testing.T) {
		if r := c.postForm("/teams/"+id+"/members/"+mid+"/lead", url.Values{"is_lead": {"0"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("unmark: %d", r.StatusCode)
		}
		if show := c.get("/teams/" + id); !strings.Contains(show.body, "设为负责人") || !strings.Contains(show.body, "修改成功") {
			t.Fatalf("lead still marked")
		}
		if r := c.postForm("/teams/"+id+"/members/"+mid+"/delete", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", r.StatusCode)
		}
		if r := c.postForm("/teams/"+id+"/members/"+mid+"/delete", nil); r.StatusCode != http.StatusNotFound {
			t.Fatalf("remove again: %d", r.StatusCode)
		}
	})
	t.Run("a member may look but not change", func(t *testing.T) {
		m := a.as(xinlu.RoleMember)
		if r := m.get("/teams"); r.StatusCode != 200 || !strings.Contains(r.body, "甄别专班") || strings.Contains(r.body, `id="team-new"`) {
			t.Fatalf("member list: %d", r.StatusCode)
		}
		if r := m.get("/teams/" + id); r.StatusCode != 200 || strings.Contains(r.body, `id="team-add-member"`) {
			t.Fatalf("member show: %d", r.StatusCode)
		}
		if r := m.postForm("/teams", url.Values{"name": {"越权"}, "kind": {"planning"}}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("member create: %d", r.StatusCode)
		}
		if r := m.postForm("/teams/"+id+"/members", url.Values{"member_id": {mid}}); r.StatusCode != http.StatusForbidden {
			t.Fatalf("member add: %d", r.StatusCode)
		}
	})
	t.Run("edit, stale edit and delete", func(t *testing.T) {
		edit := c.get("/teams/" + id + "/edit")
		if edit.StatusCode != 200 || !strings.Contains(edit.body, "线索甄别筛选") || !strings.Contains(edit.body, `value="taskforce" selected`) {
			t.Fatalf("edit form: %d", edit.StatusCode)
		}
		if r := c.postForm("/teams/"+id, url.Values{"name": {"线索甄别专班"}, "kind": {"taskforce"}, "version": {"1"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: %d %s", r.StatusCode, r.body)
		}
		if r := c.postForm("/teams/"+id, url.Values{"name": {"过期"}, "kind": {"taskforce"}, "version": {"1"}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "已被他人修改") {
			t.Fatalf("stale update: %d", r.StatusCode)
		}
		if r := c.postForm("/teams/"+id+"/delete", url.Values{"version": {"2"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.StatusCode)
		}
		if r := c.get("/teams/" + id); r.StatusCode != http.StatusNotFound {
			t.Fatalf("deleted team: %d", r.StatusCode)
		}
	})
	t.Run("every change is audited", func(t *testing.T) {
		_, total, err := a.store.ListAudit(context.Background(), xinlu.AuditFilter{ZoneID: a.zone.ID, Entity: "team"})
		if err != nil || total != 6 { // create, member_add, member_lead, member_remove, update, delete
			t.Fatalf("audit rows %d %v", total, err)
		}
	})
}

func TestTeamsAndParksAreZoneIsolated(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(a.zone.ID)
	team := &xinlu.Team{ZoneID: a.zone.ID, Kind: xinlu.TeamLeadership, Name: "招商领导组"}
	if err := a.store.CreateTeam(ctx, sys, team); err != nil {
		t.Fatal(err)
	}
	park := &xinlu.Park{ZoneID: a.zone.ID, Name: "装备制造园", Industries: []string{"equipment"}}
	if err := a.store.CreatePark(ctx, sys, park); err != nil {
		t.Fatal(err)
	}
	tid, pid := strconv.FormatInt(team.ID, 10), strconv.FormatInt(park.ID, 10)
	page, api := a.teamParkOtherZone()
	for _, path := range []string{"/teams/" + tid, "/teams/" + tid + "/edit", "/parks/" + pid + "/edit"} {
		if r := page.get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s from another zone: %d", path, r.StatusCode)
		}
	}
	for _, path := range []string{"/api/v1/teams/" + tid, "/api/v1/teams/" + tid + "/members", "/api/v1/parks/" + pid} {
		if r := api.get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("API GET %s from another zone: %d", path, r.StatusCode)
		}
	}
	if r := api.do("PUT", "/api/v1/teams/"+tid, `{"kind":"planning","name":"x","version":1}`, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("API PUT team from another zone: %d", r.StatusCode)
	}
	if r := api.do("DELETE", "/api/v1/parks/"+pid, "", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("API DELETE park from another zone: %d", r.StatusCode)
	}
	if r := page.postForm("/teams/"+tid+"/delete", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("POST delete team from another zone: %d", r.StatusCode)
	}
	if r := page.get("/teams"); strings.Contains(r.body, "招商领导组") {
		t.Errorf("another zone's team listed")
	}
	if r := api.get("/api/v1/parks"); !strings.Contains(r.body, `"total":0`) {
		t.Errorf("another zone's park listed: %s", r.body)
	}
	if _, err := a.store.TeamByID(ctx, a.zone.ID, team.ID); err != nil {
		t.Errorf("team gone: %v", err)
	}
	if items, _, _ := a.store.ListParks(ctx, store.ParkFilter{ZoneID: a.zone.ID}); len(items) != 1 {
		t.Errorf("park gone")
	}
}
