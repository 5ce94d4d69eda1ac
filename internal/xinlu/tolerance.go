package xinlu

import (
	"slices"
	"time"
)

// ClaimStatus is where a fault-tolerance claim (容错申请) stands.
type ClaimStatus string

const (
	ClaimSubmitted     ClaimStatus = "submitted"     // 已提交
	ClaimAccepted      ClaimStatus = "accepted"      // 已受理
	ClaimNotAccepted   ClaimStatus = "not_accepted"  // 不予受理
	ClaimInvestigating ClaimStatus = "investigating" // 调查核实
	ClaimDecided       ClaimStatus = "decided"       // 已认定
	ClaimNotified      ClaimStatus = "notified"      // 已反馈
	ClaimAppealed      ClaimStatus = "appealed"      // 申请复核
)

// ClaimStatuses lists the statuses in workflow order.
var ClaimStatuses = []ClaimStatus{
	ClaimSubmitted, ClaimAccepted, ClaimNotAccepted, ClaimInvestigating,
	ClaimDecided, ClaimNotified, ClaimAppealed,
}

// Distinctions are the three distinctions (三个区分开来) a claim cites.
var Distinctions = []string{"inexperience", "exploration", "public_interest"}

// NegativeList are grounds that are never tolerable (负面清单): a hit
// rejects the claim at acceptance.
var NegativeList = []string{"personal_gain", "knowing_violation", "repeated_after_warning", "fabrication", "criminal"}

// ClaimDecision is the outcome of a claim (认定结果).
type ClaimDecision string

const (
	ClaimExempt       ClaimDecision = "exempt"        // 免责: the penalty is neutralised
	ClaimReduced      ClaimDecision = "reduced"       // 减责: deductions are halved
	ClaimNotTolerated ClaimDecision = "not_tolerated" // 不予容错
)

// ClaimDecisions lists the decisions.
var ClaimDecisions = []ClaimDecision{ClaimExempt, ClaimReduced, ClaimNotTolerated}

// Length limits of a claim's texts, in runes.
const (
	MinClaimFacts   = 10
	MaxClaimFacts   = 4000
	maxClaimNote    = 2000
	maxClaimReason  = 1000
	maxDecidingBody = 100
)

// ToleranceClaim asks that a penalty be excused under the fault-tolerance
// mechanism (容错纠错机制).
type ToleranceClaim struct {
	ID           int64
	ZoneID       int64
	MemberID     int64 // whose penalty
	FiledBy      int64 // user id of the filer
	IncentiveID  int64 // the penalty or deduction claimed against
	Distinction  string
	Facts        string // what happened, decision process, policy basis, losses, remedy
	Status       ClaimStatus
	NegativeHits []string
	AcceptNote   string
	Decision     ClaimDecision
	DecidingBody string // e.g. 党工委会议
	MeetingOn    string // YYYY-MM-DD
	DecisionNote string
	DecidedBy    int64
	Appealed     bool // an appeal to recheck is allowed once
	AppealReason string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time

	MemberName string // read model
}

// Validate checks a claim as filed and trims its facts.
func (c *ToleranceClaim) Validate() error {
	var errs FieldErrors
	errs.Add(cleanTexts(textField{"facts", &c.Facts}))
	n := len([]rune(c.Facts))
	switch {
	case c.IncentiveID <= 0:
		errs.Invalid("incentive_id", "error.required")
	case c.MemberID <= 0:
		errs.Invalid("member_id", "error.required")
	}
	switch {
	case c.Distinction == "":
		errs.Invalid("distinction", "error.required")
	case !slices.Contains(Distinctions, c.Distinction):
		errs.Invalid("distinction", "error.invalid_choice")
	}
	switch {
	case errs.Has("facts"):
	case n == 0:
		errs.Invalid("facts", "error.required")
	case n < MinClaimFacts:
		errs.Invalid("facts", "tolerance.facts_too_short", MinClaimFacts)
	case n > MaxClaimFacts:
		errs.Invalid("facts", "error.too_long", MaxClaimFacts)
	}
	return errs.Err()
}

// CheckTarget checks that i is something a claim by c may be filed against:
// an approved penalty or disciplinary record of the same member.
func (c *ToleranceClaim) CheckTarget(i *Incentive) error {
	switch {
	case i.MemberID != c.MemberID:
		return Invalid("incentive_id", "tolerance.target_other_member")
	case i.Kind != IncentivePenalty && i.Kind != IncentiveDisciplinary:
		return Invalid("incentive_id", "tolerance.target_not_penalty")
	case i.Status != IncentiveApproved:
		return Invalid("incentive_id", "tolerance.target_not_approved")
	}
	return nil
}

// standing reports whether c's decision is in force: once decided, and
// also while an appeal against it is rechecked.
func (c *ToleranceClaim) standing() bool {
	switch c.Status {
	case ClaimDecided, ClaimNotified, ClaimAppealed:
		return true
	case ClaimInvestigating:
		return c.Appealed
	}
	return false
}

// Neutralises reports whether c fully exempts the member: the linked
// penalty and its deductions no longer count.
func (c *ToleranceClaim) Neutralises() bool { return c.Decision == ClaimExempt && c.standing() }

// Reduces reports whether c reduces the linked penalty: its deductions are
// halved (see ReducedPoints).
func (c *ToleranceClaim) Reduces() bool { return c.Decision == ClaimReduced && c.standing() }

// ReducedPoints halves a deduction (or bonus), rounding toward zero.
func ReducedPoints(points int64) int64 { return points / 2 }

// CheckClaimFiler decides whether u may file a claim for the member with
// memberID in department memberDepartmentID: anyone for themself, a
// department-scoped filer (department head) for members of their own
// department, a zone-scoped filer for any member (the store keeps the
// zone). Sub-departments are not resolved here: the store passes u's
// department when the member sits in one of its sub-departments.
func CheckClaimFiler(u *User, memberID, memberDepartmentID int64) error {
	if !u.Can(PermToleranceFile) {
		return Forbidden()
	}
	if memberID != 0 && memberID == u.MemberID {
		return nil
	}
	f := u.Filter(PermToleranceFile)
	switch f.Scope {
	case ScopeZone, ScopeAllZones:
		return nil
	case ScopeDepartment:
		if f.DepartmentID != 0 && memberDepartmentID == f.DepartmentID {
			return nil
		}
	}
	return Forbidden()
}

// ClaimAction is a step of a claim.
type ClaimAction string

const (
	ClaimAccept      ClaimAction = "accept"
	ClaimNotAccept   ClaimAction = "not-accept"
	ClaimInvestigate ClaimAction = "investigate"
	ClaimDecide      ClaimAction = "decide"
	ClaimNotify      ClaimAction = "notify"
	ClaimAppeal      ClaimAction = "appeal"
)

type claimRule struct {
	from   []ClaimStatus
	to     ClaimStatus
	handle bool // a handling step: PermToleranceHandle, never on one's own claim
}

var claimRules = map[ClaimAction]claimRule{
	ClaimAccept:      {[]ClaimStatus{ClaimSubmitted}, ClaimAccepted, true},
	ClaimNotAccept:   {[]ClaimStatus{ClaimSubmitted}, ClaimNotAccepted, true},
	ClaimInvestigate: {[]ClaimStatus{ClaimAccepted, ClaimAppealed}, ClaimInvestigating, true},
	ClaimDecide:      {[]ClaimStatus{ClaimInvestigating}, ClaimDecided, true},
	ClaimNotify:      {[]ClaimStatus{ClaimDecided}, ClaimNotified, true},
	ClaimAppeal:      {[]ClaimStatus{ClaimNotified}, ClaimAppealed, false},
}

// ClaimActions lists every action in a stable order.
func ClaimActions() []ClaimAction {
	out := make([]ClaimAction, 0, len(claimRules))
	for a := range claimRules {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// ClaimInput is what a step supplies. Which fields count depends on the
// action: accept (NegativeHits, Note), not-accept (Note), decide (Decision,
// DecidingBody, MeetingOn, Note), appeal (Reason). The store saves the
// fields trimmed.
type ClaimInput struct {
	NegativeHits []string
	Note         string
	Decision     ClaimDecision
	DecidingBody string
	MeetingOn    string // YYYY-MM-DD
	Reason       string
}

// CheckClaimStep decides whether u may take action on c now and returns the
// status it leads to. Handling steps need PermToleranceHandle and are never
// taken by the claimant or the filer; only they may appeal, once, against a
// decision other than exemption. Accepting with negative-list hits leads to
// not_accepted. A decision's meeting may not lie after today.
func CheckClaimStep(u *User, c *ToleranceClaim, action ClaimAction, in ClaimInput, today time.Time) (ClaimStatus, error) {
	rule, ok := claimRules[action]
	if !ok {
		return "", NotFound("tolerance.unknown_action")
	}
	if u == nil {
		return "", Forbidden()
	}
	own := (u.ID != 0 && u.ID == c.FiledBy) || (u.MemberID != 0 && u.MemberID == c.MemberID)
	if rule.handle {
		if !u.Can(PermToleranceHandle) {
			return "", Forbidden()
		}
		if own {
			return "", &Error{Code: EFORBIDDEN, Key: "tolerance.own_claim"}
		}
	} else if !own {
		return "", Forbidden()
	}
	if !slices.Contains(rule.from, c.Status) {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "tolerance.status_not_allowed", Args: []any{LabelKey("tolerance.status." + string(c.Status))}}
	}
	note, err := Text("note", in.Note)
	if err != nil {
		return "", err
	}
	if len([]rune(note)) > maxClaimNote {
		return "", Invalid("note", "error.too_long", maxClaimNote)
	}
	switch action {
	case ClaimAccept:
		for _, h := range in.NegativeHits {
			if !slices.Contains(NegativeList, h) {
				return "", Invalid("negative_hits", "error.invalid_choice")
			}
		}
		if len(in.NegativeHits) > 0 {
			return ClaimNotAccepted, nil
		}
	case ClaimNotAccept:
		if note == "" {
			return "", Invalid("note", "error.required")
		}
	case ClaimDecide:
		if err := checkClaimDecision(in, today); err != nil {
			return "", err
		}
	case ClaimAppeal:
		if c.Appealed {
			return "", &Error{Code: ECONFLICT, Field: "status", Key: "tolerance.already_appealed"}
		}
		if c.Decision == ClaimExempt {
			return "", &Error{Code: ECONFLICT, Field: "decision", Key: "tolerance.exempt_no_appeal"}
		}
		reason, err := Text("reason", in.Reason)
		if err != nil {
			return "", err
		}
		if reason == "" {
			return "", Invalid("reason", "error.required")
		}
		if len([]rune(reason)) > maxClaimReason {
			return "", Invalid("reason", "error.too_long", maxClaimReason)
		}
	}
	return rule.to, nil
}

func checkClaimDecision(in ClaimInput, today time.Time) error {
	body, err := Name("deciding_body", in.DecidingBody)
	if err != nil {
		return err
	}
	switch {
	case in.Decision == "":
		return Invalid("decision", "error.required")
	case !slices.Contains(ClaimDecisions, in.Decision):
		return Invalid("decision", "error.invalid_choice")
	case body == "":
		return Invalid("deciding_body", "error.required")
	case len([]rune(body)) > maxDecidingBody:
		return Invalid("deciding_body", "error.too_long", maxDecidingBody)
	}
	met, err := ParseDate(in.MeetingOn)
	if err != nil {
		return Invalid("meeting_on", "error.date_format")
	}
	if met.After(truncateDay(today)) {
		return Invalid("meeting_on", "tolerance.meeting_in_future")
	}
	return nil
}
