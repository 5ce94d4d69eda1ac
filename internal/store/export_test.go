package store

import "context"

// TamperAuditForTest changes one column of one audit row behind the
// store's back, as an attacker with database access would.
func (s *Store) TamperAuditForTest(ctx context.Context, id int64, column, value string) error {
	_, err := s.write.ExecContext(ctx, s.rebind(`UPDATE audit_log SET `+column+` = ? WHERE id = ?`), value, id)
	return err
}
