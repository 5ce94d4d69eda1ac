package web

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// At most MaxInFlight requests work at once; the others are served in the
// order they came, and health checks do not queue behind them.
func TestAdmitQueuesInOrder(t *testing.T) {
	s := &Server{cfg: Config{MaxInFlight: 2}}
	release := make(chan struct{})
	var inside, most atomic.Int32
	var mu sync.Mutex
	var order []string
	h := s.admit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			return
		}
		n := inside.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		mu.Lock()
		order = append(order, r.URL.Query().Get("n"))
		mu.Unlock()
		<-release
		inside.Add(-1)
	}))
	var wg sync.WaitGroup
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/leads?n="+n, nil))
		}()
		time.Sleep(20 * time.Millisecond) // arrive one after another
	}
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the health check queued behind busy requests")
	}
	for range 5 {
		release <- struct{}{}
	}
	wg.Wait()
	if most.Load() != 2 {
		t.Fatalf("%d requests at once, want 2", most.Load())
	}
	if got := order[0] + order[1] + order[2] + order[3] + order[4]; got[2:] != "cde" {
		t.Fatalf("served in the order %s, want a and b, then c, d, e", got)
	}
}
