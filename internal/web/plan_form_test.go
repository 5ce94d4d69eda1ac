package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
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
	plan.FixedAssetYuan, plan.OutputYuan, plan.TaxYuan = new(int64(987_654_321)), new(int64(2_000_012_345)), new(int64(12_345))
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
	if !xinlu.SameAmount(got.Plan.TotalYuan, plan.TotalYuan) || !xinlu.SameAmount(got.Plan.FixedAssetYuan, plan.FixedAssetYuan) ||
		!xinlu.SameAmount(got.Plan.OutputYuan, plan.OutputYuan) || !xinlu.SameAmount(got.Plan.TaxYuan, plan.TaxYuan) {
		t.Fatalf("an unchanged save changed the figures: %+v, want %+v", got.Plan, plan)
	}
}

// Unknown figures (待定) are empty fields in the plan form, and saving the
// form unchanged keeps them unknown, not 0; a known 0 stays 0. 待定 and
// the other placeholders typed in are unknown; an approximation keeps its
// figure; other text is refused naming it.
func TestPlanFormKeepsUnknownFigures(t *testing.T) {
	a := newApp(t)
	p := a.project("待定装备项目", xinlu.StagePackaging, 0)
	ctx := context.Background()
	u, err := a.store.UserByUsername(ctx, "planner")
	if err != nil {
		t.Fatal(err)
	}
	plan := xinlu.Plan{Content: "年产 500 台数控机床", TaxYuan: new(int64(0))}
	rec, err := a.store.StepProject(ctx, xinlu.ActorOf(u, "127.0.0.1"), u, p.ID, p.Version, xinlu.ProjectSavePlan, store.StepInput{Plan: &plan})
	if err != nil {
		t.Fatal(err)
	}
	planner := a.as(xinlu.RolePlanner)
	path := "/projects/" + strconvFormat(p.ID)
	page := planner.get(path)
	want := map[string]string{"total_yuan": "", "fixed_asset_yuan": "", "output_yuan": "", "tax_yuan": "0"}
	form := url.Values{"csrf": {planner.csrfToken(path)}, "version": {strconvFormat(int64(rec.Version))}, "content": {plan.Content}}
	for name, v := range want {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page.body)
		if m == nil || m[1] != v {
			t.Errorf("%s prefilled with %v, want %q", name, m, v)
		}
		form.Set(name, v)
	}
	if !strings.Contains(page.body, "待定") {
		t.Error("the project page does not show the unknown total as 待定")
	}
	if res := planner.postForm(path+"/save-plan", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save unchanged: %d %s", res.StatusCode, res.body)
	}
	got, err := a.store.ProjectByID(ctx, a.zone.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Plan.TotalYuan != nil || got.Plan.FixedAssetYuan != nil || got.Plan.OutputYuan != nil ||
		got.Plan.TaxYuan == nil || *got.Plan.TaxYuan != 0 {
		t.Fatalf("an unchanged save changed the figures: %v %v %v %v", got.Plan.TotalYuan, got.Plan.FixedAssetYuan, got.Plan.OutputYuan, got.Plan.TaxYuan)
	}

	// Typed placeholders and approximations.
	form.Set("csrf", planner.csrfToken(path))
	form.Set("version", strconvFormat(int64(got.Version)))
	form.Set("total_yuan", "约 5000")
	form.Set("fixed_asset_yuan", "待定")
	form.Set("output_yuan", "TBD")
	form.Set("tax_yuan", "—")
	if res := planner.postForm(path+"/save-plan", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with placeholders: %d %s", res.StatusCode, res.body)
	}
	got, err = a.store.ProjectByID(ctx, a.zone.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Plan.TotalYuan == nil || *got.Plan.TotalYuan != 50_000_000 || got.Plan.FixedAssetYuan != nil ||
		got.Plan.OutputYuan != nil || got.Plan.TaxYuan != nil {
		t.Fatalf("placeholders saved as %v %v %v %v", got.Plan.TotalYuan, got.Plan.FixedAssetYuan, got.Plan.OutputYuan, got.Plan.TaxYuan)
	}
	form.Set("csrf", planner.csrfToken(path))
	form.Set("version", strconvFormat(int64(got.Version)))
	form.Set("total_yuan", "五千万")
	if res := planner.postForm(path+"/save-plan", form); res.StatusCode == http.StatusSeeOther || !strings.Contains(res.body, "「五千万」不是金额") {
		t.Fatalf("text that is no amount: %d", res.StatusCode)
	}
}

// The kanban and the ledger show an unknown total investment as 待定, leave
// it out of their sums and say how many beside them.
func TestPagesShowUnknownAmounts(t *testing.T) {
	a := newApp(t)
	a.project("已知项目", xinlu.StagePackaging, 500_000_000)
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = a.zone.ID, "待定项目", "待定有限公司", "equipment", xinlu.StagePackaging
	if err := a.store.CreateProject(context.Background(), xinlu.SystemActor(a.zone.ID), p); err != nil {
		t.Fatal(err)
	}
	planner := a.as(xinlu.RolePlanner)
	kb := planner.get("/projects/kanban")
	if kb.StatusCode != 200 || !strings.Contains(kb.body, `<b class="kanban-amount">5.00 亿元</b>`) ||
		!strings.Contains(kb.body, "另有 1 个项目金额待定") || !strings.Contains(kb.body, "待定有限公司 · 待定") {
		t.Fatalf("kanban: %d %s", kb.StatusCode, kb.body)
	}
	ledger := planner.get("/projects")
	if ledger.StatusCode != 200 || !strings.Contains(ledger.body, "合计 5.00 亿元，另有 1 个项目金额待定") ||
		!strings.Contains(ledger.body, `<td class="num">待定</td>`) {
		t.Fatalf("ledger: %d %s", ledger.StatusCode, ledger.body)
	}
}
