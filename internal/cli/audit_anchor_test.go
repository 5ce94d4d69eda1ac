package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The newest audit rows cannot be deleted without trace: the head of the
// chain is anchored outside the database, and a checkpoint that makes rows
// deletable must be signed by a purge.
func TestAuditTailCannotVanish(t *testing.T) {
	fresh := func(t *testing.T) (string, string) {
		dsn, path := tempDB(t)
		if r := run(t, "", "demo", "--db", dsn, "--password", "Trial@2026"); r.code != 0 {
			t.Fatalf("demo: %+v", r)
		}
		r := run(t, "", "audit", "verify", "--db", dsn)
		if r.code != 0 || !strings.Contains(r.stdout, "anchored in") {
			t.Fatalf("verify of a clean log: %+v", r)
		}
		return dsn, path
	}
	exec := func(t *testing.T, path string, qs ...string) {
		t.Helper()
		db := openSQL(t, path)
		for _, q := range qs {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		db.Close()
	}
	mustBreak := func(t *testing.T, dsn, want string) {
		t.Helper()
		r := run(t, "", "audit", "verify", "--db", dsn)
		if r.code != 1 || !strings.Contains(r.stderr, want) {
			t.Fatalf("verify after the attack: want exit 1 saying %q, got %+v", want, r)
		}
	}

	t.Run("the purge allowance is gone", func(t *testing.T) {
		_, path := fresh(t)
		db := openSQL(t, path)
		if _, err := db.Exec(`INSERT INTO audit_purge_allowance(upto_id) SELECT max(id) FROM audit_log`); err == nil {
			t.Fatal("a plain INSERT still grants a purge allowance")
		}
		if _, err := db.Exec(`DELETE FROM audit_log WHERE id > (SELECT max(id)-20 FROM audit_log)`); err == nil {
			t.Fatal("the newest rows were deleted")
		}
	})
	t.Run("a forged checkpoint", func(t *testing.T) {
		dsn, path := fresh(t)
		exec(t, path,
			`INSERT INTO audit_checkpoints (zone_id, upto_id, upto_seq, upto_hash, rows, created_at) SELECT zone_id, id, seq, hash, 1, '2026-01-01'
				FROM audit_log a WHERE seq = (SELECT MAX(seq) FROM audit_log b WHERE b.zone_id = a.zone_id)`,
			`DELETE FROM audit_log WHERE id > (SELECT max(id)-20 FROM audit_log)`)
		mustBreak(t, dsn, "not signed")
	})
	t.Run("the tail cut with the guard dropped", func(t *testing.T) {
		dsn, path := fresh(t)
		exec(t, path, `DROP TRIGGER audit_log_no_delete`,
			`DELETE FROM audit_log WHERE id > (SELECT max(id)-20 FROM audit_log)`)
		mustBreak(t, dsn, "are missing")
		if n := countRows(t, path, "security_alarms"); n != 1 {
			t.Fatalf("the cut tail raised %d alarms", n)
		}
	})
	t.Run("the tail cut and written again", func(t *testing.T) {
		dsn, path := fresh(t)
		exec(t, path, `DROP TRIGGER audit_log_no_delete`,
			`DELETE FROM audit_log WHERE id > (SELECT max(id)-20 FROM audit_log)`)
		// Later writes chain onto the shortened log.
		for i := 0; i < 25; i++ {
			pw := fmt.Sprintf("Other@2026x%d\n", i)
			if r := run(t, pw+pw, "user", "passwd", "member", "--db", dsn); r.code != 0 {
				t.Fatalf("passwd: %+v", r)
			}
		}
		mustBreak(t, dsn, "not the row anchored")
	})
	t.Run("every row deleted", func(t *testing.T) {
		dsn, path := fresh(t)
		exec(t, path, `DROP TRIGGER audit_log_no_delete`, `DELETE FROM audit_log`)
		mustBreak(t, dsn, "are missing")
	})
	t.Run("the anchor file altered", func(t *testing.T) {
		dsn, path := fresh(t)
		anchor := filepath.Join(filepath.Dir(path), "xinlu.key.anchor")
		b, err := os.ReadFile(anchor)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(anchor, []byte(strings.Replace(string(b), `"kind":"head"`, `"kind":"reset"`, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		mustBreak(t, dsn, "does not match its signature")
	})
	t.Run("a new database starts new anchors", func(t *testing.T) {
		dsn, path := fresh(t)
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		if r := run(t, "", "demo", "--db", dsn, "--password", "Trial@2026"); r.code != 0 {
			t.Fatalf("demo: %+v", r)
		}
		if r := run(t, "", "audit", "verify", "--db", dsn); r.code != 0 {
			t.Fatalf("verify of a new database beside an old anchor file: %+v", r)
		}
	})
}
