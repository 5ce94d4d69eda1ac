package store_test

import (
	"context"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestDepartments(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "Z1")
		other, oa := seedZone(t, s, "Z2")

		root := &xinlu.Department{ZoneID: z.ID, Code: "OFFICE", Name: "综合办公室"}
		if err := s.CreateDepartment(ctx, a, root); err != nil {
			t.Fatal(err)
		}
		child := &xinlu.Department{ZoneID: z.ID, ParentID: root.ID, Code: "OFFICE-1", Name: "文秘科"}
		if err := s.CreateDepartment(ctx, a, child); err != nil {
			t.Fatal(err)
		}

		t.Run("duplicate code is a conflict on the code field", func(t *testing.T) {
			err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: "OFFICE", Name: "x"})
			if e := xinlu.AsError(err); e.Code != xinlu.ECONFLICT || e.Field != "code" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("same code in another zone is fine", func(t *testing.T) {
			if err := s.CreateDepartment(ctx, oa, &xinlu.Department{ZoneID: other.ID, Code: "OFFICE", Name: "办公室"}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("other zone cannot see or change it", func(t *testing.T) {
			if _, err := s.DepartmentByID(ctx, other.ID, root.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("got %v", err)
			}
			err := s.UpdateDepartment(ctx, oa, &xinlu.Department{ID: root.ID, ZoneID: other.ID, Code: "HACK", Name: "x", Version: 1})
			if xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("got %v", err)
			}
			if err := s.DeleteDepartment(ctx, oa, other.ID, root.ID, 0); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("parent from another zone is refused", func(t *testing.T) {
			others, _, _ := s.ListDepartments(ctx, store.DepartmentFilter{ZoneID: other.ID})
			err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, ParentID: others[0].ID, Code: "X", Name: "x"})
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != "parent_id" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("cycle is refused", func(t *testing.T) {
			r, _ := s.DepartmentByID(ctx, z.ID, root.ID)
			r.ParentID = child.ID
			if err := s.UpdateDepartment(ctx, a, r); xinlu.AsError(err).Key != "department.parent_cycle" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("stale version is a conflict and changes nothing", func(t *testing.T) {
			d, _ := s.DepartmentByID(ctx, z.ID, child.ID)
			d.Name = "新名称"
			if err := s.UpdateDepartment(ctx, a, d); err != nil {
				t.Fatal(err)
			}
			stale := *d
			stale.Version = 1
			stale.Name = "过期写入"
			if err := s.UpdateDepartment(ctx, a, &stale); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("got %v", err)
			}
			got, _ := s.DepartmentByID(ctx, z.ID, child.ID)
			if got.Name != "新名称" || got.Version != 2 || got.ParentName != "综合办公室" {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("list searches and pages", func(t *testing.T) {
			items, total, err := s.ListDepartments(ctx, store.DepartmentFilter{ZoneID: z.ID, Query: "办公", Page: xinlu.Page{PerPage: 1}})
			if err != nil || total != 1 || len(items) != 1 || items[0].Code != "OFFICE" {
				t.Fatalf("got %v %d %v", items, total, err)
			}
			_, total, _ = s.ListDepartments(ctx, store.DepartmentFilter{ZoneID: z.ID})
			if total != 2 {
				t.Fatalf("total %d", total)
			}
		})
		t.Run("a department with children cannot be deleted", func(t *testing.T) {
			if err := s.DeleteDepartment(ctx, a, z.ID, root.ID, 0); xinlu.AsError(err).Key != "department.not_empty" {
				t.Fatalf("got %v", err)
			}
			if err := s.DeleteDepartment(ctx, a, z.ID, child.ID, 0); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("every write is audited and the chain holds", func(t *testing.T) {
			rows, total, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Entity: "department"})
			if err != nil || total != 4 {
				t.Fatalf("got %d rows: %v", total, err)
			}
			if rows[0].Action != "department.delete" || rows[0].Before == "" || rows[0].After != "" {
				t.Fatalf("newest row %+v", rows[0])
			}
			n, brk, err := s.VerifyAudit(ctx)
			if err != nil || brk != nil || n == 0 {
				t.Fatalf("verify: %d %v %v", n, brk, err)
			}
		})
	})
}
