package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// audit records one audit row in tx. The row is written, chained to the
// row before it in its zone's chain, with the transaction's other audit
// rows when the transaction is about to commit (flushAudit); if that
// fails, the transaction fails with it.
//
// Writing the rows last is what lets a zone's writes run side by side: on
// PostgreSQL a zone's chain is locked (pg_advisory_xact_lock(7311, zone))
// from its head's read to the commit, so that two transactions cannot chain
// to the same row, and taking that lock at the first audited write would
// make every later statement of the transaction wait for it too. Taken at
// the end, the lock is held for three statements (the lock, the head's
// read, one insert of every row) and the commit, whatever the transaction
// did before.
func (tx *Tx) audit(ctx context.Context, a xinlu.Actor, action, entity string, entityID int64, before, after any) error {
	if err := checkAuditAction(action); err != nil {
		return err
	}
	e := xinlu.AuditEntry{
		ZoneID: a.ZoneID, At: tx.s.Now(), ActorID: a.UserID, ActorName: a.Name,
		Action: action, Entity: entity, EntityID: entityID,
		Before: xinlu.AuditJSON(before), After: xinlu.AuditJSON(after), IP: a.IP,
	}
	tx.pending = append(tx.pending, e)
	return tx.watch(ctx, &e, after)
}

// flushAudit writes the audit rows recorded since the last flush, each
// zone's chained to its zone's head: zones in order, each locked on
// PostgreSQL (once per transaction) before its head is read.
func (tx *Tx) flushAudit(ctx context.Context) error {
	rows := tx.pending
	if len(rows) == 0 {
		return nil
	}
	tx.pending = nil
	var zones []int64
	for _, e := range rows {
		if !slices.Contains(zones, e.ZoneID) {
			zones = append(zones, e.ZoneID)
		}
	}
	slices.Sort(zones)
	if tx.heads == nil {
		tx.heads = map[int64]txHead{}
	}
	for _, z := range zones {
		head, known := tx.heads[z]
		if !known {
			var err error
			if tx.s.dialect == Postgres {
				// The lock first, then the head, in one round trip (see
				// audit_lock_head): the head seen is the last committed
				// before the lock was had.
				err = tx.queryRow(ctx, `SELECT head_seq, head_hash FROM audit_lock_head(?)`, z).Scan(&head.seq, &head.hash)
				if err != nil {
					err = xinlu.Internal(err)
				}
			} else {
				head.seq, head.hash, err = tx.zoneAuditHead(ctx, z)
			}
			if err != nil {
				tx.forgetAuditHeads()
				return err
			}
		}
		for i := range rows {
			e := &rows[i]
			if e.ZoneID != z {
				continue
			}
			e.Seq, e.PrevHash, e.KeyID = head.seq+1, head.hash, tx.s.auditKeyID
			e.Hash = e.ComputeHash(tx.s.auditKey)
			head = txHead{seq: e.Seq, hash: e.Hash}
		}
		tx.heads[z] = head
	}
	if err := tx.insertAudit(ctx, rows); err != nil {
		tx.forgetAuditHeads()
		return xinlu.Internal(fmt.Errorf("write audit rows: %w", err))
	}
	return nil
}

// insertAudit inserts chained audit rows: on PostgreSQL in one statement
// whatever their number, on SQLite (whose statements cost no round trip)
// one by one.
func (tx *Tx) insertAudit(ctx context.Context, rows []xinlu.AuditEntry) error {
	if tx.s.dialect != Postgres {
		for _, e := range rows {
			if _, err := tx.exec(ctx, `INSERT INTO audit_log (zone_id, seq, at, actor_id, actor_name, action, entity, entity_id,
				before_json, after_json, ip, prev_hash, key_id, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				e.ZoneID, e.Seq, e.At, e.ActorID, e.ActorName, e.Action, e.Entity, e.EntityID,
				e.Before, e.After, e.IP, e.PrevHash, e.KeyID, e.Hash); err != nil {
				return err
			}
		}
		return nil
	}
	n := len(rows)
	zone, seq, actor, entityID := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	at := make([]time.Time, n)
	actorName, action, entity, before, after, ip, prev, keyID, hash :=
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, e := range rows {
		zone[i], seq[i], at[i], actor[i], actorName[i], action[i], entity[i], entityID[i] =
			e.ZoneID, e.Seq, e.At, e.ActorID, e.ActorName, e.Action, e.Entity, e.EntityID
		before[i], after[i], ip[i], prev[i], keyID[i], hash[i] = e.Before, e.After, e.IP, e.PrevHash, e.KeyID, e.Hash
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO audit_log (zone_id, seq, at, actor_id, actor_name, action, entity, entity_id,
		before_json, after_json, ip, prev_hash, key_id, hash)
		SELECT * FROM unnest(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[]), CAST($3 AS TIMESTAMPTZ[]), CAST($4 AS BIGINT[]),
			CAST($5 AS TEXT[]), CAST($6 AS TEXT[]), CAST($7 AS TEXT[]), CAST($8 AS BIGINT[]), CAST($9 AS TEXT[]),
			CAST($10 AS TEXT[]), CAST($11 AS TEXT[]), CAST($12 AS TEXT[]), CAST($13 AS TEXT[]), CAST($14 AS TEXT[]))`,
		zone, seq, at, actor, actorName, action, entity, entityID, before, after, ip, prev, keyID, hash)
	return err
}

// zoneAuditHead is the place and hash of the newest row of the zone's
// chain; or of the last row a purge removed from it; or, for a chain not
// begun, place 0 and the hash the zones' chains start from. (PostgreSQL
// reads the same with the chain's lock, in audit_lock_head.)
func (tx *Tx) zoneAuditHead(ctx context.Context, zoneID int64) (int64, string, error) {
	var seq int64
	var hash string
	err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_log WHERE zone_id = ? AND seq > 0 ORDER BY seq DESC LIMIT 1`, zoneID).Scan(&seq, &hash)
	if err == sql.ErrNoRows {
		err = tx.queryRow(ctx, `SELECT upto_seq, upto_hash FROM audit_checkpoints WHERE zone_id = ? ORDER BY upto_seq DESC LIMIT 1`, zoneID).Scan(&seq, &hash)
	}
	if err == sql.ErrNoRows {
		seq = 0
		err = tx.queryRow(ctx, `SELECT hash FROM audit_chain_start`).Scan(&hash)
	}
	if err != nil {
		return 0, "", xinlu.Internal(err)
	}
	return seq, hash, nil
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

const auditColumns = `id, zone_id, seq, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json, ip, prev_hash, key_id, hash`

func scanAudit(sc interface{ Scan(...any) error }) (xinlu.AuditEntry, error) {
	var e xinlu.AuditEntry
	err := sc.Scan(&e.ID, &e.ZoneID, &e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.Entity, &e.EntityID,
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
	rows, err := s.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+cond+` ORDER BY id DESC`+s.pageSQL(p),
		append(args, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanAudit)
	return out, total, err
}

// AuditBreak describes the first row at which a chain does not hold.
type AuditBreak struct {
	// ZoneID is the zone whose chain breaks (0: the system's rows);
	// xinlu.LegacyChain: the single chain from before each zone had one.
	ZoneID int64
	ID     int64
	Reason string
}

// Chain names the chain of the break, for messages.
func (b *AuditBreak) Chain() string {
	if b.ZoneID == xinlu.LegacyChain {
		return "the chain from before zones had chains"
	}
	return fmt.Sprintf("zone %d", b.ZoneID)
}

// AuditChain is what verification found in one chain.
type AuditChain struct {
	ZoneID int64 // xinlu.LegacyChain: the single chain from before
	Rows   int
	Break  *AuditBreak
	head   auditHead
}

// VerifyAudit walks every chain in order, each from its last purge's
// checkpoint if there was one, and compares its end with the anchor file
// (SetAuditAnchor). It returns the number of rows checked and the first
// break, or nil when every chain holds. Rows signed with a key need that
// key; once a signed row appears in a chain, every later row must be
// signed. Purge checkpoints must be signed too, and an anchored row must
// still be there (with its hash) or be covered by a signed checkpoint:
// deleting a zone's newest rows, or every row, is a break.
func (s *Store) VerifyAudit(ctx context.Context) (int, *AuditBreak, error) {
	chains, err := s.VerifyAuditChains(ctx)
	n, brk := 0, (*AuditBreak)(nil)
	for _, c := range chains {
		n += c.Rows
		if brk == nil {
			brk = c.Break
		}
	}
	return n, brk, err
}

// VerifyAuditChains verifies every chain like VerifyAudit and reports each:
// a break in one zone's chain leaves the others' verdicts alone.
func (s *Store) VerifyAuditChains(ctx context.Context) ([]AuditChain, error) {
	hist, err := s.readAnchors()
	if err != nil {
		return []AuditChain{{ZoneID: xinlu.LegacyChain, Break: &AuditBreak{ZoneID: xinlu.LegacyChain, Reason: err.Error()}}}, nil
	}
	return s.verifyAudit(ctx, hist, false)
}

// auditHead is where a verified chain ends.
type auditHead struct {
	ZoneID, ID, Seq, Checkpoint int64
	Hash                        string
}

// verifyAudit verifies every chain against the anchors of hist (none: the
// chains alone). since verifies only the rows after each chain's last
// anchor, which must itself still be there unchanged.
func (s *Store) verifyAudit(ctx context.Context, hist xinlu.AnchorHistory, since bool) ([]AuditChain, error) {
	cps, newest, brk, err := s.verifyCheckpoints(ctx, hist)
	if err != nil || brk != nil {
		return []AuditChain{{ZoneID: brkZone(brk), Break: brk}}, err
	}
	var start struct {
		ID   int64
		Hash string
	}
	if err := s.queryRow(ctx, `SELECT id, hash FROM audit_chain_start`).Scan(&start.ID, &start.Hash); err != nil {
		return nil, xinlu.Internal(err)
	}
	legacy, err := s.verifyLegacy(ctx, hist, cps[xinlu.LegacyChain], start.ID, start.Hash, since)
	if err != nil {
		return nil, err
	}
	legacy.head.Checkpoint = newest
	out := []AuditChain{legacy}
	zones, err := s.auditZones(ctx, hist, cps, since)
	if err != nil {
		return nil, err
	}
	for _, z := range zones {
		c, err := s.verifyZone(ctx, hist, cps, z, start.Hash, since)
		if err != nil {
			return nil, err
		}
		c.head.Checkpoint = newest
		out = append(out, c)
	}
	return out, nil
}

func brkZone(b *AuditBreak) int64 {
	if b == nil {
		return xinlu.LegacyChain
	}
	return b.ZoneID
}

// auditZones lists the zones whose chains to verify: those with rows (every
// zone, for a quick check), anchors or checkpoints, in order.
func (s *Store) auditZones(ctx context.Context, hist xinlu.AnchorHistory, cps map[int64]xinlu.AuditCheckpoint, since bool) ([]int64, error) {
	q := `SELECT DISTINCT zone_id FROM audit_log WHERE seq > 0`
	if since {
		q = `SELECT id FROM zones UNION SELECT 0`
	}
	rows, err := s.query(ctx, q)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	ids, err := collect(rows, func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	for z := range hist.Zones {
		if !seen[z] {
			seen[z], ids = true, append(ids, z)
		}
	}
	for z := range cps {
		if z != xinlu.LegacyChain && !seen[z] {
			seen[z], ids = true, append(ids, z)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// chainWalk checks rows of one chain in order: links, signatures, the
// anchored row. keyed says whether a signed row was seen.
type chainWalk struct {
	s          *Store
	zone       int64
	prev       string
	prevID     int64 // legacy chain: ids follow one another
	prevSeq    int64 // zones' chains: places follow one another
	keyed      bool
	anchor     xinlu.AuditAnchor
	anchorSeen bool
	n          int
}

func (w *chainWalk) brk(id int64, format string, args ...any) *AuditBreak {
	return &AuditBreak{ZoneID: w.zone, ID: id, Reason: fmt.Sprintf(format, args...)}
}

// step checks the next row e; a break stops the chain.
func (w *chainWalk) step(e xinlu.AuditEntry) (*AuditBreak, error) {
	w.n++
	var key []byte
	switch {
	case e.KeyID == "" && w.keyed:
		return w.brk(e.ID, "unsigned row after signed rows"), nil
	case e.KeyID != "" && w.s.auditKeyID == "":
		return nil, fmt.Errorf("the audit log is signed with key %q: verify it with its key file (--key-file)", e.KeyID)
	case e.KeyID != "" && e.KeyID != w.s.auditKeyID:
		return w.brk(e.ID, "signed with key %q, which is not the key file's", e.KeyID), nil
	case e.KeyID != "":
		key, w.keyed = w.s.auditKey, true
	}
	legacy := w.zone == xinlu.LegacyChain
	switch {
	case legacy && e.ID != w.prevID+1:
		return w.brk(e.ID, "row %d is missing", w.prevID+1), nil
	case !legacy && e.Seq != w.prevSeq+1:
		return w.brk(e.ID, "the zone's row number %d is missing (before row %d)", w.prevSeq+1, e.ID), nil
	case e.PrevHash != w.prev:
		return w.brk(e.ID, "previous-hash link does not match the row before"), nil
	case e.ComputeHash(key) != e.Hash:
		return w.brk(e.ID, "content does not match its hash (the row was altered)"), nil
	case !w.anchorSeen && ((legacy && e.ID == w.anchor.ID) || (!legacy && e.Seq == w.anchor.Seq)):
		if e.Hash != w.anchor.Hash {
			return w.brk(e.ID, "row %d is not the row anchored at %s: rows were cut off and the log written again", e.ID, w.anchor.At.Format(time.RFC3339)), nil
		}
		w.anchorSeen = true
	}
	w.prev, w.prevID, w.prevSeq = e.Hash, e.ID, e.Seq
	return nil, nil
}

// walk runs the rows of q through step.
func (w *chainWalk) walk(ctx context.Context, q string, args ...any) (*AuditBreak, error) {
	rows, err := w.s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		if brk, err := w.step(e); brk != nil || err != nil {
			return brk, err
		}
	}
	return nil, rows.Err()
}

// verifyLegacy verifies the single chain from before zones had chains: it
// must end at the row the zones' chains start from (startID, startHash).
func (s *Store) verifyLegacy(ctx context.Context, hist xinlu.AnchorHistory, cp xinlu.AuditCheckpoint, startID int64, startHash string, since bool) (AuditChain, error) {
	c := AuditChain{ZoneID: xinlu.LegacyChain}
	w := &chainWalk{s: s, zone: xinlu.LegacyChain, prev: cp.UptoHash, prevID: cp.UptoID, anchor: hist.Last}
	w.anchorSeen = hist.LegacyLines == 0 || w.anchor.ID <= w.prevID
	done := func(brk *AuditBreak) (AuditChain, error) {
		c.Rows, c.Break = w.n, brk
		c.head = auditHead{ZoneID: xinlu.LegacyChain, ID: w.prevID, Hash: w.prev}
		return c, nil
	}
	if since && hist.Lines > 0 {
		// The chain no longer grows: its end must still be there.
		if startID <= cp.UptoID {
			return done(nil)
		}
		var hash string
		err := s.queryRow(ctx, `SELECT hash FROM audit_log WHERE id = ? AND seq = 0`, startID).Scan(&hash)
		if err == sql.ErrNoRows {
			return done(w.brk(startID, "row %d, the last of the chain from before zones had chains, is missing", startID))
		}
		if err != nil {
			return c, err
		}
		if hash != startHash {
			return done(w.brk(startID, "row %d is not the row the zones' chains start from", startID))
		}
		w.n, w.prevID, w.prev = 1, startID, hash
		return done(nil)
	}
	brk, err := w.walk(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq = 0 AND id > ? ORDER BY id`, cp.UptoID)
	if err != nil || brk != nil {
		c, _ = done(brk)
		return c, err
	}
	switch {
	case !w.anchorSeen:
		return done(w.brk(w.prevID+1, "rows %d to %d are missing: the log ends at row %d, but row %d was verified and anchored at %s",
			w.prevID+1, w.anchor.ID, w.prevID, w.anchor.ID, w.anchor.At.Format(time.RFC3339)))
	case w.prevID > startID:
		return done(w.brk(w.prevID, "row %d comes after the start of the zones' chains but is in none", w.prevID))
	case w.prevID < startID:
		return done(w.brk(w.prevID+1, "rows %d to %d are missing: the zones' chains start after row %d", w.prevID+1, startID, startID))
	case w.prev != startHash:
		return done(w.brk(startID, "row %d is not the row the zones' chains start from", startID))
	}
	return done(nil)
}

// verifyZone verifies one zone's chain, which starts from startHash (or
// from the zone's last purge checkpoint).
func (s *Store) verifyZone(ctx context.Context, hist xinlu.AnchorHistory, cps map[int64]xinlu.AuditCheckpoint, zone int64, startHash string, since bool) (AuditChain, error) {
	c := AuditChain{ZoneID: zone}
	w := &chainWalk{s: s, zone: zone, prev: startHash}
	if cp, ok := cps[zone]; ok {
		w.prev, w.prevID, w.prevSeq = cp.UptoHash, cp.UptoID, cp.UptoSeq
	}
	anchor, anchored := hist.Zones[zone]
	w.anchor = anchor
	w.anchorSeen = !anchored || anchor.Seq <= w.prevSeq
	done := func(brk *AuditBreak) (AuditChain, error) {
		c.Rows, c.Break = w.n, brk
		c.head = auditHead{ZoneID: zone, ID: w.prevID, Seq: w.prevSeq, Hash: w.prev}
		return c, nil
	}
	if since && !w.anchorSeen {
		var hash, keyID string
		var id int64
		err := s.queryRow(ctx, `SELECT id, hash, key_id FROM audit_log WHERE zone_id = ? AND seq = ?`, zone, anchor.Seq).Scan(&id, &hash, &keyID)
		if err == sql.ErrNoRows {
			return done(w.brk(anchor.ID, "row %d, verified and anchored at %s, is missing", anchor.ID, anchor.At.Format(time.RFC3339)))
		}
		if err != nil {
			return c, err
		}
		if hash != anchor.Hash {
			w.n = 1
			return done(w.brk(id, "row %d is not the row anchored at %s: rows were cut off and the log written again", id, anchor.At.Format(time.RFC3339)))
		}
		w.prev, w.prevID, w.prevSeq, w.keyed, w.anchorSeen = hash, id, anchor.Seq, keyID != "", true
	}
	brk, err := w.walk(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE zone_id = ? AND seq > ? ORDER BY seq`, zone, w.prevSeq)
	if err != nil || brk != nil {
		c, _ = done(brk)
		return c, err
	}
	if !w.anchorSeen {
		return done(w.brk(anchor.ID, "rows up to row %d are missing: the zone's chain ends at row %d, but row %d was verified and anchored at %s",
			anchor.ID, w.prevID, anchor.ID, anchor.At.Format(time.RFC3339)))
	}
	return done(nil)
}

// verifyCheckpoints checks the signatures of the purge checkpoints and
// returns the newest of each chain and the newest id. Checkpoints from
// before they were signed are accepted up to the one the first anchor
// recorded; any later unsigned checkpoint is a break.
func (s *Store) verifyCheckpoints(ctx context.Context, hist xinlu.AnchorHistory) (map[int64]xinlu.AuditCheckpoint, int64, *AuditBreak, error) {
	last := map[int64]xinlu.AuditCheckpoint{}
	rows, err := s.query(ctx, `SELECT id, zone_id, upto_id, upto_seq, upto_hash, rows, mac FROM audit_checkpoints ORDER BY id`)
	if err != nil {
		return last, 0, nil, err
	}
	defer rows.Close()
	prevMAC, newest := "", int64(0)
	for rows.Next() {
		var c xinlu.AuditCheckpoint
		if err := rows.Scan(&c.ID, &c.ZoneID, &c.UptoID, &c.UptoSeq, &c.UptoHash, &c.Rows, &c.MAC); err != nil {
			return last, 0, nil, err
		}
		c.PrevMAC = prevMAC
		brk := func(format string, args ...any) *AuditBreak {
			return &AuditBreak{ZoneID: c.ZoneID, ID: c.UptoID, Reason: fmt.Sprintf(format, args...)}
		}
		switch {
		case c.MAC == "" && (s.auditKey == nil || (c.ZoneID == xinlu.LegacyChain && (hist.Lines == 0 || c.ID <= hist.First.Checkpoint))):
			// written without a key, or before checkpoints were signed
		case c.MAC == "":
			return last, 0, brk("purge checkpoint %d (up to row %d) is not signed: it was not written by a purge", c.ID, c.UptoID), nil
		case s.auditKey == nil:
			return last, 0, nil, fmt.Errorf("the audit checkpoints are signed: verify them with the key file (--key-file)")
		case c.MAC != c.ComputeMAC(s.auditKey):
			return last, 0, brk("purge checkpoint %d (up to row %d) does not match its signature: it was not written by a purge", c.ID, c.UptoID), nil
		}
		if p, ok := last[c.ZoneID]; ok && (c.UptoID < p.UptoID || c.UptoSeq < p.UptoSeq) {
			return last, 0, brk("purge checkpoint %d goes back to row %d", c.ID, c.UptoID), nil
		}
		prevMAC, last[c.ZoneID], newest = c.MAC, c, c.ID
	}
	return last, newest, nil, rows.Err()
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
		// Each chain is cut at its last row before the boundary, and a
		// signed checkpoint names that row: the single chain from before,
		// then each zone's, in zone order (each zone locked in turn).
		type cut struct {
			zone, id, seq int64
		}
		var cuts []cut
		var legacy sql.NullInt64
		if err := tx.queryRow(ctx, `SELECT MAX(id) FROM audit_log WHERE seq = 0 AND at < ?`, boundary).Scan(&legacy); err != nil {
			return xinlu.Internal(err)
		}
		if legacy.Valid {
			cuts = append(cuts, cut{zone: xinlu.LegacyChain, id: legacy.Int64})
		}
		rows, err := tx.query(ctx, `SELECT zone_id, MAX(seq) FROM audit_log WHERE seq > 0 AND at < ? GROUP BY zone_id ORDER BY zone_id`, boundary)
		if err != nil {
			return xinlu.Internal(err)
		}
		zoneCuts, err := collect(rows, func(sc scanner) (cut, error) {
			var c cut
			return c, sc.Scan(&c.zone, &c.seq)
		})
		if err != nil {
			return err
		}
		cuts = append(cuts, zoneCuts...)
		for _, cu := range cuts {
			where, args := `seq = 0 AND id <= ?`, []any{cu.id}
			c := xinlu.AuditCheckpoint{ZoneID: cu.zone, UptoID: cu.id}
			if cu.zone != xinlu.LegacyChain {
				if tx.s.dialect == Postgres {
					if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(7311, CAST(? AS INTEGER))`, cu.zone); err != nil {
						return xinlu.Internal(err)
					}
				}
				where, args = `zone_id = ? AND seq > 0 AND seq <= ?`, []any{cu.zone, cu.seq}
				c.UptoSeq = cu.seq
				if err := tx.queryRow(ctx, `SELECT id, hash FROM audit_log WHERE zone_id = ? AND seq = ?`, cu.zone, cu.seq).Scan(&c.UptoID, &c.UptoHash); err != nil {
					return xinlu.Internal(err)
				}
			} else if err := tx.queryRow(ctx, `SELECT hash FROM audit_log WHERE id = ?`, cu.id).Scan(&c.UptoHash); err != nil {
				return xinlu.Internal(err)
			}
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+where, args...).Scan(&c.Rows); err != nil {
				return xinlu.Internal(err)
			}
			if err := tx.queryRow(ctx, `SELECT mac FROM audit_checkpoints ORDER BY id DESC LIMIT 1`).Scan(&c.PrevMAC); err != nil && err != sql.ErrNoRows {
				return xinlu.Internal(err)
			}
			if s.auditKey != nil {
				c.MAC = c.ComputeMAC(s.auditKey)
			}
			if _, err := tx.exec(ctx, `INSERT INTO audit_checkpoints (zone_id, upto_id, upto_seq, upto_hash, rows, created_at, mac) VALUES (?,?,?,?,?,?,?)`,
				c.ZoneID, c.UptoID, c.UptoSeq, c.UptoHash, c.Rows, s.Now(), c.MAC); err != nil {
				return xinlu.Internal(err)
			}
			if _, err := tx.exec(ctx, `DELETE FROM audit_log WHERE `+where, args...); err != nil {
				return xinlu.Internal(err)
			}
			res.Rows += int(c.Rows)
			res.UptoID = max(res.UptoID, c.UptoID)
		}
		if len(cuts) == 0 {
			return nil
		}
		return tx.audit(ctx, a, "audit.purge", "audit_log", res.UptoID, nil,
			map[string]any{"rows": res.Rows, "upto_id": res.UptoID, "chains": len(cuts), "before": boundary.Format(xinlu.DateLayout)})
	})
	return res, err
}
