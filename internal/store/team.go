package store

import (
	"context"
	"database/sql"
	"strings"

	"xinlu/internal/xinlu"
)

const teamColumns = `t.id, t.zone_id, t.kind, t.name, t.description, t.version, t.created_at, t.updated_at,
	(SELECT COUNT(*) FROM team_members tm WHERE tm.team_id = t.id)`

func scanTeam(sc interface{ Scan(...any) error }) (*xinlu.Team, error) {
	t := &xinlu.Team{}
	var kind string
	err := sc.Scan(&t.ID, &t.ZoneID, &kind, &t.Name, &t.Description, &t.Version, &t.CreatedAt, &t.UpdatedAt, &t.MemberCount)
	t.Kind = xinlu.TeamKind(kind)
	return t, err
}

// teamKindOrder sorts teams in the display order of xinlu.TeamKinds.
const teamKindOrder = `CASE t.kind WHEN 'taskforce' THEN 1 WHEN 'planning' THEN 2 WHEN 'leadership' THEN 3 ELSE 4 END`

// TeamFilter selects teams for a list.
type TeamFilter struct {
	ZoneID int64
	Query  string // name
	Kind   xinlu.TeamKind
	xinlu.Page
}

// ListTeams returns one page of a zone's teams and the total.
func (s *Store) ListTeams(ctx context.Context, f TeamFilter) ([]*xinlu.Team, int, error) {
	where, args := []string{"t.zone_id = ?"}, []any{f.ZoneID}
	if q := strings.TrimSpace(f.Query); q != "" {
		where, args = append(where, "t.name "+s.likeOp()+" ? ESCAPE '\\'"), append(args, likePattern(q))
	}
	if f.Kind != "" {
		where, args = append(where, "t.kind = ?"), append(args, string(f.Kind))
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM teams t`+cond, args...).Scan(&total); err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	p := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+teamColumns+` FROM teams t`+cond+` ORDER BY `+teamKindOrder+`, t.name, t.id`+s.pageSQL(p),
		append(args, s.pageArgs(p)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanTeam)
	return out, total, err
}

// TeamByID returns a team of the zone; other zones' teams are not found.
func (s *Store) TeamByID(ctx context.Context, zoneID, id int64) (*xinlu.Team, error) {
	t, err := scanTeam(s.queryRow(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.id = ? AND t.zone_id = ?`, id, zoneID))
	return t, s.translate(err)
}

// teamForUpdate reads a team of the zone inside tx.
func (tx *Tx) teamForUpdate(ctx context.Context, zoneID, id int64) (*xinlu.Team, error) {
	t, err := scanTeam(tx.queryRow(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.id = ? AND t.zone_id = ?`, id, zoneID))
	return t, tx.s.translate(err)
}

func teamAudit(t *xinlu.Team) map[string]any {
	return map[string]any{"kind": t.Kind, "name": t.Name, "description": t.Description}
}

// teamNameTaken turns a unique violation into a clash on the name field.
func teamNameTaken(err error) error {
	if xinlu.ErrorCode(err) == xinlu.ECONFLICT {
		return xinlu.Conflict("name", "team.name_taken")
	}
	return err
}

// CreateTeam inserts t.
func (s *Store) CreateTeam(ctx context.Context, a xinlu.Actor, t *xinlu.Team) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO teams (zone_id, kind, name, description, version, created_at, updated_at)
			VALUES (?,?,?,?,1,?,?)`, t.ZoneID, string(t.Kind), t.Name, t.Description, now, now)
		if err != nil {
			return teamNameTaken(err)
		}
		t.ID, t.Version, t.CreatedAt, t.UpdatedAt, t.MemberCount = id, 1, now, now, 0
		return tx.audit(ctx, a, "team.create", "team", id, nil, teamAudit(t))
	})
}

// UpdateTeam saves t if t.Version is current.
func (s *Store) UpdateTeam(ctx context.Context, a xinlu.Actor, t *xinlu.Team) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.teamForUpdate(ctx, t.ZoneID, t.ID)
		if err != nil {
			return err
		}
		if old.Version != t.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if old.Kind == t.Kind && old.Name == t.Name && old.Description == t.Description {
			// Saved unchanged: no version, no audit row.
			*t = *old
			return nil
		}
		now := s.Now()
		_, err = tx.exec(ctx, `UPDATE teams SET kind = ?, name = ?, description = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND zone_id = ?`, string(t.Kind), t.Name, t.Description, now, t.ID, t.ZoneID)
		if err != nil {
			return teamNameTaken(s.translate(err))
		}
		t.Version, t.UpdatedAt, t.CreatedAt, t.MemberCount = old.Version+1, now, old.CreatedAt, old.MemberCount
		return tx.audit(ctx, a, "team.update", "team", t.ID, teamAudit(old), teamAudit(t))
	})
}

// DeleteTeam removes a team of the zone and its memberships; the audit row
// keeps who was in it. version 0 skips the version check.
func (s *Store) DeleteTeam(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.teamForUpdate(ctx, zoneID, id)
		if err != nil {
			return err
		}
		if version != 0 && old.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		members, err := tx.teamMembers(ctx, zoneID, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM team_members WHERE team_id = ?`, id); err != nil {
			return s.translate(err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM teams WHERE id = ? AND zone_id = ?`, id, zoneID); err != nil {
			return s.translate(err)
		}
		before := teamAudit(old)
		ids := make([]int64, len(members))
		for i, m := range members {
			ids[i] = m.MemberID
		}
		before["member_ids"] = ids
		return tx.audit(ctx, a, "team.delete", "team", id, before, nil)
	})
}

const teamMemberColumns = `tm.team_id, tm.member_id, tm.is_lead, m.name, COALESCE(d.name, '')`

// teamMemberFrom joins a team's members to their records, zone-filtered
// through the team.
const teamMemberFrom = ` FROM team_members tm
	JOIN teams t ON t.id = tm.team_id
	JOIN members m ON m.id = tm.member_id
	LEFT JOIN departments d ON d.id = m.department_id`

func scanTeamMember(sc interface{ Scan(...any) error }) (*xinlu.TeamMember, error) {
	tm := &xinlu.TeamMember{}
	err := sc.Scan(&tm.TeamID, &tm.MemberID, &tm.IsLead, &tm.Name, &tm.DepartmentName)
	return tm, err
}

// TeamMembers lists the members of a team of the zone, leads first. A team
// of another zone is not found.
func (s *Store) TeamMembers(ctx context.Context, zoneID, teamID int64) ([]*xinlu.TeamMember, error) {
	if _, err := s.TeamByID(ctx, zoneID, teamID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+teamMemberColumns+teamMemberFrom+`
		WHERE tm.team_id = ? AND t.zone_id = ? ORDER BY tm.is_lead DESC, m.staff_no, m.id`, teamID, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collectTeamMembers(rows)
}

func (tx *Tx) teamMembers(ctx context.Context, zoneID, teamID int64) ([]*xinlu.TeamMember, error) {
	rows, err := tx.query(ctx, `SELECT `+teamMemberColumns+teamMemberFrom+`
		WHERE tm.team_id = ? AND t.zone_id = ? ORDER BY tm.member_id`, teamID, zoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collectTeamMembers(rows)
}

func collectTeamMembers(rows *sql.Rows) ([]*xinlu.TeamMember, error) {
	out, err := collect(rows, scanTeamMember)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// TeamMemberChoices lists the zone's members who could join a team: not
// yet in it and not departed. The team must belong to the zone.
func (s *Store) TeamMemberChoices(ctx context.Context, zoneID, teamID int64) ([]MemberChoice, error) {
	rows, err := s.query(ctx, `SELECT m.id, m.name, m.staff_no, COALESCE(d.name, '') FROM members m
		LEFT JOIN departments d ON d.id = m.department_id
		WHERE m.zone_id = ? AND m.status <> 'left'
		AND EXISTS (SELECT 1 FROM teams t WHERE t.id = ? AND t.zone_id = m.zone_id)
		AND NOT EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = ? AND tm.member_id = m.id)
		ORDER BY m.staff_no, m.id LIMIT 2000`, zoneID, teamID, teamID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []MemberChoice
	for rows.Next() {
		var c MemberChoice
		if err := rows.Scan(&c.ID, &c.Name, &c.StaffNo, &c.DepartmentName); err != nil {
			return nil, xinlu.Internal(err)
		}
		out = append(out, c)
	}
	return out, s.translate(rows.Err())
}

// teamMember reads one membership of a team of the zone inside tx.
func (tx *Tx) teamMember(ctx context.Context, zoneID, teamID, memberID int64) (*xinlu.TeamMember, error) {
	tm, err := scanTeamMember(tx.queryRow(ctx, `SELECT `+teamMemberColumns+teamMemberFrom+`
		WHERE tm.team_id = ? AND tm.member_id = ? AND t.zone_id = ?`, teamID, memberID, zoneID))
	if err == sql.ErrNoRows {
		return nil, xinlu.NotFound("team.member_not_found")
	}
	return tm, tx.s.translate(err)
}

func teamMemberAudit(tm *xinlu.TeamMember) map[string]any {
	return map[string]any{"member_id": tm.MemberID, "name": tm.Name, "is_lead": tm.IsLead}
}

// AddTeamMember puts a member of the zone into a team of the zone. A member
// of another zone, one who has left, or one already in the team is refused.
// On success tm carries the member's name and department.
func (s *Store) AddTeamMember(ctx context.Context, a xinlu.Actor, zoneID int64, tm *xinlu.TeamMember) error {
	return s.inTx(ctx, func(tx *Tx) error {
		team, err := tx.teamForUpdate(ctx, zoneID, tm.TeamID)
		if err != nil {
			return err
		}
		var memberZone int64
		var status string
		if tm.MemberID != 0 {
			err := tx.queryRow(ctx, `SELECT zone_id, status FROM members WHERE id = ?`, tm.MemberID).Scan(&memberZone, &status)
			if err != nil && err != sql.ErrNoRows {
				return xinlu.Internal(err)
			}
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM team_members WHERE team_id = ? AND member_id = ?`, team.ID, tm.MemberID).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if err := tm.CheckJoin(team.ZoneID, memberZone, xinlu.MemberStatus(status), n > 0); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO team_members (team_id, member_id, is_lead) VALUES (?,?,?)`, team.ID, tm.MemberID, tm.IsLead); err != nil {
			if err := s.translate(err); xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("member_id", "team.member_exists")
			}
			return s.translate(err)
		}
		got, err := tx.teamMember(ctx, zoneID, team.ID, tm.MemberID)
		if err != nil {
			return err
		}
		*tm = *got
		return tx.audit(ctx, a, "team.member_add", "team", team.ID, nil, teamMemberAudit(tm))
	})
}

// SetTeamLead marks or unmarks a member of a team as one of its leads.
// On success tm carries the member's name and department.
func (s *Store) SetTeamLead(ctx context.Context, a xinlu.Actor, zoneID int64, tm *xinlu.TeamMember) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.teamMember(ctx, zoneID, tm.TeamID, tm.MemberID)
		if err != nil {
			return err
		}
		isLead := tm.IsLead
		*tm = *old
		tm.IsLead = isLead
		if old.IsLead == isLead {
			return nil // nothing changes, nothing to audit
		}
		if _, err := tx.exec(ctx, `UPDATE team_members SET is_lead = ? WHERE team_id = ? AND member_id = ?`, isLead, tm.TeamID, tm.MemberID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "team.member_lead", "team", tm.TeamID, teamMemberAudit(old), teamMemberAudit(tm))
	})
}

// RemoveTeamMember takes a member out of a team of the zone.
func (s *Store) RemoveTeamMember(ctx context.Context, a xinlu.Actor, zoneID, teamID, memberID int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.teamMember(ctx, zoneID, teamID, memberID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM team_members WHERE team_id = ? AND member_id = ?`, teamID, memberID); err != nil {
			return s.translate(err)
		}
		return tx.audit(ctx, a, "team.member_remove", "team", teamID, teamMemberAudit(old), nil)
	})
}
