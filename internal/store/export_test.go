package store

import (
	"context"
	"database/sql"
	"strings"

	"xinlu/internal/xinlu"
)

// TamperAuditForTest changes one column of one audit row behind the store's
// back, as an attacker with full database access would: first switching off
// the append-only triggers.
func (s *Store) TamperAuditForTest(ctx context.Context, id int64, column, value string) error {
	if err := s.dropAuditGuardForTest(ctx); err != nil {
		return err
	}
	_, err := s.write.ExecContext(ctx, s.rebind(`UPDATE audit_log SET `+column+` = ? WHERE id = ?`), value, id)
	return err
}

// DeleteAuditForTest deletes one audit row the same way.
func (s *Store) DeleteAuditForTest(ctx context.Context, id int64) error {
	if err := s.dropAuditGuardForTest(ctx); err != nil {
		return err
	}
	_, err := s.write.ExecContext(ctx, s.rebind(`DELETE FROM audit_log WHERE id = ?`), id)
	return err
}

func (s *Store) dropAuditGuardForTest(ctx context.Context) error {
	stmts := []string{`DROP TRIGGER IF EXISTS audit_log_no_update`, `DROP TRIGGER IF EXISTS audit_log_no_delete`}
	if s.dialect == Postgres {
		stmts = []string{`ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard`}
	}
	for _, q := range stmts {
		if _, err := s.write.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// MigrateBeforeForTest applies the migrations whose names sort before
// stop, as an older release did.
func (s *Store) MigrateBeforeForTest(ctx context.Context, stop string) error {
	s.migrateBefore = stop
	defer func() { s.migrateBefore = "" }()
	_, err := s.Migrate(ctx)
	return err
}

// ExecArgsForTest runs a statement with arguments directly.
func (s *Store) ExecArgsForTest(ctx context.Context, q string, args ...any) error {
	_, err := s.write.ExecContext(ctx, s.rebind(q), args...)
	return err
}

// ExecForTest runs a statement directly, for tests that need the database
// to misbehave.
func (s *Store) ExecForTest(ctx context.Context, q string) error {
	_, err := s.write.ExecContext(ctx, q)
	return err
}

// RawQueryRowForTest reads the database directly, bypassing decryption.
func (s *Store) RawQueryRowForTest(ctx context.Context, q string, args ...any) *sql.Row {
	return s.write.QueryRowContext(ctx, s.rebind(q), args...)
}

// QueryRowForTest runs a read query for a test's assertions.
func (s *Store) QueryRowForTest(ctx context.Context, q string, args ...any) *sql.Row {
	return s.queryRow(ctx, q, args...)
}

// SummaryMismatch is a summary row that does not equal a recount of the
// records it counts.
type SummaryMismatch struct {
	Table, Key  string
	Stored, Got string
}

// CheckSummaries recounts every zone's leads and projects and compares the
// counts with the summary rows (a summary row of zero equals a missing
// group). It returns the differences, none when the summaries hold.
func (s *Store) CheckSummaries(ctx context.Context) ([]SummaryMismatch, error) {
	var out []SummaryMismatch
	type pair struct{ stored, got string }
	compare := func(table, storedQ, recountQ string) error {
		m := map[string]*pair{}
		for i, q := range []string{storedQ, recountQ} {
			rows, err := s.query(ctx, q)
			if err != nil {
				return xinlu.Internal(err)
			}
			for rows.Next() {
				var key, val string
				if err := rows.Scan(&key, &val); err != nil {
					rows.Close()
					return xinlu.Internal(err)
				}
				p := m[key]
				if p == nil {
					p = &pair{}
					m[key] = p
				}
				if i == 0 {
					p.stored = val
				} else {
					p.got = val
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return xinlu.Internal(err)
			}
		}
		for k, p := range m {
			if p.stored != p.got {
				out = append(out, SummaryMismatch{Table: table, Key: k, Stored: p.stored, Got: p.got})
			}
		}
		return nil
	}
	key := func(cols ...string) string {
		return "CAST(" + strings.Join(cols, " AS TEXT) || '/' || CAST(") + " AS TEXT)"
	}
	if err := compare("lead_counts",
		`SELECT `+key("zone_id", "status", "industry")+`, CAST(n AS TEXT) FROM lead_counts WHERE n <> 0`,
		`SELECT `+key("zone_id", "status", "industry")+`, CAST(COUNT(*) AS TEXT) FROM leads GROUP BY zone_id, status, industry`); err != nil {
		return nil, err
	}
	if err := compare("project_counts",
		`SELECT `+key("zone_id", "stage", "status", "industry")+`, CAST(n AS TEXT) || '/' || CAST(known AS TEXT) || '/' || CAST(CAST(yuan AS BIGINT) AS TEXT)
			FROM project_counts WHERE n <> 0 OR known <> 0 OR yuan <> 0`,
		`SELECT `+key("zone_id", "stage", "status", "industry")+`, CAST(COUNT(*) AS TEXT) || '/' || CAST(COUNT(total_yuan) AS TEXT) || '/' ||
			CAST(COALESCE(SUM(total_yuan), 0) AS TEXT) FROM projects GROUP BY zone_id, stage, status, industry`); err != nil {
		return nil, err
	}
	if err := compare("cockpit_months",
		`SELECT `+key("zone_id", "month", "measure", "dim", "key")+`, CAST(n AS TEXT) || '/' || CAST(CAST(yuan AS BIGINT) AS TEXT) || '/' || CAST(CAST(fixed AS BIGINT) AS TEXT)
			FROM cockpit_months WHERE n <> 0 OR yuan <> 0 OR fixed <> 0`,
		`SELECT `+key("zone_id", "month", "measure", "dim", "key")+`, CAST(SUM(n) AS TEXT) || '/' || CAST(SUM(yuan) AS TEXT) || '/' ||
			CAST(SUM(fixed) AS TEXT) FROM cockpit_facts GROUP BY zone_id, month, measure, dim, key`); err != nil {
		return nil, err
	}
	if err := compare("cockpit_deadlines",
		`SELECT `+key("zone_id", "kind", "due_on")+`, CAST(n AS TEXT) FROM cockpit_deadlines WHERE n <> 0`,
		`SELECT `+key("zone_id", "kind", "due_on")+`, CAST(COUNT(*) AS TEXT) FROM cockpit_deadline_facts GROUP BY zone_id, kind, due_on
			UNION ALL SELECT `+key("zone_id", "kind", "''")+`, CAST(COUNT(*) AS TEXT) FROM cockpit_deadline_facts GROUP BY zone_id, kind`); err != nil {
		return nil, err
	}
	return out, nil
}

// MetricsForTest counts the computed metrics of period p per member, as
// the calculation does.
func (s *Store) MetricsForTest(ctx context.Context, p *xinlu.Period) (map[int64]map[string]int64, error) {
	first, err := xinlu.ParseDate(p.StartsOn)
	if err != nil {
		return nil, err
	}
	last, err := xinlu.ParseDate(p.EndsOn)
	if err != nil {
		return nil, err
	}
	var out map[int64]map[string]int64
	err = s.inTx(ctx, func(tx *Tx) error {
		out, err = tx.metrics(ctx, p, first, last)
		return err
	})
	return out, err
}
