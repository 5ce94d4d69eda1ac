package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"xinlu/internal/xinlu"
)

// Group commit. Writes that many people make at the same moment (reporting
// a lead) wait for the one writer in turn; each transaction then costs its
// BEGIN, its COMMIT and the pages it writes to the log, most of them the
// same index pages as its neighbours'. inBatch instead queues the write,
// and one goroutine runs everything queued in one transaction, each write
// in a savepoint of its own: a write that fails is rolled back alone and
// its caller gets its error; the others commit together. Callers are served
// in the order they came, which keeps the slowest answers close to the
// typical one.

// maxBatch bounds the writes in one transaction, so that a burst does not
// hold the writer for long; batchTimeout bounds the wait for the writer and
// the transaction together.
const (
	maxBatch     = 64
	batchTimeout = 30 * time.Second
)

// A job is queued, then either taken by the runner or abandoned by its
// caller, never both.
const (
	jobQueued int32 = iota
	jobTaken
	jobAbandoned
)

type batchJob struct {
	ctx   context.Context
	fn    func(ctx context.Context, tx *Tx) error
	done  chan error
	state atomic.Int32
}

type batcher struct {
	mu      sync.Mutex
	queue   []*batchJob
	running bool
}

// inBatch runs fn in a write transaction shared with other callers of
// inBatch, in a savepoint of its own, and returns when that transaction has
// committed (nil) or fn's writes are undone (fn's error, or the commit's).
// A caller whose context ends while its write is still queued leaves with
// the context's error and its write is not run; once taken, the write runs
// to the end whatever becomes of the caller (fn's ctx does not end with the
// caller's), so that one request given up cannot fail its neighbours'. fn
// must not start a transaction of its own.
func (s *Store) inBatch(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	j := &batchJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	b := &s.batch
	b.mu.Lock()
	b.queue = append(b.queue, j)
	if !b.running {
		b.running = true
		go s.runBatches()
	}
	b.mu.Unlock()
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		if j.state.CompareAndSwap(jobQueued, jobAbandoned) {
			return ctx.Err()
		}
		return <-j.done // taken already: its outcome is the caller's
	}
}

// runBatches runs the queue, maxBatch writes at a time, until it is empty.
func (s *Store) runBatches() {
	b := &s.batch
	for {
		b.mu.Lock()
		var jobs []*batchJob
		for len(b.queue) > 0 && len(jobs) < maxBatch {
			j := b.queue[0]
			b.queue[0] = nil
			b.queue = b.queue[1:]
			if j.state.CompareAndSwap(jobQueued, jobTaken) {
				jobs = append(jobs, j)
			}
		}
		if len(jobs) == 0 { // the queue is empty
			b.running = false
			b.queue = nil
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		s.runBatch(jobs)
	}
}

func (s *Store) runBatch(jobs []*batchJob) {
	errs := make([]error, len(jobs))
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	err := s.inTx(ctx, func(tx *Tx) error {
		for i, j := range jobs {
			if _, err := tx.exec(ctx, `SAVEPOINT batch_job`); err != nil {
				return xinlu.Internal(err)
			}
			errs[i] = runJob(context.WithoutCancel(j.ctx), j, tx)
			if errs[i] == nil {
				if _, err := tx.exec(ctx, `RELEASE SAVEPOINT batch_job`); err == nil {
					continue
				} else {
					// PostgreSQL: a statement of the job failed and the job
					// went on; the transaction refuses everything until the
					// savepoint is rolled back.
					errs[i] = xinlu.Internal(fmt.Errorf("release the savepoint of a batched write: %w", err))
				}
			}
			if _, err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT batch_job`); err != nil {
				return xinlu.Internal(err)
			}
			if _, err := tx.exec(ctx, `RELEASE SAVEPOINT batch_job`); err != nil {
				return xinlu.Internal(err)
			}
		}
		return nil
	})
	for i, j := range jobs {
		if errs[i] == nil {
			errs[i] = err
		}
		j.done <- errs[i]
	}
}

// runJob runs one job's writes; a panic fails that job alone, so that the
// callers waiting behind it are still answered.
func runJob(ctx context.Context, j *batchJob, tx *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = xinlu.Internal(fmt.Errorf("panic in a batched write: %v", r))
		}
	}()
	return j.fn(ctx, tx)
}
