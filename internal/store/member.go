package store

import (
	"context"

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
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO members (zone_id, department_id, position_id, staff_no, name, gender, phone, id_number,
			status, joined_on, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)`,
			m.ZoneID, nullID(m.DepartmentID), nullID(m.PositionID), m.StaffNo, m.Name, m.Gender, m.Phone, m.IDNumber,
			string(m.Status), m.JoinedOn, now, now)
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
