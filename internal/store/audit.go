package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// audit appends one row to the audit log inside tx, chained to the row
// before it. If it fails, the caller's transaction fails with it.
func (tx *Tx) audit(ctx context.Context, a xinlu.Actor, action, entity string, entityID int64, before, after any) error {
	if tx.s.dialect == Postgres {
		// Serialise appenders so that two transactions cannot chain to the same row.
		if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(7311)`); err != nil {
			return xinlu.Internal(err)
		}
	}
	e := xinlu.AuditEntry{
		ZoneID: a.ZoneID, At: tx.s.Now(), ActorID: a.UserID, ActorName: a.Name,
		Action: action, Entity: entity, EntityID: entityID,
		Before: xinlu.AuditJSON(before), After: xinlu.AuditJSON(after), IP: a.IP,
	}
	last, err := tx.lastAudit(ctx)
	if err != nil {
		return err
	}
	e.ID, e.PrevHash = last.ID+1, last.Hash
	key := tx.s.auditKey
	e.KeyID = tx.s.auditKeyID
	e.Hash = e.ComputeHash(key)
	_, err = tx.exec(ctx, `INSERT INTO audit_log (id, zone_id, at, actor_id, actor_name, action, entity, entity_id,
		before_json, after_json, ip, prev_hash, key_id, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.ID, e.ZoneID, e.At, e.ActorID, e.ActorName, e.Action, e.Entity, e.EntityID,
		e.Before, e.After, e.IP, e.PrevHash, e.KeyID, e.Hash)
	if err != nil {
		return xinlu.Internal(fmt.Errorf("write audit row: %w", err))
	}
	return tx.watch(ctx, &e, after)
}

// lastAudit is the newest row of the chain, or the checkpoint of the last
// purge when every row was purged; the zero value on an empty log.
func (tx *Tx) lastAudit(ctx context.Context) (xinlu.AuditEntry, error) {
	var e xinlu.AuditEntry
	err := tx.queryRow(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&e.ID, &e.Hash)
	if err == sql.ErrNoRows {
		err = tx.queryRow(ctx, `SELECT upto_id, upto_hash FROM audit_checkpoints ORDER BY upto_id DESC LIMIT 1`).Scan(&e.ID, &e.Hash)
		if err == sql.ErrNoRows {
			return e, nil
		}
	}
	if err != nil {
		return e, xinlu.Internal(err)
	}
	return e, nil
}

// SetAuditKey makes new audit rows HMAC-signed with key, which lives outside
// the database (the key file); id names the key in each row.
func (s *Store) SetAuditKey(id string, key []byte) {
	s.auditKeyID, s.auditKey = id, key
}

// Audit records an event that changes no other table (a login, a failed
// login, an export) in a transaction of its own.
func (s *Store) Audit(ctx context.Context, a xinlu.Actor, action, entity string, entityID int64, detail any) error {
	return s.inTx(ctx, func(tx *Tx) error {
		return tx.audit(ctx, a, action, entity, entityID, nil, detail)
	})
}

const auditColumns = `id, zone_id, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, key_id, hash`

func scanAudit(sc interface{ Scan(...any) error }) (xinlu.AuditEntry, error) {
	var e xinlu.AuditEntry
	err := sc.Scan(&e.ID, &e.ZoneID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.Entity, &e.EntityID,
		&e.Before, &e.After, &e.IP, &e.PrevHash, &e.KeyID, &e.Hash)
	e.At = e.At.UTC()
	return e, err
}

// ListAudit returns one page of audit rows of a zone matching f, newest first.
func (s *Store) ListAudit(ctx context.Context, f xinlu.AuditFilter) ([]xinlu.AuditEntry, int, error) {
	// A zone's log includes the system's own rows (zone 0): keys, backups,
	// restores, failed logins for unknown names.
	where, args := []string{"(zone_id = ? OR zone_id = 0)"}, []any{f.ZoneID}
	if f.ActorID != 0 {
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	}
	if f.Action != "" {
		where, args = append(where, "action LIKE ? ESCAPE '\\'"), append(args, likePrefix(f.Action))
	}
	if f.Entity != "" {
		where, args = append(where, "entity = ?"), append(args, f.Entity)
	}
	if f.EntityID != 0 {
		where, args = append(where, "entity_id = ?"), append(args, f.EntityID)
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To.UTC())
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, p.PerPage, p.Offset())...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanAudit)
	return out, total, err
}

// AuditBreak describes the first row at which the chain does not hold.
type AuditBreak struct {
	ID     int64
	Reason string
}

// VerifyAudit walks the whole chain in order, from the last purge's
// checkpoint if there was one. It returns the number of rows checked and the
// first break, or nil when the chain holds. Rows signed with a key need that
// key; once a signed row appears, every later row must be signed.
func (s *Store) VerifyAudit(ctx context.Context) (int, *AuditBreak, error) {
	var prev string
	var prevID int64
	err := s.queryRow(ctx, `SELECT upto_id, upto_hash FROM audit_checkpoints ORDER BY upto_id DESC LIMIT 1`).Scan(&prevID, &prev)
	if err != nil && err != sql.ErrNoRows {
		return 0, nil, err
	}
	rows, err := s.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE id > ? ORDER BY id`, prevID)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	n, keyed := 0, false
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return n, nil, err
		}
		n++
		var key []byte
		switch {
		case e.KeyID == "" && keyed:
			return n, &AuditBreak{ID: e.ID, Reason: "unsigned row after signed rows"}, nil
		case e.KeyID != "" && s.auditKeyID == "":
			return n, nil, fmt.Errorf("the audit log is signed with key %q: verify it with its key file (--key-file)", e.KeyID)
		case e.KeyID != "" && e.KeyID != s.auditKeyID:
			return n, &AuditBreak{ID: e.ID, Reason: fmt.Sprintf("signed with key %q, which is not the key file's", e.KeyID)}, nil
		case e.KeyID != "":
			key, keyed = s.auditKey, true
		}
		switch {
		case e.ID != prevID+1:
			return n, &AuditBreak{ID: e.ID, Reason: fmt.Sprintf("row %d is missing", prevID+1)}, nil
		case e.PrevHash != prev:
			return n, &AuditBreak{ID: e.ID, Reason: "previous-hash link does not match the row before"}, nil
		case e.ComputeHash(key) != e.Hash:
			return n, &AuditBreak{ID: e.ID, Reason: "content does not match its hash (the row was altered)"}, nil
		}
		prev, prevID = e.Hash, e.ID
	}
	return n, nil, rows.Err()
}

// MinAuditRetention is the shortest time audit rows are kept (等保 asks for
// at least six months).
const MinAuditRetention = 180 * 24 * time.Hour

// PurgeResult says what a purge removed.
type PurgeResult struct {
	Rows   int
	UptoID int64
}

// PurgeAudit removes the audit rows of whole months that ended more than
// keep ago, after verifying the chain, and leaves a checkpoint so that the
// rest still verifies. keep below MinAuditRetention is refused.
func (s *Store) PurgeAudit(ctx context.Context, a xinlu.Actor, keep time.Duration) (PurgeResult, error) {
	var res PurgeResult
	if keep < MinAuditRetention {
		return res, xinlu.Invalid("keep", "audit.retention_too_short", int(MinAuditRetention.Hours()/24))
	}
	if _, brk, err := s.VerifyAudit(ctx); err != nil {
		return res, xinlu.Internal(err)
	} else if brk != nil {
		return res, &xinlu.Error{Code: xinlu.ECONFLICT, Key: "audit.chain_broken", Args: []any{brk.ID}}
	}
	// Whole months only: the boundary is the first day of the month that
	// holds now-keep.
	edge := s.Now().Add(-keep)
	boundary := time.Date(edge.Year(), edge.Month(), 1, 0, 0, 0, 0, time.UTC)
	err := s.inTx(ctx, func(tx *Tx) error {
		if tx.s.dialect == Postgres {
			if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(7311)`); err != nil {
				return xinlu.Internal(err)
			}
		}
		var upto sql.NullInt64
		var hash sql.NullString
		if err := tx.queryRow(ctx, `SELECT MAX(id) FROM audit_log WHERE at < ?`, boundary).Scan(&upto); err != nil {
			return xinlu.Internal(err)
		}
		if !upto.Valid {
			return nil
		}
		if err := tx.queryRow(ctx, `SELECT hash FROM audit_log WHERE id = ?`, upto.Int64).Scan(&hash); err != nil {
			return xinlu.Internal(err)
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE id <= ?`, upto.Int64).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO audit_checkpoints (upto_id, upto_hash, rows, created_at) VALUES (?,?,?,?)`,
			upto.Int64, hash.String, n, s.Now()); err != nil {
			return xinlu.Internal(err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO audit_purge_allowance (upto_id) VALUES (?)`, upto.Int64); err != nil {
			return xinlu.Internal(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM audit_log WHERE id <= ?`, upto.Int64); err != nil {
			return xinlu.Internal(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM audit_purge_allowance`); err != nil {
			return xinlu.Internal(err)
		}
		res = PurgeResult{Rows: n, UptoID: upto.Int64}
		return tx.audit(ctx, a, "audit.purge", "audit_log", upto.Int64, nil,
			map[string]any{"rows": n, "upto_id": upto.Int64, "before": boundary.Format(xinlu.DateLayout)})
	})
	return res, err
}
