package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/testdb"
	"xinlu/internal/testfix"
	"xinlu/internal/xinlu"
)

// engines returns a fresh, migrated store for each engine this machine has:
// SQLite always, PostgreSQL when XINLU_TEST_POSTGRES holds a DSN, each in a
// schema of its own (the shared fixture, testfix).
func engines(t *testing.T) map[string]*store.Store { return testfix.Engines(t) }

// eachEngine runs fn as a subtest on every engine.
func eachEngine(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for name, s := range engines(t) {
		t.Run(name, func(t *testing.T) { fn(t, s) })
	}
}

// OpenSQLite opens a migrated SQLite store in a temporary folder.
func OpenSQLite(t testing.TB) *store.Store { return testfix.SQLite(t) }

// OpenPostgres opens a migrated store in a new schema of the DSN's database.
func OpenPostgres(t testing.TB, dsn string) *store.Store { return testfix.Postgres(t, dsn) }

// openPostgresSchema opens a store, not migrated, in a new, empty schema
// of the DSN's database, dropped afterwards.
func openPostgresSchema(t testing.TB, dsn string) *store.Store {
	t.Helper()
	_, inSchema := testdb.Schema(t, dsn)
	s, err := store.Open(context.Background(), inSchema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seedZone creates a zone and returns it with a system actor for it.
func seedZone(t *testing.T, s *store.Store, code string) (*xinlu.Zone, xinlu.Actor) {
	t.Helper()
	z := &xinlu.Zone{Code: code, Name: code + " zone"}
	if err := s.CreateZone(context.Background(), xinlu.SystemActor(0), z); err != nil {
		t.Fatal(err)
	}
	return z, xinlu.SystemActor(z.ID)
}

func TestMigrationsSameFilesForBothDialects(t *testing.T) {
	a, err := store.MigrationNames(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.MigrationNames(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(a, ",") != strings.Join(b, ",") || len(a) == 0 {
		t.Fatalf("sqlite migrations %v differ from postgres %v", a, b)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		applied, err := s.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migrate applied %v", applied)
		}
	})
}

func TestNewSQLiteFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "private.db")
	s, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		info, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v", f, info.Mode().Perm())
		}
	}
}

// A commit is synced to disk before it is acknowledged unless the operator
// chose otherwise: synchronous=FULL by default, NORMAL on request.
func TestSQLiteSynchronous(t *testing.T) {
	ctx := context.Background()
	for mode, want := range map[string]int{"": 2, "full": 2, "normal": 1} {
		s, err := store.OpenWith(ctx, "sqlite:"+filepath.Join(t.TempDir(), "x.db"), store.Options{Synchronous: mode})
		if err != nil {
			t.Fatal(err)
		}
		var got int
		if err := s.RawQueryRowForTest(ctx, `PRAGMA synchronous`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if got != want {
			t.Errorf("synchronous %q: PRAGMA synchronous = %d, want %d", mode, got, want)
		}
	}
	if _, err := store.OpenWith(ctx, "sqlite:"+filepath.Join(t.TempDir(), "x.db"), store.Options{Synchronous: "off"}); err == nil {
		t.Error("synchronous=off was accepted")
	}
}
