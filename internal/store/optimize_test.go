package store

import (
	"context"
	"testing"

	"xinlu/internal/xinlu"
)

// Optimize leaves the planner its per-index averages and no sampled values,
// so that statements are not compiled again for each new parameter value.
func TestOptimizeKeepsAveragesNotSamples(t *testing.T) {
	s := benchSQLite(t)
	ctx := context.Background()
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
