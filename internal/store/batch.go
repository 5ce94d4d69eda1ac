package store

import (
	"context"
	"errors"
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

// batcher keeps a queue per zone on PostgreSQL: a batch's transaction
// locks the audit chain of the zone it writes in, so that batches of
// different zones run side by side (and two servers' batches never hold
// two zones' chains crosswise). SQLite has one writer: one queue.
type batcher struct {
	mu     sync.Mutex
	queues map[int64]*batchQueue
}

type batchQueue struct {
	jobs    []*batchJob
	running bool
}

// inBatch runs fn in a write transaction shared with other callers of
// inBatch for the same zone, in a savepoint of its own, and returns when
// that transaction has committed (nil) or fn's writes are undone (fn's
// error, or the commit's). A caller whose context ends while its write is
// still queued leaves with the context's error and its write is not run;
// once taken, the write runs to the end whatever becomes of the caller
// (fn's ctx does not end with the caller's), so that one request given up
// cannot fail its neighbours'. fn must write in zoneID only and must not
// start a transaction of its own.
func (s *Store) inBatch(ctx context.Context, zoneID int64, fn func(ctx context.Context, tx *Tx) error) error {
	if s.dialect != Postgres {
		zoneID = 0
	}
	j := &batchJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	b := &s.batch
	b.mu.Lock()
	if b.queues == nil {
		b.queues = map[int64]*batchQueue{}
	}
	q := b.queues[zoneID]
	if q == nil {
		q = &batchQueue{}
		b.queues[zoneID] = q
	}
	q.jobs = append(q.jobs, j)
	if !q.running {
		q.running = true
		go s.runBatches(zoneID, q)
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

// runBatches runs a zone's queue, maxBatch writes at a time, until it is
// empty.
func (s *Store) runBatches(zoneID int64, q *batchQueue) {
	b := &s.batch
	for {
		b.mu.Lock()
		var jobs []*batchJob
		for len(q.jobs) > 0 && len(jobs) < maxBatch {
			j := q.jobs[0]
			q.jobs[0] = nil
			q.jobs = q.jobs[1:]
			if j.state.CompareAndSwap(jobQueued, jobTaken) {
				jobs = append(jobs, j)
			}
		}
		if len(jobs) == 0 { // the queue is empty
			q.running = false
			delete(b.queues, zoneID)
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		s.runBatch(jobs)
	}
}

// errBatchJob stops a batch run without savepoints at its first failed
// write.
var errBatchJob = errors.New("a batched write failed")

// runBatch runs jobs in one transaction. It first runs them one after the
// other with nothing between them: a write that fails is rare (input is
// checked before it is queued), and a savepoint per write costs two more
// statements each, which on PostgreSQL are two more round trips for every
// write of the zone queued behind. What the writes queued (new leads,
// audit rows) is written after the last of them, a statement for all. When
// one fails, that transaction is undone and the batch runs again with a
// savepoint per write, each writing what it queued inside its savepoint,
// so that the failed one is rolled back alone.
func (s *Store) runBatch(jobs []*batchJob) {
	errs := make([]error, len(jobs))
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	err := s.inTx(ctx, func(tx *Tx) error {
		for i, j := range jobs {
			if errs[i] = runJob(context.WithoutCancel(j.ctx), j, tx); errs[i] != nil {
				return errBatchJob
			}
		}
		// What the writes queued: a failure is one write's, found again
		// below. Land notes before audit rows, as at every commit, so the
		// locks are taken in one order.
		if err := tx.flushLand(ctx); err != nil {
			return errBatchJob
		}
		if err := tx.flush(ctx); err != nil {
			return errBatchJob
		}
		return nil
	})
	if !errors.Is(err, errBatchJob) {
		for _, j := range jobs {
			j.done <- err
		}
		return
	}
	clear(errs)
	err = s.inTx(ctx, func(tx *Tx) error {
		for i, j := range jobs {
			if _, err := tx.exec(ctx, `SAVEPOINT batch_job`); err != nil {
				return xinlu.Internal(err)
			}
			// The write and what it queued, inside its savepoint.
			errs[i] = runJob(context.WithoutCancel(j.ctx), j, tx)
			if errs[i] == nil {
				errs[i] = tx.flushLand(ctx)
			}
			if errs[i] == nil {
				errs[i] = tx.flush(ctx)
			}
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
			tx.leads, tx.pending, tx.land = nil, nil, nil // queued by the job and not written
			tx.forgetAuditHeads()                         // the job's audit rows and locks are undone
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
