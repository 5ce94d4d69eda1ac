package web_test

import (
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

// TestGlobalSearch: the search box finds projects, leads and people by
// name, each kind only for those who may see it.
func TestGlobalSearch(t *testing.T) {
	a := newApp(t)
	p := a.project("搜索高端装备项目", xinlu.StagePromotion, 100_000_000)
	if r := a.as(xinlu.RoleMember).postForm("/leads", reportLeadForm("搜索精密机械有限公司")); r.StatusCode != 303 {
		t.Fatalf("report: %d", r.StatusCode)
	}
	director := a.as(xinlu.RoleDirector)
	page := director.get("/search?q=搜索")
	if page.StatusCode != 200 || !strings.Contains(page.body, `<a href="/projects/`+strconvFormat(p.ID)+`">搜索高端装备项目</a>`) ||
		!strings.Contains(page.body, "搜索精密机械有限公司</a>") {
		t.Fatalf("director's search: %d\n%s", page.StatusCode, page.body)
	}
	if !strings.Contains(page.body, `class="top-search"`) {
		t.Error("no search box in the top bar")
	}
	people := a.as(xinlu.RoleSysAdmin).get("/search?q=测试member")
	if !strings.Contains(people.body, `id="search-members"`) || !strings.Contains(people.body, "测试member</a>") ||
		strings.Contains(people.body, `id="search-projects"`) {
		t.Errorf("the system administrator finds people and no projects:\n%s", people.body)
	}
	// The audit administrator sees none of these records.
	if r := a.as(xinlu.RoleAuditAdmin).get("/search?q=搜索"); strings.Contains(r.body, "搜索高端装备项目") || !strings.Contains(r.body, "您的角色没有可搜索的记录") {
		t.Errorf("the audit administrator's search:\n%s", r.body)
	}
	if r := director.get("/search?q=a"); !strings.Contains(r.body, `id="search-short"`) {
		t.Error("one letter is searched")
	}
	if r := director.get("/search?q=没有这样的企业"); !strings.Contains(r.body, "没有匹配的记录") {
		t.Error("no empty state")
	}
}
