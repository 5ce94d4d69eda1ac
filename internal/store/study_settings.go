package store

import (
	"context"
	"database/sql"
	"fmt"

	"xinlu/internal/xinlu"
)

// A zone's study settings (xinlu.StudySettings): the copying check's
// thresholds and the points of an excellent reflection.

const studySettingsQuery = `SELECT zone_id, warn_percent, flag_percent, excellent_points, version, updated_at FROM study_settings WHERE zone_id = ?`

func scanStudySettings(row *sql.Row, zoneID int64) (xinlu.StudySettings, error) {
	var st xinlu.StudySettings
	err := row.Scan(&st.ZoneID, &st.WarnPercent, &st.FlagPercent, &st.ExcellentPoints, &st.Version, &st.UpdatedAt)
	if err == sql.ErrNoRows {
		return xinlu.DefaultStudySettings(zoneID), nil
	}
	if err != nil {
		return st, xinlu.Internal(err)
	}
	return st, nil
}

// StudySettings returns the zone's study settings, the defaults (version
// 1) when it saved none.
func (s *Store) StudySettings(ctx context.Context, zoneID int64) (xinlu.StudySettings, error) {
	return scanStudySettings(s.queryRow(ctx, studySettingsQuery, zoneID), zoneID)
}

func studySettingsAudit(st xinlu.StudySettings) map[string]any {
	return map[string]any{"warn_percent": st.WarnPercent, "flag_percent": st.FlagPercent, "excellent_points": st.ExcellentPoints}
}

// SaveStudySettings saves u's zone's study settings if st.Version is
// current (xinlu.CheckStudySettingsEdit decides who); an unchanged save
// writes nothing. Audited (study.settings).
func (s *Store) SaveStudySettings(ctx context.Context, a xinlu.Actor, u *xinlu.User, st *xinlu.StudySettings) error {
	if err := xinlu.CheckStudySettingsEdit(u); err != nil {
		return err
	}
	st.ZoneID = u.ZoneID
	if err := st.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := scanStudySettings(tx.queryRow(ctx, studySettingsQuery, st.ZoneID), st.ZoneID)
		if err != nil {
			return err
		}
		if old.Version != st.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if xinlu.AuditJSON(studySettingsAudit(old)) == xinlu.AuditJSON(studySettingsAudit(*st)) {
			*st = old
			return nil
		}
		now := s.Now()
		if old.UpdatedAt.IsZero() {
			_, err = tx.exec(ctx, `INSERT INTO study_settings (zone_id, warn_percent, flag_percent, excellent_points, version, updated_at)
				VALUES (?,?,?,?,?,?)`, st.ZoneID, st.WarnPercent, st.FlagPercent, st.ExcellentPoints, old.Version+1, now)
		} else {
			_, err = tx.exec(ctx, `UPDATE study_settings SET warn_percent = ?, flag_percent = ?, excellent_points = ?, version = version + 1,
				updated_at = ? WHERE zone_id = ? AND version = ?`, st.WarnPercent, st.FlagPercent, st.ExcellentPoints, now, st.ZoneID, old.Version)
		}
		if err != nil {
			if err = s.translate(err); xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("version", "error.stale")
			}
			return err
		}
		st.Version, st.UpdatedAt = old.Version+1, now
		return tx.audit(ctx, a, "study.settings", "study_settings", st.ZoneID, studySettingsAudit(old), studySettingsAudit(*st))
	})
}

// excellentLedger brings the incentive ledger in line with the pick of
// reflection r (xinlu.ExcellentEntries decides), inside the pick's
// transaction: a reward proposed (incentive.propose), a proposal withdrawn
// (incentive.withdraw) or an approved reward reversed (incentive.reverse).
func (tx *Tx) excellentLedger(ctx context.Context, a xinlu.Actor, u *xinlu.User, r *xinlu.Reflection, title string, on bool) error {
	st, err := scanStudySettings(tx.queryRow(ctx, studySettingsQuery, r.ZoneID), r.ZoneID)
	if err != nil {
		return err
	}
	rows, err := tx.query(ctx, `SELECT `+incentiveColumns+incentiveFrom+` WHERE i.zone_id = ? AND (i.auto LIKE ? OR i.auto LIKE ?)`,
		r.ZoneID, fmt.Sprintf("%s:%d:%%", xinlu.AutoStudy, r.ID), fmt.Sprintf("%s:%d:%%", xinlu.AutoStudyBack, r.ID))
	if err != nil {
		return xinlu.Internal(err)
	}
	entries, err := collect(rows, scanIncentive)
	if err != nil {
		return err
	}
	add, withdraw := xinlu.ExcellentEntries(r, title, on, st.ExcellentPoints, tx.s.today().Format(xinlu.DateLayout), entries)
	if withdraw != nil {
		w, err := tx.incentiveForUpdate(ctx, r.ZoneID, withdraw.ID)
		if err != nil {
			return err
		}
		before := incentiveAudit(w)
		now := tx.s.Now()
		w.Status, w.DecidedBy = xinlu.IncentiveRejected, u.ID
		if _, err := tx.exec(ctx, `UPDATE incentives SET status = ?, decided_by = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			string(w.Status), w.DecidedBy, now, w.ID); err != nil {
			return tx.s.translate(err)
		}
		w.Version++
		w.UpdatedAt = now
		if err := tx.audit(ctx, a, "incentive.withdraw", "incentive", w.ID, before, incentiveAudit(w)); err != nil {
			return err
		}
	}
	if add == nil {
		return nil
	}
	add.ZoneID = r.ZoneID
	if err := add.Validate(); err != nil {
		return xinlu.Internal(fmt.Errorf("excellent reflection entry: %w", err))
	}
	if add.Status == xinlu.IncentiveProposed {
		_, err := tx.proposeIncentive(ctx, a, r.ZoneID, add)
		return err
	}
	// A reversal of an approved reward stands at once, decided by the
	// taking back.
	if err := tx.insertIncentive(ctx, add); err != nil {
		return err
	}
	add.DecidedBy = u.ID
	if _, err := tx.exec(ctx, `UPDATE incentives SET decided_by = ? WHERE id = ?`, u.ID, add.ID); err != nil {
		return tx.s.translate(err)
	}
	return tx.audit(ctx, a, "incentive.reverse", "incentive", add.ID, nil, incentiveAudit(add))
}
