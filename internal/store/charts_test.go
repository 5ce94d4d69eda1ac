package store_test

import (
	"context"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestScoreDistribution counts a calculated period's results by bin of
// five points and band, on each engine, with the band boundaries.
func TestScoreDistribution(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newAppraisalEnv(t, s)
		zone := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: e.zone.ID}
		if d, err := s.ScoreDistribution(ctx, e.period.ID, zone); err != nil || d.Members != 0 || d.HasTop || d.HasBottom {
			t.Fatalf("before calculation: %+v %v", d, err)
		}
		e.must(t, e.office, xinlu.PeriodOpen, store.PeriodInput{})
		scores := map[int64]int64{}
		for i, m := range e.big {
			scores[m.ID] = int64(9000 - 500*i) // 90, 85, 80, 75, 70, 65
		}
		for i, m := range e.small {
			scores[m.ID] = int64(8800 - 300*i)
		}
		e.rate(t, scores)
		e.must(t, e.office, xinlu.PeriodCalculate, store.PeriodInput{})
		d, err := s.ScoreDistribution(ctx, e.period.ID, zone)
		if err != nil {
			t.Fatal(err)
		}
		results := resultsByMember(t, s, e.zone.ID, e.period.ID)
		bins := map[[2]string]int{}
		var topMin, bottomMax int64 = 1 << 40, -1
		for _, r := range results {
			bins[[2]string{itoa(r.Score / store.ScoreBinWidth * store.ScoreBinWidth), string(r.Band)}]++
			if r.Band == xinlu.BandTop {
				topMin = min(topMin, r.Score)
			}
			if r.Band == xinlu.BandBottom {
				bottomMax = max(bottomMax, r.Score)
			}
		}
		got := map[[2]string]int{}
		prev := int64(-1)
		for _, b := range d.Bins {
			if b.From < prev || b.From%store.ScoreBinWidth != 0 {
				t.Fatalf("bins out of order: %+v", d.Bins)
			}
			prev = b.From
			got[[2]string{itoa(b.From), string(b.Band)}] += b.Count
		}
		if d.Members != len(results) || len(got) != len(bins) {
			t.Fatalf("distribution %+v, results %v", d, bins)
		}
		for k, n := range bins {
			if got[k] != n {
				t.Errorf("bin %v: %d, want %d", k, got[k], n)
			}
		}
		if !d.HasTop || d.TopMin != topMin || !d.HasBottom || d.BottomMax != bottomMax {
			t.Fatalf("boundaries: %+v, want %d %d", d, topMin, bottomMax)
		}
	})
}
