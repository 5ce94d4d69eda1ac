package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"xinlu/internal/xinlu"
)

// The incentive ledger (奖惩台账): rewards, penalties and disciplinary
// records of members. Manual records are proposed by the appraisal or
// discipline office and decided by an approver; automatic ones are
// proposed by the system (signing, funds in place, missed milestones),
// once per dedupe key, and decided the same way.

const incentiveColumns = `i.id, i.zone_id, i.member_id, i.kind, i.amount_yuan, i.points, i.reason, i.evidence_type, i.evidence_id,
	i.evidence_text, i.occurred_on, i.status, i.auto, i.proposed_by, i.decided_by, i.decision_note, i.neutralised_by,
	i.version, i.created_at, i.updated_at, m.name`

const incentiveFrom = ` FROM incentives i JOIN members m ON m.id = i.member_id`

func scanIncentive(sc scanner) (*xinlu.Incentive, error) {
	i := &xinlu.Incentive{}
	var kind, status string
	err := sc.Scan(&i.ID, &i.ZoneID, &i.MemberID, &kind, &i.AmountYuan, &i.Points, &i.Reason, &i.EvidenceType, &i.EvidenceID,
		&i.EvidenceText, &i.OccurredOn, &status, &i.Auto, &i.ProposedBy, &i.DecidedBy, &i.DecisionNote, &i.NeutralisedBy,
		&i.Version, &i.CreatedAt, &i.UpdatedAt, &i.MemberName)
	i.Kind, i.Status = xinlu.IncentiveKind(kind), xinlu.IncentiveStatus(status)
	return i, err
}

// Sources of incentive records, for the ledger's filter.
const (
	SourceAuto   = "auto"
	SourceManual = "manual"
)

// IncentiveFilter selects records of the ledger. Scope is the viewer's
// data scope for xinlu.PermIncentiveView and is always applied: a member
// sees their own records, a head their department's, the offices the zone's.
type IncentiveFilter struct {
	Scope    xinlu.ScopeFilter
	MemberID int64
	Kind     xinlu.IncentiveKind
	Status   xinlu.IncentiveStatus
	Source   string // SourceAuto, SourceManual or "" for both
	From, To string // occurred_on range, YYYY-MM-DD, both inclusive; "" is open
	Query    string // member name, reason or evidence text
	// Claimable limits the list to approved penalties and disciplinary
	// records not exempted yet: what a fault-tolerance claim may target.
	Claimable bool
	xinlu.Page
}

// Check refuses codes and dates the ledger does not know, naming the field.
func (f IncentiveFilter) Check() error {
	switch {
	case f.Kind != "" && !slices.Contains(xinlu.IncentiveKinds, f.Kind):
		return xinlu.Invalid("kind", "error.invalid_choice")
	case f.Status != "" && !slices.Contains(xinlu.IncentiveStatuses, f.Status):
		return xinlu.Invalid("status", "error.invalid_choice")
	case f.Source != "" && f.Source != SourceAuto && f.Source != SourceManual:
		return xinlu.Invalid("source", "error.invalid_choice")
	}
	if f.From != "" {
		if _, err := xinlu.ParseDate(f.From); err != nil {
			return xinlu.Invalid("from", "error.date_format")
		}
	}
	if f.To != "" {
		if _, err := xinlu.ParseDate(f.To); err != nil {
			return xinlu.Invalid("to", "error.date_format")
		}
	}
	return nil
}

// Lenient is f with every field Check refuses cleared: how the pages read
// a query bar, where a stale bookmark reads as "all" for what it no longer
// names. The API refuses the same fields instead.
func (f IncentiveFilter) Lenient() IncentiveFilter {
	for {
		switch xinlu.AsError(f.Check()).Field {
		case "kind":
			f.Kind = ""
		case "status":
			f.Status = ""
		case "source":
			f.Source = ""
		case "from":
			f.From = ""
		case "to":
			f.To = ""
		default:
			return f
		}
	}
}

func (s *Store) incentiveWhere(f IncentiveFilter) (string, []any, error) {
	if err := f.Check(); err != nil {
		return "", nil, err
	}
	cond, args := memberScope(f.Scope)
	where := []string{cond}
	if f.MemberID != 0 {
		where, args = append(where, "i.member_id = ?"), append(args, f.MemberID)
	}
	if f.Kind != "" {
		where, args = append(where, "i.kind = ?"), append(args, string(f.Kind))
	}
	if f.Status != "" {
		where, args = append(where, "i.status = ?"), append(args, string(f.Status))
	}
	switch f.Source {
	case SourceAuto:
		where = append(where, "i.auto <> ''")
	case SourceManual:
		where = append(where, "i.auto = ''")
	}
	if f.From != "" {
		where, args = append(where, "i.occurred_on >= ?"), append(args, strings.TrimSpace(f.From))
	}
	if f.To != "" {
		where, args = append(where, "i.occurred_on <= ?"), append(args, strings.TrimSpace(f.To))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := s.likeOp()
		where = append(where, "(m.name "+like+" ? ESCAPE '\\' OR i.reason "+like+" ? ESCAPE '\\' OR i.evidence_text "+like+" ? ESCAPE '\\')")
		args = append(args, likePattern(q), likePattern(q), likePattern(q))
	}
	if f.Claimable {
		where = append(where, "i.status = 'approved' AND i.kind IN ('penalty', 'disciplinary') AND i.neutralised_by = 0",
			"NOT EXISTS (SELECT 1 FROM tolerance_claims c WHERE c.incentive_id = i.id AND c.status <> 'not_accepted')")
	}
	return " WHERE " + strings.Join(where, " AND "), args, nil
}

// ListIncentives returns one page of the ledger in f's scope, latest
// occurrence first, and the total.
func (s *Store) ListIncentives(ctx context.Context, f IncentiveFilter) ([]*xinlu.Incentive, int, error) {
	cond, args, err := s.incentiveWhere(f)
	if err != nil {
		return nil, 0, err
	}
	total, err := s.count(ctx, `SELECT COUNT(*)`+incentiveFrom+cond, args...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	pg := f.Page.Normalize()
	rows, err := s.query(ctx, `SELECT `+incentiveColumns+incentiveFrom+cond+` ORDER BY i.occurred_on DESC, i.id DESC`+s.pageSQL(pg),
		append(args, s.pageArgs(pg)...)...)
	if err != nil {
		return nil, 0, xinlu.Internal(err)
	}
	out, err := collect(rows, scanIncentive)
	return out, total, err
}

// MaxIncentiveExport bounds one ledger export; narrow the filter for more.
const MaxIncentiveExport = 20000

// ExportIncentives returns every record f selects (its page is ignored),
// up to MaxIncentiveExport, in the ledger's order.
func (s *Store) ExportIncentives(ctx context.Context, f IncentiveFilter) ([]*xinlu.Incentive, error) {
	cond, args, err := s.incentiveWhere(f)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+incentiveColumns+incentiveFrom+cond+` ORDER BY i.occurred_on DESC, i.id DESC LIMIT ?`,
		append(args, MaxIncentiveExport)...)
	if err != nil {
		return nil, xinlu.Internal(err)
	}
	return collect(rows, scanIncentive)
}

// IncentiveByID returns a record within scope; one outside it is not found.
func (s *Store) IncentiveByID(ctx context.Context, scope xinlu.ScopeFilter, id int64) (*xinlu.Incentive, error) {
	cond, args := memberScope(scope)
	i, err := scanIncentive(s.queryRow(ctx, `SELECT `+incentiveColumns+incentiveFrom+` WHERE i.id = ? AND `+cond,
		append([]any{id}, args...)...))
	if err != nil {
		return nil, s.translate(err)
	}
	return i, nil
}

func (tx *Tx) incentiveForUpdate(ctx context.Context, zoneID, id int64) (*xinlu.Incentive, error) {
	q := `SELECT ` + incentiveColumns + incentiveFrom + ` WHERE i.id = ? AND i.zone_id = ?`
	if tx.s.dialect == Postgres {
		q += ` FOR UPDATE OF i`
	}
	i, err := scanIncentive(tx.queryRow(ctx, q, id, zoneID))
	if err != nil {
		return nil, tx.s.translate(err)
	}
	return i, nil
}

func incentiveAudit(i *xinlu.Incentive) map[string]any {
	return map[string]any{"member_id": i.MemberID, "kind": string(i.Kind), "amount_yuan": i.AmountYuan, "points": i.Points,
		"reason": i.Reason, "evidence_type": i.EvidenceType, "evidence_id": i.EvidenceID, "evidence_text": i.EvidenceText,
		"occurred_on": i.OccurredOn, "status": string(i.Status), "auto": i.Auto, "proposed_by": i.ProposedBy,
		"decided_by": i.DecidedBy, "decision_note": i.DecisionNote, "neutralised_by": i.NeutralisedBy}
}

// evidenceTables are the tables an incentive's evidence points into.
var evidenceTables = map[string]string{
	xinlu.EvidenceProject: "projects", xinlu.EvidenceLead: "leads", xinlu.EvidenceApproval: "approval_items",
}

// checkIncentiveRefs checks that the member and the evidence record belong
// to the zone, and returns the member.
func (tx *Tx) checkIncentiveRefs(ctx context.Context, i *xinlu.Incentive) (*xinlu.Member, error) {
	m, err := tx.memberInZone(ctx, i.ZoneID, i.MemberID)
	if err != nil {
		if xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
			return nil, xinlu.Invalid("member_id", "error.invalid_choice")
		}
		return nil, err
	}
	if table := evidenceTables[i.EvidenceType]; table != "" {
		if err := tx.sameZone(ctx, i.ZoneID, table, i.EvidenceID, "evidence_id"); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (tx *Tx) insertIncentive(ctx context.Context, i *xinlu.Incentive) error {
	now := tx.s.Now()
	id, err := tx.insert(ctx, `INSERT INTO incentives (zone_id, member_id, kind, amount_yuan, points, reason, evidence_type, evidence_id,
		evidence_text, occurred_on, status, auto, proposed_by, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`,
		i.ZoneID, i.MemberID, string(i.Kind), i.AmountYuan, i.Points, i.Reason, i.EvidenceType, i.EvidenceID,
		i.EvidenceText, i.OccurredOn, string(i.Status), i.Auto, i.ProposedBy, now, now)
	if err != nil {
		return err
	}
	i.ID, i.Version, i.CreatedAt, i.UpdatedAt = id, 1, now, now
	return nil
}

// CreateIncentive records a manual proposal by u (xinlu.PermIncentiveManage)
// for a member within u's scope of that permission. It is proposed until an
// approver decides it.
func (s *Store) CreateIncentive(ctx context.Context, a xinlu.Actor, u *xinlu.User, i *xinlu.Incentive) error {
	if !u.Can(xinlu.PermIncentiveManage) {
		return xinlu.Forbidden()
	}
	i.ZoneID, i.Auto, i.Status = u.ZoneID, "", xinlu.IncentiveProposed
	i.ProposedBy, i.DecidedBy, i.DecisionNote, i.NeutralisedBy = u.ID, 0, "", 0
	if err := i.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		cond, args := memberScope(u.Filter(xinlu.PermIncentiveManage))
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM members m WHERE m.id = ? AND `+cond, append([]any{i.MemberID}, args...)...).Scan(&n); err != nil {
			return xinlu.Internal(err)
		}
		if n == 0 {
			return xinlu.Invalid("member_id", "error.invalid_choice")
		}
		m, err := tx.checkIncentiveRefs(ctx, i)
		if err != nil {
			return err
		}
		if err := tx.insertIncentive(ctx, i); err != nil {
			return err
		}
		i.MemberName = m.Name
		return tx.audit(ctx, a, "incentive.create", "incentive", i.ID, nil, incentiveAudit(i))
	})
}

// ProposeIncentive stores an automatic proposal in a transaction of its
// own (for the demo, jobs and tests); see proposeIncentive.
func (s *Store) ProposeIncentive(ctx context.Context, a xinlu.Actor, zoneID int64, i *xinlu.Incentive) (bool, error) {
	var created bool
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		created, err = tx.proposeIncentive(ctx, a, zoneID, i)
		return err
	})
	return created, err
}

// proposeIncentive inserts an automatic proposal (i.Auto set, as made by
// xinlu.SigningReward, FundsReward or MilestonePenalty) unless the zone has
// one with the same Auto key already, and audits it; it reports whether i
// was new. A nil i (nothing to propose) is no proposal. Automatic
// proposals are the system's: proposed_by is 0, so any approver may decide
// them. It runs inside the caller's transaction, so that a signing and its
// reward commit together.
func (tx *Tx) proposeIncentive(ctx context.Context, a xinlu.Actor, zoneID int64, i *xinlu.Incentive) (bool, error) {
	if i == nil {
		return false, nil
	}
	if i.Auto == "" {
		return false, xinlu.Internal(fmt.Errorf("automatic incentive proposal without a dedupe key"))
	}
	i.ZoneID, i.Status, i.ProposedBy, i.DecidedBy, i.DecisionNote, i.NeutralisedBy = zoneID, xinlu.IncentiveProposed, 0, 0, "", 0
	if err := i.Validate(); err != nil {
		return false, err
	}
	m, err := tx.checkIncentiveRefs(ctx, i)
	if err != nil {
		return false, err
	}
	now := tx.s.Now()
	// The partial unique index incentives_auto (zone_id, auto) WHERE auto <> ''
	// keeps one proposal per key; both engines need its predicate here.
	err = tx.queryRow(ctx, `INSERT INTO incentives (zone_id, member_id, kind, amount_yuan, points, reason, evidence_type, evidence_id,
		evidence_text, occurred_on, status, auto, proposed_by, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0,1,?,?)
		ON CONFLICT (zone_id, auto) WHERE auto <> '' DO NOTHING RETURNING id`,
		zoneID, i.MemberID, string(i.Kind), i.AmountYuan, i.Points, i.Reason, i.EvidenceType, i.EvidenceID,
		i.EvidenceText, i.OccurredOn, string(i.Status), i.Auto, now, now).Scan(&i.ID)
	if err == sql.ErrNoRows {
		return false, nil // proposed before
	}
	if err != nil {
		return false, tx.s.translate(err)
	}
	i.Version, i.CreatedAt, i.UpdatedAt, i.MemberName = 1, now, now, m.Name
	return true, tx.audit(ctx, a, "incentive.propose", "incentive", i.ID, nil, incentiveAudit(i))
}

// StepIncentive approves or rejects a proposal (xinlu.CheckIncentiveStep)
// if version is current, with the approver's note, in one audited
// transaction.
func (s *Store) StepIncentive(ctx context.Context, a xinlu.Actor, u *xinlu.User, id int64, version int, action xinlu.IncentiveAction, note string) (*xinlu.Incentive, error) {
	var out *xinlu.Incentive
	err := s.inTx(ctx, func(tx *Tx) error {
		i, err := tx.incentiveForUpdate(ctx, u.ZoneID, id)
		if err != nil {
			return err
		}
		to, err := xinlu.CheckIncentiveStep(u, i, action, note)
		if err != nil {
			return err
		}
		if i.Version != version {
			return xinlu.Conflict("version", "error.stale")
		}
		before := incentiveAudit(i)
		now := s.Now()
		i.Status, i.DecidedBy, i.DecisionNote = to, u.ID, strings.TrimSpace(note)
		res, err := tx.exec(ctx, `UPDATE incentives SET status = ?, decided_by = ?, decision_note = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, string(i.Status), i.DecidedBy, i.DecisionNote, now, i.ID, version)
		if err != nil {
			return s.translate(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return xinlu.Conflict("version", "error.stale")
		}
		i.Version++
		i.UpdatedAt = now
		out = i
		return tx.audit(ctx, a, "incentive."+string(action), "incentive", i.ID, before, incentiveAudit(i))
	})
	return out, err
}

// saveNeutralised writes i.NeutralisedBy (set by Neutralise or Restore) and
// audits the change as the system's effect of a tolerance decision.
func (tx *Tx) saveNeutralised(ctx context.Context, a xinlu.Actor, i *xinlu.Incentive, before map[string]any, action string) error {
	now := tx.s.Now()
	if _, err := tx.exec(ctx, `UPDATE incentives SET neutralised_by = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		i.NeutralisedBy, now, i.ID); err != nil {
		return tx.s.translate(err)
	}
	i.Version++
	i.UpdatedAt = now
	return tx.audit(ctx, a, action, "incentive", i.ID, before, incentiveAudit(i))
}

// Settings are a zone's incentive settings: the reward to the reporter of
// a lead that is signed, the per-mille of funds in place paid as a reward,
// and the deduction for a missed milestone in hundredths of a point.
type Settings struct {
	ZoneID         int64
	SignRewardYuan int64
	FundsPermille  int64
	MissedPoints   int64 // hundredths: 200 is 2 points
	Ladder         xinlu.Ladder
	Version        int
	UpdatedAt      time.Time
}

// DefaultSettings are the settings of a zone that saved none.
func DefaultSettings(zoneID int64) Settings {
	return Settings{ZoneID: zoneID, SignRewardYuan: 2000, FundsPermille: 1, MissedPoints: 200, Ladder: xinlu.DefaultLadder(), Version: 1}
}

// Bounds of the settings.
const (
	MaxSignRewardYuan = 10_000_000
	MaxFundsPermille  = 1000
	MaxMissedPoints   = 100_000 // 1000 points
)

// Validate checks the settings as typed.
func (st *Settings) Validate() error {
	var errs xinlu.FieldErrors
	if st.SignRewardYuan < 0 || st.SignRewardYuan > MaxSignRewardYuan {
		errs.Invalid("sign_reward_yuan", "error.out_of_range", 0, MaxSignRewardYuan)
	}
	if st.FundsPermille < 0 || st.FundsPermille > MaxFundsPermille {
		errs.Invalid("funds_permille", "error.out_of_range", 0, MaxFundsPermille)
	}
	if st.MissedPoints < 0 || st.MissedPoints > MaxMissedPoints {
		errs.Invalid("missed_points", "error.out_of_range", 0, MaxMissedPoints/100)
	}
	errs.Add(st.Ladder.Validate())
	return errs.Err()
}

const settingsQuery = `SELECT zone_id, sign_reward_yuan, funds_permille, missed_points, ladder, annual_bottom, two_years_bottom,
	version, updated_at FROM appraisal_settings WHERE zone_id = ?`

func scanSettings(row *sql.Row, zoneID int64) (Settings, error) {
	var st Settings
	var steps, annual, twoYears string
	err := row.Scan(&st.ZoneID, &st.SignRewardYuan, &st.FundsPermille, &st.MissedPoints, &steps, &annual, &twoYears, &st.Version, &st.UpdatedAt)
	if err == sql.ErrNoRows {
		return DefaultSettings(zoneID), nil
	}
	if err != nil {
		return st, xinlu.Internal(err)
	}
	if st.Ladder, err = xinlu.ParseLadder(steps, annual, twoYears); err != nil {
		return st, xinlu.Internal(fmt.Errorf("stored ladder %q: %w", steps, err))
	}
	return st, nil
}

// AppraisalSettings returns the zone's incentive settings, the defaults
// (version 1) when it saved none.
func (s *Store) AppraisalSettings(ctx context.Context, zoneID int64) (Settings, error) {
	return scanSettings(s.queryRow(ctx, settingsQuery, zoneID), zoneID)
}

// appraisalSettings reads the settings inside a transaction, for the
// automatic proposals made by project steps.
func (tx *Tx) appraisalSettings(ctx context.Context, zoneID int64) (Settings, error) {
	return scanSettings(tx.queryRow(ctx, settingsQuery, zoneID), zoneID)
}

func settingsAudit(st Settings) map[string]any {
	return map[string]any{"sign_reward_yuan": st.SignRewardYuan, "funds_permille": st.FundsPermille, "missed_points": st.MissedPoints,
		"ladder": st.Ladder.Steps(), "annual_bottom": st.Ladder.AnnualBottom, "two_years_bottom": st.Ladder.TwoYearsBottom}
}

// SaveAppraisalSettings saves u's zone's settings if st.Version is current
// (the defaults are version 1); it needs xinlu.PermIncentiveManage.
func (s *Store) SaveAppraisalSettings(ctx context.Context, a xinlu.Actor, u *xinlu.User, st *Settings) error {
	if !u.Can(xinlu.PermIncentiveManage) {
		return xinlu.Forbidden()
	}
	st.ZoneID = u.ZoneID
	if err := st.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := tx.appraisalSettings(ctx, st.ZoneID)
		if err != nil {
			return err
		}
		if old.Version != st.Version {
			return xinlu.Conflict("version", "error.stale")
		}
		if xinlu.AuditJSON(settingsAudit(old)) == xinlu.AuditJSON(settingsAudit(*st)) {
			// Saved unchanged: no version, no audit row.
			*st = old
			return nil
		}
		now := s.Now()
		if old.UpdatedAt.IsZero() {
			_, err = tx.exec(ctx, `INSERT INTO appraisal_settings (zone_id, sign_reward_yuan, funds_permille, missed_points, ladder, annual_bottom,
				two_years_bottom, version, updated_at) VALUES (?,?,?,?,?,?,?,?,?)`, st.ZoneID, st.SignRewardYuan, st.FundsPermille, st.MissedPoints,
				st.Ladder.Steps(), string(st.Ladder.AnnualBottom), string(st.Ladder.TwoYearsBottom), old.Version+1, now)
		} else {
			_, err = tx.exec(ctx, `UPDATE appraisal_settings SET sign_reward_yuan = ?, funds_permille = ?, missed_points = ?, ladder = ?, annual_bottom = ?,
				two_years_bottom = ?, version = version + 1, updated_at = ? WHERE zone_id = ? AND version = ?`, st.SignRewardYuan, st.FundsPermille,
				st.MissedPoints, st.Ladder.Steps(), string(st.Ladder.AnnualBottom), string(st.Ladder.TwoYearsBottom), now, st.ZoneID, old.Version)
		}
		if err != nil {
			if err = s.translate(err); xinlu.ErrorCode(err) == xinlu.ECONFLICT {
				return xinlu.Conflict("version", "error.stale") // a concurrent first save
			}
			return err
		}
		st.Version, st.UpdatedAt = old.Version+1, now
		return tx.audit(ctx, a, "incentive.settings", "appraisal_settings", st.ZoneID, settingsAudit(old), settingsAudit(*st))
	})
}
