package store_test

import (
	"context"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestEnterprisesAndEfficiency(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newLandEnv(t, s, 100000)
		row := func(n int, name string, year int, tax int64, land float64) store.EnterpriseImportRow {
			return store.EnterpriseImportRow{Row: n, Enterprise: xinlu.Enterprise{Name: name, Industry: "materials"}, ParkName: "耐磨材料产业园",
				Year: xinlu.EnterpriseYear{Year: year, TaxYuan: tax, OutputYuan: tax * 10, LandMu: land, EnergyTce: 1000, Employees: 100}}
		}
		rows := []store.EnterpriseImportRow{row(2, "甲耐磨", 2025, 3_000_000, 100), row(3, "乙铸造", 2025, 1_000_000, 100), row(4, "甲耐磨", 2024, 2_000_000, 100)}
		bad := append(append([]store.EnterpriseImportRow{}, rows...), row(5, "甲耐磨", 2025, 1, 1), row(6, "丙", 1990, 1, 1))
		bad[4].ParkName = "不存在的园区"
		_, _, probs, err := s.ImportEnterprises(ctx, e.sys, e.zone.ID, bad, false)
		if err != nil || len(probs) != 3 || probs[0].Row != 5 || probs[1].Row != 6 {
			t.Fatalf("problems %+v %v", probs, err)
		}
		if es, total, _ := s.ListEnterprises(ctx, e.zone.ID, "", xinlu.Page{}); total != 0 {
			t.Fatalf("a workbook with errors wrote %v", es)
		}
		if _, n, probs, _ := s.ImportEnterprises(ctx, e.sys, e.zone.ID, rows, true); n != 3 || len(probs) != 0 {
			t.Fatalf("dry run %d %v", n, probs)
		}
		created, years, probs, err := s.ImportEnterprises(ctx, e.sys, e.zone.ID, rows, false)
		if err != nil || created != 2 || years != 3 || len(probs) != 0 {
			t.Fatalf("import %d %d %v %v", created, years, probs, err)
		}
		rs, err := s.Efficiency(ctx, e.zone.ID, 2025)
		if err != nil || len(rs) != 2 || rs[0].Enterprise.Name != "甲耐磨" || rs[0].Class != "A" || rs[0].Score != 150 || rs[1].Class != "D" || rs[1].Score != 50 {
			t.Fatalf("evaluation %+v %v", rs, err)
		}
		// A stricter scheme moves the classes.
		sc := xinlu.DefaultEfficiencyScheme()
		sc.A, sc.B, sc.C = 160, 120, 80
		if err := s.SetEfficiencyScheme(ctx, e.sys, e.zone.ID, sc); err != nil {
			t.Fatal(err)
		}
		rs, _ = s.Efficiency(ctx, e.zone.ID, 2025)
		if rs[0].Class != "B" || rs[1].Class != "D" {
			t.Fatalf("stricter: %s %s (scores %v %v)", rs[0].Class, rs[1].Class, rs[0].Score, rs[1].Score)
		}
		h, _ := s.ClassHistory(ctx, e.zone.ID, rs[0].Enterprise.ID)
		if len(h) != 2 || h[2024].Year.TaxYuan != 2_000_000 {
			t.Fatalf("history %+v", h)
		}
		// A project that starts production becomes an enterprise.
		p := e.promoted(t, "投产项目", 10)
		var err2 error
		for _, step := range []struct {
			r xinlu.Role
			a xinlu.ProjectAction
		}{{xinlu.RoleSponsor, xinlu.ProjectSign}, {xinlu.RoleAgent, xinlu.ProjectStartBuilding}, {xinlu.RoleAgent, xinlu.ProjectStartProducing}} {
			if p, err2 = e.step(p, step.r, step.a, store.StepInput{Signing: goodSigning()}); err2 != nil {
				t.Fatal(err2)
			}
		}
		es, _, _ := s.ListEnterprises(ctx, e.zone.ID, "投产项目", xinlu.Page{})
		if len(es) != 1 || es[0].ProjectID != p.ID || es[0].ParkID != e.park.ID {
			t.Fatalf("enterprise of the project: %+v", es)
		}
	})
}
