package xinlu

import (
	"slices"
	"time"
)

// Who sees an appraisal period and its results, who may work on it besides
// its steps (periodRules) and who may appeal: tables and a few rules, used
// by the store inside its transactions and by both faces to decide what to
// show.

// SeesUnpublished reports whether u sees every period and its results in
// any state: the appraisal office, the director and finance.
func SeesUnpublished(u *User) bool {
	return u.Can(PermAppraisalManage) || u.Can(PermAppraisalFinalize) || u.Can(PermAppraisalPool)
}

// SeesPay reports whether u sees the pay of member: their own, or the
// whole zone's for the appraisal office, the director and finance.
func SeesPay(u *User, member int64) bool {
	return (u.MemberID != 0 && u.MemberID == member) || SeesUnpublished(u)
}

// periodSight is what everyone else sees of a period in one state.
type periodSight struct {
	period  bool // every member sees the period
	scorers bool // those who score or rate see the period
	results bool // every member sees the results (within their scope)
}

// periodSights is the table of periodSight by state. In recheck the
// period stays in view, so that members follow the appeals, but its
// results are hidden until they are published again: they are being
// recalculated and may change.
var periodSights = map[PeriodState]periodSight{
	PeriodDraft:       {},
	PeriodScoring:     {scorers: true},
	PeriodCalculated:  {},
	PeriodCalibration: {},
	PeriodPublication: {period: true, scorers: true, results: true},
	PeriodRecheck:     {period: true, scorers: true},
	PeriodFinal:       {period: true, scorers: true, results: true},
	PeriodApplied:     {period: true, scorers: true, results: true},
	PeriodArchived:    {period: true, scorers: true, results: true},
}

// scores reports whether u scores or rates colleagues.
func scores(u *User) bool {
	return u.Can(PermAppraisalScore) || u.Can(PermAppraisalPeer)
}

// VisibleStates are the states of the periods u may see, in order: nil
// (every state) for those who see unpublished periods.
func VisibleStates(u *User) []PeriodState {
	if SeesUnpublished(u) {
		return nil
	}
	out := []PeriodState{}
	for _, st := range PeriodStates {
		if s := periodSights[st]; s.period || s.scorers && scores(u) {
			out = append(out, st)
		}
	}
	return out
}

// PeriodVisible reports whether u may see period p at all; a period u may
// not see is not found.
func PeriodVisible(u *User, p *Period) bool {
	if SeesUnpublished(u) {
		return true
	}
	s := periodSights[p.State]
	return s.period || s.scorers && scores(u)
}

// ResultsVisible reports whether u sees the results of period p: those
// who see unpublished periods always, everyone else in publication and
// after. Results u may not see are not found, so that nobody learns that
// results exist before they are published.
func ResultsVisible(u *User, p *Period) bool {
	return SeesUnpublished(u) || periodSights[p.State].results
}

// CheckResults answers not found when u may not see the results of p.
func CheckResults(u *User, p *Period) error {
	if ResultsVisible(u, p) {
		return nil
	}
	return NotFound("error.not_found")
}

// AppealScope is whose appeals u sees: every appeal of the zone for the
// appraisal office and the director, their own for everyone else.
func AppealScope(u *User) ScopeFilter {
	if u.Can(PermAppraisalManage) || u.Can(PermAppraisalFinalize) {
		return ScopeFilter{Scope: ScopeZone, ZoneID: u.ZoneID}
	}
	return ScopeFilter{Scope: ScopeOwn, ZoneID: u.ZoneID, MemberID: u.MemberID}
}

// RatingPermission is the permission that rates indicators of kind by
// hand: assessed indicators by those who assess (heads, leaders), peer
// indicators by colleagues; computed and points indicators are not rated.
func RatingPermission(kind IndicatorKind) (Permission, bool) {
	switch kind {
	case IndicatorAssessed:
		return PermAppraisalScore, true
	case IndicatorPeer:
		return PermAppraisalPeer, true
	}
	return "", false
}

// RatedKinds are the indicator kinds u rates, with the permission each
// takes.
func RatedKinds(u *User) map[IndicatorKind]Permission {
	out := map[IndicatorKind]Permission{}
	for _, k := range IndicatorKinds {
		if perm, ok := RatingPermission(k); ok && u.Can(perm) {
			out[k] = perm
		}
	}
	return out
}

// PeriodWork is work on a period besides its steps.
type PeriodWork string

const (
	WorkScore   PeriodWork = "score"   // enter assessed and peer scores
	WorkAbsence PeriodWork = "absence" // record a member's absent working days
	WorkAnswer  PeriodWork = "answer"  // answer an appeal
)

type workRule struct {
	from  []PeriodState
	perms []Permission // any of them
	key   string       // the refusal in another state
}

var workRules = map[PeriodWork]workRule{
	WorkScore:   {[]PeriodState{PeriodScoring, PeriodRecheck}, []Permission{PermAppraisalScore, PermAppraisalPeer}, "appraisal.state_not_allowed"},
	WorkAbsence: {[]PeriodState{PeriodDraft, PeriodScoring, PeriodRecheck}, []Permission{PermAppraisalManage}, "appraisal.state_not_allowed"},
	// An appeal is answered while the period is rechecked, after its
	// result has been looked at again.
	WorkAnswer: {[]PeriodState{PeriodRecheck}, []Permission{PermAppraisalManage}, "appraisal.answer_in_recheck"},
}

// CheckPeriodWork decides whether u may do work on p now: the period's
// state first, then u's permission.
func CheckPeriodWork(u *User, p *Period, w PeriodWork) error {
	rule, ok := workRules[w]
	if !ok {
		return NotFound("error.not_found")
	}
	if !slices.Contains(rule.from, p.State) {
		return &Error{Code: ECONFLICT, Field: "state", Key: rule.key, Args: []any{LabelKey("appraisal.state." + string(p.State))}}
	}
	for _, perm := range rule.perms {
		if u.Can(perm) {
			return nil
		}
	}
	return Forbidden()
}

// AppealAnswer reads the answer to an appeal named in a path: "uphold"
// or "reject"; anything else is not found.
func AppealAnswer(action string) (upheld bool, err error) {
	switch action {
	case "uphold":
		return true, nil
	case "reject":
		return false, nil
	}
	return false, NotFound("appraisal.unknown_action")
}

// AppealCheck is what filing an appeal depends on besides the period.
type AppealCheck struct {
	Today     time.Time
	HasResult bool // u has a result in the period
	Open      bool // u already has an appeal in the period not yet answered
}

// CheckAnswerer decides whether u may answer the appeal of member: nobody
// answers their own appeal (an appraisal office member's appeal is
// answered by a colleague).
func CheckAnswerer(u *User, member int64) error {
	if u.MemberID != 0 && u.MemberID == member {
		return &Error{Code: EFORBIDDEN, Field: "member_id", Key: "appraisal.answer_own_appeal"}
	}
	return nil
}

// CheckAppeal decides whether u may appeal their result in period p now:
// a member with a result, while the period is in publication and its
// window runs, with no appeal of theirs still open.
func CheckAppeal(u *User, p *Period, c AppealCheck) error {
	switch {
	case u.MemberID == 0:
		return Invalid("member_id", "appraisal.rater_not_member")
	case p.State != PeriodPublication:
		return &Error{Code: ECONFLICT, Field: "state", Key: "appraisal.state_not_allowed", Args: []any{LabelKey("appraisal.state." + string(p.State))}}
	case truncateDay(c.Today).Format(DateLayout) > p.PublicationEnds:
		return &Error{Code: ECONFLICT, Field: "state", Key: "appraisal.publication_over", Args: []any{p.PublicationEnds}}
	case !c.HasResult:
		return NotFound("appraisal.member_not_in_results")
	case c.Open:
		return Conflict("reason", "appraisal.appeal_open")
	}
	return nil
}
