package store_test

import (
	"context"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestUnknownAmountsAreNullNotZero: an unknown amount is stored as NULL and
// read back as unknown, left out of the kanban's and the ledger's sums and
// counted beside them; a known 0 stays 0.
func TestUnknownAmountsAreNullNotZero(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		e.create(t, "装备一", xinlu.StagePackaging, "equipment", 100_000_000)
		zero := e.create(t, "装备零", xinlu.StagePackaging, "equipment", 0)
		p := &store.ProjectRecord{}
		p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, "装备待定", "待定有限公司", "equipment", xinlu.StagePackaging
		p.Plan.Content = "年产 5 万台减速机"
		if err := s.CreateProject(ctx, e.sys, p); err != nil {
			t.Fatal(err)
		}
		got, err := s.ProjectByID(ctx, e.zone.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pl := got.Plan; pl.TotalYuan != nil || pl.FixedAssetYuan != nil || pl.OutputYuan != nil || pl.TaxYuan != nil {
			t.Fatalf("unknown amounts read back as %v %v %v %v", pl.TotalYuan, pl.FixedAssetYuan, pl.OutputYuan, pl.TaxYuan)
		}
		if got, err := s.ProjectByID(ctx, e.zone.ID, zero.ID); err != nil || got.Plan.TotalYuan == nil || *got.Plan.TotalYuan != 0 {
			t.Fatalf("a known 0 read back as %v (%v)", got.Plan.TotalYuan, err)
		}

		kb, err := s.Kanban(ctx, e.zone.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c := kb[0]; c.Stage != xinlu.StagePackaging || c.Count != 3 || c.Yuan != 100_000_000 || c.Unknown != 1 {
			t.Fatalf("kanban packaging %+v, want 3 projects, 1 亿 known and 1 unknown", c)
		}
		sum, unknown, err := s.ProjectTotals(ctx, store.ProjectFilter{ZoneID: e.zone.ID})
		if err != nil || sum != 100_000_000 || unknown != 1 {
			t.Fatalf("ledger totals %d, %d unknown (%v)", sum, unknown, err)
		}

		// A draft saved with a known output keeps the others unknown; a
		// submitted plan needs a known total.
		draft := &xinlu.Plan{Content: "年产 5 万台减速机", OutputYuan: new(int64(3e8))}
		p, err = e.step(p, xinlu.RolePlanner, xinlu.ProjectSavePlan, store.StepInput{Plan: draft})
		if err != nil {
			t.Fatal(err)
		}
		if p.Plan.TotalYuan != nil || p.Plan.OutputYuan == nil || *p.Plan.OutputYuan != 3e8 {
			t.Fatalf("saved draft %v %v", p.Plan.TotalYuan, p.Plan.OutputYuan)
		}
		if _, err := e.step(p, xinlu.RolePlanner, xinlu.ProjectSubmitPlan, store.StepInput{Plan: draft}); xinlu.AsError(err) == nil ||
			xinlu.AsError(err).Key != "project.total_unknown" {
			t.Fatalf("submitted with an unknown total: %v", err)
		}

		// A lead reported without an investment is unknown, and so is the
		// project it becomes.
		f := seedLeads(t, s)
		l := &xinlu.Lead{Company: "晋中待定科技有限公司", ProjectName: "待定项目", Industry: "materials"}
		if _, err := s.ReportLead(ctx, f.actor("reporter"), l); err != nil {
			t.Fatal(err)
		}
		back, err := s.LeadByID(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: f.zone.ID}, l.ID)
		if err != nil || back.InvestmentYuan != nil {
			t.Fatalf("lead investment read back as %v (%v)", back.InvestmentYuan, err)
		}
		for _, a := range []xinlu.LeadAction{xinlu.LeadStartScreening, xinlu.LeadAccept} {
			if _, err := f.step("screener", l, xinlu.LeadStep{Action: a}); err != nil {
				t.Fatal(err)
			}
		}
		pr, err := s.ProjectByID(ctx, f.zone.ID, l.ProjectID)
		if err != nil || pr.Plan.TotalYuan != nil {
			t.Fatalf("project of the lead: total %v (%v)", pr.Plan.TotalYuan, err)
		}
	})
}
