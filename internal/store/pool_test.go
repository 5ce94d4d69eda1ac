package store

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"xinlu/internal/xinlu"
)

// A burst of requests, more than the pool holds, reuses the pool's
// connections: none is closed on its return for being one idle too many.
// On PostgreSQL each new connection is a new server process, whose
// prepared plans start again; closing and opening them under load cost
// lead reports two thirds of their rate.
func TestBurstKeepsConnections(t *testing.T) {
	eachInternalEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		// 64 requests at once, each holding its connection until the pool
		// is full and others wait for one.
		release := make(chan struct{})
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := s.read.Conn(ctx)
				if err != nil {
					errs <- err
					return
				}
				defer c.Close()
				<-release
				var n int
				if err := c.QueryRowContext(ctx, `SELECT COUNT(*) FROM zones`).Scan(&n); err != nil {
					errs <- err
				}
			}()
		}
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			st := s.read.Stats()
			if st.InUse == st.MaxOpenConnections && st.WaitCount > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the burst did not fill the pool: %+v", st)
			}
		}
		close(release)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if st := s.read.Stats(); st.MaxIdleClosed != 0 {
			t.Errorf("%d connections closed on return under a burst (open at most %d)", st.MaxIdleClosed, st.MaxOpenConnections)
		}
	})
}

// The lead list and the ledger, asked again and again on one connection,
// are planned a few times and then run on the plan kept for any
// parameters: planning each call again cost PostgreSQL more than running
// the call.
func TestListsKeepTheirPlans(t *testing.T) {
	dsn := os.Getenv("XINLU_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("PostgreSQL only (XINLU_TEST_POSTGRES)")
	}
	s := benchPostgres(t, dsn)
	seedOverdue(t, s, 40000)
	ctx := context.Background()
	if _, err := s.write.ExecContext(ctx, `ANALYZE`); err != nil { // the figures a zone's tables have in use
		t.Fatal(err)
	}
	var zone int64
	if err := s.read.QueryRowContext(ctx, `SELECT id FROM zones WHERE code = 'ESC'`).Scan(&zone); err != nil {
		t.Fatal(err)
	}
	s.read.SetMaxOpenConns(1) // one connection, whose prepared statements are read below
	scope := xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: zone}
	for i := range 14 {
		page := xinlu.Page{Page: 1, PerPage: 50} // the first page 12 times, then pages 2 and 3
		if i >= 12 {
			page.Page = i - 10
		}
		leads, _, err := s.ListLeads(ctx, LeadFilter{Scope: scope, Status: xinlu.LeadScreening, Industry: "other", Page: page})
		if err != nil || len(leads) != 50 {
			t.Fatalf("lead list: %d leads, %v", len(leads), err)
		}
		projects, _, err := s.ListProjects(ctx, ProjectFilter{ZoneID: zone, Stage: xinlu.StageAgency, Industry: "other", Page: page})
		if err != nil || len(projects) != 50 {
			t.Fatalf("ledger: %d projects, %v", len(projects), err)
		}
	}
	rows, err := s.read.QueryContext(ctx, `SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements
		WHERE statement LIKE '%) page ON page.id = %' AND statement NOT LIKE '%pg_prepared_statements%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var stmt string
		var generic, custom int
		if err := rows.Scan(&stmt, &generic, &custom); err != nil {
			t.Fatal(err)
		}
		if custom+generic < 12 {
			continue // a later page's
		}
		n++
		if custom > 5 || generic == 0 {
			t.Errorf("planned for each call: %d custom plans, %d generic, of %.60s…", custom, generic, stmt)
		}
	}
	if n != 2 {
		t.Errorf("%d list statements prepared, want the first pages of the lead list and the ledger", n)
	}
}
