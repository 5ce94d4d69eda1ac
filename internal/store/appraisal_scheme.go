package store

import (
	"context"

	"xinlu/internal/xinlu"
)

// Schemes: a scheme row and its indicators, replaced as a whole on update
// (indicators keep their ids when the name is unchanged, so that ratings
// already entered stay attached).

const schemeColumns = `id, zone_id, name, position_kind, version, created_at, updated_at`

func scanScheme(sc scanner) (*xinlu.Scheme, error) {
	s := &xinlu.Scheme{}
	err := sc.Scan(&s.ID, &s.ZoneID, &s.Name, &s.PositionKind, &s.Version, &s.CreatedAt, &s.UpdatedAt)
	return s, err
}

func scanIndicator(sc scanner) (xinlu.Indicator, error) {
	var i xinlu.Indicator
	err := sc.Scan(&i.ID, &i.SchemeID, &i.Name, &i.Kind, &i.Metric, &i.Target, &i.Weight, &i.KeyTask, &i.Sort)
	return i, err
}

// ListSchemes returns the zone's schemes with their indicators.
func (s *Store) ListSchemes(ctx context.Context, zoneID int64) ([]*xinlu.Scheme, error) {
	rows, err := s.query(ctx, `SELECT `+schemeColumns+` FROM appraisal_schemes WHERE zone_id = ? ORDER BY position_kind, name, id`, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	out, err := collect(rows, scanScheme)
	if err != nil || len(out) == 0 {
		return out, err
	}
	rows, err = s.query(ctx, `SELECT i.id, i.scheme_id, i.name, i.kind, i.metric, i.target, i.weight, i.key_task, i.sort
		FROM appraisal_indicators i JOIN appraisal_schemes sc ON sc.id = i.scheme_id
		WHERE sc.zone_id = ? ORDER BY i.scheme_id, i.sort, i.id`, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	inds, err := collect(rows, scanIndicator)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*xinlu.Scheme{}
	for _, sc := range out {
		byID[sc.ID] = sc
	}
	for _, i := range inds {
		if sc := byID[i.SchemeID]; sc != nil {
			sc.Indicators = append(sc.Indicators, i)
		}
	}
	return out, nil
}

// SchemeByID returns a scheme of the zone with its indicators.
func (s *Store) SchemeByID(ctx context.Context, zoneID, id int64) (*xinlu.Scheme, error) {
	sc, err := scanScheme(s.queryRow(ctx, `SELECT `+schemeColumns+` FROM appraisal_schemes WHERE id = ? AND zone_id = ?`, id, zoneID))
	if err != nil {
		return nil, s.translate(err)
	}
	rows, err := s.query(ctx, `SELECT id, scheme_id, name, kind, metric, target, weight, key_task, sort
		FROM appraisal_indicators WHERE scheme_id = ? ORDER BY sort, id`, id)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	sc.Indicators, err = collect(rows, scanIndicator)
	return sc, err
}

func schemeAudit(sc *xinlu.Scheme) map[string]any {
	inds := make([]map[string]any, 0, len(sc.Indicators))
	for _, i := range sc.Indicators {
		inds = append(inds, map[string]any{"name": i.Name, "kind": i.Kind, "metric": i.Metric, "target": i.Target, "weight": i.Weight, "key_task": i.KeyTask})
	}
	return map[string]any{"name": sc.Name, "position_kind": sc.PositionKind, "indicators": inds}
}

// kindTaken refuses a second scheme for the same kind of position: each
// member is appraised under exactly one scheme.
func (tx *Tx) kindTaken(ctx context.Context, sc *xinlu.Scheme) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM appraisal_schemes WHERE zone_id = ? AND position_kind = ? AND id <> ?`,
		sc.ZoneID, sc.PositionKind, sc.ID).Scan(&n); err != nil {
		return xinlu.Internal(err)
	}
	if n > 0 {
		return xinlu.Conflict("position_kind", "appraisal.scheme_kind_taken")
	}
	return nil
}

func schemeNameTaken(err error) error {
	if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
		return xinlu.Conflict("name", "appraisal.scheme_name_taken")
	}
	return err
}

// CreateScheme inserts a scheme and its indicators.
func (s *Store) CreateScheme(ctx context.Context, a xinlu.Actor, sc *xinlu.Scheme) error {
	if err := sc.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.kindTaken(ctx, sc); err != nil {
			return err
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO appraisal_schemes (zone_id, name, position_kind, version, created_at, updated_at)
			VALUES (?,?,?,1,?,?)`, sc.ZoneID, sc.Name, sc.PositionKind, now, now)
		if err != nil {
			return schemeNameTaken(err)
		}
		sc.ID, sc.Version, sc.CreatedAt, sc.UpdatedAt = id, 1, now, now
		if err := tx.saveIndicators(ctx, sc, nil); err != nil {
			return err
		}
		return tx.audit(ctx, a, "appraisal.scheme.create", "appraisal_scheme", id, nil, schemeAudit(sc))
	})
}

// saveIndicators writes sc's indicators: the ones whose name was in old
// keep their id, the others are inserted, and old ones no longer named
// are removed unless scores point at them (then the update is refused).
func (tx *Tx) saveIndicators(ctx context.Context, sc *xinlu.Scheme, old []xinlu.Indicator) error {
	byName := map[string]int64{}
	for _, o := range old {
		byName[o.Name] = o.ID
	}
	kept := map[int64]bool{}
	for i := range sc.Indicators {
		ind := &sc.Indicators[i]
		ind.SchemeID = sc.ID
		if id, ok := byName[ind.Name]; ok {
			ind.ID = id
			kept[id] = true
			if _, err := tx.exec(ctx, `UPDATE appraisal_indicators SET kind = ?, metric = ?, target = ?, weight = ?, key_task = ?, sort = ? WHERE id = ?`,
				ind.Kind, ind.Metric, ind.Target, ind.Weight, ind.KeyTask, ind.Sort, id); err != nil {
				return tx.s.translate(err)
			}
			continue
		}
		id, err := tx.insert(ctx, `INSERT INTO appraisal_indicators (scheme_id, name, kind, metric, target, weight, key_task, sort)
			VALUES (?,?,?,?,?,?,?,?)`, sc.ID, ind.Name, ind.Kind, ind.Metric, ind.Target, ind.Weight, ind.KeyTask, ind.Sort)
		if err != nil {
			return tx.s.translate(err)
		}
		ind.ID = id
	}
	for _, o := range old {
		if kept[o.ID] {
			continue
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM appraisal_ratings WHERE indicator_id = ?`, o.ID).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if n > 0 {
			return xinlu.Conflict("indicators", "appraisal.indicator_in_use")
		}
		if _, err := tx.exec(ctx, `DELETE FROM appraisal_indicators WHERE id = ?`, o.ID); err != nil {
			return tx.s.translate(err)
		}
	}
	return nil
}

// UpdateScheme saves sc if sc.Version is current.
func (s *Store) UpdateScheme(ctx context.Context, a xinlu.Actor, sc *xinlu.Scheme) error {
	if err := sc.Validate(); err != nil {
		return err
	}
	old, err := s.SchemeByID(ctx, sc.ZoneID, sc.ID)
	if err != nil {
		return err
	}
	if old.Version == sc.Version && xinlu.AuditJSON(schemeAudit(old)) == xinlu.AuditJSON(schemeAudit(sc)) {
		// Saved unchanged: no version, no audit row.
		*sc = *old
		return nil
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if err := tx.kindTaken(ctx, sc); err != nil {
			return err
		}
		now := s.Now()
		res, err := tx.exec(ctx, `UPDATE appraisal_schemes SET name = ?, position_kind = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND zone_id = ? AND version = ?`, sc.Name, sc.PositionKind, now, sc.ID, sc.ZoneID, sc.Version)
		if err != nil {
			return schemeNameTaken(s.translate(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return xinlu.Conflict("version", "error.stale")
		}
		if err := tx.saveIndicators(ctx, sc, old.Indicators); err != nil {
			return err
		}
		sc.Version, sc.UpdatedAt, sc.CreatedAt = sc.Version+1, now, old.CreatedAt
		return tx.audit(ctx, a, "appraisal.scheme.update", "appraisal_scheme", sc.ID, schemeAudit(old), schemeAudit(sc))
	})
}

// DeleteScheme removes a scheme no score points at.
func (s *Store) DeleteScheme(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	old, err := s.SchemeByID(ctx, zoneID, id)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM appraisal_ratings r JOIN appraisal_indicators i ON i.id = r.indicator_id WHERE i.scheme_id = ?`, id).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if n > 0 {
			return xinlu.Conflict("id", "appraisal.scheme_in_use")
		}
		res, err := tx.exec(ctx, `DELETE FROM appraisal_schemes WHERE id = ? AND zone_id = ? AND (? = 0 OR version = ?)`, id, zoneID, version, version)
		if err != nil {
			return s.translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return xinlu.Conflict("version", "error.stale")
		}
		return tx.audit(ctx, a, "appraisal.scheme.delete", "appraisal_scheme", id, schemeAudit(old), nil)
	})
}
