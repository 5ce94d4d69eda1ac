package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"xinlu/internal/testdb"
	"xinlu/internal/xinlu"
)

// The hourly escalation at scale: go test -run '^$' -bench EscalateOverdue ./internal/store/
// seeds XINLU_BENCH_OVERDUE (default 100,000) open leads overdue by 1 to
// about 35 working days, and one project in ten overdue in its stage with an
// overdue approval item, in one zone with two screeners, three leaders (one
// the projects' sponsor), an agent and a director; then times
//
//   - first: the run that finds everything new (its told rows and
//     notifications are deleted before each iteration, outside the timer):
//     each person gets a digest per level instead of one notification an item;
//   - again: an hourly run later the same day, which finds nothing new.
//
// SQLite always, PostgreSQL too when XINLU_TEST_POSTGRES holds a DSN.
func BenchmarkEscalateOverdue(b *testing.B) {
	engines := map[string]func(testing.TB) *Store{"sqlite": benchSQLite}
	if dsn := os.Getenv("XINLU_TEST_POSTGRES"); dsn != "" {
		engines["postgres"] = func(tb testing.TB) *Store { return benchPostgres(tb, dsn) }
	}
	for _, name := range []string{"sqlite", "postgres"} {
		open, ok := engines[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			s := open(b)
			today := seedOverdue(b, s, benchSize("XINLU_BENCH_OVERDUE", 100000))
			ctx := context.Background()
			reset := func() {
				for _, q := range []string{`DELETE FROM overdue_told`, `DELETE FROM notifications`} {
					if _, err := s.write.ExecContext(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			}
			report := func(b *testing.B, res EscalationResult) {
				b.ReportMetric(float64(res.Items), "items/op")
				b.ReportMetric(float64(res.Told), "told/op")
				b.ReportMetric(float64(res.Notifications), "notifications/op")
			}
			b.Run("first", func(b *testing.B) {
				var res EscalationResult
				for range b.N {
					b.StopTimer()
					reset()
					b.StartTimer()
					var err error
					if res, err = s.EscalateOverdue(ctx, today); err != nil {
						b.Fatal(err)
					}
				}
				report(b, res)
			})
			b.Run("again", func(b *testing.B) {
				if _, err := s.EscalateOverdue(ctx, today); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				var res EscalationResult
				for range b.N {
					var err error
					if res, err = s.EscalateOverdue(ctx, today); err != nil {
						b.Fatal(err)
					}
					if res.Notifications != 0 {
						b.Fatalf("a rerun wrote %d notifications", res.Notifications)
					}
				}
				report(b, res)
			})
		})
	}
}

func benchSQLite(tb testing.TB) *Store {
	ctx := context.Background()
	s, err := Open(ctx, "sqlite:"+filepath.Join(tb.TempDir(), "bench.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return s
}

// benchPostgres opens a migrated store in a schema of its own, dropped afterwards.
func benchPostgres(tb testing.TB, dsn string) *Store {
	ctx := context.Background()
	_, in := testdb.Schema(tb, dsn)
	s, err := Open(ctx, in)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return s
}

// seedOverdue loads n overdue leads and n/10 overdue projects through the
// bulk loader and returns the day to escalate on.
func seedOverdue(tb testing.TB, s *Store, n int) time.Time {
	tb.Helper()
	ctx := context.Background()
	today := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return today.Add(2 * time.Hour) })
	z := &xinlu.Zone{Code: "ESC", Name: "escalation bench"}
	if err := s.CreateZone(ctx, xinlu.SystemActor(0), z); err != nil {
		tb.Fatal(err)
	}
	a := xinlu.SystemActor(z.ID)
	member := func(no string) int64 {
		m := &xinlu.Member{ZoneID: z.ID, StaffNo: no, Name: "人员" + no}
		if err := s.CreateMember(ctx, a, m); err != nil {
			tb.Fatal(err)
		}
		return m.ID
	}
	reporter, sponsor, agent := member("R1"), member("S1"), member("A1")
	for i, u := range []struct {
		member int64
		role   xinlu.Role
	}{
		{0, xinlu.RoleScreener}, {0, xinlu.RoleScreener},
		{sponsor, xinlu.RoleSponsor}, {0, xinlu.RoleSponsor}, {0, xinlu.RoleSponsor},
		{agent, xinlu.RoleAgent}, {0, xinlu.RoleDirector},
	} {
		user := &xinlu.User{ZoneID: z.ID, Username: fmt.Sprintf("u%d", i), Name: fmt.Sprintf("用户%d", i), MemberID: u.member,
			PasswordHash: "x", Roles: []xinlu.Role{u.role}}
		if err := s.CreateUser(ctx, a, user); err != nil {
			tb.Fatal(err)
		}
	}
	start := time.Now()
	const batch = 20000
	statuses := []xinlu.LeadStatus{xinlu.LeadReported, xinlu.LeadScreening, xinlu.LeadInfoRequested}
	for done := 0; done < n; done += batch {
		bb := &BulkBatch{}
		for i := done; i < min(done+batch, n); i++ {
			// Reported over the 60 days before 10 November: due 5 working days later.
			at := time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC).Add(-time.Duration(i%60) * 24 * time.Hour)
			bb.Leads = append(bb.Leads, &xinlu.Lead{ReporterID: reporter, Company: fmt.Sprintf("公司%07d", i), ProjectName: fmt.Sprintf("项目%07d", i),
				Industry: "other", Status: statuses[i%3], ReportedAt: at})
			if i%10 == 0 {
				p := &BulkProject{LeadIndex: -1}
				p.Name, p.Company, p.Industry, p.Stage, p.SponsorID = fmt.Sprintf("项目%07d", i), fmt.Sprintf("公司%07d", i), "other", xinlu.StageAgency, sponsor
				p.StageDue = at.AddDate(0, 0, 14).Format(xinlu.DateLayout)
				p.Approvals = []ApprovalItem{{Name: "立项备案", LimitDays: 5, AgentID: agent, StartedOn: at.Format(xinlu.DateLayout),
					DueOn: at.AddDate(0, 0, 7).Format(xinlu.DateLayout)}}
				bb.Projects = append(bb.Projects, p)
			}
		}
		if _, err := s.BulkLoad(ctx, a, z.ID, bb); err != nil {
			tb.Fatal(err)
		}
	}
	if err := s.Optimize(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("seeded %d overdue leads and %d projects in %v", n, (n+9)/10, time.Since(start).Round(time.Millisecond))
	return today
}
