package xinlu

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// IncentiveKind is what an incentive record is.
type IncentiveKind string

const (
	IncentiveReward  IncentiveKind = "reward"  // 奖励
	IncentivePenalty IncentiveKind = "penalty" // 惩戒 or a deduction
	// IncentiveDisciplinary is a confirmed disciplinary penalty (处分): it
	// forces the bottom band of the period it falls in.
	IncentiveDisciplinary IncentiveKind = "disciplinary"
)

// IncentiveKinds lists the kinds.
var IncentiveKinds = []IncentiveKind{IncentiveReward, IncentivePenalty, IncentiveDisciplinary}

// IncentiveStatus is where an incentive record stands.
type IncentiveStatus string

const (
	IncentiveProposed IncentiveStatus = "proposed"
	IncentiveApproved IncentiveStatus = "approved"
	IncentiveRejected IncentiveStatus = "rejected"
)

// IncentiveStatuses lists the statuses.
var IncentiveStatuses = []IncentiveStatus{IncentiveProposed, IncentiveApproved, IncentiveRejected}

// Evidence types: what an incentive record rests on.
const (
	EvidenceProject  = "project"
	EvidenceLead     = "lead"
	EvidenceApproval = "approval"
	EvidenceEvent    = "event" // no record: EvidenceText describes it
)

// EvidenceTypes lists the evidence types.
var EvidenceTypes = []string{EvidenceProject, EvidenceLead, EvidenceApproval, EvidenceEvent}

const (
	maxIncentiveReason   = 1000
	maxIncentiveEvidence = 1000
	maxIncentiveNote     = 1000
)

// Incentive is one entry of the incentive ledger: a reward, a penalty or a
// disciplinary record of one member.
type Incentive struct {
	ID            int64
	ZoneID        int64
	MemberID      int64
	Kind          IncentiveKind
	AmountYuan    int64  // >= 0; money paid (reward) or withheld (penalty)
	Points        int64  // appraisal points in hundredths: >0 bonus (reward only), <0 deduction (penalty/disciplinary only), 0 none
	Reason        string // required for manual records, <= 1000 runes
	EvidenceType  string // project, lead, approval, event
	EvidenceID    int64  // record id for project/lead/approval; 0 for event
	EvidenceText  string // description for an event
	OccurredOn    string // YYYY-MM-DD, counts in the appraisal period containing it
	Status        IncentiveStatus
	Auto          string // dedupe key of an automatic proposal, "" for manual ones
	ProposedBy    int64
	DecidedBy     int64
	DecisionNote  string
	NeutralisedBy int64 // tolerance claim id that exempted it, 0 if none
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time

	MemberName string // read model
}

// Validate checks a record as proposed and trims its texts. Automatic
// proposals (Auto set) are explained by their Auto key and evidence, so
// their Reason may be empty; an event's EvidenceID is cleared.
func (i *Incentive) Validate() error {
	var errs FieldErrors
	errs.Add(cleanTexts(textField{"reason", &i.Reason}, textField{"evidence_text", &i.EvidenceText}))
	if i.MemberID <= 0 {
		errs.Invalid("member_id", "error.required")
	}
	switch {
	case i.Kind == "":
		errs.Invalid("kind", "error.required")
	case !slices.Contains(IncentiveKinds, i.Kind):
		errs.Invalid("kind", "error.invalid_choice")
	}
	kindOK := !errs.Has("kind")
	switch {
	case i.AmountYuan < 0 || i.AmountYuan > MaxPayYuan: // the message states the range
		errs.Invalid("amount_yuan", "amount.pay_range")
	case kindOK && i.Kind != IncentiveDisciplinary && i.AmountYuan == 0 && i.Points == 0:
		errs.Invalid("amount_yuan", "incentive.empty")
	}
	switch {
	case kindOK && i.Kind == IncentiveReward && i.Points < 0:
		errs.Invalid("points", "incentive.reward_points_negative")
	case kindOK && i.Kind != IncentiveReward && i.Points > 0:
		errs.Invalid("points", "incentive.penalty_points_positive")
	}
	switch {
	case errs.Has("reason"):
	case i.Reason == "" && i.Auto == "":
		errs.Invalid("reason", "error.required")
	case len([]rune(i.Reason)) > maxIncentiveReason:
		errs.Invalid("reason", "error.too_long", maxIncentiveReason)
	}
	switch {
	case i.EvidenceType == "":
		errs.Invalid("evidence_type", "error.required")
	case !slices.Contains(EvidenceTypes, i.EvidenceType):
		errs.Invalid("evidence_type", "error.invalid_choice")
	case i.EvidenceType != EvidenceEvent && i.EvidenceID <= 0:
		errs.Invalid("evidence_id", "error.required")
	case i.EvidenceType == EvidenceEvent && i.EvidenceText == "" && !errs.Has("evidence_text"):
		errs.Invalid("evidence_text", "error.required")
	}
	if !errs.Has("evidence_text") && len([]rune(i.EvidenceText)) > maxIncentiveEvidence {
		errs.Invalid("evidence_text", "error.too_long", maxIncentiveEvidence)
	}
	if _, err := ParseDate(i.OccurredOn); err != nil {
		errs.Invalid("occurred_on", "error.date_format")
	}
	if len(errs) > 0 {
		return errs.Err()
	}
	if i.EvidenceType == EvidenceEvent {
		i.EvidenceID = 0
	}
	return nil
}

// IncentiveAction is a step of an incentive record. Approve and reject are
// taken by people; neutralise and restore only by the system when a
// tolerance claim is decided (see Neutralise and Restore).
type IncentiveAction string

const (
	IncentiveApprove    IncentiveAction = "approve"
	IncentiveReject     IncentiveAction = "reject"
	IncentiveNeutralise IncentiveAction = "neutralise"
	IncentiveRestore    IncentiveAction = "restore"
)

// CheckIncentiveStep decides whether u may approve or reject i and returns
// the status it leads to. Only a proposal is decided, by someone with
// PermIncentiveApprove who did not propose it; a rejection needs a note.
// Neutralise and restore are refused: no person takes them.
func CheckIncentiveStep(u *User, i *Incentive, action IncentiveAction, note string) (IncentiveStatus, error) {
	var to IncentiveStatus
	switch action {
	case IncentiveApprove:
		to = IncentiveApproved
	case IncentiveReject:
		to = IncentiveRejected
	case IncentiveNeutralise, IncentiveRestore:
		return "", Forbidden()
	default:
		return "", NotFound("incentive.unknown_action")
	}
	if !u.Can(PermIncentiveApprove) {
		return "", Forbidden()
	}
	if u.ID != 0 && u.ID == i.ProposedBy {
		return "", &Error{Code: EFORBIDDEN, Key: "incentive.own_proposal"}
	}
	if i.Status != IncentiveProposed {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "incentive.status_not_allowed", Args: []any{LabelKey("incentive.status." + string(i.Status))}}
	}
	note, err := Text("note", note)
	if err != nil {
		return "", err
	}
	if action == IncentiveReject && note == "" {
		return "", Invalid("note", "error.required")
	}
	if len([]rune(note)) > maxIncentiveNote {
		return "", Invalid("note", "error.too_long", maxIncentiveNote)
	}
	return to, nil
}

// Neutralise records that the tolerance claim claimID exempted i. Only an
// approved penalty or disciplinary record can be neutralised, by one claim.
func (i *Incentive) Neutralise(claimID int64) error {
	switch {
	case claimID <= 0:
		return Invalid("claim_id", "error.required")
	case i.Kind == IncentiveReward:
		return Invalid("incentive_id", "tolerance.target_not_penalty")
	case i.Status != IncentiveApproved:
		return &Error{Code: ECONFLICT, Field: "status", Key: "incentive.status_not_allowed", Args: []any{LabelKey("incentive.status." + string(i.Status))}}
	case i.NeutralisedBy != 0 && i.NeutralisedBy != claimID:
		return &Error{Code: ECONFLICT, Field: "neutralised_by", Key: "incentive.already_neutralised"}
	}
	i.NeutralisedBy = claimID
	return nil
}

// Restore undoes Neutralise when claim claimID no longer exempts i; a
// record neutralised by another claim is left alone.
func (i *Incentive) Restore(claimID int64) {
	if i.NeutralisedBy == claimID {
		i.NeutralisedBy = 0
	}
}

// Effective reports whether i counts: approved and not neutralised.
func (i *Incentive) Effective() bool {
	return i.Status == IncentiveApproved && i.NeutralisedBy == 0
}

// EffectivePoints returns the points i counts for: 0 unless effective, and
// a deduction halved (toward zero) when a claim reduced it.
func (i *Incentive) EffectivePoints(reduced bool) int64 {
	if !i.Effective() {
		return 0
	}
	if reduced && i.Points < 0 {
		return ReducedPoints(i.Points)
	}
	return i.Points
}

// ForcesBottom reports whether i puts its member in the bottom band of the
// period it falls in: an effective disciplinary record.
func (i *Incentive) ForcesBottom() bool {
	return i.Kind == IncentiveDisciplinary && i.Effective()
}

// AutoKind returns the kind of an automatic proposal, the part of Auto
// before the first colon ("sign", "funds", "missed"), or "" for a manual
// record. The UI labels it with "incentive.auto.<kind>".
func (i *Incentive) AutoKind() string {
	kind, _, _ := strings.Cut(i.Auto, ":")
	return kind
}

// Prefixes of Auto keys.
const (
	AutoSigning = "sign"
	AutoFunds   = "funds"
	AutoMissed  = "missed"
)

// SigningReward proposes the reward for the member whose lead became a
// signed project. The reason is the project's name (the domain writes no
// prose; the UI labels the record by its Auto kind). Nil when the zone pays
// nothing for a signing.
func SigningReward(projectID, reporterMemberID int64, projectName string, signedOn string, amountYuan int64) *Incentive {
	if amountYuan <= 0 {
		return nil
	}
	return &Incentive{
		MemberID:     reporterMemberID,
		Kind:         IncentiveReward,
		AmountYuan:   amountYuan,
		Reason:       strings.TrimSpace(projectName),
		EvidenceType: EvidenceProject,
		EvidenceID:   projectID,
		OccurredOn:   signedOn,
		Status:       IncentiveProposed,
		Auto:         fmt.Sprintf("%s:%d", AutoSigning, projectID),
	}
}

// FundsReward proposes the reward on funds in place (到位资金): perMille
// thousandths of fundsYuan, rounded half up, and at most MaxPayYuan (the
// bound of any reward: the approver sees the capped amount). Nil when that
// comes to 0.
func FundsReward(projectID, reporterMemberID, fundsID int64, fundsYuan int64, perMille int64, on string) *Incentive {
	if fundsYuan <= 0 || perMille <= 0 {
		return nil
	}
	amount := MaxPayYuan
	if fundsYuan <= MaxInvestmentYuan && perMille <= 1000 { // no overflow: at most 10¹⁶
		amount = min((fundsYuan*perMille+500)/1000, MaxPayYuan)
	}
	if amount == 0 {
		return nil
	}
	return &Incentive{
		MemberID:     reporterMemberID,
		Kind:         IncentiveReward,
		AmountYuan:   amount,
		EvidenceType: EvidenceProject,
		EvidenceID:   projectID,
		OccurredOn:   on,
		Status:       IncentiveProposed,
		Auto:         fmt.Sprintf("%s:%d", AutoFunds, fundsID),
	}
}

// MilestonePenalty proposes the deduction for a promised milestone missed
// by its due date; it counts in the period containing the due date and its
// reason is the milestone's code. points is the size of the deduction in
// hundredths (its sign is ignored); nil when it is 0.
func MilestonePenalty(projectID, ownerMemberID int64, milestone string, due string, points int64) *Incentive {
	if points == 0 {
		return nil
	}
	if points > 0 {
		points = -points
	}
	return &Incentive{
		MemberID:     ownerMemberID,
		Kind:         IncentivePenalty,
		Points:       points,
		Reason:       milestone,
		EvidenceType: EvidenceProject,
		EvidenceID:   projectID,
		OccurredOn:   due,
		Status:       IncentiveProposed,
		Auto:         MilestoneKey(projectID, milestone, due),
	}
}

// MilestoneKey is the dedupe key (Incentive.Auto) of the deduction for a
// project's milestone missed by due: one proposal per key.
func MilestoneKey(projectID int64, milestone, due string) string {
	return fmt.Sprintf("%s:%d:%s:%s", AutoMissed, projectID, milestone, due)
}

// ConsequenceAction is what follows repeated bottom placements (末位).
type ConsequenceAction string

const (
	ConsequenceReminderTalk   ConsequenceAction = "reminder_talk"   // 提醒谈话
	ConsequenceAdmonitionTalk ConsequenceAction = "admonition_talk" // 诫勉谈话
	ConsequencePostAdjustment ConsequenceAction = "post_adjustment" // 调整岗位
	ConsequenceNonRenewal     ConsequenceAction = "non_renewal"     // 不再续聘
)

// ConsequenceActions lists the actions from mild to severe.
var ConsequenceActions = []ConsequenceAction{
	ConsequenceReminderTalk, ConsequenceAdmonitionTalk, ConsequencePostAdjustment, ConsequenceNonRenewal,
}

// LadderStep is the action due after Consecutive bottom placements in
// periods of the same kind.
type LadderStep struct {
	Consecutive int
	Action      ConsequenceAction
}

// Ladder is a zone's consequence ladder: steps for monthly or quarterly
// periods, and the actions after one or two bottom years.
type Ladder struct {
	Periodic       []LadderStep
	AnnualBottom   ConsequenceAction
	TwoYearsBottom ConsequenceAction
}

// DefaultLadder is the ladder a zone starts with.
func DefaultLadder() Ladder {
	return Ladder{
		Periodic: []LadderStep{
			{1, ConsequenceReminderTalk},
			{2, ConsequenceAdmonitionTalk},
			{3, ConsequencePostAdjustment},
		},
		AnnualBottom:   ConsequencePostAdjustment,
		TwoYearsBottom: ConsequenceNonRenewal,
	}
}

// NextConsequence returns the action due after the period just finalised.
// bands are the member's results in consecutive periods of one kind, oldest
// first, ending with that period; annual says whether they are years.
// Nothing is due unless the last period is bottom. Excluded periods (not
// ranked: leave, newly joined) neither count nor break a run, so bottom,
// excluded, bottom is two in a row. Periodic: the step with the largest
// Consecutive not above the run; annual: one year or two and more.
func (l Ladder) NextConsequence(bands []Band, annual bool) (ConsequenceAction, bool) {
	if len(bands) == 0 || bands[len(bands)-1] != BandBottom {
		return "", false
	}
	k := 0
	for _, b := range slices.Backward(bands) {
		if b == BandExcluded {
			continue
		}
		if b != BandBottom {
			break
		}
		k++
	}
	var action ConsequenceAction
	if annual {
		action = l.AnnualBottom
		if k >= 2 {
			action = l.TwoYearsBottom
		}
	} else {
		best := 0
		for _, s := range l.Periodic {
			if s.Consecutive > 0 && s.Consecutive <= k && s.Consecutive > best {
				best, action = s.Consecutive, s.Action
			}
		}
	}
	return action, action != ""
}

// Consequence statuses.
const (
	ConsequenceProposed  = "proposed"
	ConsequenceConfirmed = "confirmed"
	ConsequenceDismissed = "dismissed"
)

// ConsequenceStatuses lists the statuses of a consequence.
var ConsequenceStatuses = []string{ConsequenceProposed, ConsequenceConfirmed, ConsequenceDismissed}

const maxConsequenceReason = 1000

// ConsequenceDecision reads the decision on a consequence named in a path:
// "confirm" or "dismiss"; anything else is not found.
func ConsequenceDecision(action string) (confirm bool, err error) {
	switch action {
	case "confirm":
		return true, nil
	case "dismiss":
		return false, nil
	}
	return false, NotFound("consequences.unknown_action")
}

// CheckConsequenceDecision decides whether u may confirm (or, when confirm
// is false, dismiss) a consequence in status: PermConsequenceDecide, only a
// proposal, and a dismissal needs a reason.
func CheckConsequenceDecision(u *User, status string, reason string, confirm bool) error {
	if !u.Can(PermConsequenceDecide) {
		return Forbidden()
	}
	if status != ConsequenceProposed {
		return &Error{Code: ECONFLICT, Field: "status", Key: "consequence.status_not_allowed", Args: []any{LabelKey("consequence.status." + status)}}
	}
	reason, err := Text("reason", reason)
	if err != nil {
		return err
	}
	if !confirm && reason == "" {
		return Invalid("reason", "error.required")
	}
	if len([]rune(reason)) > maxConsequenceReason {
		return Invalid("reason", "error.too_long", maxConsequenceReason)
	}
	return nil
}

// MaxLadderRun is the longest run of bottom placements a ladder step may
// name.
const MaxLadderRun = 6

// Validate checks a ladder: runs of 1 to MaxLadderRun, each at most once,
// known actions; the annual actions may be "" (nothing proposed).
func (l Ladder) Validate() error {
	seen := map[int]bool{}
	for _, s := range l.Periodic {
		if s.Consecutive < 1 || s.Consecutive > MaxLadderRun || seen[s.Consecutive] {
			return Invalid("ladder", "consequence.ladder_run", MaxLadderRun)
		}
		if !slices.Contains(ConsequenceActions, s.Action) {
			return Invalid("ladder", "error.invalid_choice")
		}
		seen[s.Consecutive] = true
	}
	for field, a := range map[string]ConsequenceAction{"annual_bottom": l.AnnualBottom, "two_years_bottom": l.TwoYearsBottom} {
		if a != "" && !slices.Contains(ConsequenceActions, a) {
			return Invalid(field, "error.invalid_choice")
		}
	}
	return nil
}

// Steps encodes the periodic steps as "1:reminder_talk,2:admonition_talk",
// ordered by run, the way they are stored.
func (l Ladder) Steps() string {
	steps := slices.Clone(l.Periodic)
	slices.SortFunc(steps, func(a, b LadderStep) int { return a.Consecutive - b.Consecutive })
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = strconv.Itoa(s.Consecutive) + ":" + string(s.Action)
	}
	return strings.Join(parts, ",")
}

// ParseLadder reads the periodic steps as Steps writes them, with the two
// annual actions.
func ParseLadder(steps, annual, twoYears string) (Ladder, error) {
	l := Ladder{AnnualBottom: ConsequenceAction(annual), TwoYearsBottom: ConsequenceAction(twoYears)}
	for _, part := range strings.Split(steps, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		n, action, ok := strings.Cut(part, ":")
		k, err := strconv.Atoi(n)
		if !ok || err != nil {
			return l, Invalid("ladder", "consequence.ladder_run", MaxLadderRun)
		}
		l.Periodic = append(l.Periodic, LadderStep{Consecutive: k, Action: ConsequenceAction(action)})
	}
	return l, l.Validate()
}
