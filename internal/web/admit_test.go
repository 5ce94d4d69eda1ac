package web

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// At most MaxInFlight reads work at once; the others are served in the
// order they came. Health checks, static files, downloads and writes do
// not queue.
func TestAdmitQueuesInOrder(t *testing.T) {
	s := &Server{cfg: Config{MaxInFlight: 2}, metrics: newMetrics()}
	release, releaseWrite := make(chan struct{}), make(chan struct{})
	var inside, most atomic.Int32
	var mu sync.Mutex
	var order []string
	h := s.admit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/leads" {
			return
		}
		if r.Method == http.MethodPost {
			inside.Add(1)
			<-releaseWrite
			inside.Add(-1)
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
	// Each arrives once the one before is inside or queued.
	for i, n := range []string{"a", "b", "c", "d", "e"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/leads?n="+n, nil))
		}()
		for deadline := time.Now().Add(5 * time.Second); inside.Load()+int32(s.metrics.waiting.Load()) < int32(i+1); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("request %s neither inside nor queued", n)
			}
		}
		time.Sleep(10 * time.Millisecond) // from counted to parked in the queue
	}
	if w := s.metrics.waiting.Load(); w != 3 {
		t.Fatalf("%d requests waiting, want 3", w)
	}
	for _, req := range []*http.Request{httptest.NewRequest("GET", "/healthz", nil), httptest.NewRequest("GET", "/static/app.css", nil),
		httptest.NewRequest("GET", "/projects/export.xlsx", nil), httptest.NewRequest("GET", "/leads/7/files/9", nil)} {
		done := make(chan struct{})
		go func() {
			h.ServeHTTP(httptest.NewRecorder(), req)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s queued behind busy requests", req.URL.Path)
		}
	}
	// A write goes straight in (it queues for the database writer).
	wrote := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/leads?n=w", nil))
		close(wrote)
	}()
	for deadline := time.Now().Add(5 * time.Second); inside.Load() < 3; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a write queued behind busy reads")
		}
	}
	close(releaseWrite)
	<-wrote
	// Release one at a time: each freed turn goes to the longest waiting.
	entered := func() int { mu.Lock(); defer mu.Unlock(); return len(order) }
	for i := range 5 {
		release <- struct{}{}
		for deadline := time.Now().Add(5 * time.Second); i+3 <= 5 && entered() < i+3; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("a freed turn was not taken")
			}
		}
	}
	wg.Wait()
	if most.Load() != 2 {
		t.Fatalf("%d reads at once, want 2", most.Load())
	}
	if got := order[0] + order[1] + order[2] + order[3] + order[4]; got[2:] != "cde" {
		t.Fatalf("served in the order %s, want a and b, then c, d, e", got)
	}
}
