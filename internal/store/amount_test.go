package store_test

import (
	"context"
	"fmt"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestHugeAmountsInTheDatabaseDoNotBreakTheZone: amounts written around
// the bounds (before they existed, or straight into the database) are
// summed without an error on both engines: two funds entries of 9×10¹⁸ and
// 9×10¹⁷ yuan on one project, two projects of 9×10¹⁸ yuan in one stage.
// The project list and page, the funds tracking, performance and the
// kanban answer, their sums saturated at xinlu.MaxSumYuan.
func TestHugeAmountsInTheDatabaseDoNotBreakTheZone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		p := e.create(t, "铝材项目", xinlu.StagePromotion, "materials", 2_000_000_000)
		signed, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RecordFunds(ctx, e.actor(xinlu.RoleAgent), e.users[xinlu.RoleAgent], p.ID, store.Funds{OnDate: "2026-09-28", Yuan: 100_000_000}); err != nil {
			t.Fatal(err)
		}
		q := e.create(t, "镁合金项目", xinlu.StagePackaging, "materials", 1_000_000)
		r := e.create(t, "钛合金项目", xinlu.StagePackaging, "materials", 1_000_000)
		for _, stmt := range []string{
			fmt.Sprintf(`INSERT INTO funds_in_place (zone_id, project_id, on_date, amount_yuan, note, created_at) VALUES (%d, %d, '2026-09-28', 9000000000000000000, '', CURRENT_TIMESTAMP)`, e.zone.ID, p.ID),
			fmt.Sprintf(`INSERT INTO funds_in_place (zone_id, project_id, on_date, amount_yuan, note, created_at) VALUES (%d, %d, '2026-09-28', 900000000000000000, '', CURRENT_TIMESTAMP)`, e.zone.ID, p.ID),
			fmt.Sprintf(`UPDATE projects SET total_yuan = 9000000000000000000 WHERE id IN (%d, %d)`, q.ID, r.ID),
		} {
			if err := s.ExecForTest(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}

		items, total, err := s.ListProjects(ctx, store.ProjectFilter{ZoneID: e.zone.ID})
		if err != nil || total != 3 {
			t.Fatalf("list: %d %v", total, err)
		}
		for _, it := range items {
			if it.ID == p.ID && it.FundsYuan != xinlu.MaxSumYuan {
				t.Errorf("listed funds %d, want %d", it.FundsYuan, xinlu.MaxSumYuan)
			}
		}
		got, err := s.ProjectByID(ctx, e.zone.ID, p.ID)
		if err != nil || got.FundsYuan != xinlu.MaxSumYuan {
			t.Fatalf("project: %+v %v", got, err)
		}
		tr, err := s.FundsTracking(ctx, signed, projectToday)
		if err != nil || tr.FundsYuan != xinlu.MaxSumYuan {
			t.Fatalf("tracking: %+v %v", tr, err)
		}
		rep, err := s.Performance(ctx, e.zone.ID, projectToday)
		if err != nil || len(rep.Projects) != 1 || rep.Projects[0].FundsYuan != xinlu.MaxSumYuan || rep.Total.FundsYuan != xinlu.MaxSumYuan {
			t.Fatalf("performance: %+v %v", rep, err)
		}
		if tone := rep.Total.FundsRate().Tone(); tone != "green" {
			t.Errorf("performance funds rate tone %q", tone)
		}
		for _, zone := range []int64{e.zone.ID, 0} {
			cols, err := s.Kanban(ctx, zone)
			if err != nil {
				t.Fatalf("kanban of zone %d: %v", zone, err)
			}
			for _, c := range cols {
				if c.Stage == xinlu.StagePackaging && (c.Count != 2 || c.Yuan != xinlu.MaxSumYuan) {
					t.Errorf("kanban of zone %d: %+v", zone, c)
				}
			}
		}
	})
}
