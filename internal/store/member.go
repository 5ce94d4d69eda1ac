package store

import (
	"context"
	"strings"

	"xinlu/internal/xinlu"
)

// memberAudit is what the audit log keeps of a member: personal data masked.
func memberAudit(m *xinlu.Member) map[string]any {
	return map[string]any{
		"staff_no": m.StaffNo, "name": m.Name, "department_id": m.DepartmentID, "position_id": m.PositionID,
		"gender": m.Gender, "phone": xinlu.MaskPhone(m.Phone), "id_number": xinlu.MaskIDNumber(m.IDNumber),
		"status": m.Status, "joined_on": m.JoinedOn,
	}
}

// sameMember tells whether m, as typed, changes nothing of the stored old.
func sameMember(old, m *xinlu.Member) bool {
	return old.DepartmentID == m.DepartmentID && old.PositionID == m.PositionID && old.StaffNo == m.StaffNo &&
		old.Name == m.Name && old.Gender == m.Gender && old.Phone == m.Phone && old.IDNumber == m.IDNumber &&
		old.Status == m.Status && old.JoinedOn == m.JoinedOn
}

// subDepartments selects the id of a department and of every department
// beneath it (a department's children are always of its zone). Its one
// parameter is the department. The recursive CTE runs the same on SQLite and
// PostgreSQL; UNION rather than UNION ALL stops at a cycle, should one exist.
const subDepartments = `WITH RECURSIVE sub(id) AS (
	SELECT id FROM departments WHERE id = ?
	UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id)
	SELECT id FROM sub`

// memberScope turns a data scope into a condition on members aliased m, so
// that scope is part of every query that reads members or their records.
// A scope that reaches nothing gives a condition that matches nothing.
func memberScope(f xinlu.ScopeFilter) (string, []any) {
	own := func() (string, []any) {
		if f.MemberID == 0 {
			return "1 = 0", nil
		}
		return "(m.zone_id = ? AND m.id = ?)", []any{f.ZoneID, f.MemberID}
	}
	switch f.Scope {
	case xinlu.ScopeAllZones:
		return "1 = 1", nil
	case xinlu.ScopeZone:
		return "m.zone_id = ?", []any{f.ZoneID}
	case xinlu.ScopeDepartment:
		if f.DepartmentID == 0 {
			// Someone with department scope but no department sees themself.
			return own()
		}
		return "(m.zone_id = ? AND m.department_id IN (" + subDepartments + "))", []any{f.ZoneID, f.DepartmentID}
	case xinlu.ScopeOwn:
		return own()
	}
	return "1 = 0", nil
}

const memberColumns = `m.id, m.zone_id, COALESCE(m.department_id, 0), COALESCE(m.position_id, 0), m.staff_no, m.name, m.gender,
	m.phone, m.id_number, m.status, m.joined_on, m.version, m.created_at, m.updated_at,
	COALESCE(d.name, ''), COALESCE(p.name, ''),
	COALESCE((SELECT MAX(c.end_date) FROM contracts c WHERE c.member_id = m.id AND c.status = 'active'), '')`

const memberFrom = ` FROM members m LEFT JOIN departments d ON d.id = m.department_id LEFT JOIN positions p ON p.id = m.position_id`

// memberOrder lists members the way a roster reads: by department, leaders
// first, then by staff number.
const memberOrder = ` ORDER BY COALESCE(d.sort_order, 1000000), COALESCE(d.code, ''), COALESCE(p.sort_order, 1000000), m.staff_no, m.id`

func scanMember(sc interface{ Scan(...any) error }) (*xinlu.Member, error) {
	m := &xinlu.Member{}
	var status string
	err := sc.Scan(&m.ID, &m.ZoneID, &m.DepartmentID, &m.PositionID, &m.StaffNo, &m.Name, &m.Gender,
		&m.Phone, &m.IDNumber, &status, &m.JoinedOn, &m.Version, &m.CreatedAt, &m.UpdatedAt,
		&m.DepartmentName, &m.PositionName, &m.ContractEnd)
	m.Status = xinlu.MemberStatus(status)
	return m, err
}

// MemberFilter selects members for a list or the roster export. Scope is
// the viewer's data scope and is always applied.
type MemberFilter struct {
	Scope        xinlu.ScopeFilter
	Query        string // name or staff number
	DepartmentID int64  // this department and the ones beneath it
	Status       xinlu.MemberStatus
	xinlu.Page
}

func (s *Store) memberWhere(f MemberFilter) (string, []any) {
	cond, args := memberScope(f.Scope)
	where := []string{cond}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(m.name "+s.likeOp()+" ? ESCAPE '\\' OR m.staff_no "+s.likeOp()+" ? ESCAPE '\\')")
		args = append(args, likePattern(q), likePattern(q))
	}
	if f.DepartmentID != 0 {
		where = append(where, "m.department_id IN ("+subDepartments+")")
		args = append(args, f.DepartmentID)
	}
	if f.Status != "" {
		where, args = append(where, "m.status = ?"), append(args, string(f.Status))
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

func (s *Store) scanMembers(ctx context.Context, q string, args ...any) ([]*xinlu.Member, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []*xinlu.Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, xinlu.Internal(err)
		}
		if err := s.openMember(m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, s.translate(rows.Err())
}

// ListMembers returns one page of the members f's scope reaches, and the total.
func (s *Store) ListMembers(ctx context.Context, f MemberFilter) ([]*xinlu.Member, int, error) {
	cond, args := s.memberWhere(f)
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM members m`+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	out, err := s.scanMembers(ctx, `SELECT `+memberColumns+memberFrom+cond+memberOrder+s.pageSQL(p),
		append(args, s.pageArgs(p)...)...)
	return out, total, err
}

// MaxRosterRows bounds one roster export.
const MaxRosterRows = 50000

// RosterMembers returns every member f selects (its page is ignored), up to
// MaxRosterRows, for the Excel roster.
func (s *Store) RosterMembers(ctx context.Context, f MemberFilter) ([]*xinlu.Member, error) {
	cond, args := s.memberWhere(f)
	return s.scanMembers(ctx, `SELECT `+memberColumns+memberFrom+cond+memberOrder+` LIMIT ?`, append(args, MaxRosterRows)...)
}

// MemberByID returns a member within scope; one outside it is not found.
func (s *Store) MemberByID(ctx context.Context, scope xinlu.ScopeFilter, id int64) (*xinlu.Member, error) {
	cond, args := memberScope(scope)
	m, err := scanMember(s.queryRow(ctx, `SELECT `+memberColumns+memberFrom+` WHERE m.id = ? AND `+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, s.translate(err)
	}
	return m, s.openMember(m)
}

func (tx *Tx) memberInZone(ctx context.Context, zoneID, id int64) (*xinlu.Member, error) {
	m, err := scanMember(tx.queryRow(ctx, `SELECT `+memberColumns+memberFrom+` WHERE m.id = ? AND m.zone_id = ?`, id, zoneID))
	if err != nil {
		return nil, tx.s.translate(err)
	}
	return m, tx.s.openMember(m)
}

// CreateMember inserts a member of m.ZoneID; department and position must
// belong to the same zone.
func (s *Store) CreateMember(ctx context.Context, a xinlu.Actor, m *xinlu.Member) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.sameZone(ctx, m.ZoneID, "departments", m.DepartmentID, "department_id"); err != nil {
			return err
		}
		if err := tx.sameZone(ctx, m.ZoneID, "positions", m.PositionID, "position_id"); err != nil {
			return err
		}
		sealed, err := tx.sealMember(ctx, m)
		if err != nil {
			return err
		}
		now := s.Now()
		leftOn := xinlu.LeftOn("", m.Status, "", s.today().Format(xinlu.DateLayout))
		id, err := tx.insert(ctx, `INSERT INTO members (zone_id, department_id, position_id, staff_no, name, gender, phone, id_number,
			phone_hash, id_number_hash, status, joined_on, left_on, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`,
			m.ZoneID, nullID(m.DepartmentID), nullID(m.PositionID), m.StaffNo, m.Name, m.Gender, sealed.phone, sealed.idNumber,
			sealed.phoneHash, sealed.idNumberHash, string(m.Status), m.JoinedOn, leftOn, now, now)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("staff_no", "member.staff_no_taken")
			}
			return err
		}
		m.ID, m.Version, m.CreatedAt, m.UpdatedAt = id, 1, now, now
		return tx.audit(ctx, a, "member.create", "member", id, nil, memberAudit(m))
	})
}

// UpdateMember saves m, a member of m.ZoneID, if m.Version is current.
func (s *Store) UpdateMember(ctx context.Context, a xinlu.Actor, m *xinlu.Member) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.memberInZone(ctx, m.ZoneID, m.ID)
		if err != nil {
			return err
		}
		if old.Version != m.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if sameMember(old, m) {
			// Saved unchanged: no version, no audit row.
			m.CreatedAt, m.UpdatedAt = old.CreatedAt, old.UpdatedAt
			return nil
		}
		if err := tx.sameZone(ctx, m.ZoneID, "departments", m.DepartmentID, "department_id"); err != nil {
			return err
		}
		if err := tx.sameZone(ctx, m.ZoneID, "positions", m.PositionID, "position_id"); err != nil {
			return err
		}
		sealed, err := tx.sealMember(ctx, m)
		if err != nil {
			return err
		}
		var oldLeftOn string
		if err := tx.queryRow(ctx, `SELECT left_on FROM members WHERE id = ?`, m.ID).Scan(&oldLeftOn); err != nil {
			return s.translate(err)
		}
		now := s.Now()
		leftOn := xinlu.LeftOn(old.Status, m.Status, oldLeftOn, s.today().Format(xinlu.DateLayout))
		_, err = tx.exec(ctx, `UPDATE members SET department_id = ?, position_id = ?, staff_no = ?, name = ?, gender = ?, phone = ?,
			id_number = ?, phone_hash = ?, id_number_hash = ?, status = ?, joined_on = ?, left_on = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND zone_id = ?`,
			nullID(m.DepartmentID), nullID(m.PositionID), m.StaffNo, m.Name, m.Gender, sealed.phone, sealed.idNumber,
			sealed.phoneHash, sealed.idNumberHash, string(m.Status), m.JoinedOn, leftOn, now, m.ID, m.ZoneID)
		if err != nil {
			return staffDuplicate(s.translate(err), "staff_no", "member.staff_no_taken")
		}
		m.Version, m.UpdatedAt, m.CreatedAt = old.Version+1, now, old.CreatedAt
		return tx.audit(ctx, a, "member.update", "member", m.ID, memberAudit(old), memberAudit(m))
	})
}

// DeleteMember removes a member of the zone entered by mistake. A member
// with an account, contracts or terms is refused: people who leave get the
// status "left" so that their history stays.
func (s *Store) DeleteMember(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.memberInZone(ctx, zoneID, id)
		if err != nil {
			return err
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		var accounts, contracts, terms int
		if err := tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM users WHERE member_id = ?),
			(SELECT COUNT(*) FROM contracts WHERE member_id = ?), (SELECT COUNT(*) FROM terms WHERE member_id = ?)`,
			id, id, id).Scan(&accounts, &contracts, &terms); err != nil {
			return xinlu.Internal(err)
		}
		switch {
		case accounts > 0:
			return xinlu.Conflict("", "member.has_account")
		case contracts > 0 || terms > 0:
			return xinlu.Conflict("", "member.has_records")
		}
		if _, err := tx.exec(ctx, `DELETE FROM members WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "member.delete", "member", id, memberAudit(old), nil)
	})
}

// sameZone checks that an optional reference (id 0 is none) points at a row
// of table in zoneID; otherwise the field is invalid. table is a constant.
func (tx *Tx) sameZone(ctx context.Context, zoneID int64, table string, id int64, field string) error {
	if id == 0 {
		return nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = ? AND zone_id = ?`, id, zoneID).Scan(&n); err != nil {
		return xinlu.Internal(err)
	}
	if n == 0 {
		return xinlu.Invalid(field, "error.reference_missing")
	}
	return nil
}
