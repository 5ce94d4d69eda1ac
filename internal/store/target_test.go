package store_test

import (
	"context"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestTransformationTargets(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newLandEnv(t, s, 1000)
		// Two projects signed on 2026-09-28: one leading (materials, 10 亿), one casting (5 亿), one of them 六新.
		a := e.promoted(t, "新材料项目", 100)
		if _, err := e.step(a, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()}); err != nil {
			t.Fatal(err)
		}
		c := e.create(t, "铸造项目", xinlu.StagePromotion, "casting", 500_000_000)
		sg := goodSigning()
		sg.ContractYuan = 500_000_000
		if _, err := e.step(c, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: sg}); err != nil {
			t.Fatal(err)
		}
		share := &xinlu.TargetIndicator{ZoneID: e.zone.ID, Set: "industry_structure", Name: "主导产业签约额占比", Unit: "%", Source: "leading_share"}
		sixNew := &xinlu.TargetIndicator{ZoneID: e.zone.ID, Set: "high_level_rise", Name: "六新项目签约", Unit: "个", Source: "six_new_projects"}
		green := &xinlu.TargetIndicator{ZoneID: e.zone.ID, Set: "high_standard_protection", Name: "单位GDP能耗下降", Unit: "%"}
		for _, ind := range []*xinlu.TargetIndicator{share, sixNew, green} {
			if err := s.CreateIndicator(ctx, e.sys, ind); err != nil {
				t.Fatal(err)
			}
		}
		if !sixNew.Cumulative || share.Cumulative {
			t.Fatal("counts add up, shares do not")
		}
		for ind, target := range map[int64]float64{share.ID: 60, sixNew.ID: 4, green.ID: 3} {
			if err := s.SetTarget(ctx, e.sys, e.zone.ID, ind, 2026, target); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.EnterActual(ctx, e.sys, e.zone.ID, green.ID, 2026, 8, 3.2); err != nil {
			t.Fatal(err)
		}
		if err := s.EnterActual(ctx, e.sys, e.zone.ID, share.ID, 2026, 8, 1); xinlu.AsError(err).Key != "target.computed" {
			t.Fatalf("a computed indicator takes no entry: %v", err)
		}
		rows, err := s.Targets(ctx, e.zone.ID, 2026)
		if err != nil || len(rows) != 3 {
			t.Fatalf("%v %v", rows, err)
		}
		// Today is 2026-09-28: nine months computed; 10 亿 of 15 亿 in leading industries.
		r := rows[0]
		if len(r.Actuals) != 9 || r.Latest.Value != 66.7 || !r.OnTrack || r.Actuals[7].Value != 0 {
			t.Fatalf("leading share %+v", r)
		}
		if r := rows[1]; r.Latest.Value != 1 || r.OnTrack || r.Share != 0.25 {
			t.Fatalf("six-new %+v", r)
		}
		if r := rows[2]; r.Latest.Value != 3.2 || r.Latest.By != e.sys.Name || !r.OnTrack {
			t.Fatalf("entered %+v", r)
		}
	})
}
