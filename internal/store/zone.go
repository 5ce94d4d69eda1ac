package store

import (
	"context"
	"database/sql"
	"strings"

	"xinlu/internal/xinlu"
)

// CreateZone inserts a zone.
func (s *Store) CreateZone(ctx context.Context, a xinlu.Actor, z *xinlu.Zone) error {
	z.Code, z.Name = strings.TrimSpace(z.Code), strings.TrimSpace(z.Name)
	if z.Code == "" {
		return xinlu.Invalid("code", "error.required")
	}
	if z.Name == "" {
		return xinlu.Invalid("name", "error.required")
	}
	return s.inTx(ctx, func(tx *Tx) error {
		z.CreatedAt = s.Now()
		id, err := tx.insert(ctx, `INSERT INTO zones (code, name, demo, created_at) VALUES (?,?,?,?)`, z.Code, z.Name, z.Demo, z.CreatedAt)
		if err != nil {
			return err
		}
		z.ID = id
		a.ZoneID = id
		return tx.audit(ctx, a, "zone.create", "zone", id, nil, z)
	})
}

// ZoneByCode returns the zone with that code.
func (s *Store) ZoneByCode(ctx context.Context, code string) (*xinlu.Zone, error) {
	z := &xinlu.Zone{}
	err := s.queryRow(ctx, `SELECT id, code, name, demo, created_at FROM zones WHERE code = ?`, code).Scan(&z.ID, &z.Code, &z.Name, &z.Demo, &z.CreatedAt)
	return z, s.translate(err)
}

// ZoneByID returns one zone.
func (s *Store) ZoneByID(ctx context.Context, id int64) (*xinlu.Zone, error) {
	z := &xinlu.Zone{}
	err := s.queryRow(ctx, `SELECT id, code, name, demo, created_at FROM zones WHERE id = ?`, id).Scan(&z.ID, &z.Code, &z.Name, &z.Demo, &z.CreatedAt)
	return z, s.translate(err)
}

// Zones lists every zone.
func (s *Store) Zones(ctx context.Context) ([]xinlu.Zone, error) {
	rows, err := s.query(ctx, `SELECT id, code, name, demo, created_at FROM zones ORDER BY id`)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []xinlu.Zone
	for rows.Next() {
		var z xinlu.Zone
		if err := rows.Scan(&z.ID, &z.Code, &z.Name, &z.Demo, &z.CreatedAt); err != nil {
			return nil, xinlu.Internal(err)
		}
		out = append(out, z)
	}
	return out, rows.Err()
}

const departmentColumns = `d.id, d.zone_id, COALESCE(d.parent_id, 0), d.code, d.name, d.sort_order, d.version, d.created_at, d.updated_at,
	COALESCE(p.name, ''), (SELECT COUNT(*) FROM members m WHERE m.department_id = d.id)`

const departmentFrom = ` FROM departments d LEFT JOIN departments p ON p.id = d.parent_id`

func scanDepartment(sc interface{ Scan(...any) error }) (*xinlu.Department, error) {
	d := &xinlu.Department{}
	err := sc.Scan(&d.ID, &d.ZoneID, &d.ParentID, &d.Code, &d.Name, &d.SortOrder, &d.Version, &d.CreatedAt, &d.UpdatedAt,
		&d.ParentName, &d.MemberCount)
	return d, err
}

// DepartmentFilter selects departments for a list.
type DepartmentFilter struct {
	ZoneID   int64
	Query    string // code or name
	ParentID int64
	xinlu.Page
}

// ListDepartments returns one page of a zone's departments and the total.
func (s *Store) ListDepartments(ctx context.Context, f DepartmentFilter) ([]*xinlu.Department, int, error) {
	where, args := []string{"d.zone_id = ?"}, []any{f.ZoneID}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(d.code "+s.likeOp()+" ? ESCAPE '\\' OR d.name "+s.likeOp()+" ? ESCAPE '\\')")
		args = append(args, likePattern(q), likePattern(q))
	}
	if f.ParentID != 0 {
		where, args = append(where, "d.parent_id = ?"), append(args, f.ParentID)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM departments d`+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+departmentColumns+departmentFrom+cond+` ORDER BY d.sort_order, d.code`+s.pageSQL(p),
		append(args, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanDepartment)
	return out, total, err
}

// AllDepartments returns every department of a zone, for trees and selects.
func (s *Store) AllDepartments(ctx context.Context, zoneID int64) ([]*xinlu.Department, error) {
	list, _, err := s.ListDepartments(ctx, DepartmentFilter{ZoneID: zoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return nil, err
	}
	// Zones have a handful to a few dozen departments; page on beyond the first 200.
	for page := 2; len(list) == (page-1)*xinlu.MaxPerPage; page++ {
		more, _, err := s.ListDepartments(ctx, DepartmentFilter{ZoneID: zoneID, Page: xinlu.Page{Page: page, PerPage: xinlu.MaxPerPage}})
		if err != nil {
			return nil, err
		}
		list = append(list, more...)
	}
	return list, nil
}

// DepartmentByID returns a department of the zone; other zones' departments
// are not found.
func (s *Store) DepartmentByID(ctx context.Context, zoneID, id int64) (*xinlu.Department, error) {
	d, err := scanDepartment(s.queryRow(ctx, `SELECT `+departmentColumns+departmentFrom+` WHERE d.id = ? AND d.zone_id = ?`, id, zoneID))
	return d, s.translate(err)
}

// DepartmentByCode returns a department of the zone by its code.
func (s *Store) DepartmentByCode(ctx context.Context, zoneID int64, code string) (*xinlu.Department, error) {
	d, err := scanDepartment(s.queryRow(ctx, `SELECT `+departmentColumns+departmentFrom+` WHERE d.code = ? AND d.zone_id = ?`, code, zoneID))
	return d, s.translate(err)
}

// checkParent verifies that a department's parent is in the same zone and
// would not make a cycle.
func (tx *Tx) checkParent(ctx context.Context, d *xinlu.Department) error {
	if d.ParentID == 0 {
		return nil
	}
	var chain []int64
	for id := d.ParentID; id != 0 && len(chain) < 64; {
		var zone int64
		var parent sql.NullInt64
		err := tx.queryRow(ctx, `SELECT zone_id, parent_id FROM departments WHERE id = ?`, id).Scan(&zone, &parent)
		if err == sql.ErrNoRows || (err == nil && zone != d.ZoneID) {
			return xinlu.Invalid("parent_id", "department.parent_missing")
		} else if err != nil {
			return xinlu.Internal(err)
		}
		chain = append(chain, id)
		id = parent.Int64
	}
	return d.CheckParent(chain)
}

// CreateDepartment inserts d.
func (s *Store) CreateDepartment(ctx context.Context, a xinlu.Actor, d *xinlu.Department) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.checkParent(ctx, d); err != nil {
			return err
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO departments (zone_id, parent_id, code, name, sort_order, version, created_at, updated_at)
			VALUES (?,?,?,?,?,1,?,?)`, d.ZoneID, nullID(d.ParentID), d.Code, d.Name, d.SortOrder, now, now)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("code", "department.code_taken")
			}
			return err
		}
		d.ID, d.Version, d.CreatedAt, d.UpdatedAt = id, 1, now, now
		return tx.audit(ctx, a, "department.create", "department", id, nil, departmentAudit(d))
	})
}

func departmentAudit(d *xinlu.Department) map[string]any {
	return map[string]any{"code": d.Code, "name": d.Name, "parent_id": d.ParentID, "sort_order": d.SortOrder}
}

// UpdateDepartment saves d if d.Version is current.
func (s *Store) UpdateDepartment(ctx context.Context, a xinlu.Actor, d *xinlu.Department) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanDepartment(tx.queryRow(ctx, `SELECT `+departmentColumns+departmentFrom+` WHERE d.id = ? AND d.zone_id = ?`, d.ID, d.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if old.Version != d.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.Code == d.Code && old.Name == d.Name && old.ParentID == d.ParentID && old.SortOrder == d.SortOrder {
			// Saved unchanged: no version, no audit row.
			*d = *old
			return nil
		}
		if err := tx.checkParent(ctx, d); err != nil {
			return err
		}
		now := s.Now()
		_, err = tx.exec(ctx, `UPDATE departments SET parent_id = ?, code = ?, name = ?, sort_order = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND zone_id = ?`, nullID(d.ParentID), d.Code, d.Name, d.SortOrder, now, d.ID, d.ZoneID)
		if err != nil {
			if err := s.translate(err); xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("code", "department.code_taken")
			}
			return s.translate(err)
		}
		d.Version, d.UpdatedAt, d.CreatedAt = old.Version+1, now, old.CreatedAt
		return tx.audit(ctx, a, "department.update", "department", d.ID, departmentAudit(old), departmentAudit(d))
	})
}

// DeleteDepartment removes an empty department of the zone. A department
// with sub-departments or members is refused.
func (s *Store) DeleteDepartment(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanDepartment(tx.queryRow(ctx, `SELECT `+departmentColumns+departmentFrom+` WHERE d.id = ? AND d.zone_id = ?`, id, zoneID))
		if err != nil {
			return s.translate(err)
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		var children int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM departments WHERE parent_id = ?`, id).Scan(&children); err != nil {
			return xinlu.Internal(err)
		}
		if children > 0 || old.MemberCount > 0 {
			return xinlu.Conflict("", "department.not_empty")
		}
		if _, err := tx.exec(ctx, `DELETE FROM departments WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "department.delete", "department", id, departmentAudit(old), nil)
	})
}

// ZoneSummary is the zone at a glance on the home page.
type ZoneSummary struct {
	Departments     int
	Members         int
	Users           int
	Teams           int
	Parks           int
	ContractsEnding int // active contracts ending within 60 days
}

// Summary counts a zone's organisation; today is the zone's current date.
func (s *Store) Summary(ctx context.Context, zoneID int64, today string, until string) (ZoneSummary, error) {
	var z ZoneSummary
	err := s.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM departments WHERE zone_id = ?),
		(SELECT COUNT(*) FROM members WHERE zone_id = ? AND status <> 'left'),
		(SELECT COUNT(*) FROM users WHERE zone_id = ?),
		(SELECT COUNT(*) FROM teams WHERE zone_id = ?),
		(SELECT COUNT(*) FROM parks WHERE zone_id = ?),
		(SELECT COUNT(*) FROM contracts WHERE zone_id = ? AND status = 'active' AND end_date >= ? AND end_date <= ?)`,
		zoneID, zoneID, zoneID, zoneID, zoneID, zoneID, today, until).
		Scan(&z.Departments, &z.Members, &z.Users, &z.Teams, &z.Parks, &z.ContractsEnding)
	return z, s.translate(err)
}
