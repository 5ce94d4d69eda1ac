package store_test

import (
	"context"
	"sync"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestCastingReplacement(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		if err := s.SetCastingRatio(ctx, e.sys, e.zone.ID, 1.25); err != nil {
			t.Fatal(err)
		}
		old := &xinlu.CastingCapacity{ZoneID: e.zone.ID, Enterprise: "恒泰铸造", Process: "cupola", Tonnes: 10000}
		more := &xinlu.CastingCapacity{ZoneID: e.zone.ID, Enterprise: "东阳铸件", Process: "induction", Tonnes: 3000}
		for _, c := range []*xinlu.CastingCapacity{old, more} {
			if err := s.CreateCasting(ctx, e.sys, c); err != nil {
				t.Fatal(err)
			}
		}
		p := e.create(t, "精密铸件项目", xinlu.StagePromotion, "casting", 800_000_000)
		p, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		if err != nil {
			t.Fatal(err)
		}
		// No plan: construction refused, naming the missing plan.
		_, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectStartBuilding, store.StepInput{})
		if ee := wantCode(t, err, xinlu.ECONFLICT); ee.Key != "casting.start_no_plan" {
			t.Fatalf("no plan: %+v", ee)
		}
		other := e.create(t, "另一铸造项目", xinlu.StagePromotion, "casting", 500_000_000)
		if err := s.CreateCastingPlan(ctx, e.sys, &xinlu.ReplacementPlan{ZoneID: e.zone.ID, ProjectID: e.create(t, "装备", xinlu.StagePromotion, "equipment", 1).ID, NewTonnes: 1}); xinlu.AsError(err).Key != "casting.not_casting" {
			t.Fatalf("plan for a project not in casting: %v", err)
		}
		plan := &xinlu.ReplacementPlan{ZoneID: e.zone.ID, ProjectID: p.ID, NewTonnes: 10000}
		rival := &xinlu.ReplacementPlan{ZoneID: e.zone.ID, ProjectID: other.ID, NewTonnes: 8000}
		for _, pl := range []*xinlu.ReplacementPlan{plan, rival} {
			if err := s.CreateCastingPlan(ctx, e.sys, pl); err != nil || pl.Ratio != 1.25 {
				t.Fatalf("plan %+v %v", pl, err)
			}
		}
		// Two plans claim the same tonnes at once: one wins.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, pl := range []*xinlu.ReplacementPlan{plan, rival} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.ClaimCapacity(ctx, e.sys, e.zone.ID, pl.ID, 1, []int64{old.ID})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else if xinlu.AsError(err).Key != "casting.counted_twice" {
				t.Fatalf("loser's error: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d plans counted the same capacity: %v", won, errs)
		}
		plans, _ := s.CastingPlans(ctx, e.zone.ID, 0)
		claimed := 0.0
		for _, pl := range plans {
			claimed += pl.ClaimedTonnes()
		}
		if claimed != 10000 {
			t.Fatalf("10,000 t counted %v times over", claimed/10000)
		}
		// Make sure the first plan is the one that holds it, for the rest.
		if errs[0] != nil {
			r, _ := s.CastingPlans(ctx, e.zone.ID, other.ID)
			if _, err := s.MoveCastingPlan(ctx, e.sys, e.zone.ID, r[0].ID, r[0].Version, xinlu.PlanRejected, "重复计算"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ClaimCapacity(ctx, e.sys, e.zone.ID, plan.ID, 1, []int64{old.ID}); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := s.CastingPlans(ctx, e.zone.ID, p.ID)
		pl := got[0]
		// 10,000 t against 12,500 required: submitting is refused, naming both.
		_, err = s.MoveCastingPlan(ctx, e.sys, e.zone.ID, pl.ID, pl.Version, xinlu.PlanSubmitted, "")
		if ee := wantCode(t, err, xinlu.ECONFLICT); ee.Key != "casting.ratio_short" || ee.Args[0] != "10,000" || ee.Args[1] != "12,500" {
			t.Fatalf("short ratio: %+v", ee)
		}
		pl, err = s.ClaimCapacity(ctx, e.sys, e.zone.ID, pl.ID, pl.Version, []int64{more.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range []xinlu.PlanStatus{xinlu.PlanSubmitted, xinlu.PlanPublicity} {
			if pl, err = s.MoveCastingPlan(ctx, e.sys, e.zone.ID, pl.ID, pl.Version, to, ""); err != nil {
				t.Fatal(err)
			}
		}
		p, _ = s.ProjectByID(ctx, e.zone.ID, p.ID)
		_, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectStartBuilding, store.StepInput{})
		if ee := wantCode(t, err, xinlu.ECONFLICT); ee.Key != "casting.start_not_announced" {
			t.Fatalf("in publicity: %+v", ee)
		}
		if pl, err = s.MoveCastingPlan(ctx, e.sys, e.zone.ID, pl.ID, pl.Version, xinlu.PlanAnnounced, "公告"); err != nil {
			t.Fatal(err)
		}
		if _, err = e.step(p, xinlu.RoleAgent, xinlu.ProjectStartBuilding, store.StepInput{}); err != nil {
			t.Fatalf("announced with the ratio held: %v", err)
		}
		// Verifying retirement needs the counted capacity retired and verified.
		if _, err := s.MoveCastingPlan(ctx, e.sys, e.zone.ID, pl.ID, pl.Version, xinlu.PlanVerified, ""); xinlu.AsError(err).Key != "casting.not_verified" {
			t.Fatalf("verify while running: %v", err)
		}
		c, _ := s.CastingByID(ctx, e.zone.ID, old.ID)
		c.Tonnes = 20000
		if err := s.UpdateCasting(ctx, e.sys, c); xinlu.AsError(err).Key != "casting.claimed_tonnes_fixed" {
			t.Fatalf("counted tonnes changed: %v", err)
		}
	})
}
