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
	if err := checkAuditAction(action); err != nil {
		return err
	}
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
// checkpoint if there was one, and compares its end with the anchor file
// (SetAuditAnchor). It returns the number of rows checked and the first
// break, or nil when the chain holds. Rows signed with a key need that key;
// once a signed row appears, every later row must be signed. Purge
// checkpoints must be signed too, and an anchored row must still be there
// (with its hash) or be covered by a signed checkpoint: deleting the
// newest rows, or every row, is a break.
func (s *Store) VerifyAudit(ctx context.Context) (int, *AuditBreak, error) {
	hist, err := s.readAnchors()
	if err != nil {
		return 0, &AuditBreak{Reason: err.Error()}, nil
	}
	n, _, brk, err := s.verifyAudit(ctx, hist, false)
	return n, brk, err
}

// auditHead is where a verified chain ends.
type auditHead struct {
	ID, Checkpoint int64
	Hash           string
}

// verifyAudit verifies the chain against the anchors of hist (none: the
// chain alone). since verifies only the rows after the last anchor, which
// must itself still be there unchanged.
func (s *Store) verifyAudit(ctx context.Context, hist xinlu.AnchorHistory, since bool) (int, auditHead, *AuditBreak, error) {
	var head auditHead
	cp, brk, err := s.verifyCheckpoints(ctx, hist)
	if err != nil || brk != nil {
		return 0, head, brk, err
	}
	prev, prevID := cp.UptoHash, cp.UptoID
	head = auditHead{ID: prevID, Hash: prev, Checkpoint: cp.ID}
	anchor := hist.Last
	anchorSeen := hist.Lines == 0 || anchor.ID <= prevID
	n, keyed := 0, false
	if since && !anchorSeen {
		var hash, keyID string
		err := s.queryRow(ctx, `SELECT hash, key_id FROM audit_log WHERE id = ?`, anchor.ID).Scan(&hash, &keyID)
		if err == sql.ErrNoRows {
			return 0, head, &AuditBreak{ID: anchor.ID, Reason: fmt.Sprintf(
				"row %d, verified and anchored at %s, is missing", anchor.ID, anchor.At.Format(time.RFC3339))}, nil
		}
		if err != nil {
			return 0, head, nil, err
		}
		if hash != anchor.Hash {
			return 1, head, &AuditBreak{ID: anchor.ID, Reason: fmt.Sprintf("row %d is not the row anchored at %s: rows were cut off and the log written again", anchor.ID, anchor.At.Format(time.RFC3339))}, nil
		}
		prev, prevID, keyed, anchorSeen = hash, anchor.ID, keyID != "", true
		head.ID, head.Hash = prevID, prev
	}
	rows, err := s.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE id > ? ORDER BY id`, prevID)
	if err != nil {
		return 0, head, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return n, head, nil, err
		}
		n++
		var key []byte
		switch {
		case e.KeyID == "" && keyed:
			return n, head, &AuditBreak{ID: e.ID, Reason: "unsigned row after signed rows"}, nil
		case e.KeyID != "" && s.auditKeyID == "":
			return n, head, nil, fmt.Errorf("the audit log is signed with key %q: verify it with its key file (--key-file)", e.KeyID)
		case e.KeyID != "" && e.KeyID != s.auditKeyID:
			return n, head, &AuditBreak{ID: e.ID, Reason: fmt.Sprintf("signed with key %q, which is not the key file's", e.KeyID)}, nil
		case e.KeyID != "":
			key, keyed = s.auditKey, true
		}
		switch {
		case e.ID != prevID+1:
			return n, head, &AuditBreak{ID: e.ID, Reason: fmt.Sprintf("row %d is missing", prevID+1)}, nil
		case e.PrevHash != prev:
			return n, head, &AuditBreak{ID: e.ID, Reason: "previous-hash link does not match the row before"}, nil
		case e.ComputeHash(key) != e.Hash:
			return n, head, &AuditBreak{ID: e.ID, Reason: "content does not match its hash (the row was altered)"}, nil
		case e.ID == anchor.ID && !anchorSeen:
			if e.Hash != anchor.Hash {
				return n, head, &AuditBreak{ID: e.ID, Reason: fmt.Sprintf("row %d is not the row anchored at %s: rows were cut off and the log written again", e.ID, anchor.At.Format(time.RFC3339))}, nil
			}
			anchorSeen = true
		}
		prev, prevID = e.Hash, e.ID
		head.ID, head.Hash = e.ID, e.Hash
	}
	if err := rows.Err(); err != nil {
		return n, head, nil, err
	}
	if !anchorSeen {
		return n, head, &AuditBreak{ID: prevID + 1, Reason: fmt.Sprintf(
			"rows %d to %d are missing: the log ends at row %d, but row %d was verified and anchored at %s",
			prevID+1, anchor.ID, prevID, anchor.ID, anchor.At.Format(time.RFC3339))}, nil
	}
	return n, head, nil, nil
}

// verifyCheckpoints checks the signatures of the purge checkpoints and
// returns the newest (the zero value when there is none). Checkpoints from
// before they were signed are accepted up to the one the first anchor
// recorded; any later unsigned checkpoint is a break.
func (s *Store) verifyCheckpoints(ctx context.Context, hist xinlu.AnchorHistory) (xinlu.AuditCheckpoint, *AuditBreak, error) {
	var last xinlu.AuditCheckpoint
	rows, err := s.query(ctx, `SELECT id, upto_id, upto_hash, rows, mac FROM audit_checkpoints ORDER BY id`)
	if err != nil {
		return last, nil, err
	}
	defer rows.Close()
	prevMAC := ""
	for rows.Next() {
		var c xinlu.AuditCheckpoint
		if err := rows.Scan(&c.ID, &c.UptoID, &c.UptoHash, &c.Rows, &c.MAC); err != nil {
			return last, nil, err
		}
		c.PrevMAC = prevMAC
		switch {
		case c.MAC == "" && (s.auditKey == nil || hist.Lines == 0 || c.ID <= hist.First.Checkpoint):
			// written before checkpoints were signed
		case c.MAC == "":
			return last, &AuditBreak{ID: c.UptoID, Reason: fmt.Sprintf("purge checkpoint %d (up to row %d) is not signed: it was not written by a purge", c.ID, c.UptoID)}, nil
		case s.auditKey == nil:
			return last, nil, fmt.Errorf("the audit checkpoints are signed: verify them with the key file (--key-file)")
		case c.MAC != c.ComputeMAC(s.auditKey):
			return last, &AuditBreak{ID: c.UptoID, Reason: fmt.Sprintf("purge checkpoint %d (up to row %d) does not match its signature: it was not written by a purge", c.ID, c.UptoID)}, nil
		}
		if c.UptoID < last.UptoID {
			return last, &AuditBreak{ID: c.UptoID, Reason: fmt.Sprintf("purge checkpoint %d goes back to row %d", c.ID, c.UptoID)}, nil
		}
		prevMAC, last = c.MAC, c
	}
	return last, nil, rows.Err()
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
		c := xinlu.AuditCheckpoint{UptoID: upto.Int64, UptoHash: hash.String, Rows: int64(n)}
		if err := tx.queryRow(ctx, `SELECT mac FROM audit_checkpoints ORDER BY id DESC LIMIT 1`).Scan(&c.PrevMAC); err != nil && err != sql.ErrNoRows {
			return xinlu.Internal(err)
		}
		if s.auditKey != nil {
			c.MAC = c.ComputeMAC(s.auditKey)
		}
		if _, err := tx.exec(ctx, `INSERT INTO audit_checkpoints (upto_id, upto_hash, rows, created_at, mac) VALUES (?,?,?,?,?)`,
			c.UptoID, c.UptoHash, c.Rows, s.Now(), c.MAC); err != nil {
			return xinlu.Internal(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM audit_log WHERE id <= ?`, upto.Int64); err != nil {
			return xinlu.Internal(err)
		}
		res = PurgeResult{Rows: n, UptoID: upto.Int64}
		return tx.audit(ctx, a, "audit.purge", "audit_log", upto.Int64, nil,
			map[string]any{"rows": n, "upto_id": upto.Int64, "before": boundary.Format(xinlu.DateLayout)})
	})
	return res, err
}
