package tmpprobe

import (
	"context"
	"os"
	"testing"
	"time"

	"xinlu/internal/store"
)

func TestProbe(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, os.Getenv("PROBE_DB"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	z, _ := s.ZoneByCode(ctx, "demo")
	if z == nil {
		zs, _ := s.Zones(ctx)
		z = &zs[0]
	}
	for i := 0; i < 2; i++ {
		t0 := time.Now()
		sum, err := s.CockpitSummary(ctx, z.ID, 2026)
		t.Log("summary", time.Since(t0), err)
		t0 = time.Now()
		_, _, _, err = s.CockpitPeople(ctx, z.ID, sum)
		t.Log("people", time.Since(t0), err)
		t0 = time.Now()
		lt, _ := s.ZoneLights(ctx, z.ID)
		t.Log("lights", time.Since(t0))
		t0 = time.Now()
		al, err := s.CockpitAlerts(ctx, lt, 10)
		t.Log("alerts", time.Since(t0), err, al[0].Red, al[1].Red, al[2].Red)
		t0 = time.Now()
		_, err = s.CockpitFactorsOf(ctx, z.ID)
		t.Log("factors", time.Since(t0), err)
		t0 = time.Now()
		_, err = s.CockpitAppraisal(ctx, z.ID)
		t.Log("appraisal", time.Since(t0), err)
		t0 = time.Now()
		_, err = s.YearTargets(ctx, z.ID, 2026)
		t.Log("targets", time.Since(t0), err)
	}
}
