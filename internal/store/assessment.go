package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// EvidenceLink is one record behind an indicator: its words and the page
// that shows it ("" when there is none to open).
type EvidenceLink struct {
	Label string
	Path  string
}

// AssessmentRow is an indicator of the sheet with its value (computed now,
// or as entered), its score and the records behind it.
type AssessmentRow struct {
	xinlu.AssessmentIndicator
	Actual   *float64
	Score    xinlu.IndicatorScore
	Records  []EvidenceLink // the records a computed value counts (the first evidenceLimit), or the entered links
	More     int            // records counted beyond those listed
	LedgerAt string         // a list that shows every record counted, when there is one
}

// AssessmentSheet is a zone's sheet for a year, scored.
type AssessmentSheet struct {
	Year     int
	Category string
	Rows     []AssessmentRow
	Total    float64
	Full     float64
	Grade    string
}

// evidenceLimit is how many records a computed indicator lists.
const evidenceLimit = 30

const assessmentColumns = `id, zone_id, year, name, unit, weight, target, source, lower_good, deduction, value, evidence, links, sort_order, version`

func scanAssessment(sc scanner) (*xinlu.AssessmentIndicator, error) {
	var a xinlu.AssessmentIndicator
	var value sql.NullFloat64
	var links string
	if err := sc.Scan(&a.ID, &a.ZoneID, &a.Year, &a.Name, &a.Unit, &a.Weight, &a.Target, &a.Source, &a.LowerGood, &a.Deduction, &value,
		&a.Evidence, &links, &a.SortOrder, &a.Version); err != nil {
		return nil, err
	}
	if value.Valid {
		a.Value = &value.Float64
	}
	if links != "" {
		a.Links = strings.Split(links, "\n")
	}
	return &a, nil
}

func nullFloat(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// ZoneCategory is the category the province ranks the zone within ("" not set).
func (s *Store) ZoneCategory(ctx context.Context, zoneID int64) (string, error) {
	var c string
	if err := s.queryRow(ctx, `SELECT category FROM zones WHERE id = ?`, zoneID).Scan(&c); err != nil {
		return "", s.translate(err)
	}
	return c, nil
}

// SetZoneCategory sets the zone's category, audited.
func (s *Store) SetZoneCategory(ctx context.Context, a xinlu.Actor, zoneID int64, category string) error {
	if err := xinlu.CheckZoneCategory(category); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		var old string
		if err := tx.queryRow(ctx, `SELECT category FROM zones WHERE id = ?`, zoneID).Scan(&old); err != nil {
			return s.translate(err)
		}
		if old == category {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE zones SET category = ? WHERE id = ?`, category, zoneID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "assessment.category", "zone", zoneID, map[string]any{"category": old}, map[string]any{"category": category})
	})
}

// AssessmentIndicators lists a zone's indicators of a year in sheet order.
func (s *Store) AssessmentIndicators(ctx context.Context, zoneID int64, year int) ([]*xinlu.AssessmentIndicator, error) {
	rows, err := s.query(ctx, `SELECT `+assessmentColumns+` FROM assessment_indicators WHERE zone_id = ? AND year = ? ORDER BY sort_order, id`, zoneID, year)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanAssessment)
}

// AssessmentIndicatorByID returns one indicator of the zone.
func (s *Store) AssessmentIndicatorByID(ctx context.Context, zoneID, id int64) (*xinlu.AssessmentIndicator, error) {
	a, err := scanAssessment(s.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessment_indicators WHERE id = ? AND zone_id = ?`, id, zoneID))
	if err != nil {
		return nil, s.translate(err)
	}
	return a, nil
}

func assessmentAudit(a *xinlu.AssessmentIndicator) map[string]any {
	m := map[string]any{"year": a.Year, "name": a.Name, "unit": a.Unit, "weight": a.Weight, "target": a.Target, "source": a.Source,
		"lower_good": a.LowerGood, "deduction": a.Deduction, "evidence": a.Evidence, "links": a.Links, "sort_order": a.SortOrder}
	if a.Value != nil {
		m["value"] = *a.Value
	}
	return m
}

func sameIndicator(a, b *xinlu.AssessmentIndicator) bool {
	return a.Year == b.Year && a.Name == b.Name && a.Unit == b.Unit && a.Weight == b.Weight && a.Target == b.Target && a.Source == b.Source &&
		a.LowerGood == b.LowerGood && a.Deduction == b.Deduction && a.Evidence == b.Evidence && slices.Equal(a.Links, b.Links) &&
		a.SortOrder == b.SortOrder && (a.Value == nil) == (b.Value == nil) && (a.Value == nil || *a.Value == *b.Value)
}

// SaveAssessmentIndicator creates ind (ind.ID 0) or changes it at its
// version, audited (assessment.save); an unchanged save writes nothing.
func (s *Store) SaveAssessmentIndicator(ctx context.Context, a xinlu.Actor, ind *xinlu.AssessmentIndicator) error {
	if err := ind.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		links := strings.Join(ind.Links, "\n")
		if ind.ID == 0 {
			if ind.SortOrder == 0 {
				if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(sort_order), 0) + 10 FROM assessment_indicators WHERE zone_id = ? AND year = ?`,
					ind.ZoneID, ind.Year).Scan(&ind.SortOrder); err != nil {
					return xinlu.Internal(err)
				}
			}
			id, err := tx.insert(ctx, `INSERT INTO assessment_indicators (zone_id, year, name, unit, weight, target, source, lower_good, deduction, value,
				evidence, links, sort_order, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`,
				ind.ZoneID, ind.Year, ind.Name, ind.Unit, ind.Weight, ind.Target, ind.Source, ind.LowerGood, ind.Deduction, nullFloat(ind.Value),
				ind.Evidence, links, ind.SortOrder, now, now)
			if err != nil {
				if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
					return xinlu.Conflict("name", "assessment.name_taken")
				}
				return err
			}
			ind.ID, ind.Version = id, 1
			return tx.audit(ctx, a, "assessment.save", "assessment_indicator", id, nil, assessmentAudit(ind))
		}
		old, err := scanAssessment(tx.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessment_indicators WHERE id = ? AND zone_id = ?`, ind.ID, ind.ZoneID))
		if err != nil {
			return s.translate(err)
		}
		if old.Version != ind.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if sameIndicator(old, ind) {
			return nil
		}
		res, err := tx.exec(ctx, `UPDATE assessment_indicators SET year = ?, name = ?, unit = ?, weight = ?, target = ?, source = ?, lower_good = ?, deduction = ?,
			value = ?, evidence = ?, links = ?, sort_order = ?, version = version + 1, updated_at = ? WHERE id = ? AND zone_id = ? AND version = ?`,
			ind.Year, ind.Name, ind.Unit, ind.Weight, ind.Target, ind.Source, ind.LowerGood, ind.Deduction, nullFloat(ind.Value), ind.Evidence, links,
			ind.SortOrder, now, ind.ID, ind.ZoneID, ind.Version)
		if err != nil {
			if err = s.translate(err); xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("name", "assessment.name_taken")
			}
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		ind.Version++
		return tx.audit(ctx, a, "assessment.save", "assessment_indicator", ind.ID, assessmentAudit(old), assessmentAudit(ind))
	})
}

// DeleteAssessmentIndicator deletes an indicator at its version, audited.
func (s *Store) DeleteAssessmentIndicator(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanAssessment(tx.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessment_indicators WHERE id = ? AND zone_id = ?`, id, zoneID))
		if err != nil {
			return s.translate(err)
		}
		if old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		if _, err := tx.exec(ctx, `DELETE FROM assessment_indicators WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "assessment.delete", "assessment_indicator", id, assessmentAudit(old), nil)
	})
}

// LoadDefaultAssessment fills a year's empty sheet with the default
// indicators (xinlu.DefaultAssessmentSheet), audited; a year that has
// indicators keeps them.
func (s *Store) LoadDefaultAssessment(ctx context.Context, a xinlu.Actor, zoneID int64, year int) (int, error) {
	if year < 2000 || year > 2100 {
		return 0, xinlu.Invalid("year", "error.out_of_range", 2000, 2100)
	}
	sheet := xinlu.DefaultAssessmentSheet(year)
	err := s.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM assessment_indicators WHERE zone_id = ? AND year = ?`, zoneID, year).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if n > 0 {
			return xinlu.Conflict("year", "assessment.sheet_exists")
		}
		now := s.Now()
		for _, ind := range sheet {
			if _, err := tx.insert(ctx, `INSERT INTO assessment_indicators (zone_id, year, name, unit, weight, target, source, lower_good, deduction,
				sort_order, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)`,
				zoneID, year, ind.Name, ind.Unit, ind.Weight, 0.0, ind.Source, ind.LowerGood, ind.Deduction, ind.SortOrder, now, now); err != nil {
				return err
			}
		}
		return tx.audit(ctx, a, "assessment.default", "zone", zoneID, nil, map[string]any{"year": year, "indicators": len(sheet)})
	})
	if err != nil {
		return 0, err
	}
	return len(sheet), nil
}

// Assessment scores a zone's sheet of a year: computed indicators are
// worked out from the records now, each with the records it counts.
func (s *Store) Assessment(ctx context.Context, zoneID int64, year int) (*AssessmentSheet, error) {
	inds, err := s.AssessmentIndicators(ctx, zoneID, year)
	if err != nil {
		return nil, err
	}
	out := &AssessmentSheet{Year: year}
	if out.Category, err = s.ZoneCategory(ctx, zoneID); err != nil {
		return nil, err
	}
	scores := make([]xinlu.IndicatorScore, len(inds))
	for i, ind := range inds {
		row := AssessmentRow{AssessmentIndicator: *ind, Actual: ind.Value}
		if ind.Source != "" {
			v, err := s.computeAssessment(ctx, zoneID, year, &row)
			if err != nil {
				return nil, err
			}
			row.Actual = &v
		} else {
			for _, l := range ind.Links {
				row.Records = append(row.Records, EvidenceLink{Label: l, Path: l})
			}
		}
		row.Score = xinlu.ScoreIndicator(ind, row.Actual)
		scores[i] = row.Score
		out.Rows = append(out.Rows, row)
	}
	out.Total, out.Full = xinlu.AssessmentTotal(scores, inds)
	out.Grade = xinlu.AssessmentGrade(out.Total, out.Full)
	return out, nil
}

// AssessmentScores are the self-assessment scores of a year of every zone
// of the install that has a sheet for it, ranked within their categories:
// what a city or province view compares.
func (s *Store) AssessmentScores(ctx context.Context, year int) ([]xinlu.ZoneScore, error) {
	rows, err := s.query(ctx, `SELECT z.id, z.name, z.category FROM zones z
		WHERE EXISTS (SELECT 1 FROM assessment_indicators a WHERE a.zone_id = z.id AND a.year = ?) ORDER BY z.id`, year)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	zs, err := collect(rows, func(sc scanner) (xinlu.ZoneScore, error) {
		var z xinlu.ZoneScore
		return z, sc.Scan(&z.ZoneID, &z.ZoneName, &z.Category)
	})
	if err != nil {
		return nil, err
	}
	for i := range zs {
		sheet, err := s.Assessment(ctx, zs[i].ZoneID, year)
		if err != nil {
			return nil, err
		}
		zs[i].Score, zs[i].Full, zs[i].Grade = sheet.Total, sheet.Full, sheet.Grade
	}
	xinlu.RankZones(zs)
	return zs, nil
}

// yi is an amount in 亿元, to four decimals.
func yi(yuan float64) float64 { return math.Round(yuan/1e4) / 1e4 }

// computeAssessment works out a computed indicator for a year and lists
// the records it counts on row.
func (s *Store) computeAssessment(ctx context.Context, zoneID int64, year int, row *AssessmentRow) (float64, error) {
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	projects := func(col, valueExpr string) (float64, error) {
		var v float64
		var n int
		if err := s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CAST(`+valueExpr+` AS DOUBLE PRECISION)), 0) FROM projects
			WHERE zone_id = ? AND `+col+` >= ? AND `+col+` <= ?`, zoneID, from, to).Scan(&n, &v); err != nil {
			return 0, xinlu.Internal(err)
		}
		rows, err := s.query(ctx, `SELECT id, name, `+col+` FROM projects WHERE zone_id = ? AND `+col+` >= ? AND `+col+` <= ? ORDER BY `+col+`, id LIMIT ?`,
			zoneID, from, to, evidenceLimit)
		if err != nil {
			return 0, xinlu.Internal(err)
		}
		if row.Records, err = collect(rows, func(sc scanner) (EvidenceLink, error) {
			var id int64
			var name, on string
			err := sc.Scan(&id, &name, &on)
			return EvidenceLink{Label: name + " " + on, Path: "/projects/" + strconv.FormatInt(id, 10)}, err
		}); err != nil {
			return 0, err
		}
		row.More = n - len(row.Records)
		if valueExpr == "1" {
			return float64(n), nil
		}
		return yi(v), nil
	}
	switch row.Source {
	case "contract_amount":
		row.LedgerAt = "/projects?signed_from=" + from + "&signed_to=" + to
		return projects("signed_on", "contract_yuan")
	case "projects_signed":
		row.LedgerAt = "/projects?signed_from=" + from + "&signed_to=" + to
		return projects("signed_on", "1")
	case "projects_started":
		return projects("started_on", "1")
	case "projects_producing":
		return projects("produced_on", "1")
	case "fixed_assets":
		return projects("started_on", "COALESCE(fixed_asset_yuan, 0)")
	case "six_new_projects":
		row.LedgerAt = "/projects?signed_from=" + from + "&signed_to=" + to
		return s.computeTarget(ctx, zoneID, "six_new_projects", year, 12)
	case "funds_in_place":
		var v float64
		var n int
		if err := s.queryRow(ctx, `SELECT COUNT(DISTINCT project_id), COALESCE(SUM(CAST(amount_yuan AS DOUBLE PRECISION)), 0) FROM funds_in_place
			WHERE zone_id = ? AND on_date >= ? AND on_date <= ?`, zoneID, from, to).Scan(&n, &v); err != nil {
			return 0, xinlu.Internal(err)
		}
		rows, err := s.query(ctx, `SELECT p.id, p.name, `+sumYuan("f.amount_yuan")+` FROM funds_in_place f JOIN projects p ON p.id = f.project_id
			WHERE f.zone_id = ? AND f.on_date >= ? AND f.on_date <= ? GROUP BY p.id, p.name ORDER BY p.id LIMIT ?`, zoneID, from, to, evidenceLimit)
		if err != nil {
			return 0, xinlu.Internal(err)
		}
		if row.Records, err = collect(rows, func(sc scanner) (EvidenceLink, error) {
			var id, yuan int64
			var name string
			err := sc.Scan(&id, &name, &yuan)
			return EvidenceLink{Label: name, Path: "/projects/" + strconv.FormatInt(id, 10) + "/funds"}, err
		}); err != nil {
			return 0, err
		}
		row.More = n - len(row.Records)
		return yi(v), nil
	case "leads_reported":
		var n int
		if err := s.queryRow(ctx, `SELECT COUNT(*) FROM leads WHERE zone_id = ? AND reported_at >= ? AND reported_at < ? AND status <> 'merged'`,
			zoneID, yearStart(year), yearStart(year+1)).Scan(&n); err != nil {
			return 0, xinlu.Internal(err)
		}
		return float64(n), nil
	case "tax_per_mu":
		row.LedgerAt = "/efficiency?year=" + strconv.Itoa(year)
		return s.computeTarget(ctx, zoneID, "tax_per_mu", year, 12)
	case "enterprise_tax", "enterprise_output":
		col := "tax_yuan"
		if row.Source == "enterprise_output" {
			col = "output_yuan"
		}
		var v float64
		if err := s.queryRow(ctx, `SELECT COALESCE(SUM(CAST(`+col+` AS DOUBLE PRECISION)), 0) FROM enterprise_years WHERE zone_id = ? AND year = ?`,
			zoneID, year).Scan(&v); err != nil {
			return 0, xinlu.Internal(err)
		}
		row.LedgerAt = "/enterprises"
		return yi(v), nil
	}
	return 0, xinlu.Invalid("source", "error.invalid_choice")
}

// WarmRollup reads the roll-up's self-assessment scores of the store's
// current year in the background, so that a server just started does not
// make its first viewer wait for them (they take seconds at a million
// leads).
func (s *Store) WarmRollup(ctx context.Context) {
	if !s.background.start() {
		return
	}
	go func() {
		defer s.background.wg.Done()
		s.RollupAssessmentScores(ctx, s.Now().In(shanghai).Year()) //nolint:errcheck // a failure is read again on request
	}()
}

// yearStart is the first instant of a year in Shanghai.
func yearStart(year int) time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, shanghai).UTC() }

// RollupAssessmentScores are AssessmentScores as the roll-up shows them
// beside every zone's figures: read at most once a minute per process
// (see minuteTTL), since a zone's sheet counts its records and a yearly
// comparison need not be fresher. Callers only read the slice.
func (s *Store) RollupAssessmentScores(ctx context.Context, year int) ([]xinlu.ZoneScore, error) {
	v, err := s.cachedForAMinute(ctx, fmt.Sprintf("assessment/%d", year), func(ctx context.Context) (any, error) {
		return s.AssessmentScores(ctx, year)
	})
	if err != nil {
		return nil, err
	}
	return v.([]xinlu.ZoneScore), nil
}
