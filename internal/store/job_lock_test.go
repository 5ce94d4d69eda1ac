package store_test

import (
	"context"
	"os"
	"testing"

	"xinlu/internal/store"
)

// Of two servers on one PostgreSQL database, one runs the scheduled jobs
// and the other skips; once the first is done, the other may run them.
func TestJobLockOneRunnerAcrossServers(t *testing.T) {
	dsn := os.Getenv("XINLU_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("XINLU_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	a := OpenPostgres(t, dsn)
	var schema string
	if err := a.QueryRowForTest(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(ctx, dsn+"&search_path="+schema)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	releaseA, ok, err := a.TryJobLock(ctx)
	if err != nil || !ok {
		t.Fatalf("first server: %v %v", ok, err)
	}
	if _, ok, err := b.TryJobLock(ctx); err != nil || ok {
		t.Fatalf("second server ran the jobs while the first did: %v %v", ok, err)
	}
	releaseA()
	releaseB, ok, err := b.TryJobLock(ctx)
	if err != nil || !ok {
		t.Fatalf("second server after the first: %v %v", ok, err)
	}
	releaseB()
	// Another installation in its own schema does not wait.
	releaseA, _, _ = a.TryJobLock(ctx)
	defer releaseA()
	t.Run("another schema", func(t *testing.T) {
		c := OpenPostgres(t, dsn)
		release, ok, err := c.TryJobLock(ctx)
		if err != nil || !ok {
			t.Fatalf("another schema waited: %v %v", ok, err)
		}
		release()
	})
}

func TestJobLockOnSQLite(t *testing.T) {
	s := OpenSQLite(t)
	release, ok, err := s.TryJobLock(context.Background())
	if err != nil || !ok {
		t.Fatalf("sqlite: %v %v", ok, err)
	}
	release()
}
