package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// Fault-tolerance claims (容错申请): a member, or their department head,
// asks that an approved penalty be excused under the three distinctions
// (三个区分开来). The discipline office accepts or refuses it (checking the
// negative list, 负面清单), investigates, has a deciding body decide it,
// and notifies the claimant, who may appeal once. An exemption neutralises
// the penalty; a reduction halves its deductions (see periodIncentives).

const claimColumns = `c.id, c.zone_id, c.member_id, c.filed_by, c.incentive_id, c.distinction, c.facts, c.status, c.negative_hits,
	c.accept_note, c.decision, c.deciding_body, c.meeting_on, c.decision_note, c.decided_by, c.appealed, c.appeal_reason,
	c.version, c.created_at, c.updated_at, m.name`

const claimFrom = ` FROM tolerance_claims c JOIN members m ON m.id = c.member_id`

func scanClaim(sc scanner) (*xinlu.ToleranceClaim, error) {
	c := &xinlu.ToleranceClaim{}
	var status, hits, decision string
	err := sc.Scan(&c.ID, &c.ZoneID, &c.MemberID, &c.FiledBy, &c.IncentiveID, &c.Distinction, &c.Facts, &status, &hits,
		&c.AcceptNote, &decision, &c.DecidingBody, &c.MeetingOn, &c.DecisionNote, &c.DecidedBy, &c.Appealed, &c.AppealReason,
		&c.Version, &c.CreatedAt, &c.UpdatedAt, &c.MemberName)
	c.Status, c.Decision = xinlu.ClaimStatus(status), xinlu.ClaimDecision(decision)
	c.NegativeHits = splitIndustries(hits)
	return c, err
}

// claimScope is the condition on claims c (joined with members m) that u
// may see: the zone's for handlers (xinlu.PermToleranceHandle, through its
// data scope), otherwise the claims u filed and the claims about u.
// own forces the latter even for handlers ("my claims").
func claimScope(u *xinlu.User, own bool) (string, []any) {
	if !own && u.Can(xinlu.PermToleranceHandle) {
		return memberScope(u.Filter(xinlu.PermToleranceHandle))
	}
	if u.ID == 0 && u.MemberID == 0 {
		return "1 = 0", nil
	}
	return "(c.zone_id = ? AND (c.filed_by = ? OR c.member_id = ?))", []any{u.ZoneID, u.ID, u.MemberID}
}

// ClaimFilter selects claims for the register or "my claims".
type ClaimFilter struct {
	Own      bool // only claims the viewer filed or that are about them
	Status   xinlu.ClaimStatus
	Decision xinlu.ClaimDecision
	MemberID int64
	Query    string // member name or facts
	xinlu.Page
}

// Check refuses codes the register does not know, naming the field.
func (f ClaimFilter) Check() error {
	switch {
	case f.Status != "" && !slices.Contains(xinlu.ClaimStatuses, f.Status):
		return xinlu.Invalid("status", "error.invalid_choice")
	case f.Decision != "" && !slices.Contains(xinlu.ClaimDecisions, f.Decision):
		return xinlu.Invalid("decision", "error.invalid_choice")
	}
	return nil
}

// Lenient is f with every field Check refuses cleared: how the pages read
// a query bar. The API refuses the same fields instead.
func (f ClaimFilter) Lenient() ClaimFilter {
	for {
		switch xinlu.AsError(f.Check()).Field {
		case "status":
			f.Status = ""
		case "decision":
			f.Decision = ""
		default:
			return f
		}
	}
}

func (s *Store) claimWhere(u *xinlu.User, f ClaimFilter) (string, []any, error) {
	if err := f.Check(); err != nil {
		return "", nil, err
	}
	cond, args := claimScope(u, f.Own)
	where := []string{cond}
	if f.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, string(f.Status))
	}
	if f.Decision != "" {
		where, args = append(where, "c.decision = ?"), append(args, string(f.Decision))
	}
	if f.MemberID != 0 {
		where, args = append(where, "c.member_id = ?"), append(args, f.MemberID)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := s.likeOp()
		where = append(where, "(m.name "+like+" ? ESCAPE '\\' OR c.facts "+like+" ? ESCAPE '\\')")
		args = append(args, likePattern(q), likePattern(q))
	}
	return " WHERE " + strings.Join(where, " AND "), args, nil
}

// ListClaims returns one page of the claims u may see that f selects,
// newest first, and the total.
func (s *Store) ListClaims(ctx context.Context, u *xinlu.User, f ClaimFilter) ([]*xinlu.ToleranceClaim, int, error) {
	cond, args, err := s.claimWhere(u, f)
	if err != nil {
		return nil, 0, err
	}
	total, err := s.count(ctx, `SELECT COUNT(*)`+claimFrom+cond, args...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	pg := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+claimColumns+claimFrom+cond+` ORDER BY c.id DESC`+s.pageSQL(pg),
		append(args, s.pageArgs(pg)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanClaim)
	return out, total, err
}

// MaxClaimExport bounds one register export.
const MaxClaimExport = 20000

// ExportClaims returns every claim u may see that f selects (its page is
// ignored), up to MaxClaimExport, newest first.
func (s *Store) ExportClaims(ctx context.Context, u *xinlu.User, f ClaimFilter) ([]*xinlu.ToleranceClaim, error) {
	cond, args, err := s.claimWhere(u, f)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+claimColumns+claimFrom+cond+` ORDER BY c.id DESC LIMIT ?`, append(args, MaxClaimExport)...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanClaim)
}

// ClaimByID returns a claim u may see; any other is not found.
func (s *Store) ClaimByID(ctx context.Context, u *xinlu.User, id int64) (*xinlu.ToleranceClaim, error) {
	cond, args := claimScope(u, false)
	c, err := scanClaim(s.queryRow(ctx, `SELECT `+claimColumns+claimFrom+` WHERE c.id = ? AND `+cond, append([]any{id}, args...)...))
	if err != nil {
		return nil, s.translate(err)
	}
	return c, nil
}

func claimAudit(c *xinlu.ToleranceClaim) map[string]any {
	hits := c.NegativeHits
	if hits == nil {
		hits = []string{}
	}
	return map[string]any{"member_id": c.MemberID, "filed_by": c.FiledBy, "incentive_id": c.IncentiveID,
		"distinction": c.Distinction, "facts": c.Facts, "status": string(c.Status), "negative_hits": hits,
		"accept_note": c.AcceptNote, "decision": string(c.Decision), "deciding_body": c.DecidingBody,
		"meeting_on": c.MeetingOn, "decision_note": c.DecisionNote, "decided_by": c.DecidedBy,
		"appealed": c.Appealed, "appeal_reason": c.AppealReason}
}

// FileClaim files c by u (xinlu.PermToleranceFile): for u's own penalty, or
// for a member of u's department (or one beneath it) when u files for the
// department, or for any member of the zone with a zone-wide grant. The
// penalty must be an approved penalty of that member (CheckTarget) with no
// other claim on it but refused ones.
func (s *Store) FileClaim(ctx context.Context, a xinlu.Actor, u *xinlu.User, c *xinlu.ToleranceClaim) error {
	if !u.Can(xinlu.PermToleranceFile) {
		return xinlu.Forbidden()
	}
	*c = xinlu.ToleranceClaim{ZoneID: u.ZoneID, MemberID: c.MemberID, FiledBy: u.ID, IncentiveID: c.IncentiveID,
		Distinction: c.Distinction, Facts: c.Facts, Status: xinlu.ClaimSubmitted}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		m, err := tx.memberInZone(ctx, c.ZoneID, c.MemberID)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
				return xinlu.Invalid("member_id", "error.invalid_choice")
			}
			return err
		}
		// The domain compares departments only; whether the member sits in
		// the filer's department subtree is asked here, through the scope.
		dept := m.DepartmentID
		if c.MemberID != u.MemberID {
			cond, args := memberScope(u.Filter(xinlu.PermToleranceFile))
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM members m WHERE m.id = ? AND `+cond,
				append([]any{c.MemberID}, args...)...).Scan(&n); err != nil {
				return xinlu.Internal(err)
			}
			if n > 0 && u.DepartmentID != 0 {
				dept = u.DepartmentID
			}
		}
		if err := xinlu.CheckClaimFiler(u, c.MemberID, dept); err != nil {
			return err
		}
		inc, err := tx.incentiveForUpdate(ctx, c.ZoneID, c.IncentiveID)
		if err != nil {
			if xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
				return xinlu.Invalid("incentive_id", "error.invalid_choice")
			}
			return err
		}
		if err := c.CheckTarget(inc); err != nil {
			return err
		}
		var open int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM tolerance_claims WHERE incentive_id = ? AND status <> 'not_accepted'`,
			inc.ID).Scan(&open); err != nil {
			return xinlu.Internal(err)
		}
		if open > 0 || inc.NeutralisedBy != 0 {
			return xinlu.Conflict("incentive_id", "tolerance.claim_exists")
		}
		now := s.Now()
		id, err := tx.insert(ctx, `INSERT INTO tolerance_claims (zone_id, member_id, filed_by, incentive_id, distinction, facts, status,
			version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,1,?,?)`,
			c.ZoneID, c.MemberID, c.FiledBy, c.IncentiveID, c.Distinction, c.Facts, string(c.Status), now, now)
		if err != nil {
			return err
		}
		c.ID, c.Version, c.CreatedAt, c.UpdatedAt, c.MemberName = id, 1, now, now, m.Name
		return tx.audit(ctx, a, "tolerance.file", "tolerance_claim", id, nil, claimAudit(c))
	})
}

func (tx *Tx) claimForUpdate(ctx context.Context, u *xinlu.User, id int64) (*xinlu.ToleranceClaim, error) {
	cond, args := claimScope(u, false)
	q := `SELECT ` + claimColumns + claimFrom + ` WHERE c.id = ? AND ` + cond
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE OF c`
	}
	c, err := scanClaim(tx.queryRow(ctx, q, append([]any{id}, args...)...))
	if err != nil {
		return nil, tx.s.translate(err)
	}
	return c, nil
}

// claimEffect is what a claim's decision does to its penalty while it
// stands: exemption, reduction, or nothing.
func claimEffect(d xinlu.ClaimDecision) xinlu.ClaimDecision {
	if d == xinlu.ClaimExempt || d == xinlu.ClaimReduced {
		return d
	}
	return ""
}

// StepClaim takes one step of a claim u may see (xinlu.CheckClaimStep) if
// version is current, with its effects, in one audited transaction:
//   - accept records the negative-list hits (any hit refuses the claim);
//   - decide records the decision; an exemption neutralises the penalty,
//     any other decision restores a penalty this claim had neutralised;
//     when the penalty's effect changes and it falls in a period of the
//     zone under publication, that period goes back to recheck;
//   - appeal records the reason (once).
func (s *Store) StepClaim(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int, action xinlu.ClaimAction, in xinlu.ClaimInput) (*xinlu.ToleranceClaim, error) {
	var out *xinlu.ToleranceClaim
	err := s.inTx(ctx, func(tx *Tx) error {
		c, err := tx.claimForUpdate(ctx, u, id)
		if err != nil {
			return err
		}
		to, err := xinlu.CheckClaimStep(u, c, action, in, s.today())
		if err != nil {
			return err
		}
		if c.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		before := claimAudit(c)
		note := strings.TrimSpace(in.Note)
		switch action {
		case xinlu.ClaimAccept:
			var hits []string
			for _, h := range xinlu.NegativeList { // canonical order, no repeats
				if slices.Contains(in.NegativeHits, h) {
					hits = append(hits, h)
				}
			}
			c.NegativeHits, c.AcceptNote = hits, note
		case xinlu.ClaimNotAccept:
			c.AcceptNote = note
		case xinlu.ClaimDecide:
			prev := xinlu.ClaimDecision("")
			if c.Appealed { // a re-decision: the earlier decision stood until now
				prev = claimEffect(c.Decision)
			}
			c.Decision, c.DecidingBody, c.MeetingOn = in.Decision, strings.TrimSpace(in.DecidingBody), strings.TrimSpace(in.MeetingOn)
			c.DecisionNote, c.DecidedBy = note, u.ID
			if err := tx.applyClaimDecision(ctx, a, c, prev); err != nil {
				return err
			}
		case xinlu.ClaimAppeal:
			c.Appealed, c.AppealReason = true, strings.TrimSpace(in.Reason)
		}
		c.Status = to
		now := s.Now()
		res, err := tx.exec(ctx, `UPDATE tolerance_claims SET status = ?, negative_hits = ?, accept_note = ?, decision = ?, deciding_body = ?,
			meeting_on = ?, decision_note = ?, decided_by = ?, appealed = ?, appeal_reason = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`,
			string(c.Status), strings.Join(c.NegativeHits, ","), c.AcceptNote, string(c.Decision), c.DecidingBody,
			c.MeetingOn, c.DecisionNote, c.DecidedBy, c.Appealed, c.AppealReason, now, c.ID, version)
		if err != nil {
			return s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		c.Version++
		c.UpdatedAt = now
		out = c
		after := claimAudit(c)
		if note != "" && action != xinlu.ClaimDecide && action != xinlu.ClaimAccept && action != xinlu.ClaimNotAccept {
			after["note"] = note // investigate and notify keep their note in the log only
		}
		return tx.audit(ctx, a, "tolerance."+string(action), "tolerance_claim", c.ID, before, after)
	})
	return out, err
}

// applyClaimDecision carries a decision over to the claim's penalty: an
// exemption neutralises it, anything else restores it if this claim had
// neutralised it. When the penalty's effect on the appraisal changes
// (prev is the effect of the decision that stood before), a period of the
// zone in publication that contains the penalty's date goes back to
// recheck, so that the appraisal office recalculates it before it is
// final. Periods already final or applied are left alone: a correction is
// recorded by the appraisal office (the period's correct step).
func (tx *Tx) applyClaimDecision(ctx context.Context, a xinlu.Actor, c *xinlu.ToleranceClaim, prev xinlu.ClaimDecision) error {
	inc, err := tx.incentiveForUpdate(ctx, c.ZoneID, c.IncentiveID)
	if err != nil {
		return err
	}
	before := incentiveAudit(inc)
	if c.Decision == xinlu.ClaimExempt {
		if inc.NeutralisedBy != c.ID {
			if err := inc.Neutralise(c.ID); err != nil {
				return err
			}
			if err := tx.saveNeutralised(ctx, a, inc, before, "incentive.neutralise"); err != nil {
				return err
			}
		}
	} else if inc.NeutralisedBy == c.ID {
		inc.Restore(c.ID)
		if err := tx.saveNeutralised(ctx, a, inc, before, "incentive.restore"); err != nil {
			return err
		}
	}
	if claimEffect(c.Decision) == prev {
		return nil
	}
	return tx.recheckPeriods(ctx, a, c, inc.OccurredOn)
}

// recheckPeriods sends the zone's periods in publication that contain day
// back to recheck, audited as the appraisal's own recheck with the reason.
func (tx *Tx) recheckPeriods(ctx context.Context, a xinlu.Actor, c *xinlu.ToleranceClaim, day string) error {
	rows, err := tx.query(ctx, `SELECT id FROM appraisal_periods WHERE zone_id = ? AND state = 'publication' AND starts_on <= ? AND ends_on >= ?`,
		c.ZoneID, day, day)
	if err != nil {
		return xinlu.Internal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return xinlu.Internal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return xinlu.Internal(err)
	}
	for _, id := range ids {
		if _, err := tx.exec(ctx, `UPDATE appraisal_periods SET state = 'recheck', version = version + 1, updated_at = ? WHERE id = ?`,
			tx.s.Now(), id); err != nil {
			return tx.s.translate(err)
		}
		if err := tx.audit(ctx, a, "appraisal.period.recheck", "appraisal_period", id,
			map[string]any{"state": string(xinlu.PeriodPublication)},
			map[string]any{"state": string(xinlu.PeriodRecheck), "reason": "tolerance", "claim_id": c.ID, "incentive_id": c.IncentiveID}); err != nil {
			return err
		}
	}
	return nil
}

// ClaimEvent is one step in a claim's history, read from the audit log.
type ClaimEvent struct {
	At        time.Time
	ActorName string
	Action    string // file, accept, not-accept, investigate, decide, notify, appeal
	Status    xinlu.ClaimStatus
	Note      string // the step's note, reason or decision note
	Decision  xinlu.ClaimDecision
	Body      string   // deciding body
	MeetingOn string   // meeting date
	Hits      []string // negative-list hits at acceptance
}

// ClaimHistory returns the steps of a claim of the zone, oldest first. The
// caller has checked that the viewer may see the claim.
func (s *Store) ClaimHistory(ctx context.Context, zoneID, claimID int64) ([]ClaimEvent, error) {
	rows, err := s.query(ctx, `SELECT a.at, COALESCE(NULLIF(u.name, ''), a.actor_name), a.action, a.after_json
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
		WHERE a.zone_id = ? AND a.entity = 'tolerance_claim' AND a.entity_id = ? ORDER BY a.id`, zoneID, claimID)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	defer rows.Close()
	var out []ClaimEvent
	for rows.Next() {
		var e ClaimEvent
		var after string
		if err := rows.Scan(&e.At, &e.ActorName, &e.Action, &after); err != nil {
			return nil, xinlu.Internal(err)
		}
		e.At = e.At.UTC()
		e.Action = strings.TrimPrefix(e.Action, "tolerance.")
		var d struct {
			Status       string   `json:"status"`
			AcceptNote   string   `json:"accept_note"`
			Decision     string   `json:"decision"`
			DecidingBody string   `json:"deciding_body"`
			MeetingOn    string   `json:"meeting_on"`
			DecisionNote string   `json:"decision_note"`
			AppealReason string   `json:"appeal_reason"`
			NegativeHits []string `json:"negative_hits"`
			Note         string   `json:"note"`
		}
		_ = json.Unmarshal([]byte(after), &d)
		e.Status = xinlu.ClaimStatus(d.Status)
		switch e.Action {
		case string(xinlu.ClaimAccept), string(xinlu.ClaimNotAccept):
			e.Note, e.Hits = d.AcceptNote, d.NegativeHits
		case string(xinlu.ClaimDecide):
			e.Note, e.Decision, e.Body, e.MeetingOn = d.DecisionNote, xinlu.ClaimDecision(d.Decision), d.DecidingBody, d.MeetingOn
		case string(xinlu.ClaimAppeal):
			e.Note = d.AppealReason
		default:
			e.Note = d.Note
		}
		out = append(out, e)
	}
	return out, s.translate(rows.Err())
}
