package store_test

import (
	"context"
	"slices"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestParks(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "Z1")
		other, oa := seedZone(t, s, "Z2")

		equip := &xinlu.Park{ZoneID: z.ID, Name: "智能装备产业园", AreaMu: 3200,
			Industries: []string{"materials", "equipment"}, Description: "东区"}
		if err := s.CreatePark(ctx, a, equip); err != nil {
			t.Fatal(err)
		}
		bio := &xinlu.Park{ZoneID: z.ID, Name: "生物医药产业园", AreaMu: 1500, Industries: []string{"biomedicine", "light_industry"}}
		if err := s.CreatePark(ctx, a, bio); err != nil {
			t.Fatal(err)
		}

		t.Run("industries round-trip in canonical order", func(t *testing.T) {
			got, err := s.ParkByID(ctx, z.ID, equip.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Industries, []string{"equipment", "materials"}) || got.AreaMu != 3200 || got.Description != "东区" || got.Version != 1 {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("invalid park is refused", func(t *testing.T) {
			err := s.CreatePark(ctx, a, &xinlu.Park{ZoneID: z.ID, Name: "无产业园"})
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != "industries" {
				t.Fatalf("no industries: %v", err)
			}
			err = s.CreatePark(ctx, a, &xinlu.Park{ZoneID: z.ID, Name: "负面积", AreaMu: -5, Industries: []string{"other"}})
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != "area_mu" {
				t.Fatalf("negative area: %v", err)
			}
		})
		t.Run("duplicate name is a conflict on the name field", func(t *testing.T) {
			err := s.CreatePark(ctx, a, &xinlu.Park{ZoneID: z.ID, Name: "智能装备产业园", Industries: []string{"other"}})
			if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Field != "name" || e.Key != "park.name_taken" {
				t.Fatalf("got %v", err)
			}
			b, _ := s.ParkByID(ctx, z.ID, bio.ID)
			b.Name = "智能装备产业园"
			if e := xinlu.AsError(s.UpdatePark(ctx, a, b)); e.Code != xinlu.ECONFLICT || e.Field != "name" {
				t.Fatalf("rename onto a taken name: %v", e)
			}
		})
		t.Run("same name in another zone is fine", func(t *testing.T) {
			if err := s.CreatePark(ctx, oa, &xinlu.Park{ZoneID: other.ID, Name: "智能装备产业园", Industries: []string{"casting"}}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("other zone cannot see or change it", func(t *testing.T) {
			if _, err := s.ParkByID(ctx, other.ID, equip.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("get: %v", err)
			}
			err := s.UpdatePark(ctx, oa, &xinlu.Park{ID: equip.ID, ZoneID: other.ID, Name: "x", Industries: []string{"other"}, Version: 1})
			if xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("update: %v", err)
			}
			if err := s.DeletePark(ctx, oa, other.ID, equip.ID, 0); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("delete: %v", err)
			}
			items, total, _ := s.ListParks(ctx, store.ParkFilter{ZoneID: other.ID})
			if total != 1 || items[0].ZoneID != other.ID {
				t.Fatalf("other zone lists %+v", items)
			}
		})
		t.Run("stale version is a conflict and changes nothing", func(t *testing.T) {
			p, _ := s.ParkByID(ctx, z.ID, equip.ID)
			p.AreaMu, p.Industries = 4000, []string{"equipment"}
			if err := s.UpdatePark(ctx, a, p); err != nil {
				t.Fatal(err)
			}
			stale := *p
			stale.Version, stale.AreaMu = 1, 1
			if err := s.UpdatePark(ctx, a, &stale); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("got %v", err)
			}
			if err := s.DeletePark(ctx, a, z.ID, equip.ID, 1); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("stale delete: %v", err)
			}
			got, _ := s.ParkByID(ctx, z.ID, equip.ID)
			if got.AreaMu != 4000 || got.Version != 2 || !slices.Equal(got.Industries, []string{"equipment"}) {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("list searches, filters by industry and pages", func(t *testing.T) {
			items, total, err := s.ListParks(ctx, store.ParkFilter{ZoneID: z.ID, Query: "医药"})
			if err != nil || total != 1 || items[0].ID != bio.ID {
				t.Fatalf("search: %+v %d %v", items, total, err)
			}
			items, total, _ = s.ListParks(ctx, store.ParkFilter{ZoneID: z.ID, Industry: "light_industry"})
			if total != 1 || items[0].ID != bio.ID {
				t.Fatalf("industry filter: %+v %d", items, total)
			}
			if _, total, _ := s.ListParks(ctx, store.ParkFilter{ZoneID: z.ID, Industry: "industry"}); total != 0 {
				t.Fatalf("industry filter matches whole codes only: %d", total)
			}
			items, total, _ = s.ListParks(ctx, store.ParkFilter{ZoneID: z.ID, Page: xinlu.Page{Page: 2, PerPage: 1}})
			if total != 2 || len(items) != 1 {
				t.Fatalf("second page: %+v %d", items, total)
			}
		})
		t.Run("delete", func(t *testing.T) {
			if err := s.DeletePark(ctx, a, z.ID, bio.ID, 1); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ParkByID(ctx, z.ID, bio.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("still there: %v", err)
			}
		})
		t.Run("every change is audited and the chain holds", func(t *testing.T) {
			rows, total, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Entity: "park"})
			if err != nil || total != 4 {
				t.Fatalf("got %d rows: %v", total, err)
			}
			if rows[0].Action != "park.delete" || rows[0].Before == "" || rows[0].After != "" || rows[1].Action != "park.update" {
				t.Fatalf("rows %+v", rows[:2])
			}
			n, brk, err := s.VerifyAudit(ctx)
			if err != nil || brk != nil || n == 0 {
				t.Fatalf("verify: %d %v %v", n, brk, err)
			}
		})
	})
}
