package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

var zoneTestKey = []byte("0123456789abcdef0123456789abcdef")

// olderStores gives a store per engine migrated as the release before
// per-zone audit chains left it.
func olderStores(t *testing.T) map[string]*store.Store {
	t.Helper()
	ctx := context.Background()
	const stop = "0036_zone_audit_chains.sql"
	sq, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "xinlu.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sq.Close() })
	out := map[string]*store.Store{"sqlite": sq}
	if dsn := os.Getenv("XINLU_TEST_POSTGRES"); dsn != "" {
		out["postgres"] = openPostgresSchema(t, dsn)
	}
	for _, s := range out {
		if err := s.MigrateBeforeForTest(ctx, stop); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// writeLegacyChain writes rows as the single chain of the older release
// wrote them: ids 1…n chained in order, signed with the key, in zones
// taken in turn from zones.
func writeLegacyChain(t *testing.T, s *store.Store, n int, zones ...int64) xinlu.AuditEntry {
	t.Helper()
	ctx := context.Background()
	var prev xinlu.AuditEntry
	for i := 1; i <= n; i++ {
		e := xinlu.AuditEntry{ID: int64(i), ZoneID: zones[i%len(zones)], At: time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC),
			ActorName: "系统", Action: "department.create", Entity: "department", EntityID: int64(i), After: `{"code":"D"}`,
			IP: "127.0.0.1", PrevHash: prev.Hash, KeyID: "k1"}
		e.Hash = e.ComputeHash(zoneTestKey)
		if err := s.ExecArgsForTest(ctx, `INSERT INTO audit_log (id, zone_id, at, actor_id, actor_name, action, entity, entity_id,
			before_json, after_json, ip, prev_hash, key_id, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			e.ID, e.ZoneID, e.At, e.ActorID, e.ActorName, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.IP, e.PrevHash, e.KeyID, e.Hash); err != nil {
			t.Fatal(err)
		}
		prev = e
	}
	return prev
}

// An existing single chain is taken over: it still verifies, every zone's
// chain starts from its last row, its anchor keeps working, and each zone
// is then anchored and verified on its own. Tampering with a row of zone A
// breaks zone A's chain only; a cut tail in zone B is found in zone B; a
// changed row of the old chain breaks that chain only.
func TestAuditChainsPerZone(t *testing.T) {
	for name, s := range olderStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s.SetAuditKey("k1", zoneTestKey)
			anchors := filepath.Join(t.TempDir(), "xinlu.key.anchor")
			s.SetAuditAnchor(anchors)
			last := writeLegacyChain(t, s, 12, 0)
			// The older release anchored its head.
			if err := os.WriteFile(anchors, xinlu.AnchorLine(xinlu.AuditAnchor{Kind: xinlu.AnchorHead, At: time.Now(), ID: last.ID, Hash: last.Hash, KeyID: "k1"}, zoneTestKey), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil || n != 12 {
				t.Fatalf("the old chain after the switch: %d %+v %v", n, brk, err)
			}
			za, sysA := seedZone(t, s, "ZA")
			zb, sysB := seedZone(t, s, "ZB")
			for i, code := range []string{"A1", "A2", "A3", "A4"} {
				if err := s.CreateDepartment(ctx, sysA, &xinlu.Department{ZoneID: za.ID, Code: code, Name: code, SortOrder: i}); err != nil {
					t.Fatal(err)
				}
				if err := s.CreateDepartment(ctx, sysB, &xinlu.Department{ZoneID: zb.ID, Code: "B" + code, Name: code, SortOrder: i}); err != nil {
					t.Fatal(err)
				}
			}
			// Each zone's first row chains to the old chain's last.
			for _, z := range []int64{za.ID, zb.ID} {
				var prev string
				var seq int64
				if err := s.QueryRowForTest(ctx, `SELECT prev_hash, seq FROM audit_log WHERE zone_id = ? AND seq > 0 ORDER BY seq LIMIT 1`, z).Scan(&prev, &seq); err != nil {
					t.Fatalf("zone %d: %v", z, err)
				}
				if prev != last.Hash || seq != 1 {
					t.Fatalf("zone %d starts at %d from %q, want 1 from the old chain's head", z, seq, prev)
				}
			}
			n, anchor, brk, err := s.AnchorAudit(ctx, false)
			if err != nil || brk != nil || n != 12+5+5 {
				t.Fatalf("anchor: %d %+v %+v %v", n, anchor, brk, err)
			}
			body, _ := os.ReadFile(anchors)
			if lines := strings.Count(string(body), "\n"); lines != 1+2 { // the old head, zones A and B
				t.Fatalf("anchor file has %d lines:\n%s", lines, body)
			}
			if n, _, brk, err := s.AnchorAudit(ctx, true); err != nil || brk != nil || n != 1 {
				t.Fatalf("quick check with nothing new: %d %+v %v", n, brk, err)
			}

			// A row of zone A altered: zone A's chain breaks there, the
			// others hold.
			var victim int64
			if err := s.QueryRowForTest(ctx, `SELECT id FROM audit_log WHERE zone_id = ? AND seq = 3`, za.ID).Scan(&victim); err != nil {
				t.Fatal(err)
			}
			if err := s.TamperAuditForTest(ctx, victim, "after_json", `{"code":"EVIL"}`); err != nil {
				t.Fatal(err)
			}
			broken := func() map[int64]*store.AuditBreak {
				t.Helper()
				chains, err := s.VerifyAuditChains(ctx)
				if err != nil {
					t.Fatal(err)
				}
				out := map[int64]*store.AuditBreak{}
				for _, c := range chains {
					if c.Break != nil {
						if c.Break.ZoneID != c.ZoneID {
							t.Fatalf("chain %d reports a break of zone %d", c.ZoneID, c.Break.ZoneID)
						}
						out[c.ZoneID] = c.Break
					}
				}
				return out
			}
			got := broken()
			if len(got) != 1 || got[za.ID] == nil || got[za.ID].ID != victim || !strings.Contains(got[za.ID].Reason, "altered") {
				t.Fatalf("zone A tampered: %+v", got)
			}
			if _, brk, _ := s.VerifyAudit(ctx); brk == nil || brk.ZoneID != za.ID || brk.ID != victim {
				t.Fatalf("VerifyAudit: %+v", brk)
			}
			// Zone B still takes writes and verifies.
			if err := s.CreateDepartment(ctx, sysB, &xinlu.Department{ZoneID: zb.ID, Code: "B5", Name: "B5"}); err != nil {
				t.Fatal(err)
			}
			if got := broken(); len(got) != 1 || got[zb.ID] != nil {
				t.Fatalf("zone B after a write: %+v", got)
			}
			// Zone B's anchored head cut off: found in zone B, by the
			// quick check too.
			var headB int64
			if err := s.QueryRowForTest(ctx, `SELECT id FROM audit_log WHERE zone_id = ? ORDER BY seq DESC LIMIT 1`, zb.ID).Scan(&headB); err != nil {
				t.Fatal(err)
			}
			for _, id := range []int64{headB, headB - 1} {
				s.DeleteAuditForTest(ctx, id) //nolint:errcheck // the second may be zone A's row
			}
			var left int
			s.QueryRowForTest(ctx, `SELECT COUNT(*) FROM audit_log WHERE zone_id = ?`, zb.ID).Scan(&left) //nolint:errcheck
			got = broken()
			if got[zb.ID] == nil || !strings.Contains(got[zb.ID].Reason, "missing") || got[za.ID] == nil || got[0] != nil || got[xinlu.LegacyChain] != nil {
				t.Fatalf("zone B cut (%d rows left): %+v", left, got)
			}
			if _, _, brk, _ := s.AnchorAudit(ctx, true); brk == nil {
				t.Fatal("the quick check missed the breaks")
			}
			// A row of the old chain altered: that chain breaks, zone 0 holds.
			if err := s.TamperAuditForTest(ctx, 5, "actor_name", "mallory"); err != nil {
				t.Fatal(err)
			}
			got = broken()
			if got[xinlu.LegacyChain] == nil || got[xinlu.LegacyChain].ID != 5 || got[0] != nil {
				t.Fatalf("old chain tampered: %+v", got)
			}
		})
	}
}

// Appenders of one zone wait for each other on PostgreSQL; another zone's
// do not wait for them.
func TestAuditZonesDoNotWaitForEachOther(t *testing.T) {
	dsn := os.Getenv("XINLU_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("PostgreSQL only (XINLU_TEST_POSTGRES)")
	}
	ctx := context.Background()
	s := OpenPostgres(t, dsn)
	za, sysA := seedZone(t, s, "WA")
	zb, sysB := seedZone(t, s, "WB")
	other, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck
	// Another server is appending to zone A and has not committed yet.
	if _, err := tx.Exec(`SELECT pg_advisory_xact_lock(7311, $1)`, int32(za.ID)); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.CreateDepartment(short, sysB, &xinlu.Department{ZoneID: zb.ID, Code: "B1", Name: "B1"}); err != nil {
		t.Fatalf("zone B waited for zone A: %v", err)
	}
	shorter, cancel2 := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel2()
	if err := s.CreateDepartment(shorter, sysA, &xinlu.Department{ZoneID: za.ID, Code: "A1", Name: "A1"}); err == nil {
		t.Fatal("zone A appended while another transaction held its chain")
	}
	tx.Rollback() //nolint:errcheck
	if err := s.CreateDepartment(ctx, sysA, &xinlu.Department{ZoneID: za.ID, Code: "A1", Name: "A1"}); err != nil {
		t.Fatal(err)
	}
	if _, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
		t.Fatalf("verify: %+v %v", brk, err)
	}
}
