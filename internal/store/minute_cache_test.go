package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCachedForAMinute: callers arriving together while a figure is first
// read wait for that one read; once it is a minute old, callers are
// answered from the entry at once while one read in the background
// replaces it.
func TestCachedForAMinute(t *testing.T) {
	s := &Store{}
	ctx := context.Background()
	var reads atomic.Int64
	release := make(chan struct{})
	read := func(ctx context.Context) (any, error) {
		<-release
		return int(reads.Add(1)), nil
	}
	var wg sync.WaitGroup
	got := make([]any, 16)
	for i := range got {
		wg.Go(func() { got[i], _ = s.cachedForAMinute(ctx, "k", read) })
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	for i, v := range got {
		if v != 1 {
			t.Fatalf("caller %d got %v, want the one first read", i, v)
		}
	}
	if n := reads.Load(); n != 1 {
		t.Fatalf("%d reads for callers arriving together, want 1", n)
	}

	// A minute on: answered from the entry without waiting, one read
	// behind.
	release = make(chan struct{})
	s.minute.mu.Lock()
	s.minute.entries["k"].at = time.Now().Add(-2 * minuteTTL)
	s.minute.mu.Unlock()
	done := make(chan any)
	go func() {
		for range 10 {
			if v, _ := s.cachedForAMinute(ctx, "k", read); v != 1 {
				done <- v
				return
			}
		}
		done <- 1
	}()
	select {
	case v := <-done:
		if v != 1 {
			t.Fatalf("a stale entry answered %v, want the old 1", v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("callers waited for the refresh")
	}
	close(release)
	s.background.closeAndWait()
	if n := reads.Load(); n != 2 {
		t.Fatalf("%d reads after the refresh, want 2", n)
	}
	if v, _ := s.cachedForAMinute(ctx, "k", read); v != 2 {
		t.Fatalf("after the refresh: %v, want 2", v)
	}
}

// TestCachedByStamp: callers with one stamp share one build, also while it
// is under way; a new stamp builds again; a failed build is not kept.
func TestCachedByStamp(t *testing.T) {
	s := &Store{}
	var builds atomic.Int64
	release := make(chan struct{})
	build := func() (any, error) {
		<-release
		return int(builds.Add(1)), nil
	}
	var wg sync.WaitGroup
	got := make([]any, 16)
	for i := range got {
		wg.Go(func() { got[i], _ = s.CachedByStamp("k", "1", build) })
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	for i, v := range got {
		if v != 1 {
			t.Fatalf("caller %d got %v, want the one build", i, v)
		}
	}
	if v, _ := s.CachedByStamp("k", "1", build); v != 1 || builds.Load() != 1 {
		t.Fatalf("same stamp again: %v after %d builds", v, builds.Load())
	}
	if v, _ := s.CachedByStamp("k", "2", build); v != 2 {
		t.Fatalf("new stamp: %v, want a new build", v)
	}
	failing := func() (any, error) { builds.Add(1); return nil, errors.New("refused") }
	if _, err := s.CachedByStamp("k", "3", failing); err == nil {
		t.Fatal("a failed build answered no error")
	}
	if v, _ := s.CachedByStamp("k", "3", build); v != 4 {
		t.Fatalf("after a failed build: %v, want a build again", v)
	}
}
