package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The plan form shows every stored figure exactly, in 万元 with its
// decimals, so that saving it unchanged keeps every figure.
func TestPlanFormKeepsStoredFigures(t *testing.T) {
	a := newApp(t)
	p := a.project("精密装备项目", xinlu.StagePackaging, 1_234_567_800)
	ctx := context.Background()
	plan := p.Plan
	plan.Content = "年产 500 台数控机床"
	plan.FixedAssetYuan, plan.OutputYuan, plan.TaxYuan = 987_654_321, 2_000_012_345, 12_345
	planner := a.as(xinlu.RolePlanner)
	u, err := a.store.UserByUsername(ctx, "planner")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := a.store.StepProject(ctx, xinlu.ActorOf(u, "127.0.0.1"), u, p.ID, p.Version, xinlu.ProjectSavePlan, store.StepInput{Plan: &plan})
	if err != nil {
		t.Fatal(err)
	}
	page := planner.get("/projects/" + strconvFormat(p.ID))
	if page.StatusCode != 200 {
		t.Fatalf("project page: %d", page.StatusCode)
	}
	want := map[string]string{"total_yuan": "123456.78", "fixed_asset_yuan": "98765.4321", "output_yuan": "200001.2345", "tax_yuan": "1.2345"}
	form := url.Values{"csrf": {planner.csrfToken("/projects/" + strconvFormat(p.ID))}, "version": {strconvFormat(int64(rec.Version))},
		"content": {plan.Content}}
	for name, v := range want {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page.body)
		if m == nil || m[1] != v {
			t.Errorf("%s prefilled with %v, want %q", name, m, v)
		}
		form.Set(name, v)
	}
	if res := planner.postForm("/projects/"+strconvFormat(p.ID)+"/save-plan", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save unchanged: %d %s", res.StatusCode, res.body)
	}
	got, err := a.store.ProjectByID(ctx, a.zone.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Plan.TotalYuan != plan.TotalYuan || got.Plan.FixedAssetYuan != plan.FixedAssetYuan ||
		got.Plan.OutputYuan != plan.OutputYuan || got.Plan.TaxYuan != plan.TaxYuan {
		t.Fatalf("an unchanged save changed the figures: %+v, want %+v", got.Plan, plan)
	}
}
