package store

import (
	"context"
	"strings"

	"xinlu/internal/xinlu"
)

const termColumns = `t.id, t.zone_id, t.member_id, t.title, t.start_date, t.end_date, t.targets, t.version,
	t.created_at, t.updated_at, m.name`

const termFrom = ` FROM terms t JOIN members m ON m.id = t.member_id`

func scanTerm(sc interface{ Scan(...any) error }) (*xinlu.Term, error) {
	t := &xinlu.Term{}
	err := sc.Scan(&t.ID, &t.ZoneID, &t.MemberID, &t.Title, &t.StartDate, &t.EndDate, &t.Targets, &t.Version,
		&t.CreatedAt, &t.UpdatedAt, &t.MemberName)
	return t, err
}

// TermFilter selects leaders' terms. Scope is the viewer's data scope over
// the terms' members.
type TermFilter struct {
	Scope    xinlu.ScopeFilter
	MemberID int64
	xinlu.Page
}

// ListTerms returns one page of the terms f selects, newest first, and the total.
func (s *Store) ListTerms(ctx context.Context, f TermFilter) ([]*xinlu.Term, int, error) {
	cond, args := memberScope(f.Scope)
	where := []string{cond}
	if f.MemberID != 0 {
		where, args = append(where, "t.member_id = ?"), append(args, f.MemberID)
	}
	w := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*)`+termFrom+w, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+termColumns+termFrom+w+` ORDER BY t.start_date DESC, t.id DESC`+s.pageSQL(p),
		append(args, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanTerm)
	return out, total, err
}

// TermByID returns a term whose member is within scope.
func (s *Store) TermByID(ctx context.Context, scope xinlu.ScopeFilter, id int64) (*xinlu.Term, error) {
	cond, args := memberScope(scope)
	t, err := scanTerm(s.queryRow(ctx, `SELECT `+termColumns+termFrom+` WHERE t.id = ? AND `+cond, append([]any{id}, args...)...))
	return t, s.translate(err)
}

func termAudit(t *xinlu.Term) map[string]any {
	return map[string]any{"member_id": t.MemberID, "title": t.Title, "start_date": t.StartDate, "end_date": t.EndDate,
		"targets": t.Targets}
}

// CreateTerm adds a term for t.MemberID, who must be a member of t.ZoneID
// (otherwise not found). An empty end date becomes the default term end.
func (s *Store) CreateTerm(ctx context.Context, a xinlu.Actor, t *xinlu.Term) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.memberInZone(ctx, t.ZoneID, t.MemberID); err != nil {
			return err
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO terms (zone_id, member_id, title, start_date, end_date, targets, version, created_at, updated_at)
			VALUES (?,?,?,?,?,?,1,?,?)`, t.ZoneID, t.MemberID, t.Title, t.StartDate, t.EndDate, t.Targets, now, now)
		if err != nil {
			return err
		}
		t.ID, t.Version, t.CreatedAt, t.UpdatedAt = id, 1, now, now
		return tx.audit(ctx, a, "term.create", "term", id, nil, termAudit(t))
	})
}

// UpdateTerm saves t, a term of t.ZoneID, if t.Version is current. The
// member stays the same.
func (s *Store) UpdateTerm(ctx context.Context, a xinlu.Actor, t *xinlu.Term) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanTerm(tx.queryRow(ctx, `SELECT `+termColumns+termFrom+` WHERE t.id = ? AND t.zone_id = ?`, t.ID, t.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if old.Version != t.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.Title == t.Title && old.StartDate == t.StartDate && old.EndDate == t.EndDate && old.Targets == t.Targets {
			// Saved unchanged: no version, no audit row.
			*t = *old
			return nil
		}
		now := s.Now()
		if _, err := tx.exec(ctx, `UPDATE terms SET title = ?, start_date = ?, end_date = ?, targets = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND zone_id = ?`, t.Title, t.StartDate, t.EndDate, t.Targets, now, t.ID, t.ZoneID); err != nil {
			return s.translate(err)
		}
		t.MemberID, t.MemberName = old.MemberID, old.MemberName
		t.Version, t.UpdatedAt, t.CreatedAt = old.Version+1, now, old.CreatedAt
		return tx.audit(ctx, a, "term.update", "term", t.ID, termAudit(old), termAudit(t))
	})
}

// DeleteTerm removes a term of the zone.
func (s *Store) DeleteTerm(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanTerm(tx.queryRow(ctx, `SELECT `+termColumns+termFrom+` WHERE t.id = ? AND t.zone_id = ?`, id, zoneID))
		if err != nil {
			return s.translate(err)
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if _, err := tx.exec(ctx, `DELETE FROM terms WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "term.delete", "term", id, termAudit(old), nil)
	})
}
