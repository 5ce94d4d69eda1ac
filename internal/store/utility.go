package store

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

const utilityColumns = `u.id, u.zone_id, u.park_id, u.kind, u.supplier, u.base_capacity, u.warn_ratio, u.committed, u.reserved,
	u.version, u.created_at, u.updated_at, k.name`

const utilityFrom = ` FROM utilities u JOIN parks k ON k.id = u.park_id`

func scanUtility(sc scanner) (xinlu.Utility, error) {
	var u xinlu.Utility
	var kind string
	err := sc.Scan(&u.ID, &u.ZoneID, &u.ParkID, &kind, &u.Supplier, &u.BaseCapacity, &u.WarnRatio, &u.Committed, &u.Reserved,
		&u.Version, &u.CreatedAt, &u.UpdatedAt, &u.ParkName)
	u.Kind = xinlu.UtilityKind(kind)
	return u, err
}

const buildoutColumns = `b.id, b.zone_id, b.utility_id, b.name, b.added, b.planned_on, b.actual_on, b.status, b.version, b.created_at, b.updated_at`

func scanBuildout(sc scanner) (xinlu.Buildout, error) {
	var b xinlu.Buildout
	var status string
	err := sc.Scan(&b.ID, &b.ZoneID, &b.UtilityID, &b.Name, &b.Added, &b.PlannedOn, &b.ActualOn, &status, &b.Version, &b.CreatedAt, &b.UpdatedAt)
	b.Status = xinlu.BuildoutStatus(status)
	return b, err
}

// utilityOrder sorts utilities by park, kind (water, power, gas, heat) and supplier.
const utilityOrder = ` ORDER BY k.name, k.id, CASE u.kind WHEN 'water' THEN 1 WHEN 'power' THEN 2 WHEN 'gas' THEN 3 ELSE 4 END, u.supplier, u.id`

// Utilities returns a zone's utilities with their build-outs, one park's
// (parkID) or every park's (0), by park, kind and supplier.
func (s *Store) Utilities(ctx context.Context, zoneID, parkID int64) ([]xinlu.Utility, error) {
	q, args := utilityQuery(zoneID, parkID)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	us, err := collect(rows, scanUtility)
	if err != nil {
		return nil, err
	}
	bq, bargs := buildoutQuery(zoneID, parkID)
	rows, err = s.query(ctx, bq, bargs...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	bs, err := collect(rows, scanBuildout)
	if err != nil {
		return nil, err
	}
	return attachBuildouts(us, bs), nil
}

func (tx *Tx) utilities(ctx context.Context, zoneID, parkID int64) ([]xinlu.Utility, error) {
	q, args := utilityQuery(zoneID, parkID)
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, tx.s.translate(err)
	}
	us, err := collect(rows, scanUtility)
	if err != nil {
		return nil, err
	}
	bq, bargs := buildoutQuery(zoneID, parkID)
	rows, err = tx.query(ctx, bq, bargs...)
	if err != nil {
		return nil, tx.s.translate(err)
	}
	bs, err := collect(rows, scanBuildout)
	if err != nil {
		return nil, err
	}
	return attachBuildouts(us, bs), nil
}

func utilityQuery(zoneID, parkID int64) (string, []any) {
	q, args := `SELECT `+utilityColumns+utilityFrom+` WHERE u.zone_id = ?`, []any{zoneID}
	if parkID != 0 {
		q, args = q+` AND u.park_id = ?`, append(args, parkID)
	}
	return q + utilityOrder, args
}

func buildoutQuery(zoneID, parkID int64) (string, []any) {
	q, args := `SELECT `+buildoutColumns+` FROM buildouts b`, []any{}
	if parkID != 0 {
		q += ` JOIN utilities u ON u.id = b.utility_id WHERE b.zone_id = ? AND u.park_id = ?`
		args = append(args, zoneID, parkID)
	} else {
		q += ` WHERE b.zone_id = ?`
		args = append(args, zoneID)
	}
	return q + ` ORDER BY b.planned_on, b.id`, args
}

func attachBuildouts(us []xinlu.Utility, bs []xinlu.Buildout) []xinlu.Utility {
	at := map[int64]int{}
	for i := range us {
		at[us[i].ID] = i
	}
	for _, b := range bs {
		if i, ok := at[b.UtilityID]; ok {
			us[i].Buildouts = append(us[i].Buildouts, b)
		}
	}
	return us
}

// UtilityByID returns one utility of the zone with its build-outs.
func (s *Store) UtilityByID(ctx context.Context, zoneID, id int64) (*xinlu.Utility, error) {
	u, err := scanUtility(s.queryRow(ctx, `SELECT `+utilityColumns+utilityFrom+` WHERE u.id = ? AND u.zone_id = ?`, id, zoneID))
	if err != nil {
		return nil, s.translate(err)
	}
	rows, err := s.query(ctx, `SELECT `+buildoutColumns+` FROM buildouts b WHERE b.utility_id = ? ORDER BY b.planned_on, b.id`, id)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	if u.Buildouts, err = collect(rows, scanBuildout); err != nil {
		return nil, err
	}
	return &u, nil
}

// lockPark serialises the capacity decisions of one park: reservations,
// capacity changes. SQLite's write transaction is exclusive already.
func (tx *Tx) lockPark(ctx context.Context, zoneID, parkID int64) error {
	q := `SELECT id FROM parks WHERE id = ? AND zone_id = ?`
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE`
	}
	var id int64
	return tx.s.translate(tx.queryRow(ctx, q, parkID, zoneID).Scan(&id))
}

func utilityAudit(u *xinlu.Utility) map[string]any {
	return map[string]any{"park_id": u.ParkID, "kind": string(u.Kind), "supplier": u.Supplier, "base_capacity": u.BaseCapacity, "warn_ratio": u.WarnRatio}
}

func utilityTaken(err error) error {
	if e := xinlu.AsError(err); e != nil && e.Code == xinlu.ECONFLICT && e.Key == "error.duplicate" {
		return xinlu.Conflict("supplier", "land.utility_taken")
	}
	return err
}

// CreateUtility records a utility of a park.
func (s *Store) CreateUtility(ctx context.Context, a xinlu.Actor, u *xinlu.Utility) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.sameZone(ctx, u.ZoneID, "parks", u.ParkID, "park_id"); err != nil {
			return err
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO utilities (zone_id, park_id, kind, supplier, base_capacity, warn_ratio, committed, reserved,
			version, created_at, updated_at) VALUES (?,?,?,?,?,?,0,0,1,?,?)`,
			u.ZoneID, u.ParkID, string(u.Kind), u.Supplier, u.BaseCapacity, u.WarnRatio, now, now)
		if err != nil {
			return utilityTaken(err)
		}
		u.ID, u.Version, u.CreatedAt, u.UpdatedAt = id, 1, now, now
		tx.landChanged(u.ZoneID, landUtility, id)
		return tx.audit(ctx, a, "utility.create", "utility", id, nil, utilityAudit(u))
	})
}

// UpdateUtility saves a utility's supplier, base capacity and warning
// share if u.Version is current; park and kind stay.
func (s *Store) UpdateUtility(ctx context.Context, a xinlu.Actor, u *xinlu.Utility) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanUtility(tx.queryRow(ctx, `SELECT `+utilityColumns+utilityFrom+` WHERE u.id = ? AND u.zone_id = ?`, u.ID, u.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if err := tx.lockPark(ctx, old.ZoneID, old.ParkID); err != nil {
			return err
		}
		if old.Version != u.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		u.ParkID, u.Kind = old.ParkID, old.Kind
		if err := u.Validate(); err != nil {
			return err
		}
		now := s.Now()
		res, err := tx.exec(ctx, `UPDATE utilities SET supplier = ?, base_capacity = ?, warn_ratio = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, u.Supplier, u.BaseCapacity, u.WarnRatio, now, u.ID, old.Version)
		if err != nil {
			return utilityTaken(s.translate(err))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		u.Version, u.UpdatedAt, u.Committed, u.Reserved = old.Version+1, now, old.Committed, old.Reserved
		tx.landChanged(u.ZoneID, landUtility, u.ID)
		return tx.audit(ctx, a, "utility.update", "utility", u.ID, utilityAudit(&old), utilityAudit(u))
	})
}

// CreateBuildout records planned added capacity of a utility.
func (s *Store) CreateBuildout(ctx context.Context, a xinlu.Actor, b *xinlu.Buildout) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		var parkID int64
		if err := tx.queryRow(ctx, `SELECT park_id FROM utilities WHERE id = ? AND zone_id = ?`, b.UtilityID, b.ZoneID).Scan(&parkID); err != nil {
			return xinlu.Invalid("utility_id", "error.invalid_choice")
		}
		if err := tx.lockPark(ctx, b.ZoneID, parkID); err != nil {
			return err
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO buildouts (zone_id, utility_id, name, added, planned_on, actual_on, status, version, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,1,?,?)`, b.ZoneID, b.UtilityID, b.Name, b.Added, b.PlannedOn, b.ActualOn, string(b.Status), now, now)
		if err != nil {
			return err
		}
		b.ID, b.Version, b.CreatedAt, b.UpdatedAt = id, 1, now, now
		tx.landChanged(b.ZoneID, landUtility, b.UtilityID)
		return tx.audit(ctx, a, "buildout.create", "buildout", id, nil, buildoutAudit(b))
	})
}

func buildoutAudit(b *xinlu.Buildout) map[string]any {
	return map[string]any{"utility_id": b.UtilityID, "name": b.Name, "added": b.Added, "planned_on": b.PlannedOn,
		"actual_on": b.ActualOn, "status": string(b.Status)}
}

// BuildoutByID returns a build-out of the zone.
func (s *Store) BuildoutByID(ctx context.Context, zoneID, id int64) (*xinlu.Buildout, error) {
	b, err := scanBuildout(s.queryRow(ctx, `SELECT `+buildoutColumns+` FROM buildouts b WHERE b.id = ? AND b.zone_id = ?`, id, zoneID))
	if err != nil {
		return nil, s.translate(err)
	}
	return &b, nil
}

// ListBuildouts returns the zone's build-outs by planned date.
func (s *Store) ListBuildouts(ctx context.Context, zoneID int64) ([]xinlu.Buildout, error) {
	q, args := buildoutQuery(zoneID, 0)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanBuildout)
}

// UpdateBuildout saves a build-out (its name, addition, dates and status,
// the status change by the rule of xinlu.CheckBuildoutMove) if b.Version
// is current.
func (s *Store) UpdateBuildout(ctx context.Context, a xinlu.Actor, b *xinlu.Buildout) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanBuildout(tx.queryRow(ctx, `SELECT `+buildoutColumns+` FROM buildouts b WHERE b.id = ? AND b.zone_id = ?`, b.ID, b.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		var parkID int64
		if err := tx.queryRow(ctx, `SELECT park_id FROM utilities WHERE id = ?`, old.UtilityID).Scan(&parkID); err != nil {
			return s.translate(err)
		}
		if err := tx.lockPark(ctx, b.ZoneID, parkID); err != nil {
			return err
		}
		if old.Version != b.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if err := xinlu.CheckBuildoutMove(old.Status, b.Status); err != nil {
			return err
		}
		b.UtilityID = old.UtilityID
		now := s.Now()
		res, err := tx.exec(ctx, `UPDATE buildouts SET name = ?, added = ?, planned_on = ?, actual_on = ?, status = ?, version = version + 1,
			updated_at = ? WHERE id = ? AND version = ?`, b.Name, b.Added, b.PlannedOn, b.ActualOn, string(b.Status), now, b.ID, old.Version)
		if err != nil {
			return s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		b.Version, b.UpdatedAt, b.CreatedAt = old.Version+1, now, old.CreatedAt
		tx.landChanged(b.ZoneID, landUtility, b.UtilityID)
		return tx.audit(ctx, a, "buildout.update", "buildout", b.ID, buildoutAudit(&old), buildoutAudit(b))
	})
}

// DeleteUtility removes a utility and its build-outs if the reservation
// ledger names it nowhere (xinlu.CheckUtilityDelete) and version (when not
// 0) is current; each build-out removed is audited too.
func (s *Store) DeleteUtility(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanUtility(tx.queryRow(ctx, `SELECT `+utilityColumns+utilityFrom+` WHERE u.id = ? AND u.zone_id = ?`, id, zoneID))
		if err != nil {
			return s.translate(err)
		}
		if err := tx.lockPark(ctx, zoneID, old.ParkID); err != nil {
			return err
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM utility_ledger WHERE utility_id = ?`, id).Scan(&n); err != nil {
			return s.translate(err)
		}
		if err := xinlu.CheckUtilityDelete(n); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT `+buildoutColumns+` FROM buildouts b WHERE b.utility_id = ? ORDER BY b.id`, id)
		if err != nil {
			return s.translate(err)
		}
		bs, err := collect(rows, scanBuildout)
		if err != nil {
			return err
		}
		for i := range bs {
			if _, err := tx.exec(ctx, `DELETE FROM buildouts WHERE id = ?`, bs[i].ID); err != nil {
				return s.translate(err)
			}
			if err := tx.audit(ctx, a, "buildout.delete", "buildout", bs[i].ID, buildoutAudit(&bs[i]), nil); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM utilities WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		tx.landChanged(zoneID, landUtility, id)
		return tx.audit(ctx, a, "utility.delete", "utility", id, utilityAudit(&old), nil)
	})
}

// DeleteBuildout removes a build-out unless the utility's commitments and
// reservations count on it (xinlu.CheckBuildoutDelete), if version (when
// not 0) is current.
func (s *Store) DeleteBuildout(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanBuildout(tx.queryRow(ctx, `SELECT `+buildoutColumns+` FROM buildouts b WHERE b.id = ? AND b.zone_id = ?`, id, zoneID))
		if err != nil {
			return s.translate(err)
		}
		var parkID int64
		if err := tx.queryRow(ctx, `SELECT park_id FROM utilities WHERE id = ?`, old.UtilityID).Scan(&parkID); err != nil {
			return s.translate(err)
		}
		if err := tx.lockPark(ctx, zoneID, parkID); err != nil {
			return err
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		us, err := tx.utilities(ctx, zoneID, parkID)
		if err != nil {
			return err
		}
		for i := range us {
			if us[i].ID == old.UtilityID {
				if err := xinlu.CheckBuildoutDelete(&us[i], id); err != nil {
					return err
				}
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM buildouts WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		tx.landChanged(zoneID, landUtility, old.UtilityID)
		return tx.audit(ctx, a, "buildout.delete", "buildout", id, buildoutAudit(&old), nil)
	})
}

// LandStandard returns the standard-land thresholds that apply to a park:
// its own if set, else the zone's (parkID 0: the zone's).
func (s *Store) LandStandard(ctx context.Context, zoneID, parkID int64) (xinlu.LandStandard, error) {
	rows, err := s.query(ctx, `SELECT park_id, invest_per_mu_yuan, tax_per_mu_yuan, far_min, far_max, energy_per_output
		FROM land_standards WHERE zone_id = ? AND park_id IN (0, ?) ORDER BY park_id DESC`, zoneID, parkID)
	if err != nil {
		return xinlu.LandStandard{}, xinlu.Internal(err)
	}
	all, err := collect(rows, scanStandard)
	if err != nil || len(all) == 0 {
		return xinlu.LandStandard{}, err
	}
	return all[0].st, nil
}

type parkStandard struct {
	parkID int64
	st     xinlu.LandStandard
}

func scanStandard(sc scanner) (parkStandard, error) {
	var ps parkStandard
	err := sc.Scan(&ps.parkID, &ps.st.InvestPerMuYuan, &ps.st.TaxPerMuYuan, &ps.st.FARMin, &ps.st.FARMax, &ps.st.EnergyPerOutput)
	return ps, err
}

// OwnLandStandard returns the thresholds set on the park itself (parkID 0:
// the zone's) and whether any are.
func (s *Store) OwnLandStandard(ctx context.Context, zoneID, parkID int64) (xinlu.LandStandard, bool, error) {
	ps, err := scanStandard(s.queryRow(ctx, `SELECT park_id, invest_per_mu_yuan, tax_per_mu_yuan, far_min, far_max, energy_per_output
		FROM land_standards WHERE zone_id = ? AND park_id = ?`, zoneID, parkID))
	if err != nil {
		if xinlu.ErrorCode(s.translate(err)) == xinlu.ENOTFOUND {
			return xinlu.LandStandard{}, false, nil
		}
		return xinlu.LandStandard{}, false, xinlu.Internal(err)
	}
	return ps.st, true, nil
}

// SetLandStandard saves the thresholds of a park (parkID 0: the zone's);
// all zero removes the park's own, so that the zone's apply.
func (s *Store) SetLandStandard(ctx context.Context, a xinlu.Actor, zoneID, parkID int64, st xinlu.LandStandard) error {
	if err := st.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.sameZone(ctx, zoneID, "parks", parkID, "park_id"); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM land_standards WHERE zone_id = ? AND park_id = ?`, zoneID, parkID); err != nil {
			return s.translate(err)
		}
		tx.landChanged(zoneID, landStandard, 0)
		if !st.IsZero() {
			if _, err := tx.exec(ctx, `INSERT INTO land_standards (zone_id, park_id, invest_per_mu_yuan, tax_per_mu_yuan, far_min, far_max,
				energy_per_output, updated_at) VALUES (?,?,?,?,?,?,?,?)`, zoneID, parkID, st.InvestPerMuYuan, st.TaxPerMuYuan,
				st.FARMin, st.FARMax, st.EnergyPerOutput, s.Now()); err != nil {
				return s.translate(err)
			}
		}
		return tx.audit(ctx, a, "land_standard.set", "park", parkID, nil, map[string]any{"invest_per_mu_yuan": st.InvestPerMuYuan,
			"tax_per_mu_yuan": st.TaxPerMuYuan, "far_min": st.FARMin, "far_max": st.FARMax, "energy_per_output": st.EnergyPerOutput})
	})
}

// ledgerRow writes one ledger row and moves the utility's running totals
// by its deltas.
func (tx *Tx) ledgerRow(ctx context.Context, a xinlu.Actor, e xinlu.LedgerEntry) error {
	_, err := tx.exec(ctx, `INSERT INTO utility_ledger (zone_id, utility_id, project_id, kind, reserved, committed, reason, override,
		actor_id, actor_name, at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`, e.ZoneID, e.UtilityID, e.ProjectID, string(e.Kind), e.Reserved,
		e.Committed, e.Reason, e.Override, a.UserID, a.Name, tx.s.Now())
	if err != nil {
		return tx.s.translate(err)
	}
	_, err = tx.exec(ctx, `UPDATE utilities SET reserved = reserved + ?, committed = committed + ? WHERE id = ?`, e.Reserved, e.Committed, e.UtilityID)
	tx.landChanged(e.ZoneID, landUtility, e.UtilityID)
	return tx.s.translate(err)
}

// holdings is what a project holds of each utility, from the ledger.
func (tx *Tx) holdings(ctx context.Context, projectID int64) (map[int64][2]float64, error) {
	rows, err := tx.query(ctx, `SELECT utility_id, SUM(reserved), SUM(committed) FROM utility_ledger WHERE project_id = ? GROUP BY utility_id`, projectID)
	if err != nil {
		return nil, tx.s.translate(err)
	}
	defer rows.Close()
	out := map[int64][2]float64{}
	for rows.Next() {
		var id int64
		var r, c float64
		if err := rows.Scan(&id, &r, &c); err != nil {
			return nil, tx.s.translate(err)
		}
		out[id] = [2]float64{r, c}
	}
	return out, tx.s.translate(rows.Err())
}

// Override is a director's decision to sign over a utility shortfall.
type Override struct {
	Yes    bool
	Reason string
}

// reserveUtilities reserves a signed project's demand in its park, in the
// signing's transaction: each utility kind on the utility with the most
// free on the promised production date. A shortfall refuses the signing
// (naming utility, shortfall and date) unless the director overrides with
// a reason. A project without a park, or a park without a kind recorded,
// reserves nothing there.
func (tx *Tx) reserveUtilities(ctx context.Context, a xinlu.Actor, u *xinlu.User, p *ProjectRecord, ov Override) (map[string]any, error) {
	parkID := p.Plan.ProposedParkID
	if parkID == 0 {
		return nil, nil
	}
	if err := tx.lockPark(ctx, p.ZoneID, parkID); err != nil {
		return nil, err
	}
	us, err := tx.utilities(ctx, p.ZoneID, parkID)
	if err != nil {
		return nil, err
	}
	date := p.Signing.PromisedProduce
	allocs, shorts := xinlu.Allocate(us, p.Plan, date)
	reason := strings.TrimSpace(ov.Reason)
	override := false
	if refuse := xinlu.RefuseShortfall(shorts); refuse != nil {
		if !ov.Yes {
			return nil, refuse
		}
		if !u.Can(xinlu.PermFactorOverride) {
			return nil, xinlu.Forbidden()
		}
		if reason == "" {
			return nil, xinlu.Invalid("override_reason", "land.override_reason_required")
		}
		if len([]rune(reason)) > 500 {
			return nil, xinlu.Invalid("override_reason", "error.too_long", 500)
		}
		override = true
		// The director signs over: the short kinds go on the utility with the most free.
		for _, s := range shorts {
			if !s.Recorded {
				continue
			}
			best, bestFree := int64(0), math.Inf(-1)
			for i := range us {
				if us[i].Kind == s.Kind && us[i].FreeAt(date) > bestFree {
					best, bestFree = us[i].ID, us[i].FreeAt(date)
				}
			}
			allocs = append(allocs, xinlu.Allocation{UtilityID: best, Kind: s.Kind, Amount: s.Need})
		}
	}
	if reason == "" {
		reason = "signing"
	}
	detail := map[string]any{}
	for _, al := range allocs {
		if err := tx.ledgerRow(ctx, a, xinlu.LedgerEntry{ZoneID: p.ZoneID, UtilityID: al.UtilityID, ProjectID: p.ID, Kind: xinlu.LedgerReserve,
			Reserved: al.Amount, Reason: reason, Override: override}); err != nil {
			return nil, err
		}
		detail["reserved_"+string(al.Kind)] = al.Amount
	}
	if override {
		detail["override_reason"] = reason
	}
	return detail, nil
}

// adjustUtilities moves what a signed project holds of its park's
// utilities to its revised plan, in the revision's transaction
// (xinlu.AdjustHoldings): reserved before production (checked on the
// promised production date), committed after it (checked today). An
// increase a utility cannot carry refuses the revision, naming utility,
// shortfall and date, unless the director overrides with a reason, as at
// signing. Each change is an adjust row of the ledger with the reason.
func (tx *Tx) adjustUtilities(ctx context.Context, a xinlu.Actor, u *xinlu.User, p *ProjectRecord, reason string, ov Override, today time.Time) (map[string]any, error) {
	parkID := p.Plan.ProposedParkID
	if parkID == 0 {
		return nil, nil
	}
	if err := tx.lockPark(ctx, p.ZoneID, parkID); err != nil {
		return nil, err
	}
	us, err := tx.utilities(ctx, p.ZoneID, parkID)
	if err != nil {
		return nil, err
	}
	h, err := tx.holdings(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	held := make(map[int64]float64, len(h))
	for id, rc := range h {
		held[id] = rc[0] + rc[1]
	}
	producing := p.ProducedOn != ""
	date := p.Signing.PromisedProduce
	if producing || date == "" {
		date = today.Format(xinlu.DateLayout)
	}
	allocs, shorts := xinlu.AdjustHoldings(us, held, p.Plan, date)
	override := false
	if refuse := xinlu.RefuseRevisionShortfall(shorts); refuse != nil {
		if !ov.Yes {
			return nil, refuse
		}
		if !u.Can(xinlu.PermFactorOverride) {
			return nil, xinlu.Forbidden()
		}
		r := strings.TrimSpace(ov.Reason)
		if r == "" {
			return nil, xinlu.Invalid("override_reason", "land.override_reason_required")
		}
		if len([]rune(r)) > 500 {
			return nil, xinlu.Invalid("override_reason", "error.too_long", 500)
		}
		override, reason = true, r
	}
	detail := map[string]any{}
	for _, al := range allocs {
		e := xinlu.LedgerEntry{ZoneID: p.ZoneID, UtilityID: al.UtilityID, ProjectID: p.ID, Kind: xinlu.LedgerAdjust, Reason: reason, Override: override}
		if producing {
			e.Committed = al.Amount
		} else {
			e.Reserved = al.Amount
		}
		if err := tx.ledgerRow(ctx, a, e); err != nil {
			return nil, err
		}
		key := "adjusted_" + string(al.Kind)
		v, _ := detail[key].(float64)
		detail[key] = v + al.Amount
	}
	if override {
		detail["override_reason"] = reason
	}
	return detail, nil
}

// releaseUtilities gives back everything a lost project holds.
func (tx *Tx) releaseUtilities(ctx context.Context, a xinlu.Actor, p *ProjectRecord, reason string) error {
	h, err := tx.holdings(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, id := range sortedKeys(h) {
		rc := h[id]
		if math.Abs(rc[0]) < 1e-9 && math.Abs(rc[1]) < 1e-9 {
			continue
		}
		if err := tx.ledgerRow(ctx, a, xinlu.LedgerEntry{ZoneID: p.ZoneID, UtilityID: id, ProjectID: p.ID, Kind: xinlu.LedgerRelease,
			Reserved: -rc[0], Committed: -rc[1], Reason: reason}); err != nil {
			return err
		}
	}
	return nil
}

// commitUtilities turns what a project reserved into committed when it
// starts production.
func (tx *Tx) commitUtilities(ctx context.Context, a xinlu.Actor, p *ProjectRecord) error {
	h, err := tx.holdings(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, id := range sortedKeys(h) {
		r := h[id][0]
		if math.Abs(r) < 1e-9 {
			continue
		}
		if err := tx.ledgerRow(ctx, a, xinlu.LedgerEntry{ZoneID: p.ZoneID, UtilityID: id, ProjectID: p.ID, Kind: xinlu.LedgerCommit,
			Reserved: -r, Committed: r, Reason: "production started"}); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[int64][2]float64) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// LedgerFilter selects utility ledger rows.
type LedgerFilter struct {
	ZoneID    int64
	UtilityID int64
	ProjectID int64
	xinlu.Page
}

// UtilityLedger returns one page of ledger rows, newest first, and the total.
func (s *Store) UtilityLedger(ctx context.Context, f LedgerFilter) ([]xinlu.LedgerEntry, int, error) {
	where, args := []string{"l.zone_id = ?"}, []any{f.ZoneID}
	if f.UtilityID != 0 {
		where, args = append(where, "l.utility_id = ?"), append(args, f.UtilityID)
	}
	if f.ProjectID != 0 {
		where, args = append(where, "l.project_id = ?"), append(args, f.ProjectID)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM utility_ledger l`+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	pg := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT l.id, l.zone_id, l.utility_id, l.project_id, l.kind, l.reserved, l.committed, l.reason, l.override,
		l.actor_id, l.actor_name, l.at, p.name, u.kind, u.supplier, k.name FROM utility_ledger l JOIN projects p ON p.id = l.project_id
		JOIN utilities u ON u.id = l.utility_id JOIN parks k ON k.id = u.park_id`+cond+
		` ORDER BY l.id DESC`+s.pageSQL(pg), append(args, s.pageArgs(pg)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, func(sc scanner) (xinlu.LedgerEntry, error) {
		var e xinlu.LedgerEntry
		var kind, uk string
		err := sc.Scan(&e.ID, &e.ZoneID, &e.UtilityID, &e.ProjectID, &kind, &e.Reserved, &e.Committed, &e.Reason, &e.Override,
			&e.ActorID, &e.ActorName, &e.At, &e.ProjectName, &uk, &e.Supplier, &e.ParkName)
		e.Kind, e.UtilityKind = xinlu.LedgerKind(kind), xinlu.UtilityKind(uk)
		return e, err
	})
	return out, total, err
}

// TotalsMismatch is a utility whose running totals differ from its ledger.
type TotalsMismatch struct {
	UtilityID                  int64
	Reserved, Committed        float64 // running totals
	LedgerReserved, LedgerComm float64 // sums of the ledger
}

// CheckUtilityTotals recomputes every utility's reserved and committed
// from the ledger and returns those whose running totals differ (zoneID 0:
// every zone).
func (s *Store) CheckUtilityTotals(ctx context.Context, zoneID int64) ([]TotalsMismatch, error) {
	q := `SELECT u.id, u.reserved, u.committed, COALESCE(SUM(l.reserved), 0), COALESCE(SUM(l.committed), 0)
		FROM utilities u LEFT JOIN utility_ledger l ON l.utility_id = u.id`
	var args []any
	if zoneID != 0 {
		q, args = q+` WHERE u.zone_id = ?`, append(args, zoneID)
	}
	rows, err := s.query(ctx, q+` GROUP BY u.id, u.reserved, u.committed ORDER BY u.id`, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	all, err := collect(rows, func(sc scanner) (TotalsMismatch, error) {
		var m TotalsMismatch
		err := sc.Scan(&m.UtilityID, &m.Reserved, &m.Committed, &m.LedgerReserved, &m.LedgerComm)
		return m, err
	})
	if err != nil {
		return nil, err
	}
	var out []TotalsMismatch
	for _, m := range all {
		if math.Abs(m.Reserved-m.LedgerReserved) > 1e-6 || math.Abs(m.Committed-m.LedgerComm) > 1e-6 {
			out = append(out, m)
		}
	}
	return out, nil
}

// MatchProject matches a project against every park and free parcel of
// its zone (要素匹配), on its promised production date if signed, else on
// asOf (YYYY-MM-DD).
func (s *Store) MatchProject(ctx context.Context, zoneID, projectID int64, asOf string) ([]xinlu.ParkFit, *ProjectRecord, error) {
	p, err := s.ProjectByID(ctx, zoneID, projectID)
	if err != nil {
		return nil, nil, err
	}
	date := p.Signing.PromisedProduce
	if date == "" {
		date = asOf
	}
	parks, err := s.matchParks(ctx, zoneID)
	if err != nil {
		return nil, nil, err
	}
	return xinlu.MatchParks(xinlu.MatchProject{ID: p.ID, Industry: p.Industry, Plan: p.Plan, Date: date}, parks), p, nil
}

// UtilityImportRow is one row of a utility workbook.
type UtilityImportRow struct {
	Row      int
	Utility  xinlu.Utility
	ParkName string
}

// ImportUtilities records park utilities all or nothing (dryRun: checks
// only); a park that has the utility already, or a row repeated, is an
// error of its row.
func (s *Store) ImportUtilities(ctx context.Context, a xinlu.Actor, zoneID int64, rows []UtilityImportRow, dryRun bool) (int, []RowProblem, error) {
	parks, _, err := s.ListParks(ctx, ParkFilter{ZoneID: zoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return 0, nil, err
	}
	parkID := map[string]int64{}
	for _, p := range parks {
		parkID[p.Name] = p.ID
	}
	existing, err := s.Utilities(ctx, zoneID, 0)
	if err != nil {
		return 0, nil, err
	}
	taken := map[string]int{}
	for _, u := range existing {
		taken[fmt.Sprintf("%d/%s/%s", u.ParkID, u.Kind, u.Supplier)] = 0
	}
	var errs []RowProblem
	for i := range rows {
		r := &rows[i]
		r.Utility.ZoneID = zoneID
		id, ok := parkID[strings.TrimSpace(r.ParkName)]
		if !ok {
			errs = append(errs, RowProblem{Row: r.Row, Field: "park_id", Err: xinlu.Invalid("park_id", "enterprise.park_unknown", r.ParkName)})
			id = -1
		}
		r.Utility.ParkID = id
		if e := r.Utility.Validate(); e != nil {
			for _, fe := range xinlu.ErrorsOf(e) {
				errs = append(errs, RowProblem{Row: r.Row, Field: fe.Field, Err: fe})
			}
			continue
		}
		key := fmt.Sprintf("%d/%s/%s", id, r.Utility.Kind, r.Utility.Supplier)
		if prev, ok := taken[key]; ok {
			e := xinlu.Conflict("supplier", "land.utility_taken")
			if prev > 0 {
				e = xinlu.Invalid("supplier", "land.utility_twice", prev)
			}
			errs = append(errs, RowProblem{Row: r.Row, Field: "supplier", Err: e})
		}
		taken[key] = r.Row
	}
	if len(errs) > 0 || dryRun {
		return len(rows), errs, nil
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		for _, r := range rows {
			u := r.Utility
			id, err := tx.insert(ctx, `INSERT INTO utilities (zone_id, park_id, kind, supplier, base_capacity, warn_ratio, committed, reserved,
				version, created_at, updated_at) VALUES (?,?,?,?,?,?,0,0,1,?,?)`, u.ZoneID, u.ParkID, string(u.Kind), u.Supplier, u.BaseCapacity, u.WarnRatio, now, now)
			if err != nil {
				return fmt.Errorf("row %d: %w", r.Row, utilityTaken(err))
			}
			tx.landChanged(u.ZoneID, landUtility, id)
			if err := tx.audit(ctx, a, "utility.create", "utility", id, nil, utilityAudit(&u)); err != nil {
				return err
			}
		}
		return nil
	})
	return len(rows), nil, err
}
