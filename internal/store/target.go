package store

import (
	"context"
	"fmt"
	"math"
	"time"

	"xinlu/internal/xinlu"
)

// TargetRow is an indicator as the targets page shows it for a year: its
// target, its actuals by month (entered, or computed for the months so far)
// and the progress of the latest.
type TargetRow struct {
	xinlu.TargetIndicator
	Target    float64
	HasTarget bool
	Actuals   []xinlu.TargetActual
	Latest    *xinlu.TargetActual
	Share     float64
	OnTrack   bool
}

func scanTargetIndicator(sc scanner) (xinlu.TargetIndicator, error) {
	var t xinlu.TargetIndicator
	err := sc.Scan(&t.ID, &t.ZoneID, &t.Set, &t.Name, &t.Unit, &t.Source, &t.LowerGood, &t.Cumulative, &t.Version, &t.CreatedAt)
	return t, err
}

// CreateIndicator records a target indicator.
func (s *Store) CreateIndicator(ctx context.Context, a xinlu.Actor, t *xinlu.TargetIndicator) error {
	defer s.forgetCached(fmt.Sprintf("indicators/%d/", t.ZoneID))
	if err := t.Validate(); err != nil {
		return err
	}
	if t.Source != "" {
		t.Cumulative = xinlu.CumulativeSource(t.Source)
	}
	return s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO target_indicators (zone_id, set_code, name, unit, source, lower_good, cumulative, version, created_at)
			VALUES (?,?,?,?,?,?,?,1,?)`, t.ZoneID, t.Set, t.Name, t.Unit, t.Source, t.LowerGood, t.Cumulative, now)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("name", "target.name_taken")
			}
			return err
		}
		t.ID, t.Version, t.CreatedAt = id, 1, now
		return tx.audit(ctx, a, "target.create", "target", id, nil, map[string]any{"set": t.Set, "name": t.Name, "unit": t.Unit,
			"source": t.Source, "lower_good": t.LowerGood, "cumulative": t.Cumulative})
	})
}

// SetTarget sets an indicator's target of a year.
func (s *Store) SetTarget(ctx context.Context, a xinlu.Actor, zoneID, id int64, year int, target float64) error {
	defer s.forgetCached(fmt.Sprintf("indicators/%d/", zoneID))
	if year < 2000 || year > 2100 {
		return xinlu.Invalid("year", "error.out_of_range", 2000, 2100)
	}
	if math.IsNaN(target) || target < 0 || target > 1e12 {
		return xinlu.Invalid("target", "error.out_of_range", 0, int64(1e12))
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.sameZone(ctx, zoneID, "target_indicators", id, "indicator_id"); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM target_years WHERE indicator_id = ? AND year = ?`, id, year); err != nil {
			return s.translate(err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO target_years (indicator_id, year, target) VALUES (?,?,?)`, id, year, target); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "target.set", "target", id, nil, map[string]any{"year": year, "target": target})
	})
}

// EnterActual records a month's actual of an indicator entered by hand;
// computed indicators take none.
func (s *Store) EnterActual(ctx context.Context, a xinlu.Actor, zoneID, id int64, year, month int, value float64) error {
	defer s.forgetCached(fmt.Sprintf("indicators/%d/", zoneID))
	if year < 2000 || year > 2100 {
		return xinlu.Invalid("year", "error.out_of_range", 2000, 2100)
	}
	if month < 1 || month > 12 {
		return xinlu.Invalid("month", "error.out_of_range", 1, 12)
	}
	if math.IsNaN(value) || math.Abs(value) > 1e12 {
		return xinlu.Invalid("value", "error.out_of_range", int64(-1e12), int64(1e12))
	}
	return s.inTx(ctx, func(tx *Tx) error {
		var source string
		if err := tx.queryRow(ctx, `SELECT source FROM target_indicators WHERE id = ? AND zone_id = ?`, id, zoneID).Scan(&source); err != nil {
			return s.translate(err)
		}
		if source != "" {
			return xinlu.Conflict("value", "target.computed")
		}
		if _, err := tx.exec(ctx, `DELETE FROM target_actuals WHERE indicator_id = ? AND year = ? AND month = ?`, id, year, month); err != nil {
			return s.translate(err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO target_actuals (indicator_id, year, month, value, actor_name, at) VALUES (?,?,?,?,?,?)`,
			id, year, month, value, a.Name, s.Now()); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "target.actual", "target", id, nil, map[string]any{"year": year, "month": month, "value": value})
	})
}

// Targets returns the zone's indicators for a year with targets, actuals
// and progress; computed indicators are worked out for each month of the
// year up to today's.
func (s *Store) Targets(ctx context.Context, zoneID int64, year int) ([]TargetRow, error) {
	return s.targets(ctx, zoneID, year, false)
}

// targets is Targets; latestOnly works out computed indicators for the
// latest month alone (the progress, without the months before).
func (s *Store) targets(ctx context.Context, zoneID int64, year int, latestOnly bool) ([]TargetRow, error) {
	rows, err := s.query(ctx, `SELECT id, zone_id, set_code, name, unit, source, lower_good, cumulative, version, created_at
		FROM target_indicators WHERE zone_id = ? ORDER BY id`, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	inds, err := collect(rows, scanTargetIndicator)
	if err != nil {
		return nil, err
	}
	today := s.today()
	lastMonth := 12
	if year == today.Year() {
		lastMonth = int(today.Month())
	} else if year > today.Year() {
		lastMonth = 0
	}
	out := make([]TargetRow, len(inds))
	for i, ind := range inds {
		r := TargetRow{TargetIndicator: ind}
		if err := s.queryRow(ctx, `SELECT target FROM target_years WHERE indicator_id = ? AND year = ?`, ind.ID, year).Scan(&r.Target); err == nil {
			r.HasTarget = true
		} else if xinlu.ErrorCode(s.translate(err)) != xinlu.ENOTFOUND {
			return nil, xinlu.Internal(err)
		}
		if ind.Source == "" {
			arows, err := s.query(ctx, `SELECT year, month, value, actor_name, at FROM target_actuals WHERE indicator_id = ? AND year = ? ORDER BY month`, ind.ID, year)
			if err != nil {
				return nil, xinlu.Internal(err)
			}
			if r.Actuals, err = collect(arows, func(sc scanner) (xinlu.TargetActual, error) {
				var a xinlu.TargetActual
				return a, sc.Scan(&a.Year, &a.Month, &a.Value, &a.By, &a.At)
			}); err != nil {
				return nil, err
			}
		} else {
			first := 1
			if latestOnly {
				first = lastMonth
			}
			for m := first; m <= lastMonth; m++ {
				v, err := s.computeTarget(ctx, zoneID, ind.Source, year, m)
				if err != nil {
					return nil, err
				}
				r.Actuals = append(r.Actuals, xinlu.TargetActual{Year: year, Month: m, Value: v})
			}
		}
		if n := len(r.Actuals); n > 0 {
			r.Latest = &r.Actuals[n-1]
			r.Share, r.OnTrack = xinlu.Progress(r.Target, r.Latest.Value, r.Latest.Month, ind.LowerGood, ind.Cumulative)
		}
		out[i] = r
	}
	return out, nil
}

// computeTarget works out a computed indicator up to the end of a month.
func (s *Store) computeTarget(ctx context.Context, zoneID int64, source string, year, month int) (float64, error) {
	from := fmt.Sprintf("%04d-01-01", year)
	end := time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, time.UTC).Format(xinlu.DateLayout) // exclusive
	var v float64
	var err error
	switch source {
	case "leading_share":
		var lead, all float64
		err = s.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN industry IN ('equipment', 'biomedicine', 'materials', 'light_industry') THEN CAST(contract_yuan AS DOUBLE PRECISION) ELSE 0 END), 0),
			COALESCE(SUM(CAST(contract_yuan AS DOUBLE PRECISION)), 0) FROM projects WHERE zone_id = ? AND signed_on >= ? AND signed_on < ?`, zoneID, from, end).Scan(&lead, &all)
		if all > 0 {
			v = math.Round(lead/all*1000) / 10
		}
	case "six_new_projects":
		err = s.queryRow(ctx, `SELECT COUNT(*) FROM projects WHERE zone_id = ? AND signed_on >= ? AND signed_on < ? AND six_new <> ''`, zoneID, from, end).Scan(&v)
	case "casting_retired":
		err = s.queryRow(ctx, `SELECT COALESCE(SUM(tonnes), 0) FROM casting_capacity WHERE zone_id = ? AND status = 'retired' AND retired_on >= ? AND retired_on < ?`,
			zoneID, from, end).Scan(&v)
	case "tax_per_mu":
		var tax, land float64
		err = s.queryRow(ctx, `SELECT COALESCE(SUM(CAST(tax_yuan AS DOUBLE PRECISION)), 0), COALESCE(SUM(land_mu), 0) FROM enterprise_years
			WHERE zone_id = ? AND year = (SELECT MAX(year) FROM enterprise_years WHERE zone_id = ? AND year <= ?)`, zoneID, zoneID, year).Scan(&tax, &land)
		if land > 0 {
			v = math.Round(tax/land/100) / 100 // 万元/亩, two decimals
		}
	case "utility_headroom":
		us, uerr := s.matchUtilities(ctx, zoneID, nil)
		if uerr != nil {
			return 0, uerr
		}
		date := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Format(xinlu.DateLayout)
		v = 100
		for i := range us {
			if c := us[i].CapacityAt(date); c > 0 {
				v = math.Min(v, math.Round(us[i].FreeAt(date)/c*1000)/10)
			}
		}
	}
	if err != nil {
		return 0, xinlu.Internal(err)
	}
	return v, nil
}
