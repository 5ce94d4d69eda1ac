package store

import (
	"context"
	"database/sql"
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
