package store

import (
	"context"
	"strings"

	"xinlu/internal/xinlu"
)

const castingColumns = `c.id, c.zone_id, c.enterprise, c.process, c.tonnes, c.status, c.retired_on, c.verified, c.verify_note,
	COALESCE(k.plan_id, 0), c.version, c.created_at, c.updated_at`

const castingFrom = ` FROM casting_capacity c LEFT JOIN casting_claims k ON k.capacity_id = c.id`

func scanCasting(sc scanner) (xinlu.CastingCapacity, error) {
	var c xinlu.CastingCapacity
	var status string
	err := sc.Scan(&c.ID, &c.ZoneID, &c.Enterprise, &c.Process, &c.Tonnes, &status, &c.RetiredOn, &c.Verified, &c.VerifyNote,
		&c.PlanID, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	c.Status = xinlu.CastingStatus(status)
	return c, err
}

// CastingRegister returns the zone's casting capacity by enterprise.
func (s *Store) CastingRegister(ctx context.Context, zoneID int64) ([]xinlu.CastingCapacity, error) {
	rows, err := s.query(ctx, `SELECT `+castingColumns+castingFrom+` WHERE c.zone_id = ? ORDER BY c.enterprise, c.id`, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanCasting)
}

// CastingByID returns one register entry of the zone.
func (s *Store) CastingByID(ctx context.Context, zoneID, id int64) (*xinlu.CastingCapacity, error) {
	c, err := scanCasting(s.queryRow(ctx, `SELECT `+castingColumns+castingFrom+` WHERE c.id = ? AND c.zone_id = ?`, id, zoneID))
	if err != nil {
		return nil, s.translate(err)
	}
	return &c, nil
}

func castingAudit(c *xinlu.CastingCapacity) map[string]any {
	return map[string]any{"enterprise": c.Enterprise, "process": c.Process, "tonnes": c.Tonnes, "status": string(c.Status),
		"retired_on": c.RetiredOn, "verified": c.Verified, "verify_note": c.VerifyNote}
}

// CreateCasting records casting capacity.
func (s *Store) CreateCasting(ctx context.Context, a xinlu.Actor, c *xinlu.CastingCapacity) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO casting_capacity (zone_id, enterprise, process, tonnes, status, retired_on, verified, verify_note,
			version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,1,?,?)`, c.ZoneID, c.Enterprise, c.Process, c.Tonnes, string(c.Status),
			c.RetiredOn, c.Verified, c.VerifyNote, now, now)
		if err != nil {
			return err
		}
		c.ID, c.Version, c.CreatedAt, c.UpdatedAt = id, 1, now, now
		return tx.audit(ctx, a, "casting.create", "casting_capacity", id, nil, castingAudit(c))
	})
}

// UpdateCasting saves a register entry (retirement, verification) if
// c.Version is current. Capacity a plan counts keeps its tonnes.
func (s *Store) UpdateCasting(ctx context.Context, a xinlu.Actor, c *xinlu.CastingCapacity) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		q := `SELECT ` + castingColumns + castingFrom + ` WHERE c.id = ? AND c.zone_id = ?`
		if s.dialect == Postgres {
			q += ` FOR UPDATE OF c`
		}
		old, err := scanCasting(tx.queryRow(ctx, q, c.ID, c.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if old.Version != c.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.PlanID != 0 && old.Tonnes != c.Tonnes {
			return xinlu.Conflict("tonnes", "casting.claimed_tonnes_fixed")
		}
		now := s.Now()
		res, err := tx.exec(ctx, `UPDATE casting_capacity SET enterprise = ?, process = ?, tonnes = ?, status = ?, retired_on = ?, verified = ?,
			verify_note = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, c.Enterprise, c.Process, c.Tonnes, string(c.Status),
			c.RetiredOn, c.Verified, c.VerifyNote, now, c.ID, old.Version)
		if err != nil {
			return s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		c.Version, c.UpdatedAt, c.CreatedAt, c.PlanID = old.Version+1, now, old.CreatedAt, old.PlanID
		return tx.audit(ctx, a, "casting.update", "casting_capacity", c.ID, castingAudit(&old), castingAudit(c))
	})
}

// CastingRatio is the zone's required ratio of retired to new capacity.
func (s *Store) CastingRatio(ctx context.Context, zoneID int64) (float64, error) {
	var r float64
	err := s.queryRow(ctx, `SELECT ratio FROM casting_settings WHERE zone_id = ?`, zoneID).Scan(&r)
	if xinlu.ErrorCode(s.translate(err)) == xinlu.ENOTFOUND {
		return xinlu.DefaultCastRatio, nil
	}
	if err != nil {
		return 0, xinlu.Internal(err)
	}
	return r, nil
}

// SetCastingRatio sets the zone's required ratio for plans made from now on.
func (s *Store) SetCastingRatio(ctx context.Context, a xinlu.Actor, zoneID int64, ratio float64) error {
	if err := xinlu.ValidateRatio(ratio); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := s.CastingRatio(ctx, zoneID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM casting_settings WHERE zone_id = ?`, zoneID); err != nil {
			return s.translate(err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO casting_settings (zone_id, ratio, updated_at) VALUES (?,?,?)`, zoneID, ratio, s.Now()); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "casting.ratio", "zone", zoneID, map[string]any{"ratio": old}, map[string]any{"ratio": ratio})
	})
}

const planColumns = `p.id, p.zone_id, p.project_id, p.new_tonnes, p.ratio, p.status, p.note, p.version, p.created_at, p.updated_at, j.name`

func scanPlan(sc scanner) (*xinlu.ReplacementPlan, error) {
	p := &xinlu.ReplacementPlan{}
	var status string
	err := sc.Scan(&p.ID, &p.ZoneID, &p.ProjectID, &p.NewTonnes, &p.Ratio, &status, &p.Note, &p.Version, &p.CreatedAt, &p.UpdatedAt, &p.ProjectName)
	p.Status = xinlu.PlanStatus(status)
	return p, err
}

// CastingPlans returns the zone's replacement plans (one project's when
// projectID is set), newest first, with the capacity each counts.
func (s *Store) CastingPlans(ctx context.Context, zoneID, projectID int64) ([]*xinlu.ReplacementPlan, error) {
	q, args := `SELECT `+planColumns+` FROM casting_plans p JOIN projects j ON j.id = p.project_id WHERE p.zone_id = ?`, []any{zoneID}
	if projectID != 0 {
		q, args = q+` AND p.project_id = ?`, append(args, projectID)
	}
	rows, err := s.query(ctx, q+` ORDER BY p.id DESC`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	plans, err := collect(rows, scanPlan)
	if err != nil {
		return nil, err
	}
	reg, err := s.CastingRegister(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	at := map[int64]*xinlu.ReplacementPlan{}
	for _, p := range plans {
		at[p.ID] = p
	}
	for _, c := range reg {
		if p, ok := at[c.PlanID]; ok {
			p.Claimed = append(p.Claimed, c)
		}
	}
	return plans, nil
}

func (tx *Tx) castingPlans(ctx context.Context, zoneID, projectID int64) ([]*xinlu.ReplacementPlan, error) {
	rows, err := tx.query(ctx, `SELECT `+planColumns+` FROM casting_plans p JOIN projects j ON j.id = p.project_id WHERE p.zone_id = ? AND p.project_id = ?
		ORDER BY p.id`, zoneID, projectID)
	if err != nil {
		return nil, tx.s.translate(err)
	}
	plans, err := collect(rows, scanPlan)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		if err := tx.loadClaims(ctx, p); err != nil {
			return nil, err
		}
	}
	return plans, nil
}

func (tx *Tx) loadClaims(ctx context.Context, p *xinlu.ReplacementPlan) error {
	rows, err := tx.query(ctx, `SELECT `+castingColumns+castingFrom+` WHERE k.plan_id = ? ORDER BY c.id`, p.ID)
	if err != nil {
		return tx.s.translate(err)
	}
	p.Claimed, err = collect(rows, scanCasting)
	return err
}

func (tx *Tx) planForUpdate(ctx context.Context, zoneID, id int64) (*xinlu.ReplacementPlan, error) {
	q := `SELECT ` + planColumns + ` FROM casting_plans p JOIN projects j ON j.id = p.project_id WHERE p.id = ? AND p.zone_id = ?`
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE OF p`
	}
	p, err := scanPlan(tx.queryRow(ctx, q, id, zoneID))
	if err != nil {
		return nil, tx.s.translate(err)
	}
	return p, tx.loadClaims(ctx, p)
}

func planAudit(p *xinlu.ReplacementPlan) map[string]any {
	ids := []int64{}
	for _, c := range p.Claimed {
		ids = append(ids, c.ID)
	}
	return map[string]any{"project_id": p.ProjectID, "new_tonnes": p.NewTonnes, "ratio": p.Ratio, "status": string(p.Status),
		"claimed": ids, "claimed_tonnes": p.ClaimedTonnes(), "note": p.Note}
}

// CreateCastingPlan makes a draft plan for a casting project of the zone
// with the zone's ratio of today.
func (s *Store) CreateCastingPlan(ctx context.Context, a xinlu.Actor, p *xinlu.ReplacementPlan) error {
	if p.NewTonnes <= 0 || p.NewTonnes > xinlu.MaxCastingTonnes {
		return xinlu.Invalid("new_tonnes", "error.out_of_range", 0, xinlu.MaxCastingTonnes)
	}
	note, err := xinlu.Text("note", p.Note)
	if err != nil {
		return err
	}
	p.Note = note
	return s.inTx(ctx, func(tx *Tx) error {
		var industry string
		if err := tx.queryRow(ctx, `SELECT industry FROM projects WHERE id = ? AND zone_id = ?`, p.ProjectID, p.ZoneID).Scan(&industry); err != nil {
			return xinlu.Invalid("project_id", "error.invalid_choice")
		}
		if industry != "casting" {
			return xinlu.Invalid("project_id", "casting.not_casting")
		}
		ratio, err := s.CastingRatio(ctx, p.ZoneID)
		if err != nil {
			return err
		}
		now := s.Now()
		p.Ratio, p.Status = ratio, xinlu.PlanDraft
		id, err := tx.insert(ctx, `INSERT INTO casting_plans (zone_id, project_id, new_tonnes, ratio, status, note, version, created_at, updated_at)
			VALUES (?,?,?,?,?,?,1,?,?)`, p.ZoneID, p.ProjectID, p.NewTonnes, p.Ratio, string(p.Status), p.Note, now, now)
		if err != nil {
			return err
		}
		p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, now, now
		return tx.audit(ctx, a, "casting_plan.create", "casting_plan", id, nil, planAudit(p))
	})
}

// ClaimCapacity makes a draft plan count register entries of the zone.
// An entry another plan counts already is refused: naming it, whichever
// plan claimed it first, even at the same moment (the claim's key).
func (s *Store) ClaimCapacity(ctx context.Context, a xinlu.Actor, zoneID, planID int64, version int, capacityIDs []int64) (*xinlu.ReplacementPlan, error) {
	var out *xinlu.ReplacementPlan
	err := s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.planForUpdate(ctx, zoneID, planID)
		if err != nil {
			return err
		}
		if p.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if p.Status != xinlu.PlanDraft {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "status", Key: "casting.claim_not_draft", Args: []any{xinlu.LabelKey("casting.plan." + string(p.Status))}}
		}
		before := planAudit(p)
		for _, id := range capacityIDs {
			var enterprise string
			var claimedBy int64
			err := tx.queryRow(ctx, `SELECT c.enterprise, COALESCE(k.plan_id, 0)`+castingFrom+` WHERE c.id = ? AND c.zone_id = ?`, id, zoneID).Scan(&enterprise, &claimedBy)
			if err != nil {
				return xinlu.Invalid("capacity_ids", "error.invalid_choice")
			}
			if claimedBy == planID {
				continue
			}
			taken := &xinlu.Error{Code: xinlu.ECONFLICT, Field: "capacity_ids", Key: "casting.counted_twice", Args: []any{enterprise}}
			if claimedBy != 0 {
				return taken
			}
			if _, err := tx.exec(ctx, `INSERT INTO casting_claims (capacity_id, plan_id, zone_id, created_at) VALUES (?,?,?,?)`, id, planID, zoneID, s.Now()); err != nil {
				if xinlu.ErrorCode(s.translate(err)) == xinlu.ECONFLICT {
					return taken
				}
				return s.translate(err)
			}
		}
		if err := tx.bumpPlan(ctx, p); err != nil {
			return err
		}
		if err := tx.loadClaims(ctx, p); err != nil {
			return err
		}
		out = p
		return tx.audit(ctx, a, "casting_plan.claim", "casting_plan", p.ID, before, planAudit(p))
	})
	return out, err
}

func (tx *Tx) bumpPlan(ctx context.Context, p *xinlu.ReplacementPlan) error {
	now := tx.s.Now()
	res, err := tx.exec(ctx, `UPDATE casting_plans SET status = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		string(p.Status), p.Note, now, p.ID, p.Version)
	if err != nil {
		return tx.s.translate(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return xinlu.Conflict("version", "error.stale")
	}
	p.Version++
	p.UpdatedAt = now
	return nil
}

// MoveCastingPlan moves a plan by xinlu.CheckPlanMove; a rejected plan
// gives back the capacity it counted, so another plan may count it.
func (s *Store) MoveCastingPlan(ctx context.Context, a xinlu.Actor, zoneID, planID int64, version int, to xinlu.PlanStatus, note string) (*xinlu.ReplacementPlan, error) {
	note, err := xinlu.Text("note", note)
	if err != nil {
		return nil, err
	}
	var out *xinlu.ReplacementPlan
	err = s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.planForUpdate(ctx, zoneID, planID)
		if err != nil {
			return err
		}
		if p.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if err := xinlu.CheckPlanMove(p, to); err != nil {
			return err
		}
		before := planAudit(p)
		p.Status = to
		if n := strings.TrimSpace(note); n != "" {
			p.Note = n
		}
		if to == xinlu.PlanRejected {
			if _, err := tx.exec(ctx, `DELETE FROM casting_claims WHERE plan_id = ?`, p.ID); err != nil {
				return s.translate(err)
			}
			p.Claimed = nil
		}
		if err := tx.bumpPlan(ctx, p); err != nil {
			return err
		}
		out = p
		return tx.audit(ctx, a, "casting_plan.move", "casting_plan", p.ID, before, planAudit(p))
	})
	return out, err
}

// checkCastingStart refuses construction of a casting project without an
// announced plan whose ratio holds.
func (tx *Tx) checkCastingStart(ctx context.Context, p *ProjectRecord) error {
	if p.Industry != "casting" {
		return nil
	}
	plans, err := tx.castingPlans(ctx, p.ZoneID, p.ID)
	if err != nil {
		return err
	}
	return xinlu.CheckCastingStart(plans)
}
