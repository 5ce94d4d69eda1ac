package store

import (
	"context"
	"fmt"
	"sync"

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
// hold the writer for long.
const maxBatch = 64

type batchJob struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

type batcher struct {
	mu      sync.Mutex
	queue   []*batchJob
	running bool
}

// inBatch runs fn in a write transaction shared with other callers of
// inBatch, in a savepoint of its own, and returns when that transaction has
// committed (nil) or fn's writes are undone (fn's error, or the commit's).
// A caller whose context ends before its turn is not run.
func (s *Store) inBatch(ctx context.Context, fn func(tx *Tx) error) error {
	j := &batchJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	b := &s.batch
	b.mu.Lock()
	b.queue = append(b.queue, j)
	if !b.running {
		b.running = true
		go s.runBatches()
	}
	b.mu.Unlock()
	return <-j.done
}

// runBatches runs the queue, maxBatch writes at a time, until it is empty.
func (s *Store) runBatches() {
	b := &s.batch
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxBatch)
		if n == 0 {
			b.running = false
			b.mu.Unlock()
			return
		}
		jobs := b.queue[:n:n]
		b.queue = b.queue[n:]
		b.mu.Unlock()
		s.runBatch(jobs)
	}
}

func (s *Store) runBatch(jobs []*batchJob) {
	errs := make([]error, len(jobs))
	ctx := context.Background()
	err := s.inTx(ctx, func(tx *Tx) error {
		for i, j := range jobs {
			if err := j.ctx.Err(); err != nil {
				errs[i] = err
				continue
			}
			if _, err := tx.exec(ctx, `SAVEPOINT batch_job`); err != nil {
				return xinlu.Internal(err)
			}
			if errs[i] = runJob(j, tx); errs[i] != nil {
				if _, err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT batch_job`); err != nil {
					return xinlu.Internal(err)
				}
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
func runJob(j *batchJob, tx *Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = xinlu.Internal(fmt.Errorf("panic in a batched write: %v", r))
		}
	}()
	return j.fn(tx)
}
