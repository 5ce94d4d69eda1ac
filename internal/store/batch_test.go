package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"xinlu/internal/xinlu"
)

// A write that fails inside a shared transaction is undone alone: the
// audit rows it wrote before failing are gone, its neighbours' stay, a
// panicking write fails only its own caller, and the chain verifies.
func TestInBatchUndoesOneWriteAlone(t *testing.T) {
	eachInternalEngine(t, testInBatchUndoesOneWriteAlone)
}

// eachInternalEngine runs fn on SQLite, and on PostgreSQL too when
// XINLU_TEST_POSTGRES holds a DSN.
func eachInternalEngine(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, benchSQLite(t)) })
	if dsn := os.Getenv("XINLU_TEST_POSTGRES"); dsn != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, benchPostgres(t, dsn)) })
	}
}

func testInBatchUndoesOneWriteAlone(t *testing.T, s *Store) {
	ctx := context.Background()
	a := xinlu.SystemActor(0)
	boom := errors.New("refused after writing")
	const n = 30
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.inBatch(ctx, 0, func(ctx context.Context, tx *Tx) error {
				if err := tx.audit(ctx, a, "test.batch", "test", int64(i), nil, map[string]any{"i": i}); err != nil {
					return err
				}
				switch i % 10 {
				case 4:
					return boom
				case 7:
					panic("a bug in one write")
				case 9:
					// A failed statement the write goes past: on PostgreSQL
					// the transaction refuses the rest until rolled back.
					tx.exec(ctx, `INSERT INTO audit_log (id) VALUES (NULL)`)
				}
				return nil
			})
		}()
	}
	wg.Wait()
	kept := map[int64]bool{}
	for i, err := range errs {
		switch i % 10 {
		case 4:
			if !errors.Is(err, boom) {
				t.Fatalf("write %d: %v, want its own error", i, err)
			}
		case 7:
			if xinlu.ErrorCode(err) != xinlu.EINTERNAL {
				t.Fatalf("write %d panicked: %v", i, err)
			}
		case 9:
			if s.dialect == SQLite && err == nil {
				kept[int64(i)] = true // SQLite goes on after a failed statement
			} else if s.dialect == Postgres && xinlu.ErrorCode(err) != xinlu.EINTERNAL {
				t.Fatalf("write %d went past a failed statement: %v", i, err)
			}
		default:
			if err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
			kept[int64(i)] = true
		}
	}
	rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{Action: "test.batch", Page: xinlu.Page{Page: 1, PerPage: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(kept) {
		t.Fatalf("%d audit rows, want %d", len(rows), len(kept))
	}
	for _, r := range rows {
		if !kept[r.EntityID] {
			t.Fatalf("audit row of undone write %d", r.EntityID)
		}
	}
	if _, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
		t.Fatalf("audit chain: %v %+v", err, brk)
	}
}

// A caller that gives up while its write is queued leaves at once and the
// write is not made; one that gives up once its write runs does not fail
// the writes batched with it.
func TestInBatchCallersGivingUp(t *testing.T) {
	eachInternalEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := xinlu.SystemActor(0)
		write := func(ctx context.Context, tx *Tx, i int) error {
			return tx.audit(ctx, a, "test.giveup", "test", int64(i), nil, nil)
		}
		started, proceed := make(chan struct{}), make(chan struct{})
		first, cancelFirst := context.WithCancel(ctx)
		firstErr := make(chan error, 1)
		go func() {
			firstErr <- s.inBatch(first, 0, func(ctx context.Context, tx *Tx) error {
				close(started)
				<-proceed
				return write(ctx, tx, 1) // its caller is gone by now
			})
		}()
		<-started
		cancelFirst()
		// Queued behind the running batch: gives up after 50 ms.
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		t0 := time.Now()
		if err := s.inBatch(short, 0, func(ctx context.Context, tx *Tx) error { return write(ctx, tx, 2) }); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("a queued caller that gave up: %v", err)
		}
		if time.Since(t0) > 5*time.Second {
			t.Fatal("the queued caller waited for the batch")
		}
		third := make(chan error, 1)
		go func() {
			third <- s.inBatch(ctx, 0, func(ctx context.Context, tx *Tx) error { return write(ctx, tx, 3) })
		}()
		close(proceed)
		if err := <-firstErr; err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("the write whose caller left: %v", err)
		}
		if err := <-third; err != nil {
			t.Fatalf("a neighbour's write: %v", err)
		}
		rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{Action: "test.giveup", Page: xinlu.Page{Page: 1, PerPage: 10}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for _, r := range rows {
			got[r.EntityID] = true
		}
		if !got[1] || got[2] || !got[3] || len(rows) != 2 {
			t.Fatalf("written: %v", got)
		}
	})
}

// Reports of one zone made at once share transactions in which their leads
// and audit rows are written together at the end: each report has its lead
// and its audit row naming it, a write whose lead cannot be inserted fails
// alone, the list totals equal a count and the chain verifies.
func TestConcurrentReportsWrittenTogether(t *testing.T) {
	eachInternalEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		z := &xinlu.Zone{Code: "BAT", Name: "batched reports"}
		if err := s.CreateZone(ctx, xinlu.SystemActor(0), z); err != nil {
			t.Fatal(err)
		}
		a := xinlu.SystemActor(z.ID)
		m := &xinlu.Member{ZoneID: z.ID, StaffNo: "R1", Name: "报送人"}
		if err := s.CreateMember(ctx, a, m); err != nil {
			t.Fatal(err)
		}
		const n = 40
		leads := make([]*xinlu.Lead, n)
		errs := make([]error, n+1)
		var wg sync.WaitGroup
		for i := range n {
			leads[i] = &xinlu.Lead{ZoneID: z.ID, ReporterID: m.ID, Company: fmt.Sprintf("并发%02d新材料有限公司", i),
				ProjectName: "项目", Industry: []string{"materials", "equipment"}[i%2]}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.ReportLead(ctx, a, leads[i])
			}()
		}
		// A write among them whose lead refers to no member.
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[n] = s.inBatch(ctx, z.ID, func(ctx context.Context, tx *Tx) error {
				now := s.Now()
				bad := &xinlu.Lead{ZoneID: z.ID, ReporterID: 1 << 40, Company: "无人公司", CompanyKey: "无人公司", ProjectName: "x",
					Industry: "materials", Status: xinlu.LeadReported, Version: 1, ReportedAt: now, CreatedAt: now, UpdatedAt: now}
				if s.dialect == Postgres {
					if err := tx.queryRow(ctx, `SELECT nextval(pg_get_serial_sequence('leads', 'id'))`).Scan(&bad.ID); err != nil {
						return err
					}
					tx.queueLead(bad, "", "")
				} else if _, err := tx.insert(ctx, `INSERT INTO leads (zone_id, reporter_id, company, company_key, project_name, industry,
					status, reported_at, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,1,?,?)`, z.ID, bad.ReporterID, bad.Company,
					bad.CompanyKey, bad.ProjectName, bad.Industry, string(bad.Status), now, now, now); err != nil {
					return err
				}
				return tx.audit(ctx, a, "lead.report", "lead", bad.ID, nil, nil)
			})
		}()
		wg.Wait()
		for i, err := range errs[:n] {
			if err != nil {
				t.Fatalf("report %d: %v", i, err)
			}
		}
		if errs[n] == nil {
			t.Fatal("a lead of no member was written")
		}
		rows, total, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Action: "lead.report", Page: xinlu.Page{Page: 1, PerPage: 100}})
		if err != nil {
			t.Fatal(err)
		}
		if total != n {
			t.Fatalf("%d report audit rows, want %d", total, n)
		}
		audited := map[int64]bool{}
		for _, r := range rows {
			audited[r.EntityID] = true
		}
		for i, l := range leads {
			got, err := s.LeadByID(ctx, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID}, l.ID)
			if err != nil || got.Company != l.Company {
				t.Fatalf("report %d: lead %d is %+v, %v", i, l.ID, got, err)
			}
			if !audited[l.ID] {
				t.Fatalf("report %d: no audit row names lead %d", i, l.ID)
			}
		}
		_, listed, err := s.ListLeads(ctx, LeadFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: z.ID},
			Status: xinlu.LeadReported, Industry: "materials", Page: xinlu.Page{Page: 1, PerPage: 10}})
		if err != nil || listed != n/2 {
			t.Fatalf("list total %d (%v), want %d", listed, err, n/2)
		}
		if _, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
			t.Fatalf("audit chain: %v %+v", err, brk)
		}
	})
}
