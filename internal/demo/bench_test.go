package demo_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"xinlu/internal/demo"
	"xinlu/internal/seal"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Reporting leads at scale, in process: go test -run '^$' -bench ReportLead ./internal/demo/
// seeds the demo zone and XINLU_BENCH_LEADS leads (default 100,000) in a
// temporary database, or opens XINLU_BENCH_DB (a database written by
// `xinlu demo --leads N`, which the benchmark adds to), then reports leads
// with distinct companies from 64 goroutines as the screening task force
// does through the API: validation, sealing, the insert and its audit row,
// and the duplicate search. It reports leads/s, p50 and p99.
func BenchmarkReportLead(b *testing.B) {
	ctx := context.Background()
	path := os.Getenv("XINLU_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "xinlu.db")
	}
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if k, err := seal.LoadKeyFile(strings.TrimSuffix(path, ".db") + ".key"); err == nil {
		if _, err := s.UseKeys(ctx, k); err != nil {
			b.Fatal(err)
		}
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
	u, err := s.UserByUsername(ctx, "screener")
	if err != nil {
		b.Fatal(err)
	}
	a := xinlu.ActorOf(u, "127.0.0.1")
	brands := []string{"华晋", "晋能", "太行", "汾河", "三晋", "龙城", "恒润", "鑫源"}
	words := []string{"智能装备", "生物医药", "新材料", "精密铸造", "碳纤维", "医疗器械"}
	industries := []string{"equipment", "biomedicine", "materials", "casting", "materials", "biomedicine"}
	var seq atomic.Int64
	run := time.Now().UnixNano() % 1000000
	var mu sync.Mutex
	var took []time.Duration
	b.SetParallelism(32) // 64 goroutines on 2 cores, as the load test's connections
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			n := seq.Add(1)
			i := int(n) % len(words)
			l := &xinlu.Lead{ZoneID: u.ZoneID, Company: fmt.Sprintf("%s%s压测%d-%d有限公司", brands[int(n/7)%len(brands)], words[i], run, n),
				ProjectName: fmt.Sprintf("压测项目%d", n), Industry: industries[i], InvestmentYuan: new(100000000 + n),
				Channel: "online", ContactName: "王总", ContactPhone: fmt.Sprintf("138%08d", n*7919%100000000)}
			t := time.Now()
			if _, err := s.ReportLead(ctx, a, l); err != nil {
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
	b.ReportMetric(float64(len(took))/elapsed.Seconds(), "leads/s")
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}
