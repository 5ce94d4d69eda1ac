package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"xinlu/internal/cli"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(string) string { return "" },
	})
	return result{code, out.String(), errOut.String()}
}

func tempDB(t *testing.T) (string, string) {
	path := filepath.Join(t.TempDir(), "x.db")
	return "sqlite:" + path, path
}

func TestHelpAndBadFlags(t *testing.T) {
	r := run(t, "", "help")
	if r.code != 0 || !strings.Contains(r.stdout, "serve") || !strings.Contains(r.stdout, "audit") {
		t.Fatalf("help: %+v", r)
	}
	for _, cmd := range []string{"serve", "migrate", "demo", "zone", "user", "backup", "audit"} {
		if r := run(t, "", cmd, "--help"); r.code != 0 || strings.Count(r.stdout, "Usage: xinlu "+cmd) != 1 {
			t.Errorf("%s --help: %+v", cmd, r)
		}
	}
	r = run(t, "", "serve", "--bogus")
	if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "bogus") {
		t.Fatalf("bad flag: %+v", r)
	}
	if r := run(t, "", "frobnicate"); r.code != 2 {
		t.Fatalf("unknown command: %+v", r)
	}
	if r := run(t, "", "migrate", "--db", "mysql://x"); r.code != 1 || !strings.Contains(r.stderr, "sqlite:PATH") {
		t.Fatalf("bad dsn: %+v", r)
	}
}

func TestDemoIsIdempotent(t *testing.T) {
	dsn, path := tempDB(t)
	r := run(t, "", "demo", "--db", dsn, "--password", "Trial@2026")
	if r.code != 0 || !strings.Contains(r.stdout, "created demo zone") {
		t.Fatalf("first demo: %+v", r)
	}
	for _, u := range []string{"admin", "sysadmin", "secadmin", "auditadmin", "director", "member", "screener", "planner", "sponsor", "agent", "head", "appraiser", "discipline", "finance", "auditor", "viewer"} {
		if !strings.Contains(r.stdout, "\n"+u+" ") {
			t.Errorf("demo logins lack %s", u)
		}
	}
	for table, want := range map[string]int{"members": 60, "contracts": 60, "departments": 12, "positions": 8, "parks": 3, "teams": 4, "users": 16, "terms": 2} {
		if got := countRows(t, path, table); got != want {
			t.Errorf("demo has %d %s, want %d", got, table, want)
		}
	}
	if got := countRows(t, path, "calendar_days"); got < 30 {
		t.Errorf("demo calendar has %d days", got)
	}
	for table, least := range map[string]int{"leads": 250, "projects": 30, "project_events": 200, "approval_items": 100, "funds_in_place": 20} {
		if got := countRows(t, path, table); got < least {
			t.Errorf("demo has %d %s, want at least %d", got, table, least)
		}
	}
	before := countRows(t, path, "audit_log")
	r = run(t, "", "demo", "--db", dsn, "--password", "Other@2026")
	if r.code != 0 || !strings.Contains(r.stdout, "nothing changed") {
		t.Fatalf("second demo: %+v", r)
	}
	if after := countRows(t, path, "audit_log"); after != before {
		t.Fatalf("second demo wrote %d audit rows", after-before)
	}
	if r := run(t, "", "demo", "--db", dsn, "--password", "short"); r.code != 2 {
		t.Fatalf("weak demo password accepted: %+v", r)
	}
}

func TestDemoWithoutPasswordForcesChange(t *testing.T) {
	dsn, path := tempDB(t)
	r := run(t, "", "demo", "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "must change") {
		t.Fatalf("demo: %+v", r)
	}
	db := openSQL(t, path)
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM users WHERE must_change_password = 0`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d demo users need no password change", n)
	}
}

func TestUserAddAndPasswd(t *testing.T) {
	dsn, path := tempDB(t)
	run(t, "", "demo", "--db", dsn, "--password", "Trial@2026")
	r := run(t, "Str0ng!pass\n", "user", "add", "wanglei", "--db", dsn, "--name", "王磊", "--role", "member,screener", "--department", "INVEST1")
	if r.code != 0 || !strings.Contains(r.stdout, "created user wanglei") {
		t.Fatalf("user add: %+v", r)
	}
	db := openSQL(t, path)
	var dept string
	var must bool
	if err := db.QueryRow(`SELECT d.code, u.must_change_password FROM users u JOIN members m ON m.id = u.member_id
		JOIN departments d ON d.id = m.department_id WHERE u.username = 'wanglei'`).Scan(&dept, &must); err != nil || dept != "INVEST1" || !must {
		t.Fatalf("stored user: %q %v %v", dept, must, err)
	}
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		msg         string
	}{
		{"taken", "Str0ng!pass\n", []string{"user", "add", "wanglei", "--name", "x", "--role", "member"}, 1, "taken"},
		{"weak password", "abc\n", []string{"user", "add", "lisi", "--name", "李四", "--role", "member"}, 1, "8 characters"},
		{"unknown role", "Str0ng!pass\n", []string{"user", "add", "lisi", "--name", "李四", "--role", "king"}, 2, "--role"},
		{"no name", "Str0ng!pass\n", []string{"user", "add", "lisi", "--role", "member"}, 2, "--name"},
		{"no department", "Str0ng!pass\n", []string{"user", "add", "lisi", "--name", "李四", "--role", "member", "--department", "NOPE"}, 1, "NOPE"},
		{"passwd unknown", "Str0ng!pass\n", []string{"user", "passwd", "ghost"}, 1, "ghost"},
	} {
		r := run(t, tc.stdin, append(tc.args, "--db", dsn)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%s: %+v", tc.name, r)
		}
	}
	if r := run(t, "N3w!password\n", "user", "passwd", "wanglei", "--db", dsn); r.code != 0 {
		t.Fatalf("passwd: %+v", r)
	}
}

func TestBackupAndAuditVerify(t *testing.T) {
	dsn, path := tempDB(t)
	run(t, "", "demo", "--db", dsn, "--password", "Trial@2026")
	backup := filepath.Join(t.TempDir(), "b", "backup.db")
	r := run(t, "", "backup", backup, "--db", dsn)
	if r.code != 0 {
		t.Fatalf("backup: %+v", r)
	}
	if a, b := countRows(t, path, "audit_log"), countRows(t, backup, "audit_log"); a != b || a == 0 {
		t.Fatalf("backup has %d audit rows, source %d", b, a)
	}
	if r := run(t, "", "backup", backup, "--db", dsn); r.code == 0 {
		t.Fatal("backup overwrote an existing file")
	}
	r = run(t, "", "audit", "verify", "--db", "sqlite:"+backup)
	if r.code != 1 || !strings.Contains(r.stderr, "key file") {
		t.Fatalf("verify without the key file: %+v", r)
	}
	keyFile := filepath.Join(filepath.Dir(path), "xinlu.key")
	r = run(t, "", "audit", "verify", "--db", "sqlite:"+backup, "--key-file", keyFile)
	if r.code != 0 || !strings.Contains(r.stdout, "holds") {
		t.Fatalf("verify: %+v", r)
	}
	// The database refuses to alter the log; an attacker who drops the
	// triggers first is caught by the chain.
	db := openSQL(t, path)
	if _, err := db.Exec(`UPDATE audit_log SET actor_name = 'mallory' WHERE id = 5`); err == nil {
		t.Fatal("the audit log accepted an UPDATE")
	}
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET actor_name = 'mallory' WHERE id = 5`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	r = run(t, "", "audit", "verify", "--db", dsn)
	if r.code != 1 || !strings.Contains(r.stderr, "row 5") {
		t.Fatalf("tampered verify: %+v", r)
	}
	if n := countRows(t, path, "security_alarms"); n != 1 {
		t.Fatalf("the chain break raised %d alarms", n)
	}
	if r := run(t, "", "audit", "purge", "--db", dsn); r.code != 1 || !strings.Contains(r.stderr, "refused") {
		t.Fatalf("purge of a broken chain: %+v", r)
	}
	if r := run(t, "", "audit", "purge", "--keep-days", "30", "--db", dsn); r.code != 2 {
		t.Fatalf("purge keeping 30 days: %+v", r)
	}
}

func openSQL(t *testing.T, path string) *sql.DB {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func countRows(t *testing.T, path, table string) int {
	t.Helper()
	db := openSQL(t, path)
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFreshInstallation(t *testing.T) {
	dsn, _ := tempDB(t)
	if r := run(t, "Str0ng!pass\n", "user", "add", "root", "--db", dsn, "--name", "管理员", "--role", "admin"); r.code != 1 || !strings.Contains(r.stderr, "no zone") {
		t.Fatalf("user add before a zone exists: %+v", r)
	}
	if r := run(t, "", "zone", "add", "jz", "--db", dsn, "--name", "晋中经济技术开发区"); r.code != 0 {
		t.Fatalf("zone add: %+v", r)
	}
	if r := run(t, "", "zone", "add", "jz", "--db", dsn, "--name", "again"); r.code != 1 || !strings.Contains(r.stderr, "exists") {
		t.Fatalf("duplicate zone: %+v", r)
	}
	// The combined administrator is the demo's only: a real zone gets the three.
	if r := run(t, "Str0ng!pass\n", "user", "add", "root", "--db", dsn, "--name", "管理员", "--role", "admin"); r.code != 1 || !strings.Contains(r.stderr, "xinlu demo") {
		t.Fatalf("user add --role admin: %+v", r)
	}
	if r := run(t, "Str0ng!pass\n", "user", "add", "sec", "--db", dsn, "--name", "安全管理员", "--role", "secadmin"); r.code != 0 {
		t.Fatalf("user add: %+v", r)
	}
	if r := run(t, "", "zone", "list", "--db", dsn); !strings.Contains(r.stdout, "晋中经济技术开发区") {
		t.Fatalf("zone list: %+v", r)
	}
}

func TestJobsRun(t *testing.T) {
	dsn, path := tempDB(t)
	run(t, "", "demo", "--db", dsn, "--password", "Trial@2026")
	// One member's only contract ended yesterday: the jobs disable the account.
	db := openSQL(t, path)
	if _, err := db.Exec(`UPDATE contracts SET end_date = '2000-01-01' WHERE member_id = (SELECT member_id FROM users WHERE username = 'member')`); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "jobs", "run", "--db", dsn)
	if r.code != 0 || !strings.Contains(r.stdout, "contract ended") {
		t.Fatalf("jobs run: %+v", r)
	}
	var disabled bool
	db.QueryRow(`SELECT disabled FROM users WHERE username = 'member'`).Scan(&disabled)
	if !disabled {
		t.Fatal("the account of an ended contract is still enabled")
	}
}

func TestInitCreatesTheThreeAdministrators(t *testing.T) {
	dsn, path := tempDB(t)
	if r := run(t, "", "init", "--db", dsn); r.code != 2 {
		t.Fatalf("init without a zone: %+v", r)
	}
	r := run(t, "", "init", "--db", dsn, "--zone", "jz", "--zone-name", "晋中经济技术开发区")
	if r.code != 0 || !strings.Contains(r.stdout, "sysadmin") || !strings.Contains(r.stdout, "secadmin") || !strings.Contains(r.stdout, "auditadmin") {
		t.Fatalf("init: %+v", r)
	}
	db := openSQL(t, path)
	var n, must int
	db.QueryRow(`SELECT COUNT(*), SUM(must_change_password) FROM users`).Scan(&n, &must)
	if n != 3 || must != 3 {
		t.Fatalf("%d accounts, %d to change", n, must)
	}
	if r := run(t, "", "init", "--db", dsn, "--zone", "jz", "--zone-name", "x"); r.code != 1 || !strings.Contains(r.stderr, "already") {
		t.Fatalf("second init: %+v", r)
	}
}

// The operator, on the command line, gives and changes the roles that no
// zone administrator may: the administrators' and those that read other
// zones.
func TestUserRolesOnTheCommandLine(t *testing.T) {
	dsn, path := tempDB(t)
	if r := run(t, "", "zone", "add", "jz", "--db", dsn, "--name", "晋中经济技术开发区"); r.code != 0 {
		t.Fatalf("zone add: %+v", r)
	}
	for _, u := range []struct{ name, role string }{{"sec", "secadmin"}, {"city", "viewer"}, {"li", "member"}} {
		if r := run(t, "Str0ng!pass\n", "user", "add", u.name, "--db", dsn, "--name", u.name, "--role", u.role); r.code != 0 {
			t.Fatalf("user add %s: %+v", u.name, r)
		}
	}
	roles := func(username string) string {
		var rs string
		openSQL(t, path).QueryRow(`SELECT group_concat(r.role, ',') FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = ?`, username).Scan(&rs)
		return rs
	}
	if r := run(t, "", "user", "roles", "li", "--db", dsn, "--role", "auditadmin"); r.code != 0 || !strings.Contains(r.stdout, "auditadmin") {
		t.Fatalf("user roles: %+v", r)
	}
	if got := roles("li"); got != "auditadmin" {
		t.Fatalf("li holds %q", got)
	}
	if r := run(t, "", "user", "roles", "sec", "--db", dsn, "--role", "member,viewer"); r.code != 0 {
		t.Fatalf("an administrator's roles: %+v", r)
	}
	if got := roles("sec"); got != "member,viewer" && got != "viewer,member" {
		t.Fatalf("sec holds %q", got)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"user", "roles", "li", "--role", "admin"}, 1, "xinlu demo"},
		{[]string{"user", "roles", "li", "--role", "sysadmin,member"}, 1, "business role"},
		{[]string{"user", "roles", "ghost", "--role", "member"}, 1, "ghost"},
		{[]string{"user", "roles", "li", "--role", "king"}, 2, "--role"},
		{[]string{"user", "roles", "li"}, 2, "--role"},
	} {
		if r := run(t, "", append(tc.args, "--db", dsn)...); r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%v: %+v", tc.args, r)
		}
	}
	if got := roles("li"); got != "auditadmin" {
		t.Fatalf("a refused change left li with %q", got)
	}
	// In the demo zone the combined administrator may be given.
	run(t, "", "demo", "--db", dsn, "--password", "Trial@2026")
	if r := run(t, "Str0ng!pass\n", "user", "add", "root", "--db", dsn, "--zone", "demo", "--name", "演示", "--role", "admin"); r.code != 0 {
		t.Fatalf("admin in the demo zone: %+v", r)
	}
}
