package store

import (
	"context"
	"strings"

	"xinlu/internal/xinlu"
)

const contractColumns = `c.id, c.zone_id, c.member_id, COALESCE(c.position_id, 0), c.start_date, c.end_date, c.status, c.note,
	c.version, c.created_at, c.updated_at, m.name, COALESCE(d.name, ''), COALESCE(p.name, '')`

const contractFrom = ` FROM contracts c JOIN members m ON m.id = c.member_id
	LEFT JOIN departments d ON d.id = m.department_id LEFT JOIN positions p ON p.id = c.position_id`

func scanContract(sc interface{ Scan(...any) error }) (*xinlu.Contract, error) {
	c := &xinlu.Contract{}
	var status string
	err := sc.Scan(&c.ID, &c.ZoneID, &c.MemberID, &c.PositionID, &c.StartDate, &c.EndDate, &status, &c.Note,
		&c.Version, &c.CreatedAt, &c.UpdatedAt, &c.MemberName, &c.DepartmentName, &c.PositionName)
	c.Status = xinlu.ContractStatus(status)
	return c, err
}

// ContractFilter selects contracts for a member's page or the expiry list.
// Scope is the viewer's data scope over the contracts' members.
type ContractFilter struct {
	Scope    xinlu.ScopeFilter
	MemberID int64
	Status   xinlu.ContractStatus
	EndFrom  string // YYYY-MM-DD, inclusive; "" is open
	EndTo    string // YYYY-MM-DD, inclusive; "" is open
	Sort     string // "end" or "-end" by end date; otherwise newest start first
	xinlu.Page
}

// ListContracts returns one page of the contracts f selects, and the total.
func (s *Store) ListContracts(ctx context.Context, f ContractFilter) ([]*xinlu.Contract, int, error) {
	cond, args := memberScope(f.Scope)
	where := []string{cond}
	if f.MemberID != 0 {
		where, args = append(where, "c.member_id = ?"), append(args, f.MemberID)
	}
	if f.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, string(f.Status))
	}
	if f.EndFrom != "" {
		where, args = append(where, "c.end_date >= ?"), append(args, f.EndFrom)
	}
	if f.EndTo != "" {
		where, args = append(where, "c.end_date <= ?"), append(args, f.EndTo)
	}
	w := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM contracts c JOIN members m ON m.id = c.member_id`+w, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	order := ` ORDER BY c.start_date DESC, c.id DESC`
	switch f.Sort {
	case "end":
		order = ` ORDER BY c.end_date, m.staff_no, c.id`
	case "-end":
		order = ` ORDER BY c.end_date DESC, m.staff_no, c.id`
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+contractColumns+contractFrom+w+order+s.pageSQL(p), append(args, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanContract)
	return out, total, err
}

// ContractByID returns a contract whose member is within scope.
func (s *Store) ContractByID(ctx context.Context, scope xinlu.ScopeFilter, id int64) (*xinlu.Contract, error) {
	cond, args := memberScope(scope)
	c, err := scanContract(s.queryRow(ctx, `SELECT `+contractColumns+contractFrom+` WHERE c.id = ? AND `+cond, append([]any{id}, args...)...))
	return c, s.translate(err)
}

func contractAudit(c *xinlu.Contract) map[string]any {
	return map[string]any{"member_id": c.MemberID, "position_id": c.PositionID, "start_date": c.StartDate,
		"end_date": c.EndDate, "status": c.Status, "note": c.Note}
}

// checkContract verifies a contract's references inside the zone and that
// the member would not hold two active contracts.
func (tx *Tx) checkContract(ctx context.Context, c *xinlu.Contract) error {
	if err := tx.sameZone(ctx, c.ZoneID, "positions", c.PositionID, "position_id"); err != nil {
		return err
	}
	if c.Status != xinlu.ContractActive {
		return nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM contracts WHERE member_id = ? AND status = 'active' AND id <> ?`,
		c.MemberID, c.ID).Scan(&n); err != nil {
		return xinlu.Internal(err)
	}
	if n > 0 {
		return xinlu.Conflict("status", "contract.active_exists")
	}
	return nil
}

// CreateContract adds a contract for c.MemberID, who must be a member of
// c.ZoneID (otherwise not found). A member holds at most one active contract.
func (s *Store) CreateContract(ctx context.Context, a xinlu.Actor, c *xinlu.Contract) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.memberInZone(ctx, c.ZoneID, c.MemberID); err != nil {
			return err
		}
		c.ID = 0
		if err := tx.checkContract(ctx, c); err != nil {
			return err
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO contracts (zone_id, member_id, position_id, start_date, end_date, status, note,
			version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,1,?,?)`,
			c.ZoneID, c.MemberID, nullID(c.PositionID), c.StartDate, c.EndDate, string(c.Status), c.Note, now, now)
		if err != nil {
			return staffDuplicate(err, "status", "contract.active_exists")
		}
		c.ID, c.Version, c.CreatedAt, c.UpdatedAt = id, 1, now, now
		return tx.audit(ctx, a, "contract.create", "contract", id, nil, contractAudit(c))
	})
}

// UpdateContract saves c, a contract of c.ZoneID, if c.Version is current.
// The member stays the one the contract was made for.
func (s *Store) UpdateContract(ctx context.Context, a xinlu.Actor, c *xinlu.Contract) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanContract(tx.queryRow(ctx, `SELECT `+contractColumns+contractFrom+` WHERE c.id = ? AND c.zone_id = ?`, c.ID, c.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if old.Version != c.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		c.MemberID = old.MemberID
		if old.PositionID == c.PositionID && old.StartDate == c.StartDate && old.EndDate == c.EndDate &&
			old.Status == c.Status && old.Note == c.Note {
			// Saved unchanged: no version, no audit row.
			*c = *old
			return nil
		}
		if err := tx.checkContract(ctx, c); err != nil {
			return err
		}
		now := s.Now()
		_, err = tx.exec(ctx, `UPDATE contracts SET position_id = ?, start_date = ?, end_date = ?, status = ?, note = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND zone_id = ?`,
			nullID(c.PositionID), c.StartDate, c.EndDate, string(c.Status), c.Note, now, c.ID, c.ZoneID)
		if err != nil {
			return staffDuplicate(s.translate(err), "status", "contract.active_exists")
		}
		c.Version, c.UpdatedAt, c.CreatedAt = old.Version+1, now, old.CreatedAt
		c.MemberName, c.DepartmentName = old.MemberName, old.DepartmentName
		return tx.audit(ctx, a, "contract.update", "contract", c.ID, contractAudit(old), contractAudit(c))
	})
}

// DeleteContract removes a contract of the zone.
func (s *Store) DeleteContract(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanContract(tx.queryRow(ctx, `SELECT `+contractColumns+contractFrom+` WHERE c.id = ? AND c.zone_id = ?`, id, zoneID))
		if err != nil {
			return s.translate(err)
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if _, err := tx.exec(ctx, `DELETE FROM contracts WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "contract.delete", "contract", id, contractAudit(old), nil)
	})
}
