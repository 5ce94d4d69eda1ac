package store_test

import (
	"context"
	"testing"
	"time"

	"xinlu/internal/store"
)

// A bucket holds its burst, then refuses and says how long to wait, and
// refills with time; buckets are apart by key; idle ones expire.
func TestTakeToken(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		for i := 0; i < 10; i++ {
			if ok, _, err := s.TakeToken(ctx, "export:1", 10, 10); err != nil || !ok {
				t.Fatalf("take %d within the burst: %v %v", i+1, ok, err)
			}
		}
		ok, wait, err := s.TakeToken(ctx, "export:1", 10, 10)
		if err != nil || ok || wait <= 0 || wait > 6*time.Second {
			t.Fatalf("11th: %v %v %v", ok, wait, err)
		}
		if ok, _, _ := s.TakeToken(ctx, "export:2", 10, 10); !ok {
			t.Fatal("another key was held back")
		}
		now = now.Add(6 * time.Second)
		if ok, _, _ := s.TakeToken(ctx, "export:1", 10, 10); !ok {
			t.Fatal("no refill after six seconds")
		}
		if ok, _, _ := s.TakeToken(ctx, "export:1", 10, 10); ok {
			t.Fatal("one refilled token was taken twice")
		}
		if err := s.ExpireRateBuckets(ctx, now.Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.QueryRowForTest(ctx, `SELECT COUNT(*) FROM rate_buckets`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("after expiry %d buckets (%v), want the one used now", n, err)
		}
	})
}
