package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"xinlu/internal/xinlu"
)

const enterpriseColumns = `e.id, e.zone_id, e.name, e.credit_code, e.industry, COALESCE(e.park_id, 0), COALESCE(e.project_id, 0),
	e.version, e.created_at, e.updated_at, COALESCE(k.name, '')`

const enterpriseFrom = ` FROM enterprises e LEFT JOIN parks k ON k.id = e.park_id`

func scanEnterprise(sc scanner) (*xinlu.Enterprise, error) {
	e := &xinlu.Enterprise{}
	err := sc.Scan(&e.ID, &e.ZoneID, &e.Name, &e.CreditCode, &e.Industry, &e.ParkID, &e.ProjectID, &e.Version, &e.CreatedAt, &e.UpdatedAt, &e.ParkName)
	return e, err
}

// ListEnterprises returns one page of a zone's enterprises by name and the
// total; PerPage -1 returns them all.
func (s *Store) ListEnterprises(ctx context.Context, zoneID int64, query string, pg xinlu.Page) ([]*xinlu.Enterprise, int, error) {
	where, args := ` WHERE e.zone_id = ?`, []any{zoneID}
	if q := strings.TrimSpace(query); q != "" {
		where, args = where+` AND e.name `+s.likeOp()+` ? ESCAPE '\'`, append(args, likePattern(q))
	}
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM enterprises e`+where, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	q := `SELECT ` + enterpriseColumns + enterpriseFrom + where + ` ORDER BY e.name, e.id`
	if pg.PerPage >= 0 {
		p := pg.Normalize()
		q, args = q+s.pageSQL(p), append(args, s.pageArgs(p)...)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanEnterprise)
	return out, total, err
}

// EnterpriseByID returns an enterprise of the zone.
func (s *Store) EnterpriseByID(ctx context.Context, zoneID, id int64) (*xinlu.Enterprise, error) {
	e, err := scanEnterprise(s.queryRow(ctx, `SELECT `+enterpriseColumns+enterpriseFrom+` WHERE e.id = ? AND e.zone_id = ?`, id, zoneID))
	return e, s.translate(err)
}

func enterpriseAudit(e *xinlu.Enterprise) map[string]any {
	return map[string]any{"name": e.Name, "credit_code": e.CreditCode, "industry": e.Industry, "park_id": e.ParkID, "project_id": e.ProjectID}
}

// CreateEnterprise inserts an enterprise.
func (s *Store) CreateEnterprise(ctx context.Context, a xinlu.Actor, e *xinlu.Enterprise) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error { return tx.createEnterprise(ctx, a, e) })
}

func (tx *Tx) createEnterprise(ctx context.Context, a xinlu.Actor, e *xinlu.Enterprise) error {
	if err := tx.sameZone(ctx, e.ZoneID, "parks", e.ParkID, "park_id"); err != nil {
		return err
	}
	now := tx.s.Now()
	id, err := tx.insert(ctx, `INSERT INTO enterprises (zone_id, name, credit_code, industry, park_id, project_id, version, created_at, updated_at)
		VALUES (?,?,?,?,?,?,1,?,?)`, e.ZoneID, e.Name, e.CreditCode, e.Industry, nullID(e.ParkID), nullID(e.ProjectID), now, now)
	if err != nil {
		if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
			return xinlu.Conflict("name", "enterprise.name_taken")
		}
		return err
	}
	e.ID, e.Version, e.CreatedAt, e.UpdatedAt = id, 1, now, now
	return tx.audit(ctx, a, "enterprise.create", "enterprise", id, nil, enterpriseAudit(e))
}

// enterpriseForProject makes the enterprise of a project that starts
// production, or links the zone's enterprise of the same name.
func (tx *Tx) enterpriseForProject(ctx context.Context, a xinlu.Actor, p *ProjectRecord) error {
	var id, project int64
	err := tx.queryRow(ctx, `SELECT id, COALESCE(project_id, 0) FROM enterprises WHERE zone_id = ? AND name = ?`, p.ZoneID, p.Company).Scan(&id, &project)
	switch xinlu.ErrorCode(tx.s.translate(err)) {
	case xinlu.ENOTFOUND:
		e := &xinlu.Enterprise{ZoneID: p.ZoneID, Name: p.Company, Industry: p.Industry, ParkID: p.Plan.ProposedParkID, ProjectID: p.ID}
		if verr := e.Validate(); verr != nil {
			return nil // a company name the register cannot take: no enterprise made
		}
		return tx.createEnterprise(ctx, a, e)
	case "":
		if project == 0 {
			if _, err := tx.exec(ctx, `UPDATE enterprises SET project_id = ?, version = version + 1, updated_at = ? WHERE id = ?`, p.ID, tx.s.Now(), id); err != nil {
				return tx.s.translate(err)
			}
			return tx.audit(ctx, a, "enterprise.link", "enterprise", id, nil, map[string]any{"project_id": p.ID})
		}
		return nil
	}
	return tx.s.translate(err)
}

// EnterpriseYears returns an enterprise's yearly figures by year.
func (s *Store) EnterpriseYears(ctx context.Context, zoneID, enterpriseID int64) ([]xinlu.EnterpriseYear, error) {
	return s.years(ctx, `WHERE zone_id = ? AND enterprise_id = ? ORDER BY year`, zoneID, enterpriseID)
}

func (s *Store) years(ctx context.Context, where string, args ...any) ([]xinlu.EnterpriseYear, error) {
	rows, err := s.query(ctx, `SELECT enterprise_id, year, output_yuan, tax_yuan, energy_tce, emissions_t, land_mu, employees FROM enterprise_years `+where, args...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, func(sc scanner) (xinlu.EnterpriseYear, error) {
		var y xinlu.EnterpriseYear
		err := sc.Scan(&y.EnterpriseID, &y.Year, &y.OutputYuan, &y.TaxYuan, &y.EnergyTce, &y.EmissionsT, &y.LandMu, &y.Employees)
		return y, err
	})
}

func (tx *Tx) saveYear(ctx context.Context, a xinlu.Actor, zoneID int64, y xinlu.EnterpriseYear) error {
	if _, err := tx.exec(ctx, `DELETE FROM enterprise_years WHERE enterprise_id = ? AND year = ?`, y.EnterpriseID, y.Year); err != nil {
		return tx.s.translate(err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO enterprise_years (enterprise_id, zone_id, year, output_yuan, tax_yuan, energy_tce, emissions_t, land_mu, employees, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?)`, y.EnterpriseID, zoneID, y.Year, y.OutputYuan, y.TaxYuan, y.EnergyTce, y.EmissionsT, y.LandMu, y.Employees, tx.s.Now()); err != nil {
		return tx.s.translate(err)
	}
	return tx.audit(ctx, a, "enterprise.year", "enterprise", y.EnterpriseID, nil, map[string]any{"year": y.Year, "output_yuan": y.OutputYuan,
		"tax_yuan": y.TaxYuan, "energy_tce": y.EnergyTce, "emissions_t": y.EmissionsT, "land_mu": y.LandMu, "employees": y.Employees})
}

// SaveEnterpriseYear records (or replaces) an enterprise's figures of a year.
func (s *Store) SaveEnterpriseYear(ctx context.Context, a xinlu.Actor, zoneID int64, y xinlu.EnterpriseYear) error {
	if err := y.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.sameZone(ctx, zoneID, "enterprises", y.EnterpriseID, "enterprise_id"); err != nil {
			return err
		}
		return tx.saveYear(ctx, a, zoneID, y)
	})
}

// EnterpriseImportRow is one row of an enterprise figures workbook.
type EnterpriseImportRow struct {
	Row        int // the row in the workbook, for its errors
	Enterprise xinlu.Enterprise
	ParkName   string
	Year       xinlu.EnterpriseYear
}

// ImportEnterprises records the rows all or nothing: an enterprise new by
// name is created, a known one keeps its record; each row's year replaces
// that year's figures. dryRun checks and writes nothing. Errors name their
// row.
func (s *Store) ImportEnterprises(ctx context.Context, a xinlu.Actor, zoneID int64, rows []EnterpriseImportRow, dryRun bool) (created, years int, errs []RowProblem, err error) {
	parks, _, err := s.ListParks(ctx, ParkFilter{ZoneID: zoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return 0, 0, nil, err
	}
	parkID := map[string]int64{}
	for _, p := range parks {
		parkID[p.Name] = p.ID
	}
	seen := map[string]int{}
	for i := range rows {
		r := &rows[i]
		r.Enterprise.ZoneID = zoneID
		if r.ParkName != "" {
			id, ok := parkID[strings.TrimSpace(r.ParkName)]
			if !ok {
				errs = append(errs, RowProblem{Row: r.Row, Field: "park_id", Err: xinlu.Invalid("park_id", "enterprise.park_unknown", r.ParkName)})
			}
			r.Enterprise.ParkID = id
		}
		if e := r.Enterprise.Validate(); e != nil {
			for _, fe := range xinlu.ErrorsOf(e) {
				errs = append(errs, RowProblem{Row: r.Row, Field: fe.Field, Err: fe})
			}
		}
		if e := r.Year.Validate(); e != nil {
			for _, fe := range xinlu.ErrorsOf(e) {
				errs = append(errs, RowProblem{Row: r.Row, Field: fe.Field, Err: fe})
			}
		}
		key := fmt.Sprintf("%s/%d", r.Enterprise.Name, r.Year.Year)
		if prev, ok := seen[key]; ok {
			errs = append(errs, RowProblem{Row: r.Row, Field: "year", Err: xinlu.Invalid("year", "enterprise.year_twice", prev)})
		}
		seen[key] = r.Row
	}
	if len(errs) > 0 || dryRun {
		return 0, len(rows), errs, nil
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		ids := map[string]int64{}
		for i := range rows {
			r := &rows[i]
			id, ok := ids[r.Enterprise.Name]
			if !ok {
				err := tx.queryRow(ctx, `SELECT id FROM enterprises WHERE zone_id = ? AND name = ?`, zoneID, r.Enterprise.Name).Scan(&id)
				if xinlu.ErrorCode(s.translate(err)) == xinlu.ENOTFOUND {
					e := r.Enterprise
					if err := tx.createEnterprise(ctx, a, &e); err != nil {
						return err
					}
					id = e.ID
					created++
				} else if err != nil {
					return s.translate(err)
				}
				ids[r.Enterprise.Name] = id
			}
			r.Year.EnterpriseID = id
			if err := tx.saveYear(ctx, a, zoneID, r.Year); err != nil {
				return err
			}
			years++
		}
		return nil
	})
	return created, years, nil, err
}

// RowProblem is an error of one imported row.
type RowProblem struct {
	Row   int
	Field string
	Err   error
}

// EfficiencyScheme returns the zone's evaluation scheme (the default until set).
func (s *Store) EfficiencyScheme(ctx context.Context, zoneID int64) (xinlu.EfficiencyScheme, error) {
	sc := xinlu.DefaultEfficiencyScheme()
	var weights string
	err := s.queryRow(ctx, `SELECT weights, class_a, class_b, class_c FROM efficiency_settings WHERE zone_id = ?`, zoneID).Scan(&weights, &sc.A, &sc.B, &sc.C)
	if xinlu.ErrorCode(s.translate(err)) == xinlu.ENOTFOUND {
		return xinlu.DefaultEfficiencyScheme(), nil
	}
	if err != nil {
		return sc, xinlu.Internal(err)
	}
	sc.Weights = map[string]float64{}
	if err := json.Unmarshal([]byte(weights), &sc.Weights); err != nil {
		return sc, xinlu.Internal(err)
	}
	return sc, nil
}

// SetEfficiencyScheme saves the zone's evaluation scheme.
func (s *Store) SetEfficiencyScheme(ctx context.Context, a xinlu.Actor, zoneID int64, sc xinlu.EfficiencyScheme) error {
	if err := sc.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(sc.Weights)
	return s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM efficiency_settings WHERE zone_id = ?`, zoneID); err != nil {
			return s.translate(err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO efficiency_settings (zone_id, weights, class_a, class_b, class_c, updated_at) VALUES (?,?,?,?,?,?)`,
			zoneID, string(b), sc.A, sc.B, sc.C, s.Now()); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "efficiency.scheme", "zone", zoneID, nil, map[string]any{"weights": sc.Weights, "a": sc.A, "b": sc.B, "c": sc.C})
	})
}

// Efficiency evaluates the zone's enterprises for a year with its scheme.
func (s *Store) Efficiency(ctx context.Context, zoneID int64, year int) ([]xinlu.EffResult, error) {
	sc, err := s.EfficiencyScheme(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	es, _, err := s.ListEnterprises(ctx, zoneID, "", xinlu.Page{PerPage: -1})
	if err != nil {
		return nil, err
	}
	byID := map[int64]*xinlu.Enterprise{}
	for _, e := range es {
		byID[e.ID] = e
	}
	ys, err := s.years(ctx, `WHERE zone_id = ? AND year = ?`, zoneID, year)
	if err != nil {
		return nil, err
	}
	return sc.Evaluate(byID, ys), nil
}

// EfficiencyYears lists the years with figures, latest first.
func (s *Store) EfficiencyYears(ctx context.Context, zoneID int64) ([]int, error) {
	rows, err := s.query(ctx, `SELECT DISTINCT year FROM enterprise_years WHERE zone_id = ? ORDER BY year DESC`, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, func(sc scanner) (int, error) {
		var y int
		return y, sc.Scan(&y)
	})
}

// ClassHistory is an enterprise's class in each evaluated year.
func (s *Store) ClassHistory(ctx context.Context, zoneID, enterpriseID int64) (map[int]xinlu.EffResult, error) {
	yrs, err := s.EfficiencyYears(ctx, zoneID)
	if err != nil {
		return nil, err
	}
	out := map[int]xinlu.EffResult{}
	for _, y := range yrs {
		rs, err := s.Efficiency(ctx, zoneID, y)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if r.Enterprise.ID == enterpriseID {
				out[y] = r
			}
		}
	}
	return out, nil
}
