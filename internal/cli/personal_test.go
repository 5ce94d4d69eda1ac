package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestPersonalCommandsHelp(t *testing.T) {
	for _, cmd := range []string{"keys", "retention", "restore", "backup"} {
		if r := run(t, "", cmd, "--help"); r.code != 0 || !strings.Contains(r.stdout, "Usage: xinlu "+cmd) {
			t.Errorf("%s --help: %+v", cmd, r)
		}
	}
	if r := run(t, "", "serve", "--help"); !strings.Contains(r.stdout, "-key-file") || !strings.Contains(r.stdout, "-retention-years") {
		t.Errorf("serve --help lacks the key file or retention: %s", r.stdout)
	}
	if r := run(t, "", "keys", "frob"); r.code != 2 {
		t.Errorf("keys frob: %+v", r)
	}
}

// sealedCount counts members whose phone is stored sealed and in plain text.
func sealedCount(t *testing.T, path string) (sealed, plain int) {
	t.Helper()
	db := openSQL(t, path)
	db.QueryRow(`SELECT COUNT(*) FROM members WHERE phone LIKE 's1:%'`).Scan(&sealed)
	db.QueryRow(`SELECT COUNT(*) FROM members WHERE phone <> '' AND phone NOT LIKE 's1:%'`).Scan(&plain)
	return
}

func TestKeyFileMadeOnFirstUse(t *testing.T) {
	dsn, path := tempDB(t)
	r := run(t, "", "demo", "--db", dsn, "--password", "Trial@2026")
	keyFile := filepath.Join(filepath.Dir(path), "xinlu.key")
	if r.code != 0 || !strings.Contains(r.stderr, "created key file "+keyFile) {
		t.Fatalf("demo: %+v", r)
	}
	info, err := os.Stat(keyFile)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}
	if sealed, plain := sealedCount(t, path); sealed != 60 || plain != 0 {
		t.Fatalf("demo phones: %d sealed, %d plain", sealed, plain)
	}
	r = run(t, "", "keys", "status", "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "aes-256-gcm") || !strings.Contains(r.stdout, "active") || !strings.Contains(r.stdout, "plain text: 0") {
		t.Fatalf("status: %+v", r)
	}
	// Without its key file: commands that need personal data refuse, and
	// no new key file is made for a database that encrypts.
	moved := keyFile + ".away"
	if err := os.Rename(keyFile, moved); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"keys", "status"}, {"migrate"}, {"demo", "--password", "Trial@2026"}} {
		r := run(t, "", append(args, "--db", dsn)...)
		if r.code != 1 || !strings.Contains(r.stderr, "does not exist") {
			t.Errorf("%v without the key file: %+v", args, r)
		}
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Fatal("a new key file was made for a database that encrypts")
	}
	if r := run(t, "", "zone", "list", "--db", dsn); r.code != 0 || !strings.Contains(r.stderr, "warning") {
		t.Fatalf("zone list without the key file: %+v", r)
	}
	// Another key file is refused.
	other := filepath.Join(t.TempDir(), "other.key")
	if r := run(t, "", "keys", "init", "--key-file", other, "--db", dsn); r.code != 0 {
		t.Fatalf("keys init: %+v", r)
	}
	if r := run(t, "", "keys", "status", "--db", dsn, "--key-file", other); r.code != 1 || !strings.Contains(r.stderr, "does not match") {
		t.Fatalf("wrong key file: %+v", r)
	}
	if r := run(t, "", "keys", "init", "--key-file", other, "--db", dsn); r.code != 1 || !strings.Contains(r.stderr, "never overwritten") {
		t.Fatalf("keys init over an existing file: %+v", r)
	}
	os.Chmod(moved, 0o644)
	if r := run(t, "", "keys", "status", "--db", dsn, "--key-file", moved); r.code != 1 || !strings.Contains(r.stderr, "chmod 600") {
		t.Fatalf("world-readable key file: %+v", r)
	}
}

func TestKeysRotateAndSM4(t *testing.T) {
	dsn, path := tempDB(t)
	keyFile := filepath.Join(t.TempDir(), "keys", "sm4.key")
	if r := run(t, "", "keys", "init", "--suite", "sm4", "--key-file", keyFile, "--db", dsn); r.code != 0 || !strings.Contains(r.stdout, "HMAC-SM3") {
		t.Fatalf("init: %+v", r)
	}
	if r := run(t, "", "demo", "--db", dsn, "--key-file", keyFile, "--password", "Trial@2026"); r.code != 0 || strings.Contains(r.stderr, "created key file") {
		t.Fatalf("demo: %+v", r)
	}
	// The demo's 420 phone, ID and contact numbers and its 180 pay amounts.
	r := run(t, "", "keys", "rotate", "--db", dsn, "--key-file", keyFile)
	if r.code != 0 || !strings.Contains(r.stdout, "data key 2 (sm4-gcm) is now active") || !strings.Contains(r.stderr, "re-encrypted 600 of 600 values") {
		t.Fatalf("rotate: %+v", r)
	}
	db := openSQL(t, path)
	rows, err := db.Query(`SELECT phone FROM members`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v string
		rows.Scan(&v)
		if id, ok := seal.KeyID(v); !ok || id != 2 {
			t.Fatalf("a phone under key %d", id)
		}
	}
	rows.Close()
	if sealed, plain := sealedCount(t, path); sealed != 60 || plain != 0 {
		t.Fatalf("after rotation: %d sealed, %d plain", sealed, plain)
	}
	r = run(t, "", "keys", "status", "--db", dsn, "--key-file", keyFile)
	if !strings.Contains(r.stdout, "retired") || !strings.Contains(r.stdout, "600\n") {
		t.Fatalf("status: %s", r.stdout)
	}
	// Everything still reads back through xinlu.
	st := openKeyed(t, dsn, keyFile)
	if m, err := st.MembersByPersonal(context.Background(), anyZone(t, st), "phone", firstPhone(t, st)); err != nil || len(m) != 1 {
		t.Fatalf("lookup after rotation: %v %v", m, err)
	}
}

// openKeyed opens a database the way the commands do, for checks.
func openKeyed(t *testing.T, dsn, keyFile string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	k, err := seal.LoadKeyFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UseKeys(ctx, k); err != nil {
		t.Fatal(err)
	}
	return st
}

func anyZone(t *testing.T, st *store.Store) xinlu.ScopeFilter {
	t.Helper()
	zones, err := st.Zones(context.Background())
	if err != nil || len(zones) == 0 {
		t.Fatalf("zones %v", err)
	}
	return xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: zones[0].ID}
}

func firstPhone(t *testing.T, st *store.Store) string {
	t.Helper()
	ms, _, err := st.ListMembers(context.Background(), store.MemberFilter{Scope: anyZone(t, st)})
	if err != nil || len(ms) == 0 || ms[0].Phone == "" || seal.IsSealed(ms[0].Phone) {
		t.Fatalf("members %v", err)
	}
	return ms[0].Phone
}

func TestRetentionCommand(t *testing.T) {
	dsn, path := tempDB(t)
	run(t, "", "demo", "--db", dsn, "--password", "Trial@2026")
	db := openSQL(t, path)
	if _, err := db.Exec(`UPDATE members SET status = 'left', left_on = '2015-03-01' WHERE id IN (SELECT id FROM members ORDER BY id LIMIT 2)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE members SET status = 'left', left_on = date('now', '-1 year') WHERE id = (SELECT MAX(id) FROM members)`); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "retention", "run", "--db", dsn, "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "2 members left before") || !strings.Contains(r.stdout, "would clear") {
		t.Fatalf("dry run: %+v", r)
	}
	if sealed, _ := sealedCount(t, path); sealed != 60 {
		t.Fatalf("the dry run cleared data: %d", sealed)
	}
	r = run(t, "", "retention", "run", "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "cleared phone and id_number of member") {
		t.Fatalf("run: %+v", r)
	}
	if sealed, _ := sealedCount(t, path); sealed != 58 || countRows(t, path, "members") != 60 {
		t.Fatalf("after the run: %d sealed of %d", sealed, countRows(t, path, "members"))
	}
	if r := run(t, "", "retention", "run", "--db", dsn, "--retention-years", "0"); !strings.Contains(r.stdout, "switched off") {
		t.Fatalf("years 0: %+v", r)
	}
	if r := run(t, "", "audit", "verify", "--db", dsn); r.code != 0 {
		t.Fatalf("verify: %+v", r)
	}
}

// checksums returns the per-table checksums of a SQLite database.
func checksums(t *testing.T, path string) map[string]string {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sums, err := st.TableChecksums(context.Background())
	if err != nil || len(sums) < 10 {
		t.Fatalf("checksums %v %v", sums, err)
	}
	return sums
}

func wipe(t *testing.T, path string) {
	t.Helper()
	for _, s := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + s); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
}

// TestBackupRestoreRoundTrip: backup → wipe → restore gives the same
// tables; a tampered backup, another key file or a running server are refused.
func TestBackupRestoreRoundTrip(t *testing.T) {
	dsn, path := tempDB(t)
	run(t, "", "demo", "--db", dsn, "--password", "Trial@2026")
	dir := t.TempDir()
	enc := filepath.Join(dir, "x.backup")
	r := run(t, "", "backup", enc, "--encrypt", "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "encrypted with aes-256-gcm") {
		t.Fatalf("backup: %+v", r)
	}
	raw, _ := os.ReadFile(enc)
	if !seal.IsEncryptedBackup(raw) || strings.Contains(string(raw), "SQLite format") || strings.Contains(string(raw), "members") {
		t.Fatal("the backup is not encrypted")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the plain snapshot was left behind: %v", entries)
	}
	before := checksums(t, path)
	auditBefore := countRows(t, path, "audit_log")

	// A tampered backup is refused and the database stays as it is.
	bad := filepath.Join(dir, "bad.backup")
	tampered := append([]byte{}, raw...)
	tampered[len(tampered)/2] ^= 1
	os.WriteFile(bad, tampered, 0o600)
	if r := run(t, "", "restore", bad, "--db", dsn); r.code != 1 || !strings.Contains(r.stderr, "refused") {
		t.Fatalf("tampered: %+v", r)
	}
	// Another key file cannot open it.
	other := filepath.Join(t.TempDir(), "other.key")
	run(t, "", "keys", "init", "--key-file", other, "--db", dsn)
	if r := run(t, "", "restore", enc, "--db", dsn, "--key-file", other); r.code != 1 || !strings.Contains(r.stderr, "refused") {
		t.Fatalf("other key file: %+v", r)
	}
	// Not while a server holds the database.
	lock, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_SH); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "restore", enc, "--db", dsn); r.code != 1 || !strings.Contains(r.stderr, "stop it") {
		t.Fatalf("restore under a running server: %+v", r)
	}
	syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	lock.Close()
	if got := checksums(t, path); !equalSums(got, before) {
		t.Fatal("a refused restore changed the database")
	}

	wipe(t, path)
	r = run(t, "", "restore", enc, "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "integrity ok, audit chain holds") {
		t.Fatalf("restore: %+v", r)
	}
	after := checksums(t, path)
	for table, sum := range before {
		if table != "audit_log" && after[table] != sum {
			t.Errorf("%s: %s after restore, %s before", table, after[table], sum)
		}
	}
	if got := countRows(t, path, "audit_log"); got != auditBefore+1 {
		t.Fatalf("audit rows %d after restore, want %d + the restore's", got, auditBefore)
	}
	if r := run(t, "", "audit", "verify", "--db", dsn); r.code != 0 {
		t.Fatalf("verify after restore: %+v", r)
	}
	st := openKeyed(t, dsn, filepath.Join(filepath.Dir(path), "xinlu.key"))
	if p := firstPhone(t, st); len(p) != 11 {
		t.Fatalf("phone after restore %q", p)
	}

	// A plain backup restores over an existing database, which is kept aside.
	plain := filepath.Join(dir, "plain.db")
	if r := run(t, "", "backup", plain, "--db", dsn); r.code != 0 {
		t.Fatalf("plain backup: %+v", r)
	}
	if r := run(t, "", "restore", plain, "--db", dsn); r.code != 0 || !strings.Contains(r.stdout, "before-restore-") {
		t.Fatalf("plain restore: %+v", r)
	}
	if r := run(t, "", "restore", filepath.Join(dir, "missing"), "--db", dsn); r.code != 1 {
		t.Fatalf("missing file: %+v", r)
	}
	notDB := filepath.Join(dir, "note.txt")
	os.WriteFile(notDB, []byte("hello"), 0o600)
	if r := run(t, "", "restore", notDB, "--db", dsn); r.code != 1 || !strings.Contains(r.stderr, "neither") {
		t.Fatalf("not a backup: %+v", r)
	}
}

func equalSums(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
