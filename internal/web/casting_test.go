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

func TestCastingPages(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(a.zone.ID)
	p := &store.ProjectRecord{}
	total := int64(300_000_000)
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = a.zone.ID, "精密铸件项目", "精铸有限公司", "casting", xinlu.StagePromotion
	p.Plan.TotalYuan = &total
	if err := a.store.CreateProject(ctx, sys, p); err != nil {
		t.Fatal(err)
	}
	su := a.users[xinlu.RoleSponsor]
	p, err := a.store.StepProject(ctx, xinlu.ActorOf(su, "127.0.0.1"), su, p.ID, p.Version, xinlu.ProjectSign, store.StepInput{Signing: &xinlu.Signing{
		SignedOn: "2026-01-05", ContractYuan: 100_000_000, PromisedStart: "2026-03-01", PromisedProduce: "2027-01-01"}})
	if err != nil {
		t.Fatal(err)
	}
	c := a.as(xinlu.RolePlanner)
	if r := c.postForm("/casting/capacity", url.Values{"enterprise": {"恒泰铸造"}, "process": {"cupola"}, "tonnes": {"12,000"}, "status": {"active"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("capacity: %d %s", r.StatusCode, r.body)
	}
	if r := c.postForm("/casting/plans", url.Values{"project_id": {strconv.FormatInt(p.ID, 10)}, "new_tonnes": {"10000"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("plan: %d %s", r.StatusCode, r.body)
	}
	reg, _ := a.store.CastingRegister(ctx, a.zone.ID)
	plans, _ := a.store.CastingPlans(ctx, a.zone.ID, 0)
	plan := "/casting/plans/" + strconv.FormatInt(plans[0].ID, 10)
	if r := c.postForm(plan+"/claim", url.Values{"version": {"1"}, "capacity_ids": {strconv.FormatInt(reg[0].ID, 10)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d %s", r.StatusCode, r.body)
	}
	for i, to := range []string{"submitted", "publicity"} {
		if r := c.postForm(plan+"/move", url.Values{"version": {strconv.Itoa(2 + i)}, "status": {to}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", to, r.StatusCode, r.body)
		}
	}
	page := c.get("/casting")
	if page.StatusCode != 200 || !strings.Contains(page.body, "公示中") || !strings.Contains(page.body, "12,000") || !strings.Contains(page.body, "比例满足") {
		t.Fatalf("casting page: %s", page.body)
	}
	// The agent cannot start construction: the plan is in publicity.
	p, _ = a.store.ProjectByID(ctx, a.zone.ID, p.ID)
	r := a.as(xinlu.RoleAgent).postForm("/projects/"+strconv.FormatInt(p.ID, 10)+"/start-construction", url.Values{"version": {strconv.Itoa(p.Version)}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "产能置换方案尚未公告（现为“公示中”），不能开工") {
		t.Fatalf("start refused: %d", r.StatusCode)
	}
	if r := c.postForm(plan+"/move", url.Values{"version": {"4"}, "status": {"announced"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("announce: %d", r.StatusCode)
	}
	if r := a.as(xinlu.RoleAgent).postForm("/projects/"+strconv.FormatInt(p.ID, 10)+"/start-construction", url.Values{"version": {strconv.Itoa(p.Version)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("start after announcement: %d %s", r.StatusCode, r.body)
	}
	if r := a.as(xinlu.RoleSponsor).postForm("/casting/capacity", url.Values{"enterprise": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a sponsor records capacity: %d", r.StatusCode)
	}
	// The API lists the plan with its ratio.
	res := a.api(xinlu.RolePlanner).get("/api/v1/casting/plans")
	if res.StatusCode != 200 || !strings.Contains(res.body, `"status":"announced"`) || !strings.Contains(res.body, `"ratio_holds":true`) {
		t.Fatalf("api: %s", res.body)
	}
}
