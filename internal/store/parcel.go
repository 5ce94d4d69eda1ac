package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

const parcelColumns = `c.id, c.zone_id, c.park_id, c.code, c.area_mu, c.land_use, c.far_min, c.far_max, c.status,
	COALESCE(c.project_id, 0), c.agreed_start, c.idle_since, c.shape, c.note, c.version, c.created_at, c.updated_at,
	k.name, COALESCE(p.name, '')`

const parcelFrom = ` FROM parcels c JOIN parks k ON k.id = c.park_id LEFT JOIN projects p ON p.id = c.project_id`

func scanParcel(sc scanner) (*xinlu.Parcel, error) {
	c := &xinlu.Parcel{}
	var status string
	err := sc.Scan(&c.ID, &c.ZoneID, &c.ParkID, &c.Code, &c.AreaMu, &c.LandUse, &c.FARMin, &c.FARMax, &status,
		&c.ProjectID, &c.AgreedStart, &c.IdleSince, &c.Shape, &c.Note, &c.Version, &c.CreatedAt, &c.UpdatedAt,
		&c.ParkName, &c.ProjectName)
	c.Status = xinlu.ParcelStatus(status)
	return c, err
}

// ParcelFilter selects parcels for a list.
type ParcelFilter struct {
	ZoneID    int64
	ParkID    int64
	Status    xinlu.ParcelStatus
	Idle      bool // only idle land
	Free      bool // only parcels still on offer (planned, serviced, listed)
	ProjectID int64
	Query     string // code
	xinlu.Page
}

func (s *Store) parcelWhere(f ParcelFilter) (string, []any) {
	where, args := []string{"c.zone_id = ?"}, []any{f.ZoneID}
	if f.ParkID != 0 {
		where, args = append(where, "c.park_id = ?"), append(args, f.ParkID)
	}
	if f.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, string(f.Status))
	}
	if f.Idle {
		where = append(where, "c.idle_since <> ''")
	}
	if f.Free {
		where = append(where, "c.status IN ('planned', 'serviced', 'listed')")
	}
	if f.ProjectID != 0 {
		where, args = append(where, "c.project_id = ?"), append(args, f.ProjectID)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where, args = append(where, "c.code "+s.likeOp()+" ? ESCAPE '\\'"), append(args, likePattern(q))
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ListParcels returns one page of a zone's parcels (by park and code) and
// the total. PerPage -1 returns them all.
func (s *Store) ListParcels(ctx context.Context, f ParcelFilter) ([]*xinlu.Parcel, int, error) {
	cond, args := s.parcelWhere(f)
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM parcels c`+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	q := `SELECT ` + parcelColumns + parcelFrom + cond + ` ORDER BY k.name, c.code, c.id`
	if f.PerPage >= 0 {
		pg := f.Page.Normalize()
		q += s.pageSQL(pg)
		args = append(args, s.pageArgs(pg)...)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanParcel)
	return out, total, err
}

// ParcelByID returns a parcel of the zone.
func (s *Store) ParcelByID(ctx context.Context, zoneID, id int64) (*xinlu.Parcel, error) {
	c, err := scanParcel(s.queryRow(ctx, `SELECT `+parcelColumns+parcelFrom+` WHERE c.id = ? AND c.zone_id = ?`, id, zoneID))
	return c, s.translate(err)
}

func (tx *Tx) parcelForUpdate(ctx context.Context, zoneID, id int64) (*xinlu.Parcel, error) {
	q := `SELECT ` + parcelColumns + parcelFrom + ` WHERE c.id = ? AND c.zone_id = ?`
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE OF c`
	}
	c, err := scanParcel(tx.queryRow(ctx, q, id, zoneID))
	return c, tx.s.translate(err)
}

func parcelAudit(c *xinlu.Parcel) map[string]any {
	return map[string]any{"code": c.Code, "park_id": c.ParkID, "area_mu": c.AreaMu, "land_use": c.LandUse, "far_min": c.FARMin,
		"far_max": c.FARMax, "status": string(c.Status), "project_id": c.ProjectID, "agreed_start": c.AgreedStart,
		"idle_since": c.IdleSince, "shape": c.Shape, "note": c.Note}
}

func parcelCodeTaken(err error) error {
	if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
		return xinlu.Conflict("code", "land.parcel_code_taken")
	}
	return err
}

// checkParcelRefs checks that the parcel's park and project are the zone's.
func (tx *Tx) checkParcelRefs(ctx context.Context, c *xinlu.Parcel) error {
	if err := tx.sameZone(ctx, c.ZoneID, "parks", c.ParkID, "park_id"); err != nil {
		return err
	}
	return tx.sameZone(ctx, c.ZoneID, "projects", c.ProjectID, "project_id")
}

// CreateParcel inserts c (any status, for the import and the demo; the
// page creates planned parcels).
func (s *Store) CreateParcel(ctx context.Context, a xinlu.Actor, c *xinlu.Parcel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error { return tx.createParcel(ctx, a, c) })
}

func (tx *Tx) createParcel(ctx context.Context, a xinlu.Actor, c *xinlu.Parcel) error {
	if err := tx.checkParcelRefs(ctx, c); err != nil {
		return err
	}
	now := tx.s.Now()
	id, err := tx.insert(ctx, `INSERT INTO parcels (zone_id, park_id, code, area_mu, land_use, far_min, far_max, status, project_id,
		agreed_start, idle_since, shape, note, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`,
		c.ZoneID, c.ParkID, c.Code, c.AreaMu, c.LandUse, c.FARMin, c.FARMax, string(c.Status), nullID(c.ProjectID),
		c.AgreedStart, c.IdleSince, c.Shape, c.Note, now, now)
	if err != nil {
		return parcelCodeTaken(err)
	}
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = id, 1, now, now
	tx.landChanged(c.ZoneID, landParcel, id)
	return tx.audit(ctx, a, "parcel.create", "parcel", id, nil, parcelAudit(c))
}

// UpdateParcel saves the parcel's description (code, park, area, use,
// ratio, shape, note) if c.Version is current; status, project and dates
// change through MoveParcel and PickParcel.
func (s *Store) UpdateParcel(ctx context.Context, a xinlu.Actor, c *xinlu.Parcel) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.parcelForUpdate(ctx, c.ZoneID, c.ID)
		if err != nil {
			return err
		}
		if old.Version != c.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		c.Status, c.ProjectID, c.AgreedStart, c.IdleSince = old.Status, old.ProjectID, old.AgreedStart, old.IdleSince
		if err := c.Validate(); err != nil {
			return err
		}
		if err := tx.checkParcelRefs(ctx, c); err != nil {
			return err
		}
		if c.ParkID != old.ParkID && old.ProjectID != 0 {
			return xinlu.Conflict("park_id", "land.parcel_taken_move")
		}
		return tx.saveParcel(ctx, a, "parcel.update", old, c)
	})
}

func (tx *Tx) saveParcel(ctx context.Context, a xinlu.Actor, action string, old, c *xinlu.Parcel) error {
	now := tx.s.Now()
	res, err := tx.exec(ctx, `UPDATE parcels SET park_id = ?, code = ?, area_mu = ?, land_use = ?, far_min = ?, far_max = ?, status = ?,
		project_id = ?, agreed_start = ?, idle_since = ?, shape = ?, note = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND zone_id = ? AND version = ?`,
		c.ParkID, c.Code, c.AreaMu, c.LandUse, c.FARMin, c.FARMax, string(c.Status), nullID(c.ProjectID), c.AgreedStart, c.IdleSince,
		c.Shape, c.Note, now, c.ID, c.ZoneID, old.Version)
	if err != nil {
		return parcelCodeTaken(tx.s.translate(err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return xinlu.Conflict("version", "error.stale")
	}
	c.Version, c.UpdatedAt, c.CreatedAt = old.Version+1, now, old.CreatedAt
	tx.landChanged(c.ZoneID, landParcel, c.ID)
	return tx.audit(ctx, a, action, "parcel", c.ID, parcelAudit(old), parcelAudit(c))
}

// ParcelMove is a status change of a parcel: to sold it names the project
// and the agreed construction start.
type ParcelMove struct {
	To          xinlu.ParcelStatus
	ProjectID   int64
	AgreedStart string
}

// MoveParcel moves a parcel one step along its status flow (or undoes a
// sale) if version is current. Selling needs a signed project of the zone
// and an agreed start; undoing a sale keeps the project as reserved.
func (s *Store) MoveParcel(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int, m ParcelMove) (*xinlu.Parcel, error) {
	var out *xinlu.Parcel
	err := s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.parcelForUpdate(ctx, zoneID, id)
		if err != nil {
			return err
		}
		if old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if err := xinlu.CheckParcelMove(old.Status, m.To); err != nil {
			return err
		}
		c := *old
		c.Status = m.To
		switch m.To {
		case xinlu.ParcelSold:
			if m.ProjectID == 0 {
				m.ProjectID = old.ProjectID
			}
			if m.ProjectID == 0 {
				return xinlu.Invalid("project_id", "land.parcel_sold_needs_project")
			}
			var stage, signed string
			err := tx.queryRow(ctx, `SELECT stage, signed_on FROM projects WHERE id = ? AND zone_id = ?`, m.ProjectID, zoneID).Scan(&stage, &signed)
			if err != nil {
				return xinlu.Invalid("project_id", "error.invalid_choice")
			}
			if signed == "" {
				return xinlu.Invalid("project_id", "land.parcel_sold_unsigned")
			}
			c.ProjectID, c.AgreedStart = m.ProjectID, strings.TrimSpace(m.AgreedStart)
		case xinlu.ParcelListed:
			c.AgreedStart, c.IdleSince = "", ""
		case xinlu.ParcelInUse:
			c.IdleSince = ""
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := tx.saveParcel(ctx, a, "parcel.move", old, &c); err != nil {
			return err
		}
		out = &c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.ParcelByID(ctx, zoneID, out.ID)
}

// DeleteParcel removes a parcel not reserved or sold to a project.
func (s *Store) DeleteParcel(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.parcelForUpdate(ctx, zoneID, id)
		if err != nil {
			return err
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.ProjectID != 0 {
			return xinlu.Conflict("project_id", "land.parcel_taken_delete")
		}
		if _, err := tx.exec(ctx, `DELETE FROM parcels WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		tx.landChanged(zoneID, landParcel, id)
		return tx.audit(ctx, a, "parcel.delete", "parcel", id, parcelAudit(old), nil)
	})
}

// PickParcel reserves a parcel for a project that is being packaged or
// promoted (the planner's choice after matching): the parcel must be on
// offer and reserved for nobody else; a parcel the project held before is
// given back; the project's park becomes the parcel's. parcelID 0 gives
// the held parcel back without a new one.
func (s *Store) PickParcel(ctx context.Context, a xinlu.Actor, u *xinlu.User, projectID, parcelID int64) error {
	if !u.Can(xinlu.PermProjectPlan) {
		return xinlu.Forbidden()
	}
	return s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.projectForUpdate(ctx, u.ZoneID, projectID)
		if err != nil {
			return err
		}
		if p.Status != xinlu.ProjectActive || (p.Stage != xinlu.StagePackaging && p.Stage != xinlu.StagePromotion) {
			return &xinlu.Error{Code: xinlu.ECONFLICT, Field: "stage", Key: "project.stage_not_allowed", Args: []any{xinlu.LabelKey("stage." + string(p.Stage))}}
		}
		var pc *xinlu.Parcel
		if parcelID != 0 {
			if pc, err = tx.parcelForUpdate(ctx, u.ZoneID, parcelID); err != nil {
				return err
			}
			if !pc.Free(projectID) {
				return xinlu.Conflict("parcel_id", "land.parcel_not_free")
			}
		}
		held, err := tx.heldParcels(ctx, u.ZoneID, projectID)
		if err != nil {
			return err
		}
		for _, h := range held {
			if pc != nil && h.ID == pc.ID || h.Status == xinlu.ParcelSold || h.Status == xinlu.ParcelInUse {
				continue
			}
			c := *h
			c.ProjectID = 0
			if err := tx.saveParcel(ctx, a, "parcel.release", h, &c); err != nil {
				return err
			}
		}
		if pc == nil || pc.ProjectID == projectID {
			return nil
		}
		c := *pc
		c.ProjectID = projectID
		if err := tx.saveParcel(ctx, a, "parcel.pick", pc, &c); err != nil {
			return err
		}
		if p.Plan.ProposedParkID != pc.ParkID {
			before := projectAudit(p)
			p.Plan.ProposedParkID = pc.ParkID
			if err := tx.saveProject(ctx, p); err != nil {
				return err
			}
			if err := tx.audit(ctx, a, "project.pick-parcel", "project", p.ID, before, projectAudit(p)); err != nil {
				return err
			}
		}
		return tx.event(ctx, a, p.ZoneID, p.ID, "pick-parcel", map[string]any{"parcel": pc.Code, "park": pc.ParkName})
	})
}

func (tx *Tx) heldParcels(ctx context.Context, zoneID, projectID int64) ([]*xinlu.Parcel, error) {
	rows, err := tx.query(ctx, `SELECT `+parcelColumns+parcelFrom+` WHERE c.zone_id = ? AND c.project_id = ? ORDER BY c.id`, zoneID, projectID)
	if err != nil {
		return nil, tx.s.translate(err)
	}
	return collect(rows, scanParcel)
}

// releaseParcels gives back the parcels reserved (not sold) for a lost
// project.
func (tx *Tx) releaseParcels(ctx context.Context, a xinlu.Actor, zoneID, projectID int64) error {
	held, err := tx.heldParcels(ctx, zoneID, projectID)
	if err != nil {
		return err
	}
	for _, h := range held {
		if h.Status == xinlu.ParcelSold || h.Status == xinlu.ParcelInUse {
			continue
		}
		c := *h
		c.ProjectID = 0
		if err := tx.saveParcel(ctx, a, "parcel.release", h, &c); err != nil {
			return err
		}
	}
	return nil
}

// useParcels puts the parcels sold to a project that starts construction
// into use and clears their idle flag.
func (tx *Tx) useParcels(ctx context.Context, a xinlu.Actor, zoneID, projectID int64) error {
	held, err := tx.heldParcels(ctx, zoneID, projectID)
	if err != nil {
		return err
	}
	for _, h := range held {
		if h.Status != xinlu.ParcelSold {
			continue
		}
		c := *h
		c.Status, c.IdleSince = xinlu.ParcelInUse, ""
		if err := tx.saveParcel(ctx, a, "parcel.move", h, &c); err != nil {
			return err
		}
	}
	return nil
}

// MarkIdleParcels is the hourly check for idle land (闲置土地): a sold
// parcel whose agreed start passed before today while its project has not
// started construction gets idle_since; one that no longer is idle loses
// it. It returns how many parcels it flagged.
func (s *Store) MarkIdleParcels(ctx context.Context, now time.Time) (int, error) {
	y, m, d := now.In(shanghai).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	rows, err := s.query(ctx, `SELECT `+parcelColumns+`, COALESCE(p.started_on, '')`+parcelFrom+
		` WHERE c.status = 'sold' OR c.idle_since <> ''`)
	if err != nil {
		return 0, xinlu.Internal(err)
	}
	type item struct {
		c       *xinlu.Parcel
		started string
	}
	items, err := collect(rows, func(sc scanner) (item, error) {
		c := &xinlu.Parcel{}
		var status, started string
		err := sc.Scan(&c.ID, &c.ZoneID, &c.ParkID, &c.Code, &c.AreaMu, &c.LandUse, &c.FARMin, &c.FARMax, &status,
			&c.ProjectID, &c.AgreedStart, &c.IdleSince, &c.Shape, &c.Note, &c.Version, &c.CreatedAt, &c.UpdatedAt,
			&c.ParkName, &c.ProjectName, &started)
		c.Status = xinlu.ParcelStatus(status)
		return item{c, started}, err
	})
	if err != nil {
		return 0, err
	}
	flagged := 0
	for _, it := range items {
		since := xinlu.ParcelIdleSince(it.c, it.started != "", today)
		if since == it.c.IdleSince {
			continue
		}
		err := s.inTx(ctx, func(tx *Tx) error {
			old, err := tx.parcelForUpdate(ctx, it.c.ZoneID, it.c.ID)
			if err != nil || old.Version != it.c.Version {
				return err // changed meanwhile: the next run sees it
			}
			c := *old
			c.IdleSince = since
			action := "parcel.idle"
			if since == "" {
				action = "parcel.not_idle"
			}
			return tx.saveParcel(ctx, xinlu.SystemActor(old.ZoneID), action, old, &c)
		})
		if err != nil {
			return flagged, err
		}
		if since != "" {
			flagged++
		}
	}
	return flagged, nil
}

// ParcelCount is how many parcels of a park are in a status, their area
// and how many of them are idle.
type ParcelCount struct {
	ParkID int64
	Status xinlu.ParcelStatus
	Count  int
	AreaMu float64
	Idle   int
}

// ParcelCounts counts a zone's parcels by park and status.
func (s *Store) ParcelCounts(ctx context.Context, zoneID int64) ([]ParcelCount, error) {
	rows, err := s.query(ctx, `SELECT park_id, status, COUNT(*), COALESCE(SUM(area_mu), 0), SUM(CASE WHEN idle_since <> '' THEN 1 ELSE 0 END)
		FROM parcels WHERE zone_id = ? GROUP BY park_id, status`, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, func(sc scanner) (ParcelCount, error) {
		var c ParcelCount
		var status string
		err := sc.Scan(&c.ParkID, &status, &c.Count, &c.AreaMu, &c.Idle)
		c.Status = xinlu.ParcelStatus(status)
		return c, err
	})
}

// ParcelImportRow is one row of a parcel workbook.
type ParcelImportRow struct {
	Row      int
	Parcel   xinlu.Parcel
	ParkName string
}

// ImportParcels records the rows all or nothing (dryRun: checks only).
// Errors name their row; a code already in the zone or twice in the
// workbook is one.
func (s *Store) ImportParcels(ctx context.Context, a xinlu.Actor, zoneID int64, rows []ParcelImportRow, dryRun bool) (int, []RowProblem, error) {
	parks, _, err := s.ListParks(ctx, ParkFilter{ZoneID: zoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return 0, nil, err
	}
	parkID := map[string]int64{}
	for _, p := range parks {
		parkID[p.Name] = p.ID
	}
	var errs []RowProblem
	seen := map[string]int{}
	for i := range rows {
		r := &rows[i]
		r.Parcel.ZoneID = zoneID
		id, ok := parkID[strings.TrimSpace(r.ParkName)]
		if !ok {
			errs = append(errs, RowProblem{Row: r.Row, Field: "park_id", Err: xinlu.Invalid("park_id", "enterprise.park_unknown", r.ParkName)})
			id = -1 // checked: not 0, so Validate does not ask for it again
		}
		r.Parcel.ParkID = id
		if e := r.Parcel.Validate(); e != nil {
			for _, fe := range xinlu.ErrorsOf(e) {
				errs = append(errs, RowProblem{Row: r.Row, Field: fe.Field, Err: fe})
			}
		}
		if prev, ok := seen[r.Parcel.Code]; ok {
			errs = append(errs, RowProblem{Row: r.Row, Field: "code", Err: xinlu.Invalid("code", "land.parcel_code_twice", prev)})
		}
		seen[r.Parcel.Code] = r.Row
		var n int
		if err := s.queryRow(ctx, `SELECT COUNT(*) FROM parcels WHERE zone_id = ? AND code = ?`, zoneID, r.Parcel.Code).Scan(&n); err != nil {
			return 0, nil, xinlu.Internal(err)
		}
		if n > 0 {
			errs = append(errs, RowProblem{Row: r.Row, Field: "code", Err: xinlu.Conflict("code", "land.parcel_code_taken")})
		}
	}
	if len(errs) > 0 || dryRun {
		return len(rows), errs, nil
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		for i := range rows {
			if err := tx.createParcel(ctx, a, &rows[i].Parcel); err != nil {
				return fmt.Errorf("row %d: %w", rows[i].Row, err)
			}
		}
		return nil
	})
	return len(rows), nil, err
}
