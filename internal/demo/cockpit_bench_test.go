package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"xinlu/internal/demo"
	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The cockpit at scale, in process: go test -run '^$' -bench Cockpit ./internal/demo/
// reads every figure of the demo zone's cockpit (report.BuildCockpit, what
// GET /api/v1/cockpit answers) from 16 goroutines at once, and the roll-up
// across every zone, and reports p50 and p99. The database is
// XINLU_BENCH_DB (a DSN, sqlite:PATH or postgres://…, written by
// `xinlu demo --leads N [--zones K]`), or a temporary SQLite database
// seeded with XINLU_BENCH_LEADS leads (default 100,000).
func BenchmarkCockpit(b *testing.B) {
	ctx := context.Background()
	dsn := os.Getenv("XINLU_BENCH_DB")
	if dsn == "" {
		dsn = "sqlite:" + filepath.Join(b.TempDir(), "xinlu.db")
	}
	s, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if os.Getenv("XINLU_BENCH_DB") == "" {
		if _, err := demo.Seed(ctx, s, demo.Options{Password: "Bench@2026x"}); err != nil {
			b.Fatal(err)
		}
		n := 100000
		if v, err := strconv.Atoi(os.Getenv("XINLU_BENCH_LEADS")); err == nil && v > 0 {
			n = v
		}
		if _, err := demo.SeedScale(ctx, s, demo.ScaleOptions{Leads: n}); err != nil {
			b.Fatal(err)
		}
	}
	z, err := s.ZoneByCode(ctx, demo.ZoneCode)
	if err != nil {
		b.Fatal(err)
	}
	viewer := &xinlu.User{ZoneID: z.ID, Roles: []xinlu.Role{xinlu.RoleViewer}}
	year := time.Now().Year()
	// Warm: the first read of the red and yellow lists (cached for a
	// minute) is not what the benchmark measures.
	if _, err := report.BuildCockpit(ctx, s, z.ID, year); err != nil {
		b.Fatal(err)
	}
	if _, err := report.BuildRollup(ctx, s, viewer, year); err != nil {
		b.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"zone": func() error { _, err := report.BuildCockpit(ctx, s, z.ID, year); return err },
		"rollup": func() error {
			_, err := report.BuildRollup(ctx, s, viewer, year)
			return err
		},
	} {
		b.Run(name, func(b *testing.B) {
			var mu sync.Mutex
			var took []time.Duration
			b.SetParallelism(8) // 16 goroutines on 2 cores: 16 connections
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				var mine []time.Duration
				for pb.Next() {
					t := time.Now()
					if err := call(); err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(t))
				}
				mu.Lock()
				took = append(took, mine...)
				mu.Unlock()
			})
			elapsed := time.Since(start)
			b.StopTimer()
			if len(took) == 0 {
				return
			}
			slices.Sort(took)
			b.ReportMetric(float64(len(took))/elapsed.Seconds(), "req/s")
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
