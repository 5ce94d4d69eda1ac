package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"xinlu/internal/xinlu"
)

// Optimize leaves the planner its per-index averages and no sampled values,
// so that statements are not compiled again for each new parameter value.
func TestOptimizeKeepsAveragesNotSamples(t *testing.T) {
	s := benchSQLite(t)
	ctx := context.Background()
	// Migrations that analyse leave no samples either.
	var left int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_stat4`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("after migrating: %d samples, %v", left, err)
	}
	a := xinlu.SystemActor(0)
	for i := range 300 {
		if err := s.Audit(ctx, a, "test.optimize", "test", int64(i%7), nil); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 { // the second run finds the sample table there
		if err := s.Optimize(ctx); err != nil {
			t.Fatal(err)
		}
		var averages, samples int
		if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_stat1`).Scan(&averages); err != nil {
			t.Fatal(err)
		}
		if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_stat4`).Scan(&samples); err != nil {
			t.Fatal(err)
		}
		if averages == 0 || samples != 0 {
			t.Fatalf("after optimize: %d averages, %d samples", averages, samples)
		}
	}
}

// A statement a write transaction ran is prepared once the writer is free,
// and the next transactions use it; long texts are not kept.
func TestWriterStatementsArePreparedOnce(t *testing.T) {
	s := benchSQLite(t)
	ctx := context.Background()
	short := `SELECT COUNT(*) FROM zones WHERE id > ?`
	long := short + strings.Repeat(" ", maxPreparedText)
	run := func() {
		err := s.inTx(ctx, func(tx *Tx) error {
			var n int
			if err := tx.queryRow(ctx, short, 0).Scan(&n); err != nil {
				return err
			}
			return tx.queryRow(ctx, long, 0).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	run()
	for deadline := time.Now().Add(5 * time.Second); s.wstmts.load(short) == nil; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the statement was not prepared after its transaction")
		}
	}
	if s.wstmts.load(long) != nil {
		t.Fatal("a long text was kept")
	}
	before := s.wstmts.n.Load()
	run()
	if s.wstmts.n.Load() != before {
		t.Fatal("a second transaction prepared its statements again")
	}
}
