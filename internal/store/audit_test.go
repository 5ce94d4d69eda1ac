package store_test

import (
	"context"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestAuditChainDetectsTampering(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "A")
		for i, code := range []string{"D1", "D2", "D3"} {
			if err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: code, Name: code, SortOrder: i}); err != nil {
				t.Fatal(err)
			}
		}
		n, brk, err := s.VerifyAudit(ctx)
		if err != nil || brk != nil || n != 4 {
			t.Fatalf("clean chain: %d %v %v", n, brk, err)
		}
		rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Action: "department.", From: time.Now().Add(-time.Hour)})
		if err != nil || len(rows) != 3 || rows[0].Action != "department.create" {
			t.Fatalf("filtered list: %v %v", rows, err)
		}
		if err := s.TamperAuditForTest(ctx, 3, "after_json", `{"code":"EVIL"}`); err != nil {
			t.Fatal(err)
		}
		_, brk, err = s.VerifyAudit(ctx)
		if err != nil || brk == nil || brk.ID != 3 {
			t.Fatalf("tampered chain: %+v %v", brk, err)
		}
	})
}
