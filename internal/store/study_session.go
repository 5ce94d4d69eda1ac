package store

import (
	"context"

	"xinlu/internal/xinlu"
)

// Discussion sessions of study campaigns (xinlu.StudySession): whoever
// sees the campaign sees its sessions; the organisation office records
// them for any department, a department head for their own
// (xinlu.CheckSessionEdit). Every write is audited with the attendance.

const sessionColumns = `ss.id, ss.zone_id, ss.campaign_id, ss.department_id, ss.held_on, ss.place, ss.chair_id, ss.minutes,
	ss.speaker_ids, ss.created_by, ss.version, ss.created_at, ss.updated_at, COALESCE(d.name, ''), COALESCE(m.name, '')`

const sessionFrom = ` FROM study_sessions ss LEFT JOIN departments d ON d.id = ss.department_id
	LEFT JOIN members m ON m.id = ss.chair_id`

func scanSession(sc scanner) (*xinlu.StudySession, error) {
	ss := &xinlu.StudySession{}
	var speakers string
	err := sc.Scan(&ss.ID, &ss.ZoneID, &ss.CampaignID, &ss.DepartmentID, &ss.HeldOn, &ss.Place, &ss.ChairID, &ss.Minutes,
		&speakers, &ss.CreatedBy, &ss.Version, &ss.CreatedAt, &ss.UpdatedAt, &ss.DepartmentName, &ss.ChairName)
	ss.SpeakerIDs = splitIDs(speakers)
	return ss, err
}

func sessionAudit(ss *xinlu.StudySession) map[string]any {
	att := make([]map[string]any, len(ss.Attendance))
	for i, a := range ss.Attendance {
		att[i] = map[string]any{"member_id": a.MemberID, "status": a.Status, "reason": a.Reason}
	}
	return map[string]any{"session_id": ss.ID, "campaign_id": ss.CampaignID, "department_id": ss.DepartmentID, "held_on": ss.HeldOn,
		"place": ss.Place, "chair_id": ss.ChairID, "minutes_length": len([]rune(ss.Minutes)), "speaker_ids": ss.SpeakerIDs,
		"attendance": att, "version": ss.Version}
}

// attendanceOf reads the attendance of sessions, keyed by session, in the
// order of the department's members (by name).
func (s *Store) attendanceOf(ctx context.Context, sessions []*xinlu.StudySession) error {
	at := map[int64]*xinlu.StudySession{}
	var ids []int64
	for _, ss := range sessions {
		at[ss.ID] = ss
		ids = append(ids, ss.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := s.query(ctx, `SELECT a.session_id, a.member_id, a.status, a.reason, COALESCE(m.name, '')
		FROM study_session_attendance a LEFT JOIN members m ON m.id = a.member_id
		WHERE a.session_id IN (`+joinIDs(ids)+`) ORDER BY a.session_id, m.name, a.member_id`)
	if err != nil {
		return xinlu.Internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		var a xinlu.Attendance
		var status string
		if err := rows.Scan(&sid, &a.MemberID, &status, &a.Reason, &a.Name); err != nil {
			return xinlu.Internal(err)
		}
		a.Status = xinlu.AttendanceStatus(status)
		at[sid].Attendance = append(at[sid].Attendance, a)
	}
	return rows.Err()
}

// StudySessions lists the discussion sessions of campaign id as u may see
// them, by date, with their attendance.
func (s *Store) StudySessions(ctx context.Context, u *xinlu.User, id int64) (*xinlu.Campaign, []*xinlu.StudySession, error) {
	c, err := s.Campaign(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.query(ctx, `SELECT `+sessionColumns+sessionFrom+` WHERE ss.campaign_id = ? AND ss.zone_id = ?
		ORDER BY ss.held_on, d.sort_order, d.name, ss.id`, c.ID, c.ZoneID)
	if err != nil {
		return nil, nil, xinlu.Internal(err)
	}
	out, err := collect(rows, scanSession)
	if err != nil {
		return nil, nil, err
	}
	return c, out, s.attendanceOf(ctx, out)
}

// StudySession returns session id with its campaign, as u may see it.
func (s *Store) StudySession(ctx context.Context, u *xinlu.User, id int64) (*xinlu.StudySession, *xinlu.Campaign, error) {
	if u == nil {
		return nil, nil, xinlu.NotFound("error.not_found")
	}
	ss, err := scanSession(s.queryRow(ctx, `SELECT `+sessionColumns+sessionFrom+` WHERE ss.id = ? AND ss.zone_id = ?`, id, u.ZoneID))
	if err != nil {
		return nil, nil, s.translate(err)
	}
	c, err := s.Campaign(ctx, u, ss.CampaignID)
	if err != nil {
		return nil, nil, err
	}
	return ss, c, s.attendanceOf(ctx, []*xinlu.StudySession{ss})
}

// SessionMembers lists the members of department dept that campaign c
// asks: who a session of that department takes the attendance of.
func (s *Store) SessionMembers(ctx context.Context, c *xinlu.Campaign, dept int64) ([]xinlu.StudyMember, error) {
	all, err := s.studyAudience(ctx, c)
	if err != nil {
		return nil, err
	}
	var out []xinlu.StudyMember
	for _, m := range all {
		if m.DepartmentID == dept {
			out = append(out, m)
		}
	}
	return out, nil
}

// SaveStudySession records session in (in.ID 0: a new one of
// in.DepartmentID) of campaign id, or changes it at version, as u:
// xinlu.CheckSessionEdit decides, the session is checked against the
// department's members (xinlu.StudySession.Validate) and the chair must
// be a member of the zone. An unchanged save writes nothing. Audited
// (study.session.create, study.session.update).
func (s *Store) SaveStudySession(ctx context.Context, a xinlu.Actor, u *xinlu.User, campaignID int64, in *xinlu.StudySession, version int) (*xinlu.StudySession, error) {
	if u == nil {
		return nil, xinlu.Forbidden()
	}
	c, err := s.Campaign(ctx, u, campaignID)
	if err != nil {
		return nil, err
	}
	next := *in
	next.ZoneID, next.CampaignID = c.ZoneID, c.ID
	var old *xinlu.StudySession
	if in.ID != 0 {
		if old, _, err = s.StudySession(ctx, u, in.ID); err != nil {
			return nil, err
		}
		if old.CampaignID != c.ID {
			return nil, xinlu.NotFound("error.not_found")
		}
		next.DepartmentID = old.DepartmentID
	}
	if next.DepartmentID <= 0 {
		return nil, xinlu.Invalid("department_id", "error.required")
	}
	if err := xinlu.CheckSessionEdit(u, c, next.DepartmentID); err != nil {
		return nil, err
	}
	members, err := s.SessionMembers(ctx, c, next.DepartmentID)
	if err != nil {
		return nil, err
	}
	var errs xinlu.FieldErrors
	errs.Add(next.Validate(members))
	if next.ChairID > 0 {
		var n int
		if err := s.queryRow(ctx, `SELECT COUNT(*) FROM members WHERE id = ? AND zone_id = ?`, next.ChairID, c.ZoneID).Scan(&n); err != nil {
			return nil, xinlu.Internal(err)
		}
		if n == 0 {
			errs.Invalid("chair_id", "study.unknown_ref", next.ChairID)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		// The campaign row is the lock: its state may have moved.
		locked, err := tx.campaignForUpdate(ctx, u.ZoneID, c.ID)
		if err != nil {
			return err
		}
		if err := xinlu.CheckSessionEdit(u, locked, next.DepartmentID); err != nil {
			return err
		}
		now := s.Now()
		if old == nil {
			next.CreatedBy, next.Version, next.CreatedAt, next.UpdatedAt = u.ID, 1, now, now
			id, err := tx.insert(ctx, `INSERT INTO study_sessions (zone_id, campaign_id, department_id, held_on, place, chair_id, minutes,
				speaker_ids, created_by, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,1,?,?)`,
				next.ZoneID, next.CampaignID, next.DepartmentID, next.HeldOn, next.Place, next.ChairID, next.Minutes,
				joinIDs(next.SpeakerIDs), next.CreatedBy, now, now)
			if err != nil {
				return err
			}
			next.ID = id
			if err := tx.writeAttendance(ctx, &next); err != nil {
				return err
			}
			return tx.audit(ctx, a, "study.session.create", "study_session", id, nil, sessionAudit(&next))
		}
		var current int
		if err := tx.queryRow(ctx, `SELECT version FROM study_sessions WHERE id = ?`, old.ID).Scan(&current); err != nil {
			return tx.s.translate(err)
		}
		if version != current || version != old.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		next.CreatedBy, next.CreatedAt, next.Version, next.UpdatedAt = old.CreatedBy, old.CreatedAt, old.Version, old.UpdatedAt
		before := sessionAudit(old)
		if xinlu.AuditJSON(before) == xinlu.AuditJSON(sessionAudit(&next)) && old.Minutes == next.Minutes {
			next = *old
			return nil
		}
		next.Version, next.UpdatedAt = old.Version+1, now
		if _, err := tx.exec(ctx, `UPDATE study_sessions SET held_on = ?, place = ?, chair_id = ?, minutes = ?, speaker_ids = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, next.HeldOn, next.Place, next.ChairID, next.Minutes,
			joinIDs(next.SpeakerIDs), now, old.ID); err != nil {
			return tx.s.translate(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM study_session_attendance WHERE session_id = ?`, old.ID); err != nil {
			return tx.s.translate(err)
		}
		if err := tx.writeAttendance(ctx, &next); err != nil {
			return err
		}
		return tx.audit(ctx, a, "study.session.update", "study_session", old.ID, before, sessionAudit(&next))
	})
	if err != nil {
		return nil, err
	}
	next.DepartmentName, next.ChairName = "", ""
	if saved, _, err := s.StudySession(ctx, u, next.ID); err == nil {
		return saved, nil
	}
	return &next, nil
}

func (tx *Tx) writeAttendance(ctx context.Context, ss *xinlu.StudySession) error {
	for _, at := range ss.Attendance {
		if _, err := tx.exec(ctx, `INSERT INTO study_session_attendance (session_id, member_id, status, reason) VALUES (?,?,?,?)`,
			ss.ID, at.MemberID, string(at.Status), at.Reason); err != nil {
			return tx.s.translate(err)
		}
	}
	return nil
}

// DeleteStudySession deletes session id, recorded by mistake, with its
// attendance: whoever may record it (xinlu.CheckSessionEdit). Audited
// (study.session.delete, the session as it was).
func (s *Store) DeleteStudySession(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64) error {
	old, c, err := s.StudySession(ctx, u, id)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		locked, err := tx.campaignForUpdate(ctx, u.ZoneID, c.ID)
		if err != nil {
			return err
		}
		if err := xinlu.CheckSessionEdit(u, locked, old.DepartmentID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM study_session_attendance WHERE session_id = ?`, old.ID); err != nil {
			return tx.s.translate(err)
		}
		res, err := tx.exec(ctx, `DELETE FROM study_sessions WHERE id = ?`, old.ID)
		if err != nil {
			return tx.s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.NotFound("error.not_found")
		}
		return tx.audit(ctx, a, "study.session.delete", "study_session", old.ID, sessionAudit(old), nil)
	})
}
