package store

import (
	"context"
	"strings"

	"xinlu/internal/xinlu"
)

const positionColumns = `p.id, p.zone_id, COALESCE(p.department_id, 0), p.name, p.grade, p.kind, p.sort_order, p.version,
	p.created_at, p.updated_at, COALESCE(d.name, '')`

const positionFrom = ` FROM positions p LEFT JOIN departments d ON d.id = p.department_id`

func scanPosition(sc interface{ Scan(...any) error }) (*xinlu.Position, error) {
	p := &xinlu.Position{}
	var kind string
	err := sc.Scan(&p.ID, &p.ZoneID, &p.DepartmentID, &p.Name, &p.Grade, &kind, &p.SortOrder, &p.Version,
		&p.CreatedAt, &p.UpdatedAt, &p.DepartmentName)
	p.Kind = xinlu.PositionKind(kind)
	return p, err
}

// PositionFilter selects positions for a list.
type PositionFilter struct {
	ZoneID       int64
	Query        string // name or grade
	DepartmentID int64
	Kind         xinlu.PositionKind
	xinlu.Page
}

// ListPositions returns one page of a zone's positions and the total.
func (s *Store) ListPositions(ctx context.Context, f PositionFilter) ([]*xinlu.Position, int, error) {
	where, args := []string{"p.zone_id = ?"}, []any{f.ZoneID}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(p.name "+s.likeOp()+" ? ESCAPE '\\' OR p.grade "+s.likeOp()+" ? ESCAPE '\\')")
		args = append(args, likePattern(q), likePattern(q))
	}
	if f.DepartmentID != 0 {
		where, args = append(where, "p.department_id = ?"), append(args, f.DepartmentID)
	}
	if f.Kind != "" {
		where, args = append(where, "p.kind = ?"), append(args, string(f.Kind))
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM positions p`+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+positionColumns+positionFrom+cond+` ORDER BY p.sort_order, p.name, p.id`+s.pageSQL(p),
		append(args, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanPosition)
	return out, total, err
}

// AllPositions returns every position of a zone, for selects.
func (s *Store) AllPositions(ctx context.Context, zoneID int64) ([]*xinlu.Position, error) {
	var all []*xinlu.Position
	for page := 1; ; page++ {
		list, _, err := s.ListPositions(ctx, PositionFilter{ZoneID: zoneID, Page: xinlu.Page{Page: page, PerPage: xinlu.MaxPerPage}})
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if len(list) < xinlu.MaxPerPage {
			return all, nil
		}
	}
}

// PositionByID returns a position of the zone; other zones' positions are
// not found.
func (s *Store) PositionByID(ctx context.Context, zoneID, id int64) (*xinlu.Position, error) {
	p, err := scanPosition(s.queryRow(ctx, `SELECT `+positionColumns+positionFrom+` WHERE p.id = ? AND p.zone_id = ?`, id, zoneID))
	return p, s.translate(err)
}

func positionAudit(p *xinlu.Position) map[string]any {
	return map[string]any{"name": p.Name, "grade": p.Grade, "kind": p.Kind, "department_id": p.DepartmentID, "sort_order": p.SortOrder}
}

// staffDuplicate turns a unique violation (already translated) into the
// field's own message; other errors pass through.
func staffDuplicate(err error, field, key string) error {
	if e, ok := err.(*xinlu.Error); ok && e.Code == xinlu.ECONFLICT && e.Key == "error.duplicate" {
		return xinlu.Conflict(field, key)
	}
	return err
}

// CreatePosition inserts p; its department, if any, must be of the same zone.
func (s *Store) CreatePosition(ctx context.Context, a xinlu.Actor, p *xinlu.Position) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.sameZone(ctx, p.ZoneID, "departments", p.DepartmentID, "department_id"); err != nil {
			return err
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO positions (zone_id, department_id, name, grade, kind, sort_order, version, created_at, updated_at)
			VALUES (?,?,?,?,?,?,1,?,?)`, p.ZoneID, nullID(p.DepartmentID), p.Name, p.Grade, string(p.Kind), p.SortOrder, now, now)
		if err != nil {
			return staffDuplicate(err, "name", "position.name_taken")
		}
		p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, now, now
		return tx.audit(ctx, a, "position.create", "position", id, nil, positionAudit(p))
	})
}

// UpdatePosition saves p if p.Version is current.
func (s *Store) UpdatePosition(ctx context.Context, a xinlu.Actor, p *xinlu.Position) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanPosition(tx.queryRow(ctx, `SELECT `+positionColumns+positionFrom+` WHERE p.id = ? AND p.zone_id = ?`, p.ID, p.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if old.Version != p.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.Name == p.Name && old.Grade == p.Grade && old.Kind == p.Kind && old.DepartmentID == p.DepartmentID && old.SortOrder == p.SortOrder {
			// Saved unchanged: no version, no audit row.
			*p = *old
			return nil
		}
		if err := tx.sameZone(ctx, p.ZoneID, "departments", p.DepartmentID, "department_id"); err != nil {
			return err
		}
		now := s.Now()
		_, err = tx.exec(ctx, `UPDATE positions SET department_id = ?, name = ?, grade = ?, kind = ?, sort_order = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND zone_id = ?`,
			nullID(p.DepartmentID), p.Name, p.Grade, string(p.Kind), p.SortOrder, now, p.ID, p.ZoneID)
		if err != nil {
			return staffDuplicate(s.translate(err), "name", "position.name_taken")
		}
		p.Version, p.UpdatedAt, p.CreatedAt = old.Version+1, now, old.CreatedAt
		return tx.audit(ctx, a, "position.update", "position", p.ID, positionAudit(old), positionAudit(p))
	})
}

// DeletePosition removes a position of the zone that no member holds and no
// contract names.
func (s *Store) DeletePosition(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanPosition(tx.queryRow(ctx, `SELECT `+positionColumns+positionFrom+` WHERE p.id = ? AND p.zone_id = ?`, id, zoneID))
		if err != nil {
			return s.translate(err)
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		var members, contracts int
		if err := tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM members WHERE position_id = ?), (SELECT COUNT(*) FROM contracts WHERE position_id = ?)`,
			id, id).Scan(&members, &contracts); err != nil {
			return xinlu.Internal(err)
		}
		if members > 0 || contracts > 0 {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Key: "position.in_use", Args: []any{members, contracts}}
		}
		if _, err := tx.exec(ctx, `DELETE FROM positions WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "position.delete", "position", id, positionAudit(old), nil)
	})
}
