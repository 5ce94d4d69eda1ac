package store

import (
	"context"
	"errors"
	"sync"
	"testing"

	"xinlu/internal/xinlu"
)

// A write that fails inside a shared transaction is undone alone: the
// audit rows it wrote before failing are gone, its neighbours' stay, a
// panicking write fails only its own caller, and the chain verifies.
func TestInBatchUndoesOneWriteAlone(t *testing.T) {
	s := benchSQLite(t)
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
			errs[i] = s.inBatch(ctx, func(tx *Tx) error {
				if err := tx.audit(ctx, a, "test.batch", "test", int64(i), nil, map[string]any{"i": i}); err != nil {
					return err
				}
				switch i % 10 {
				case 4:
					return boom
				case 7:
					panic("a bug in one write")
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
