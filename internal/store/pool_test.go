package store

import (
	"context"
	"sync"
	"testing"
)

// A burst of requests, more than the pool holds, reuses the pool's
// connections: none is closed on its return for being one idle too many.
// On PostgreSQL each new connection is a new server process, whose
// prepared plans start again; closing and opening them under load cost
// lead reports two thirds of their rate.
func TestBurstKeepsConnections(t *testing.T) {
	eachInternalEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 20 {
					var n int
					if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM zones`).Scan(&n); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		st := s.read.Stats()
		if st.MaxIdleClosed != 0 {
			t.Errorf("%d connections closed on return under a burst (open at most %d)", st.MaxIdleClosed, st.MaxOpenConnections)
		}
		if st.WaitCount == 0 {
			t.Errorf("the burst never waited for a connection: it did not fill the pool (%+v)", st)
		}
	})
}
