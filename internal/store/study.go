package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"time"

	"xinlu/internal/xinlu"
)

// Study campaigns and reflections: see xinlu.Campaign and
// xinlu.Reflection for the rules. Who reaches what: the organisation
// office (PermStudyManage) every campaign and reflection of the zone; a
// member the campaigns that ask them, once open, and their own
// reflections; a reviewer (the department's head, a named reviewer) the
// reflections they may review, once submitted. Anyone else is answered
// not found.

const campaignColumns = `c.id, c.zone_id, c.title, c.theme, c.source_text, c.audience, c.department_ids, c.member_ids,
	c.reviewer_ids, c.opens_on, c.closes_on, c.min_length, c.graded, c.status, c.created_by, c.version, c.created_at, c.updated_at,
	c.team_ids`

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func scanCampaign(sc scanner) (*xinlu.Campaign, error) {
	c := &xinlu.Campaign{}
	var audience, depts, members, reviewers, status, teams string
	err := sc.Scan(&c.ID, &c.ZoneID, &c.Title, &c.Theme, &c.SourceText, &audience, &depts, &members, &reviewers,
		&c.OpensOn, &c.ClosesOn, &c.MinLength, &c.Graded, &status, &c.CreatedBy, &c.Version, &c.CreatedAt, &c.UpdatedAt, &teams)
	c.Audience, c.Status = xinlu.Audience(audience), xinlu.CampaignStatus(status)
	c.DepartmentIDs, c.MemberIDs, c.ReviewerIDs = splitIDs(depts), splitIDs(members), splitIDs(reviewers)
	c.TeamIDs = splitIDs(teams)
	return c, err
}

// withTeamMembers reads the members of the teams that team campaigns ask
// (xinlu.Campaign.TeamMemberIDs), through query (the store's or a
// transaction's).
func withTeamMembers(ctx context.Context, query func(context.Context, string, ...any) (*sql.Rows, error), cs ...*xinlu.Campaign) error {
	for _, c := range cs {
		if c == nil || c.Audience != xinlu.AudienceTeams || len(c.TeamIDs) == 0 {
			continue
		}
		rows, err := query(ctx, `SELECT DISTINCT tm.member_id FROM team_members tm JOIN teams t ON t.id = tm.team_id
			WHERE t.zone_id = ? AND tm.team_id IN (`+joinIDs(c.TeamIDs)+`) ORDER BY tm.member_id`, c.ZoneID)
		if err != nil {
			return xinlu.Internal(err)
		}
		if c.TeamMemberIDs, err = collect(rows, func(sc scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		}); err != nil {
			return err
		}
	}
	return nil
}

// campaignAudit is what the audit log keeps of a campaign: its source text
// by length only.
func campaignAudit(c *xinlu.Campaign) map[string]any {
	return map[string]any{
		"campaign_id": c.ID, "title": c.Title, "theme": c.Theme, "source_length": len([]rune(c.SourceText)),
		"audience": c.Audience, "department_ids": c.DepartmentIDs, "member_ids": c.MemberIDs, "team_ids": c.TeamIDs, "reviewer_ids": c.ReviewerIDs,
		"opens_on": c.OpensOn, "closes_on": c.ClosesOn, "min_length": c.MinLength, "graded": c.Graded,
		"status": c.Status, "version": c.Version,
	}
}

const reflectionColumns = `r.id, r.zone_id, r.campaign_id, r.member_id, COALESCE(r.department_id, 0), r.body, r.status, r.late,
	r.submitted_on, r.review_comment, r.grade, r.excellent, COALESCE(r.reviewer_id, 0), r.reviewed_at, r.version, r.created_at, r.updated_at,
	COALESCE(m.name, ''), COALESCE(d.name, ''), COALESCE(u.name, ''), COALESCE(c.title, '')`

const reflectionFrom = ` FROM study_reflections r LEFT JOIN members m ON m.id = r.member_id
	LEFT JOIN departments d ON d.id = r.department_id LEFT JOIN users u ON u.id = r.reviewer_id
	LEFT JOIN study_campaigns c ON c.id = r.campaign_id`

func scanReflection(sc scanner) (*xinlu.Reflection, error) {
	r := &xinlu.Reflection{}
	var status, grade string
	var reviewedAt sql.NullTime
	err := sc.Scan(&r.ID, &r.ZoneID, &r.CampaignID, &r.MemberID, &r.DepartmentID, &r.Body, &status, &r.Late,
		&r.SubmittedOn, &r.ReviewComment, &grade, &r.Excellent, &r.ReviewerID, &reviewedAt, &r.Version, &r.CreatedAt, &r.UpdatedAt,
		&r.MemberName, &r.DepartmentName, &r.ReviewerName, &r.CampaignTitle)
	r.Status, r.Grade = xinlu.ReflectionStatus(status), xinlu.Grade(grade)
	if reviewedAt.Valid {
		r.ReviewedAt = reviewedAt.Time
	}
	return r, err
}

// reflectionAudit is what the audit log keeps of a reflection: its text by
// length only.
func reflectionAudit(r *xinlu.Reflection) map[string]any {
	return map[string]any{
		"reflection_id": r.ID, "campaign_id": r.CampaignID, "member_id": r.MemberID, "length": xinlu.ReflectionLength(r.Body),
		"status": r.Status, "late": r.Late, "submitted_on": r.SubmittedOn, "review_comment": r.ReviewComment,
		"grade": r.Grade, "excellent": r.Excellent, "version": r.Version,
	}
}

// StudyToday is the date deadlines of study campaigns are reckoned from.
func (s *Store) StudyToday() time.Time { return s.today() }

// campaignSees reports whether u reaches campaign c: the office always, a
// reviewer or member asked once it left the draft.
func campaignSees(u *xinlu.User, c *xinlu.Campaign) bool {
	if u == nil || u.ZoneID != c.ZoneID {
		return false
	}
	if u.Can(xinlu.PermStudyManage) {
		return true
	}
	if c.Status == xinlu.CampaignDraft {
		return false
	}
	return c.Asks(u.MemberID, u.DepartmentID) || u.Can(xinlu.PermStudyReview) ||
		(u.MemberID != 0 && containsID(c.ReviewerIDs, u.MemberID))
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// Campaign returns campaign id as u may see it.
func (s *Store) Campaign(ctx context.Context, u *xinlu.User, id int64) (*xinlu.Campaign, error) {
	if u == nil {
		return nil, xinlu.NotFound("error.not_found")
	}
	c, err := scanCampaign(s.queryRow(ctx, `SELECT `+campaignColumns+` FROM study_campaigns c WHERE c.id = ? AND c.zone_id = ?`, id, u.ZoneID))
	if err != nil {
		return nil, s.translate(err)
	}
	if err := withTeamMembers(ctx, s.query, c); err != nil {
		return nil, err
	}
	if !campaignSees(u, c) {
		return nil, xinlu.NotFound("error.not_found")
	}
	return c, nil
}

// Campaigns lists the campaigns u may see, newest first.
func (s *Store) Campaigns(ctx context.Context, u *xinlu.User) ([]*xinlu.Campaign, error) {
	if u == nil {
		return nil, nil
	}
	rows, err := s.query(ctx, `SELECT `+campaignColumns+` FROM study_campaigns c WHERE c.zone_id = ? ORDER BY c.opens_on DESC, c.id DESC`, u.ZoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	all, err := collect(rows, scanCampaign)
	if err != nil {
		return nil, err
	}
	if err := withTeamMembers(ctx, s.query, all...); err != nil {
		return nil, err
	}
	var out []*xinlu.Campaign
	for _, c := range all {
		if campaignSees(u, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// checkCampaignRefs checks that the departments, members and reviewers a
// campaign names are the zone's.
func (tx *Tx) checkCampaignRefs(ctx context.Context, c *xinlu.Campaign) error {
	var errs xinlu.FieldErrors
	for _, ref := range []struct {
		field, table string
		ids          []int64
	}{{"department_ids", "departments", c.DepartmentIDs}, {"member_ids", "members", c.MemberIDs}, {"team_ids", "teams", c.TeamIDs},
		{"reviewer_ids", "members", c.ReviewerIDs}} {
		for _, id := range ref.ids {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM `+ref.table+` WHERE id = ? AND zone_id = ?`, id, c.ZoneID).Scan(&n); err != nil {
				return xinlu.Internal(err)
			}
			if n == 0 {
				errs.Invalid(ref.field, "study.unknown_ref", id)
				break
			}
		}
	}
	return errs.Err()
}

// SaveCampaign creates campaign c (c.ID 0) or changes it at version, as u,
// audited (study.campaign.create, study.campaign.update). An unchanged
// save writes nothing and answers the campaign as it is.
func (s *Store) SaveCampaign(ctx context.Context, a xinlu.Actor, u *xinlu.User, c *xinlu.Campaign, version int) (*xinlu.Campaign, error) {
	if u == nil || !u.Can(xinlu.PermStudyManage) {
		return nil, xinlu.Forbidden()
	}
	next := *c
	next.ZoneID = u.ZoneID
	if err := next.Validate(); err != nil {
		return nil, err
	}
	var out *xinlu.Campaign
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := tx.checkCampaignRefs(ctx, &next); err != nil {
			return err
		}
		now := s.Now()
		if c.ID == 0 {
			if err := xinlu.CheckCampaignEdit(u, nil, &next); err != nil {
				return err
			}
			next.Status, next.CreatedBy, next.Version, next.CreatedAt, next.UpdatedAt = xinlu.CampaignDraft, u.ID, 1, now, now
			id, err := tx.insert(ctx, `INSERT INTO study_campaigns (zone_id, title, theme, source_text, audience, department_ids,
				member_ids, reviewer_ids, opens_on, closes_on, min_length, graded, status, created_by, version, created_at, updated_at, team_ids)
				VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?)`,
				next.ZoneID, next.Title, next.Theme, next.SourceText, string(next.Audience), joinIDs(next.DepartmentIDs),
				joinIDs(next.MemberIDs), joinIDs(next.ReviewerIDs), next.OpensOn, next.ClosesOn, next.MinLength, next.Graded,
				string(next.Status), next.CreatedBy, now, now, joinIDs(next.TeamIDs))
			if err != nil {
				return err
			}
			next.ID = id
			out = &next
			return tx.audit(ctx, a, "study.campaign.create", "study_campaign", id, nil, campaignAudit(&next))
		}
		old, err := tx.campaignForUpdate(ctx, u.ZoneID, c.ID)
		if err != nil {
			return err
		}
		if version != old.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if err := xinlu.CheckCampaignEdit(u, old, &next); err != nil {
			return err
		}
		next.Status, next.CreatedBy, next.CreatedAt = old.Status, old.CreatedBy, old.CreatedAt
		next.Version, next.UpdatedAt = old.Version, old.UpdatedAt
		before := campaignAudit(old)
		if xinlu.AuditJSON(before) == xinlu.AuditJSON(campaignAudit(&next)) && old.SourceText == next.SourceText {
			out = old
			return nil
		}
		next.Version, next.UpdatedAt = old.Version+1, now
		if _, err := tx.exec(ctx, `UPDATE study_campaigns SET title = ?, theme = ?, source_text = ?, audience = ?, department_ids = ?,
			member_ids = ?, reviewer_ids = ?, opens_on = ?, closes_on = ?, min_length = ?, graded = ?, team_ids = ?, version = version + 1,
			updated_at = ? WHERE id = ?`,
			next.Title, next.Theme, next.SourceText, string(next.Audience), joinIDs(next.DepartmentIDs), joinIDs(next.MemberIDs),
			joinIDs(next.ReviewerIDs), next.OpensOn, next.ClosesOn, next.MinLength, next.Graded, joinIDs(next.TeamIDs), now, old.ID); err != nil {
			return tx.s.translate(err)
		}
		out = &next
		return tx.audit(ctx, a, "study.campaign.update", "study_campaign", old.ID, before, campaignAudit(&next))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (tx *Tx) campaignForUpdate(ctx context.Context, zone, id int64) (*xinlu.Campaign, error) {
	q := `SELECT ` + campaignColumns + ` FROM study_campaigns c WHERE c.id = ? AND c.zone_id = ?`
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE`
	}
	c, err := scanCampaign(tx.queryRow(ctx, q, id, zone))
	if err != nil {
		return nil, tx.s.translate(err)
	}
	return c, withTeamMembers(ctx, tx.query, c)
}

// CampaignAction takes action on campaign id at version as u
// (xinlu.CheckCampaignAction decides), audited as study.campaign.<action>.
func (s *Store) CampaignAction(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int, action xinlu.CampaignAction) (*xinlu.Campaign, error) {
	if u == nil {
		return nil, xinlu.Forbidden()
	}
	var out *xinlu.Campaign
	err := s.inTx(ctx, func(tx *Tx) error {
		c, err := tx.campaignForUpdate(ctx, u.ZoneID, id)
		if err != nil {
			return err
		}
		if !campaignSees(u, c) {
			return xinlu.NotFound("error.not_found")
		}
		status, err := xinlu.CheckCampaignAction(u, c, action)
		if err != nil {
			return err
		}
		if version != c.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		before := campaignAudit(c)
		next := *c
		next.Status, next.Version, next.UpdatedAt = status, c.Version+1, s.Now()
		if _, err := tx.exec(ctx, `UPDATE study_campaigns SET status = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			string(status), next.UpdatedAt, c.ID); err != nil {
			return tx.s.translate(err)
		}
		out = &next
		return tx.audit(ctx, a, "study.campaign."+string(action), "study_campaign", c.ID, before, campaignAudit(&next))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reflectionSees reports whether u reaches reflection r of campaign c: the
// author, the office, a reviewer once it was submitted.
func reflectionSees(u *xinlu.User, c *xinlu.Campaign, r *xinlu.Reflection) bool {
	if u == nil || u.ZoneID != r.ZoneID {
		return false
	}
	if u.MemberID != 0 && u.MemberID == r.MemberID {
		return true
	}
	if u.Can(xinlu.PermStudyManage) {
		return r.Status != xinlu.ReflectionDraft
	}
	return r.Status != xinlu.ReflectionDraft && xinlu.CanReview(u, c, r)
}

// Reflection returns reflection id with its campaign, as u may see it.
func (s *Store) Reflection(ctx context.Context, u *xinlu.User, id int64) (*xinlu.Reflection, *xinlu.Campaign, error) {
	if u == nil {
		return nil, nil, xinlu.NotFound("error.not_found")
	}
	r, err := scanReflection(s.queryRow(ctx, `SELECT `+reflectionColumns+reflectionFrom+` WHERE r.id = ? AND r.zone_id = ?`, id, u.ZoneID))
	if err != nil {
		return nil, nil, s.translate(err)
	}
	c, err := scanCampaign(s.queryRow(ctx, `SELECT `+campaignColumns+` FROM study_campaigns c WHERE c.id = ?`, r.CampaignID))
	if err != nil {
		return nil, nil, s.translate(err)
	}
	if err := withTeamMembers(ctx, s.query, c); err != nil {
		return nil, nil, err
	}
	if !reflectionSees(u, c, r) {
		return nil, nil, xinlu.NotFound("error.not_found")
	}
	return r, c, nil
}

// MyReflection returns u's reflection in campaign id, nil when they have
// not begun one.
func (s *Store) MyReflection(ctx context.Context, u *xinlu.User, campaignID int64) (*xinlu.Reflection, error) {
	if u == nil || u.MemberID == 0 {
		return nil, nil
	}
	r, err := scanReflection(s.queryRow(ctx, `SELECT `+reflectionColumns+reflectionFrom+` WHERE r.campaign_id = ? AND r.member_id = ? AND r.zone_id = ?`,
		campaignID, u.MemberID, u.ZoneID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, s.translate(err)
	}
	return r, nil
}

// CampaignReflections lists the reflections of campaign id u may see, by
// department and name: the office every submitted one, a reviewer those
// they review, a member their own.
func (s *Store) CampaignReflections(ctx context.Context, u *xinlu.User, id int64) ([]*xinlu.Reflection, error) {
	c, err := s.Campaign(ctx, u, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+reflectionColumns+reflectionFrom+` WHERE r.campaign_id = ? AND r.zone_id = ?
		ORDER BY d.sort_order, d.name, m.name, r.id`, c.ID, u.ZoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	all, err := collect(rows, scanReflection)
	if err != nil {
		return nil, err
	}
	var out []*xinlu.Reflection
	for _, r := range all {
		if reflectionSees(u, c, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// SaveReflection saves body as u's reflection in campaign id: a new draft,
// or the draft or returned reflection at version, audited
// (study.reflection.save, the text by length). An unchanged text writes
// nothing.
func (s *Store) SaveReflection(ctx context.Context, a xinlu.Actor, u *xinlu.User, campaignID int64, version int, body string) (*xinlu.Reflection, error) {
	if u == nil {
		return nil, xinlu.Forbidden()
	}
	var out *xinlu.Reflection
	err := s.inTx(ctx, func(tx *Tx) error {
		c, err := tx.campaignForUpdate(ctx, u.ZoneID, campaignID)
		if err != nil {
			return err
		}
		if !campaignSees(u, c) {
			return xinlu.NotFound("error.not_found")
		}
		old, err := tx.myReflection(ctx, u, campaignID)
		if err != nil {
			return err
		}
		out, err = tx.saveReflection(ctx, a, u, c, old, version, body)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// saveReflection saves body as u's reflection old (nil for a first draft)
// in campaign c, locked by the caller: xinlu.CheckReflectionSave decides,
// version must be old's, an unchanged text writes nothing.
func (tx *Tx) saveReflection(ctx context.Context, a xinlu.Actor, u *xinlu.User, c *xinlu.Campaign, old *xinlu.Reflection, version int, body string) (*xinlu.Reflection, error) {
	body, err := xinlu.CheckReflectionSave(u, c, old, body)
	if err != nil {
		return nil, err
	}
	now := tx.s.Now()
	if old == nil {
		r := &xinlu.Reflection{ZoneID: u.ZoneID, CampaignID: c.ID, MemberID: u.MemberID, DepartmentID: u.DepartmentID,
			Body: body, Status: xinlu.ReflectionDraft, Version: 1, CreatedAt: now, UpdatedAt: now, CampaignTitle: c.Title}
		r.ID, err = tx.insert(ctx, `INSERT INTO study_reflections (zone_id, campaign_id, member_id, department_id, body, status,
			version, created_at, updated_at) VALUES (?,?,?,?,?,?,1,?,?)`,
			r.ZoneID, r.CampaignID, r.MemberID, nullID(r.DepartmentID), r.Body, string(r.Status), now, now)
		if err != nil {
			if xinlu.AsError(err).Key == "error.duplicate" {
				return nil, xinlu.Conflict("version", "error.stale")
			}
			return nil, err
		}
		return r, tx.audit(ctx, a, "study.reflection.save", "study_reflection", r.ID, nil, reflectionAudit(r))
	}
	if version != old.Version {
		return nil, xinlu.Conflict("version", "error.stale")
	}
	if body == old.Body {
		return old, nil
	}
	next := *old
	next.Body, next.Version, next.UpdatedAt = body, old.Version+1, now
	if _, err := tx.exec(ctx, `UPDATE study_reflections SET body = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		body, now, old.ID); err != nil {
		return nil, tx.s.translate(err)
	}
	return &next, tx.audit(ctx, a, "study.reflection.save", "study_reflection", old.ID, reflectionAudit(old), reflectionAudit(&next))
}

func (tx *Tx) myReflection(ctx context.Context, u *xinlu.User, campaignID int64) (*xinlu.Reflection, error) {
	r, err := scanReflection(tx.queryRow(ctx, `SELECT `+reflectionColumns+reflectionFrom+` WHERE r.campaign_id = ? AND r.member_id = ?`,
		campaignID, u.MemberID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, tx.s.translate(err)
	}
	return r, nil
}

func (tx *Tx) reflectionForUpdate(ctx context.Context, u *xinlu.User, id int64) (*xinlu.Reflection, *xinlu.Campaign, error) {
	q := `SELECT ` + reflectionColumns + reflectionFrom + ` WHERE r.id = ? AND r.zone_id = ?`
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE OF r`
	}
	r, err := scanReflection(tx.queryRow(ctx, q, id, u.ZoneID))
	if err != nil {
		return nil, nil, tx.s.translate(err)
	}
	c, err := scanCampaign(tx.queryRow(ctx, `SELECT `+campaignColumns+` FROM study_campaigns c WHERE c.id = ?`, r.CampaignID))
	if err != nil {
		return nil, nil, tx.s.translate(err)
	}
	if err := withTeamMembers(ctx, tx.query, c); err != nil {
		return nil, nil, err
	}
	if !reflectionSees(u, c, r) {
		return nil, nil, xinlu.NotFound("error.not_found")
	}
	return r, c, nil
}

// SubmitReflection submits u's reflection id at version
// (xinlu.CheckReflectionSubmit decides), audited (study.reflection.submit).
func (s *Store) SubmitReflection(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int) (*xinlu.Reflection, error) {
	if u == nil {
		return nil, xinlu.Forbidden()
	}
	var out *xinlu.Reflection
	err := s.inTx(ctx, func(tx *Tx) error {
		r, c, err := tx.reflectionForUpdate(ctx, u, id)
		if err != nil {
			return err
		}
		if r.MemberID != u.MemberID {
			return xinlu.NotFound("error.not_found")
		}
		if version != r.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		status, late, err := xinlu.CheckReflectionSubmit(u, c, r, s.today())
		if err != nil {
			return err
		}
		now := s.Now()
		next := *r
		next.Status, next.Late, next.SubmittedOn = status, late, s.today().Format(xinlu.DateLayout)
		next.Version, next.UpdatedAt = r.Version+1, now
		if _, err := tx.exec(ctx, `UPDATE study_reflections SET status = ?, late = ?, submitted_on = ?, version = version + 1,
			updated_at = ? WHERE id = ?`, string(next.Status), next.Late, next.SubmittedOn, now, r.ID); err != nil {
			return tx.s.translate(err)
		}
		out = &next
		return tx.audit(ctx, a, "study.reflection.submit", "study_reflection", r.ID, reflectionAudit(r), reflectionAudit(&next))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReviewReflection returns or accepts reflection id at version as u
// (xinlu.CheckReview decides), audited (study.reflection.return,
// study.reflection.accept).
func (s *Store) ReviewReflection(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int, rv xinlu.Review) (*xinlu.Reflection, error) {
	if u == nil {
		return nil, xinlu.Forbidden()
	}
	var out *xinlu.Reflection
	err := s.inTx(ctx, func(tx *Tx) error {
		r, c, err := tx.reflectionForUpdate(ctx, u, id)
		if err != nil {
			return err
		}
		status, err := xinlu.CheckReview(u, c, r, &rv)
		if err != nil {
			return err
		}
		if version != r.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		now := s.Now()
		next := *r
		next.Status, next.Grade, next.ReviewerID, next.ReviewerName, next.ReviewedAt = status, rv.Grade, u.ID, u.Name, now
		if rv.Comment != "" || status == xinlu.ReflectionReturned {
			next.ReviewComment = rv.Comment
		}
		next.Version, next.UpdatedAt = r.Version+1, now
		if _, err := tx.exec(ctx, `UPDATE study_reflections SET status = ?, grade = ?, review_comment = ?, reviewer_id = ?,
			reviewed_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			string(next.Status), string(next.Grade), next.ReviewComment, u.ID, now, now, r.ID); err != nil {
			return tx.s.translate(err)
		}
		out = &next
		return tx.audit(ctx, a, "study.reflection."+string(rv.Action), "study_reflection", r.ID, reflectionAudit(r), reflectionAudit(&next))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PickExcellent picks reflection id as an excellent reflection (优秀心得)
// for the campaign's compilation, or takes the pick back (on false); an
// unchanged pick writes nothing. The pick proposes the zone's points for
// the author in the incentive ledger, taking it back withdraws or
// reverses them (excellentLedger), in the same transaction.
func (s *Store) PickExcellent(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int, on bool) (*xinlu.Reflection, error) {
	var out *xinlu.Reflection
	err := s.inTx(ctx, func(tx *Tx) error {
		r, c, err := tx.reflectionForUpdate(ctx, u, id)
		if err != nil {
			return err
		}
		if err := xinlu.CheckExcellent(u, c, r); err != nil {
			return err
		}
		if version != r.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if r.Excellent == on {
			out = r
			return nil
		}
		next := *r
		next.Excellent, next.Version, next.UpdatedAt = on, r.Version+1, s.Now()
		if _, err := tx.exec(ctx, `UPDATE study_reflections SET excellent = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			on, next.UpdatedAt, r.ID); err != nil {
			return tx.s.translate(err)
		}
		out = &next
		if err := tx.audit(ctx, a, "study.reflection.excellent", "study_reflection", r.ID, reflectionAudit(r), reflectionAudit(&next)); err != nil {
			return err
		}
		return tx.excellentLedger(ctx, a, u, &next, c.Title, on)
	})
	return out, err
}

// StudyAudience lists the members campaign c asks, active or on
// probation, by department and name.
func (s *Store) studyAudience(ctx context.Context, c *xinlu.Campaign) ([]xinlu.StudyMember, error) {
	rows, err := s.query(ctx, `SELECT m.id, m.name, COALESCE(m.department_id, 0), COALESCE(d.name, '')
		FROM members m LEFT JOIN departments d ON d.id = m.department_id
		WHERE m.zone_id = ? AND m.status IN ('active', 'probation') ORDER BY d.sort_order, d.name, m.name, m.id`, c.ZoneID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	all, err := collect(rows, func(sc scanner) (xinlu.StudyMember, error) {
		var m xinlu.StudyMember
		return m, sc.Scan(&m.MemberID, &m.Name, &m.DepartmentID, &m.DepartmentName)
	})
	if err != nil {
		return nil, err
	}
	var out []xinlu.StudyMember
	for _, m := range all {
		if c.Asks(m.MemberID, m.DepartmentID) {
			out = append(out, m)
		}
	}
	return out, nil
}

// StudyCompletion is campaign id's completion as u may see it: the office
// the whole audience, a department head their department's members, a
// named reviewer the whole audience.
func (s *Store) StudyCompletion(ctx context.Context, u *xinlu.User, id int64) (*xinlu.Campaign, *xinlu.Completion, error) {
	c, err := s.Campaign(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	whole := u.Can(xinlu.PermStudyManage) || containsID(c.ReviewerIDs, u.MemberID)
	if !whole && xinlu.ScopeOf(u.Roles, xinlu.PermStudyReview) < xinlu.ScopeDepartment {
		return nil, nil, xinlu.Forbidden()
	}
	audience, err := s.studyAudience(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	if !whole {
		var mine []xinlu.StudyMember
		for _, m := range audience {
			if m.DepartmentID == u.DepartmentID {
				mine = append(mine, m)
			}
		}
		audience = mine
	}
	rows, err := s.query(ctx, `SELECT `+reflectionColumns+reflectionFrom+` WHERE r.campaign_id = ?`, c.ID)
	if err != nil {
		return nil, nil, xinlu.Internal(err)
	}
	refl, err := collect(rows, scanReflection)
	if err != nil {
		return nil, nil, err
	}
	return c, xinlu.StudyCompletion(c, audience, refl, s.today()), nil
}

// studyIndexes keeps one shingle index per campaign, brought up to date
// on each copying check from the reflections' versions.
type studyIndexes struct {
	mu sync.Mutex
	m  map[int64]*xinlu.ShingleIndex
}

func (s *Store) studyIndexes() *studyIndexes {
	s.study.mu.Lock()
	if s.study.m == nil {
		s.study.m = map[int64]*xinlu.ShingleIndex{}
	}
	s.study.mu.Unlock()
	return &s.study
}

// SimilarReport is the copying check of one reflection.
type SimilarReport struct {
	Reflection *xinlu.Reflection
	Campaign   *xinlu.Campaign
	Matches    []xinlu.SimilarMatch // highest first
	// Texts holds the other texts of Matches by kind and id, for showing
	// the shared passages side by side.
	Texts map[string]string
}

// SimilarThreshold is the share below which a text is not reported.
const SimilarThreshold = 0.05

// SimilarKey names a matched text in SimilarReport.Texts.
func SimilarKey(kind xinlu.SimilarKind, id int64) string {
	return string(kind) + ":" + strconv.FormatInt(id, 10)
}

// SimilarReflections checks reflection id, once submitted, for the office
// or a reviewer of it (never its author): against every other submitted
// reflection of its campaign, the campaign's material (the source text and
// the text of its material files) and the author's reflections in other
// campaigns.
func (s *Store) SimilarReflections(ctx context.Context, u *xinlu.User, id int64) (*SimilarReport, error) {
	r, c, err := s.Reflection(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !u.Can(xinlu.PermStudyManage) && !xinlu.CanReview(u, c, r) {
		// The author, too: the report names and quotes others' work.
		return nil, xinlu.Forbidden()
	}
	out := &SimilarReport{Reflection: r, Campaign: c, Texts: map[string]string{}}
	type ver struct {
		id, member int64
		version    int
		name       string
	}
	rows, err := s.query(ctx, `SELECT r.id, r.member_id, r.version, COALESCE(m.name, '') FROM study_reflections r
		LEFT JOIN members m ON m.id = r.member_id WHERE r.campaign_id = ? AND r.status <> ?`, c.ID, string(xinlu.ReflectionDraft))
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	vers, err := collect(rows, func(sc scanner) (ver, error) {
		var v ver
		return v, sc.Scan(&v.id, &v.member, &v.version, &v.name)
	})
	if err != nil {
		return nil, err
	}
	material, materialVersion, err := s.materialText(ctx, c)
	if err != nil {
		return nil, err
	}
	cache := s.studyIndexes()
	cache.mu.Lock()
	defer cache.mu.Unlock()
	ix := cache.m[c.ID]
	if ix == nil || ix.Stale() {
		ix = xinlu.NewShingleIndex()
		cache.m[c.ID] = ix
	}
	if v, ok := ix.Version(xinlu.SimilarSource, c.ID); !ok || v != materialVersion {
		ix.Add(xinlu.SimilarDoc{ID: c.ID, Kind: xinlu.SimilarSource, Label: c.Title, Version: materialVersion}, material)
	}
	live := map[int64]bool{}
	for _, v := range vers {
		live[v.id] = true
		if held, ok := ix.Version(xinlu.SimilarReflection, v.id); ok && held == v.version {
			continue
		}
		var body string
		if err := s.queryRow(ctx, `SELECT body FROM study_reflections WHERE id = ?`, v.id).Scan(&body); err != nil {
			return nil, s.translate(err)
		}
		ix.Add(xinlu.SimilarDoc{ID: v.id, Kind: xinlu.SimilarReflection, MemberID: v.member, Label: v.name, Version: v.version}, body)
	}
	for _, held := range ix.Held(xinlu.SimilarReflection) {
		if !live[held] {
			ix.Remove(xinlu.SimilarReflection, held)
		}
	}
	out.Matches = ix.Query(xinlu.SimilarReflection, r.ID, r.Body, SimilarThreshold)
	for _, m := range out.Matches {
		if m.Kind == xinlu.SimilarSource {
			out.Texts[SimilarKey(m.Kind, m.ID)] = material
		}
	}
	// The author's reflections in other campaigns.
	rows, err = s.query(ctx, `SELECT `+reflectionColumns+reflectionFrom+` WHERE r.member_id = ? AND r.campaign_id <> ? AND r.status <> ?`,
		r.MemberID, c.ID, string(xinlu.ReflectionDraft))
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	earlier, err := collect(rows, scanReflection)
	if err != nil {
		return nil, err
	}
	fp := xinlu.NewFingerprint(r.Body)
	for _, e := range earlier {
		ov := xinlu.Compare(fp, xinlu.NewFingerprint(e.Body))
		if ov.Score >= SimilarThreshold {
			out.Matches = append(out.Matches, xinlu.SimilarMatch{SimilarDoc: xinlu.SimilarDoc{ID: e.ID, Kind: xinlu.SimilarEarlier,
				MemberID: e.MemberID, Label: e.CampaignTitle, Version: e.Version}, Overlap: ov})
			out.Texts[SimilarKey(xinlu.SimilarEarlier, e.ID)] = e.Body
		}
	}
	for _, m := range out.Matches {
		if m.Kind == xinlu.SimilarReflection {
			var body string
			if err := s.queryRow(ctx, `SELECT body FROM study_reflections WHERE id = ?`, m.ID).Scan(&body); err != nil {
				return nil, s.translate(err)
			}
			out.Texts[SimilarKey(m.Kind, m.ID)] = body
		}
	}
	return out, nil
}
