package cli_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"xinlu/internal/store"
	"xinlu/internal/testdb"
)

// The owner migrates and grants; the server runs as an application role
// without DDL, which cannot alter or cut the audit log.
func TestPostgresOwnerAndAppRole(t *testing.T) {
	dsn := os.Getenv("XINLU_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("XINLU_TEST_POSTGRES not set")
	}
	owner, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	schema := fmt.Sprintf("cli_roles_%d", os.Getpid())
	const app = "xinlu_app_cli"
	for _, q := range []string{
		`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`,
		`CREATE SCHEMA ` + schema,
		`DO $$ BEGIN CREATE ROLE ` + app + ` LOGIN PASSWORD 'app-secret'; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
		// PostgreSQL 15 gives PUBLIC nothing on schema public; as the
		// README says, the application role gets no CREATE anywhere.
		`REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
	} {
		if _, err := owner.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() {
		owner.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
		owner.Exec(`DROP OWNED BY ` + app)
	})
	withPath := func(d string) string { return testdb.InSchema(d, schema) }
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(app, "app-secret")
	ownerDSN, appDSN := withPath(dsn), withPath(u.String())
	key := filepath.Join(t.TempDir(), "xinlu.key")

	// Before migrating, the application role cannot create the schema.
	if r := run(t, "", "migrate", "--db", appDSN, "--key-file", key); r.code == 0 || !strings.Contains(r.stderr, "as the owner") {
		t.Fatalf("migrate as the application role: %+v", r)
	}
	if r := run(t, "", "migrate", "--db", ownerDSN, "--key-file", key, "--grant", app); r.code != 0 || !strings.Contains(r.stdout, "granted "+app) {
		t.Fatalf("migrate --grant as the owner: %+v", r)
	}
	// Everything else runs as the application role.
	if r := run(t, "", "demo", "--db", appDSN, "--key-file", key, "--password", "Trial@2026"); r.code != 0 {
		t.Fatalf("demo as the application role: %+v", r)
	}
	if r := run(t, "", "jobs", "run", "--db", appDSN, "--key-file", key); r.code != 0 {
		t.Fatalf("jobs as the application role: %+v", r)
	}
	if r := run(t, "", "audit", "verify", "--db", appDSN, "--key-file", key); r.code != 0 {
		t.Fatalf("verify as the application role: %+v", r)
	}
	db, err := sql.Open("pgx", appDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`DELETE FROM audit_log WHERE id > (SELECT max(id)-20 FROM audit_log)`,
		`UPDATE audit_log SET actor_name = 'mallory'`,
		`TRUNCATE audit_log`,
		`INSERT INTO audit_checkpoints (upto_id, upto_hash, rows, created_at) SELECT id, hash, 1, now() FROM audit_log ORDER BY id DESC LIMIT 1`,
		`ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard`,
		`DROP TRIGGER audit_log_guard ON audit_log`,
		`CREATE TABLE evil (id int)`,
		`DELETE FROM schema_migrations`,
	} {
		if _, err := db.Exec(q); err == nil {
			t.Errorf("the application role may %s", q)
		}
	}
	if r := run(t, "", "audit", "verify", "--db", appDSN, "--key-file", key); r.code != 0 {
		t.Fatalf("verify after the refused attacks: %+v", r)
	}
	// The retention purge deletes audit rows: it runs as the owner.
	if r := run(t, "", "audit", "purge", "--db", ownerDSN, "--key-file", key); r.code != 0 {
		t.Fatalf("purge as the owner: %+v", r)
	}
	// While another server runs the scheduled jobs, this one skips them.
	other, err := store.Open(context.Background(), appDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	release, ok, err := other.TryJobLock(context.Background())
	if err != nil || !ok {
		t.Fatalf("job lock: %v %v", ok, err)
	}
	r := run(t, "", "jobs", "run", "--db", appDSN, "--key-file", key)
	release()
	if r.code != 0 || !strings.Contains(r.stdout, "another server is running them") {
		t.Fatalf("jobs while another server runs them: %+v", r)
	}
}
