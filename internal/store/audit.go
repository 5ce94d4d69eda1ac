package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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
	var lastID sql.NullInt64
	var lastHash sql.NullString
	err := tx.queryRow(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&lastID, &lastHash)
	if err != nil && err != sql.ErrNoRows {
		return xinlu.Internal(err)
	}
	e.ID = lastID.Int64 + 1
	e.PrevHash = lastHash.String
	e.Hash = e.ComputeHash()
	_, err = tx.exec(ctx, `INSERT INTO audit_log (id, zone_id, at, actor_id, actor_name, action, entity, entity_id,
		before_json, after_json, ip, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.ID, e.ZoneID, e.At, e.ActorID, e.ActorName, e.Action, e.Entity, e.EntityID,
		e.Before, e.After, e.IP, e.PrevHash, e.Hash)
	if err != nil {
		return xinlu.Internal(fmt.Errorf("write audit row: %w", err))
	}
	return nil
}

// Audit records an event that changes no other table (a login, a failed
// login, an export) in a transaction of its own.
func (s *Store) Audit(ctx context.Context, a xinlu.Actor, action, entity string, entityID int64, detail any) error {
	return s.inTx(ctx, func(tx *Tx) error {
		return tx.audit(ctx, a, action, entity, entityID, nil, detail)
	})
}

const auditColumns = `id, zone_id, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, hash`

func scanAudit(sc interface{ Scan(...any) error }) (xinlu.AuditEntry, error) {
	var e xinlu.AuditEntry
	err := sc.Scan(&e.ID, &e.ZoneID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.Entity, &e.EntityID,
		&e.Before, &e.After, &e.IP, &e.PrevHash, &e.Hash)
	e.At = e.At.UTC()
	return e, err
}

// ListAudit returns one page of audit rows matching f, newest first.
func (s *Store) ListAudit(ctx context.Context, f xinlu.AuditFilter) ([]xinlu.AuditEntry, int, error) {
	where, args := []string{"zone_id = ?"}, []any{f.ZoneID}
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
	defer rows.Close()
	var out []xinlu.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, xinlu.Internal(err)
		}
		out = append(out, e)
	}
	return out, total, s.translate(rows.Err())
}

// AuditBreak describes the first row at which the chain does not hold.
type AuditBreak struct {
	ID     int64
	Reason string
}

// VerifyAudit walks the whole chain in order. It returns the number of rows
// checked and the first break, or nil when the chain holds.
func (s *Store) VerifyAudit(ctx context.Context) (int, *AuditBreak, error) {
	rows, err := s.query(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	n, prev, prevID := 0, "", int64(0)
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return n, nil, err
		}
		n++
		switch {
		case e.ID != prevID+1:
			return n, &AuditBreak{ID: e.ID, Reason: fmt.Sprintf("row %d is missing", prevID+1)}, nil
		case e.PrevHash != prev:
			return n, &AuditBreak{ID: e.ID, Reason: "previous-hash link does not match the row before"}, nil
		case e.ComputeHash() != e.Hash:
			return n, &AuditBreak{ID: e.ID, Reason: "content does not match its hash (the row was altered)"}, nil
		}
		prev, prevID = e.Hash, e.ID
	}
	return n, nil, rows.Err()
}
