package store_test

import (
	"context"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestPerformance(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s) // today 2026-09-28
		other := &xinlu.Member{ZoneID: e.zone.ID, StaffNo: "L2", Name: "李书记"}
		if err := s.CreateMember(ctx, e.sys, other); err != nil {
			t.Fatal(err)
		}
		mk := func(name, industry string, stage xinlu.Stage, status xinlu.ProjectStatus, sponsor int64, sg xinlu.Signing, started, produced string) *store.ProjectRecord {
			t.Helper()
			p := &store.ProjectRecord{StartedOn: started, ProducedOn: produced}
			p.ZoneID, p.Name, p.Company, p.Industry, p.Stage, p.Status, p.SponsorID, p.Signing = e.zone.ID, name, name+"公司", industry, stage, status, sponsor, sg
			if status == xinlu.ProjectLost {
				p.LostReason = "investor_withdrew"
			}
			if err := s.CreateProject(ctx, e.sys, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		agent := e.users[xinlu.RoleAgent]
		funds := func(p *store.ProjectRecord, day string, yuan int64) {
			t.Helper()
			if err := s.RecordFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, store.Funds{OnDate: day, Yuan: yuan}); err != nil {
				t.Fatal(err)
			}
		}
		// Materials, 王主任: started on time with 40% in (performing).
		a := mk("铝材", "materials", xinlu.StageConstruction, xinlu.ProjectActive, e.sponsor.ID,
			xinlu.Signing{SignedOn: "2026-01-05", ContractYuan: 1_000_000, PromisedStart: "2026-04-01", PromisedProduce: "2027-04-01"}, "2026-03-20", "")
		funds(a, "2026-03-01", 100_000)
		funds(a, "2026-09-01", 300_000)
		// Materials, 李书记, on hold: start overdue (not performing).
		b := mk("镁合金", "materials", xinlu.StageAgency, xinlu.ProjectOnHold, other.ID,
			xinlu.Signing{SignedOn: "2026-02-01", ContractYuan: 3_000_000, PromisedStart: "2026-05-01", PromisedProduce: "2027-05-01"}, "", "")
		funds(b, "2026-06-01", 500_000)
		// Equipment, 王主任: producing, funds in full (performing).
		c := mk("装备", "equipment", xinlu.StageProduction, xinlu.ProjectActive, e.sponsor.ID,
			xinlu.Signing{SignedOn: "2025-03-01", ContractYuan: 2_000_000, PromisedStart: "2025-06-01", PromisedProduce: "2026-06-01"}, "2025-07-01", "2026-05-20")
		funds(c, "2025-08-01", 2_000_000)
		// Equipment, no sponsor, signed, nothing due yet (performing).
		mk("新签", "equipment", xinlu.StageAgency, xinlu.ProjectActive, 0,
			xinlu.Signing{SignedOn: "2026-09-01", ContractYuan: 500_000, PromisedStart: "2026-12-01", PromisedProduce: "2027-12-01"}, "", "")
		// Lost and unsigned projects are left out.
		lost := mk("流失", "materials", xinlu.StageAgency, xinlu.ProjectLost, e.sponsor.ID,
			xinlu.Signing{SignedOn: "2026-01-01", ContractYuan: 9_000_000, PromisedStart: "2026-02-01", PromisedProduce: "2026-08-01"}, "", "")
		_ = lost
		e.create(t, "未签", xinlu.StagePromotion, "materials", 100)
		// Another zone's signed project is not in this zone's report.
		z2, sys2 := seedZone(t, s, "YY")
		q := &store.ProjectRecord{}
		q.ZoneID, q.Name, q.Company, q.Industry, q.Stage = z2.ID, "外区", "外区公司", "materials", xinlu.StageAgency
		q.Signing = xinlu.Signing{SignedOn: "2026-01-01", ContractYuan: 1, PromisedStart: "2026-02-01", PromisedProduce: "2026-03-01"}
		if err := s.CreateProject(ctx, sys2, q); err != nil {
			t.Fatal(err)
		}

		today := time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)
		rep, err := s.Performance(ctx, e.zone.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Projects) != 4 || rep.AsOf != "2026-09-28" {
			t.Fatalf("projects %d as of %s", len(rep.Projects), rep.AsOf)
		}
		want := xinlu.PerformanceSummary{Signed: 4, Performing: 3, ContractYuan: 6_500_000, FundsYuan: 2_900_000,
			StartDue: 3, Started: 2, StartOverdue: 1, ProduceDue: 1, Produced: 1}
		if rep.Total != want {
			t.Fatalf("total %+v\nwant  %+v", rep.Total, want)
		}
		// Industries in the order of xinlu.Industries: equipment, materials.
		if len(rep.ByIndustry) != 2 || rep.ByIndustry[0].Key != "equipment" || rep.ByIndustry[1].Key != "materials" {
			t.Fatalf("industries %+v", rep.ByIndustry)
		}
		if m := rep.ByIndustry[1]; m.Signed != 2 || m.Performing != 1 || m.FundsYuan != 900_000 || m.ContractYuan != 4_000_000 || m.StartDue != 2 || m.Started != 1 {
			t.Fatalf("materials %+v", m)
		}
		// Sponsors by name, no sponsor last.
		if len(rep.BySponsor) != 3 || rep.BySponsor[2].ID != 0 || rep.BySponsor[2].Signed != 1 {
			t.Fatalf("sponsors %+v", rep.BySponsor)
		}
		for _, g := range rep.BySponsor {
			switch g.ID {
			case e.sponsor.ID:
				if g.Name != "王主任" || g.Signed != 2 || g.Performing != 2 || g.FundsYuan != 2_400_000 || g.ProduceDue != 1 || g.Produced != 1 {
					t.Fatalf("王主任 %+v", g)
				}
			case other.ID:
				if g.Name != "李书记" || g.Signed != 1 || g.Performing != 0 || g.StartOverdue != 1 {
					t.Fatalf("李书记 %+v", g)
				}
			}
		}
		for _, p := range rep.Projects {
			if p.ID == b.ID && (p.Start != xinlu.MilestoneOverdue || p.Funds != (xinlu.Rate{Num: 500_000, Den: 3_000_000})) {
				t.Fatalf("on-hold project %+v", p)
			}
		}

		// As of an earlier day only the funds recorded by then count, and
		// projects signed later are left out.
		rep, err = s.Performance(ctx, e.zone.ID, time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Total.Signed != 3 || rep.Total.FundsYuan != 2_100_000 || rep.Total.ContractYuan != 6_000_000 {
			t.Fatalf("earlier total %+v", rep.Total)
		}

		// Every zone (the viewer role) includes the other zone's project.
		rep, err = s.Performance(ctx, 0, today)
		if err != nil || rep.Total.Signed != 5 {
			t.Fatalf("all zones: %v %+v", err, rep)
		}
	})
}
