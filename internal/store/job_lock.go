package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"
)

// jobLockKey is the PostgreSQL advisory lock the scheduled jobs hold while
// they run: one per schema, so that installations in other schemas of the
// same database do not wait for each other.
const jobLockKey = `hashtextextended('xinlu-jobs:' || current_schema(), 0)`

// TryJobLock takes the lock of the scheduled jobs, so that of several
// servers on one PostgreSQL database exactly one runs them at a time; ok is
// false when another holds it. release gives it back. On SQLite one server
// owns the database file, so the lock is always had.
func (s *Store) TryJobLock(ctx context.Context) (release func(), ok bool, err error) {
	if s.dialect != Postgres {
		return func() {}, true, nil
	}
	// A session lock belongs to one connection: keep it for the run.
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("job lock: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(`+jobLockKey+`)`).Scan(&ok); err != nil {
		conn.Close()
		return nil, false, fmt.Errorf("job lock: %w", err)
	}
	if !ok {
		conn.Close()
		return func() {}, false, nil
	}
	return func() {
		// A fresh context: the run's may have ended, and the lock must go.
		var released bool
		if err := conn.QueryRowContext(context.Background(), `SELECT pg_advisory_unlock(`+jobLockKey+`)`).Scan(&released); err != nil || !released {
			// The connection carries the lock: drop it rather than pool it.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, true, nil
}

// JobRuns returns when each scheduled job last started, by any server on
// the database, by name; a job that never ran is not in it. Read under the
// job lock.
func (s *Store) JobRuns(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.write.QueryContext(ctx, `SELECT name, at FROM job_runs`)
	if err != nil {
		return nil, fmt.Errorf("last runs of the jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var name string
		var at time.Time
		if err := rows.Scan(&name, &at); err != nil {
			return nil, fmt.Errorf("last runs of the jobs: %w", err)
		}
		out[name] = at
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("last runs of the jobs: %w", err)
	}
	return out, nil
}

// RecordJobRun notes that the scheduled job name started at at. It is
// the jobs' own bookkeeping, like the rate limits' buckets: not audited.
func (s *Store) RecordJobRun(ctx context.Context, name string, at time.Time) error {
	_, err := s.write.ExecContext(ctx, s.rebind(`INSERT INTO job_runs (name, at) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET at = excluded.at`), name, at.UTC())
	if err != nil {
		return fmt.Errorf("record the run of %s: %w", name, err)
	}
	return nil
}
