package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"xinlu/internal/xinlu"
)

func TestTargetsPage(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RolePlanner)
	if r := c.postForm("/targets", url.Values{"set": {"high_quality_life"}, "name": {"新增就业岗位"}, "unit": {"个"}, "cumulative": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.StatusCode, r.body)
	}
	if r := c.postForm("/targets", url.Values{"set": {"industry_structure"}, "name": {"主导产业签约额占比"}, "unit": {"%"}, "source": {"leading_share"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create computed: %d", r.StatusCode)
	}
	rows, _ := a.store.Targets(t.Context(), a.zone.ID, a.store.Now().Year())
	year := strconvFormat(int64(a.store.Now().Year()))
	id := strconvFormat(rows[0].ID)
	if r := c.postForm("/targets/"+id+"/target", url.Values{"year": {year}, "target": {"3,000"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("target: %d %s", r.StatusCode, r.body)
	}
	if r := c.postForm("/targets/"+id+"/actual", url.Values{"year": {year}, "month": {"1"}, "value": {"2,900"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("actual: %d %s", r.StatusCode, r.body)
	}
	if r := c.postForm("/targets/"+strconvFormat(rows[1].ID)+"/actual", url.Values{"year": {year}, "month": {"1"}, "value": {"5"}}); r.StatusCode != http.StatusConflict {
		t.Fatalf("a computed indicator took an entry: %d", r.StatusCode)
	}
	p := c.get("/targets")
	if p.StatusCode != 200 || !strings.Contains(p.body, "高品质生活") || !strings.Contains(p.body, "2,900") || !strings.Contains(p.body, "3,000") ||
		!strings.Contains(p.body, "97%") || !strings.Contains(p.body, "系统计算：主导产业签约额占比") || !strings.Contains(p.body, "planner 填报于") {
		t.Fatalf("targets page: %s", p.body)
	}
	if r := a.api(xinlu.RoleDirector).get("/api/v1/targets"); r.StatusCode != 200 || !strings.Contains(r.body, `"on_track":true`) {
		t.Fatalf("api: %s", r.body)
	}
	if r := a.as(xinlu.RoleDirector).postForm("/targets", url.Values{"set": {"high_quality_life"}, "name": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("the director records indicators: %d", r.StatusCode)
	}
}
