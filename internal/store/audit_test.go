package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestAuditChainDetectsTampering(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "A")
		for i, code := range []string{"D1", "D2", "D3", "D4"} {
			if err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: code, Name: code, SortOrder: i}); err != nil {
				t.Fatal(err)
			}
		}
		n, brk, err := s.VerifyAudit(ctx)
		if err != nil || brk != nil || n != 5 {
			t.Fatalf("clean chain: %d %v %v", n, brk, err)
		}
		rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Action: "department.", From: time.Now().Add(-time.Hour)})
		if err != nil || len(rows) != 4 || rows[0].Action != "department.create" {
			t.Fatalf("filtered list: %v %v", rows, err)
		}
		// The database itself refuses changes and deletions.
		if err := s.ExecForTest(ctx, `UPDATE audit_log SET actor_name = 'mallory' WHERE id = 2`); err == nil {
			t.Fatal("UPDATE of an audit row was allowed")
		}
		if err := s.ExecForTest(ctx, `DELETE FROM audit_log WHERE id = 2`); err == nil {
			t.Fatal("DELETE of an audit row was allowed")
		}
		// With the triggers switched off, an altered row is found …
		if err := s.TamperAuditForTest(ctx, 3, "after_json", `{"code":"EVIL"}`); err != nil {
			t.Fatal(err)
		}
		_, brk, err = s.VerifyAudit(ctx)
		if err != nil || brk == nil || brk.ID != 3 {
			t.Fatalf("tampered chain: %+v %v", brk, err)
		}
		// … and so is a deleted one.
		if err := s.DeleteAuditForTest(ctx, 3); err != nil {
			t.Fatal(err)
		}
		_, brk, _ = s.VerifyAudit(ctx)
		if brk == nil || brk.ID != 4 {
			t.Fatalf("deleted row: %+v", brk)
		}
	})
}

func TestAuditKeyedChain(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "K") // row 1 unsigned, before the key
		s.SetAuditKey("k1", []byte("0123456789abcdef0123456789abcdef"))
		for _, code := range []string{"D1", "D2"} {
			if err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: code, Name: code}); err != nil {
				t.Fatal(err)
			}
		}
		if _, brk, err := s.VerifyAudit(ctx); brk != nil || err != nil {
			t.Fatalf("keyed chain: %v %v", brk, err)
		}
		// An attacker without the key recomputes a plain hash for an altered row.
		rows, _, _ := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, EntityID: 0, Entity: "department"})
		e := rows[0]
		e.After = `{"code":"EVIL"}`
		e.KeyID = ""
		forged := e.ComputeHash(nil)
		if err := s.TamperAuditForTest(ctx, e.ID, "after_json", e.After); err != nil {
			t.Fatal(err)
		}
		s.TamperAuditForTest(ctx, e.ID, "key_id", "")
		s.TamperAuditForTest(ctx, e.ID, "hash", forged)
		if _, brk, _ := s.VerifyAudit(ctx); brk == nil || brk.ID != e.ID {
			t.Fatalf("forged unsigned row not found: %+v", brk)
		}
		// The wrong key cannot vouch for the chain either.
		s.SetAuditKey("k2", []byte("another key of thirty-two bytes!"))
		if _, brk, _ := s.VerifyAudit(ctx); brk == nil {
			t.Fatal("a chain signed with k1 verified under k2")
		}
	})
}

func TestAuditWriteFailureFailsTheChange(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "F")
		breakAudit := `CREATE TRIGGER audit_log_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END`
		if s.Dialect() == store.Postgres {
			breakAudit = `CREATE FUNCTION audit_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
				CREATE TRIGGER audit_log_full BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_full()`
		}
		if err := s.ExecForTest(ctx, breakAudit); err != nil {
			t.Fatal(err)
		}
		err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: "LOST", Name: "不应留下"})
		if xinlu.ErrorCode(err) != xinlu.EINTERNAL {
			t.Fatalf("create with a failing audit: %v", err)
		}
		if _, total, _ := s.ListDepartments(ctx, store.DepartmentFilter{ZoneID: z.ID}); total != 0 {
			t.Fatalf("the department was written without its audit row (%d)", total)
		}
	})
}

func TestAuditPurgeKeepsTheChain(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		z, a := seedZone(t, s, "P")
		for i := 0; i < 6; i++ { // one row a month, January to June 2025
			now = time.Date(2025, time.Month(1+i), 10, 9, 0, 0, 0, time.UTC)
			if err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: fmt.Sprintf("M%d", i), Name: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		now = time.Date(2025, 10, 20, 9, 0, 0, 0, time.UTC)
		if _, err := s.PurgeAudit(ctx, a, 90*24*time.Hour); xinlu.ErrorCode(err) != xinlu.EINVALID {
			t.Fatalf("purge keeping 90 days: %v", err)
		}
		res, err := s.PurgeAudit(ctx, a, 200*24*time.Hour) // edge 2025-04-03: months before April go
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows != 4 { // zone + January, February, March departments
			t.Fatalf("purged %d rows", res.Rows)
		}
		if err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: "AFTER", Name: "x"}); err != nil {
			t.Fatal(err)
		}
		n, brk, err := s.VerifyAudit(ctx)
		if err != nil || brk != nil || n != 5 { // April, May, June, the purge row, AFTER
			t.Fatalf("after purge: %d %+v %v", n, brk, err)
		}
	})
}

func TestAlarms(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, a := seedZone(t, s, "B")
		for i := 0; i < 22; i++ {
			s.Login(ctx, xinlu.Actor{IP: "10.9.9.9"}, fmt.Sprintf("guess%d", i), "bad", store.LoginPolicy{Limit: 100, Window: time.Hour})
		}
		alarms, _, err := s.ListAlarms(ctx, store.AlarmFilter{ZoneID: z.ID, Open: true})
		if err != nil || len(alarms) != 1 || alarms[0].Kind != store.AlarmBruteForce || alarms[0].Subject != "10.9.9.9" || alarms[0].Count != 3 {
			t.Fatalf("brute force alarm: %+v %v", alarms, err)
		}
		exporter := xinlu.Actor{UserID: 42, Name: "hoarder", ZoneID: z.ID}
		if err := s.Audit(ctx, exporter, "member.export", "member", 0, map[string]any{"rows": 5000}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.OpenAlarms(ctx, z.ID); n != 2 {
			t.Fatalf("open alarms %d", n)
		}
		if err := s.AcknowledgeAlarm(ctx, a, alarms[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.AcknowledgeAlarm(ctx, a, alarms[0].ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("second acknowledgement: %v", err)
		}
		if n, _ := s.OpenAlarms(ctx, z.ID); n != 1 {
			t.Fatalf("open alarms after acknowledging %d", n)
		}
	})
}
