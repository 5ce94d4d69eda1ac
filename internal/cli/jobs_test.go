package cli

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"xinlu/internal/testdb"
)

func TestJobsDue(t *testing.T) {
	cst := shanghai()
	at := time.Date(2026, 12, 7, 23, 30, 0, 0, cst)
	for _, c := range []struct {
		last, now time.Time
		hourly    bool
		daily     bool
	}{
		{time.Time{}, at, true, true},
		{at, at.Add(10 * time.Minute), false, false}, // 23:40, the same day
		{at, at.Add(58 * time.Minute), false, true},  // 00:28, the next day
		{at, at.Add(59 * time.Minute), true, true},   // an hour less the slack
		{at.Add(-20 * time.Hour), at, true, false},   // 03:30 and 23:30 of one day
	} {
		if got := hourlyDue(c.last, c.now); got != c.hourly {
			t.Errorf("hourly jobs last at %v, now %v: due %v, want %v", c.last, c.now, got, c.hourly)
		}
		if got := dailyDue(c.last, c.now); got != c.daily {
			t.Errorf("daily job last at %v, now %v: due %v, want %v", c.last, c.now, got, c.daily)
		}
	}
}

// Of two servers on one database, each looking every few minutes whether
// the jobs are due, the jobs run once an hour in all, and the whole audit
// chain is verified once a day in all; `xinlu jobs run` runs them when
// asked. On SQLite too, where one server may restart.
func TestJobsRunOnceAnHourAcrossServers(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		testJobsAcrossServers(t, "sqlite:"+filepath.Join(t.TempDir(), "x.db"))
	})
	if dsn := testdb.Postgres(); dsn != "" {
		t.Run("postgres", func(t *testing.T) {
			_, in := testdb.Schema(t, dsn)
			testJobsAcrossServers(t, in)
		})
	}
}

func testJobsAcrossServers(t *testing.T, dsn string) {
	t.Setenv("XINLU_KEY_FILE", filepath.Join(t.TempDir(), "xinlu.key"))
	ctx := context.Background()
	server := func() *jobs {
		st, err := openDB(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return &jobs{st: st, retentionYears: 5, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	}
	a, b := server(), server()
	t0 := time.Date(2026, 12, 7, 22, 0, 0, 0, shanghai())
	runs := 0
	look := func(j *jobs, at time.Duration, all bool) {
		t.Helper()
		ran, err := j.runOnce(ctx, t0.Add(at), all, true)
		if err != nil {
			t.Fatalf("at +%v: %v", at, err)
		}
		if ran {
			runs++
		}
	}
	last := func(name string) time.Duration {
		t.Helper()
		runs, err := a.st.JobRuns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return runs[name].Sub(t0)
	}
	// Each server looks every five minutes, b two minutes after a, for
	// three hours: the jobs run at +0 (a), +60 (a), +120 (a), +180 (a).
	for m := time.Duration(0); m <= 180*time.Minute; m += 5 * time.Minute {
		look(a, m, false)
		look(b, m+2*time.Minute, false)
	}
	if runs != 4 || last(jobHourly) != 180*time.Minute {
		t.Errorf("the jobs ran %d times in three hours of two servers (last at +%v), want 4 (last at +3h)", runs, last(jobHourly))
	}
	// The day turned at +2h (midnight in Shanghai): the whole chain was
	// verified at +0 and at +2h, and the personal data retention the same.
	if got := last(jobAuditFull); got != 120*time.Minute {
		t.Errorf("the whole audit chain was last verified at +%v, want +2h", got)
	}
	if got := last(jobRetention); got != 120*time.Minute {
		t.Errorf("the retention last ran at +%v, want +2h", got)
	}
	// b stands alone once a stops: it runs the jobs when an hour has
	// passed since a's last run.
	runs = 0
	look(b, 200*time.Minute, false)
	look(b, 238*time.Minute, false)
	if runs != 0 {
		t.Errorf("b ran the jobs %d times within the hour of a's run", runs)
	}
	look(b, 239*time.Minute, false)
	if runs != 1 || last(jobHourly) != 239*time.Minute {
		t.Errorf("b did not take over the jobs: %d runs, last at +%v", runs, last(jobHourly))
	}
	// xinlu jobs run, by hand within the hour: everything, the whole
	// chain included.
	look(b, 245*time.Minute, true)
	if runs != 2 || last(jobAuditFull) != 245*time.Minute {
		t.Errorf("jobs run by hand: %d runs, whole chain verified at +%v", runs, last(jobAuditFull))
	}
}
