package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The database's owner cannot cut the newest rows off the audit log: the
// anchored head must still be there, and checkpoints must be signed.
func TestAuditTailIsAnchored(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.SetAuditKey("k1", []byte("0123456789abcdef0123456789abcdef"))
		s.SetAuditAnchor(filepath.Join(t.TempDir(), "xinlu.key.anchor"))
		z, a := seedZone(t, s, "T")
		for i := 0; i < 30; i++ {
			if err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: "D" + strings.Repeat("x", i+1), Name: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		n, anchor, brk, err := s.AnchorAudit(ctx, false)
		if err != nil || brk != nil || n != 31 || anchor.ID != 31 {
			t.Fatalf("anchor a clean chain: %d %+v %+v %v", n, anchor, brk, err)
		}
		// Rows written after the anchor verify from it.
		if err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: "NEXT", Name: "x"}); err != nil {
			t.Fatal(err)
		}
		if n, anchor, brk, err = s.AnchorAudit(ctx, true); err != nil || brk != nil || n != 1 || anchor.ID != 32 {
			t.Fatalf("anchor since the last anchor: %d %+v %+v %v", n, anchor, brk, err)
		}
		// A checkpoint inserted by hand makes the rows deletable to the
		// database, but it is not signed: verification fails.
		if err := s.ExecForTest(ctx, `INSERT INTO audit_checkpoints (zone_id, upto_id, upto_seq, upto_hash, rows, created_at)
			SELECT zone_id, id, seq, hash, 1, at FROM audit_log WHERE id = 32`); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecForTest(ctx, `DELETE FROM audit_log WHERE id > 12`); err != nil {
			t.Fatal(err)
		}
		_, brk, err = s.VerifyAudit(ctx)
		if err != nil || brk == nil || !strings.Contains(brk.Reason, "not signed") {
			t.Fatalf("a forged checkpoint verified: %+v %v", brk, err)
		}
		if _, _, brk, _ = s.AnchorAudit(ctx, true); brk == nil {
			t.Fatal("the quick check missed the forged checkpoint")
		}
		// Checkpoints cannot be removed or changed either, nor name a row
		// that is not there.
		if err := s.ExecForTest(ctx, `DELETE FROM audit_checkpoints`); err == nil {
			t.Fatal("a checkpoint was deleted")
		}
		if err := s.ExecForTest(ctx, `UPDATE audit_checkpoints SET mac = 'x'`); err == nil {
			t.Fatal("a checkpoint was changed")
		}
		if err := s.ExecForTest(ctx, `INSERT INTO audit_checkpoints (upto_id, upto_hash, rows, created_at) VALUES (999, 'x', 1, '2026-01-01')`); err == nil {
			t.Fatal("a checkpoint of a row that does not exist was written")
		}
	})
}

// Without a forged checkpoint, the owner who drops the guard and cuts the
// tail is caught by the anchor, by the quick check too.
func TestAuditCutTailFound(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.SetAuditKey("k1", []byte("0123456789abcdef0123456789abcdef"))
		s.SetAuditAnchor(filepath.Join(t.TempDir(), "xinlu.key.anchor"))
		z, a := seedZone(t, s, "C")
		for i := 0; i < 5; i++ {
			if err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: "D" + strings.Repeat("y", i+1), Name: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, brk, err := s.AnchorAudit(ctx, false); err != nil || brk != nil {
			t.Fatal(brk, err)
		}
		for _, id := range []int64{6, 5} {
			if err := s.DeleteAuditForTest(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		for _, since := range []bool{true, false} {
			_, _, brk, err := s.AnchorAudit(ctx, since)
			if err != nil || brk == nil || !strings.Contains(brk.Reason, "missing") {
				t.Fatalf("cut tail (since %v): %+v %v", since, brk, err)
			}
		}
	})
}

// A purge writes a signed checkpoint; the rows it removed may have been
// anchored, and the chain still verifies.
func TestAuditPurgeAfterAnchor(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		s.SetAuditKey("k1", []byte("0123456789abcdef0123456789abcdef"))
		s.SetAuditAnchor(filepath.Join(t.TempDir(), "xinlu.key.anchor"))
		z, a := seedZone(t, s, "Q")
		for i := 0; i < 3; i++ {
			now = time.Date(2025, time.Month(1+i), 10, 9, 0, 0, 0, time.UTC)
			if err := s.CreateDepartment(ctx, a, &xinlu.Department{ZoneID: z.ID, Code: "M" + strings.Repeat("z", i+1), Name: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, brk, err := s.AnchorAudit(ctx, false); err != nil || brk != nil {
			t.Fatal(brk, err)
		}
		now = time.Date(2025, 12, 20, 9, 0, 0, 0, time.UTC)
		if _, err := s.PurgeAudit(ctx, a, 200*24*time.Hour); err != nil {
			t.Fatal(err)
		}
		n, brk, err := s.VerifyAudit(ctx)
		if err != nil || brk != nil || n != 1 {
			t.Fatalf("after a purge past the anchor: %d %+v %v", n, brk, err)
		}
	})
}
