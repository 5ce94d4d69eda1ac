package xinlu

import (
	"slices"
	"strings"
	"time"
)

// Credit disputes (首报认定争议). When duplicate leads merge, the earlier
// report keeps the credit (Lead.ReporterID) and the other reporters become
// co-reporters. A co-reporter — or the reporter of a lead merged into the
// lead — may claim the credit; the screening task force decides, never a
// party, with a note, the deciding body and the date. An upheld dispute
// moves the credit: the disputant becomes the reporter and the former
// reporter a co-reporter. Decisions are final: one dispute per person and
// lead, and whoever lost the credit by an upheld dispute does not dispute
// it back.

// DisputeStatus is where a credit dispute stands.
type DisputeStatus string

const (
	DisputeOpen     DisputeStatus = "open"     // 待认定
	DisputeUpheld   DisputeStatus = "upheld"   // 异议成立 (the credit moved)
	DisputeRejected DisputeStatus = "rejected" // 异议不成立
)

// DisputeStatuses lists the statuses in display order.
var DisputeStatuses = []DisputeStatus{DisputeOpen, DisputeUpheld, DisputeRejected}

// DisputeAction is a decision on a dispute.
type DisputeAction string

const (
	DisputeUphold DisputeAction = "uphold"
	DisputeReject DisputeAction = "reject"
)

// DisputeActions lists the decisions.
var DisputeActions = []DisputeAction{DisputeUphold, DisputeReject}

// Limits of a dispute's texts, in characters.
const (
	MinDisputeReason = 10
	MaxDisputeReason = 2000
	MaxDisputeNote   = 2000
	MaxDisputeBody   = 100
)

// LeadDispute is one member's claim to the credit of a lead.
type LeadDispute struct {
	ID          int64
	ZoneID      int64
	LeadID      int64
	DisputantID int64 // the member who claims the credit
	Reason      string
	Status      DisputeStatus
	RaisedBy    int64 // the account that raised it
	RaisedAt    time.Time
	RaisedOn    string // RaisedAt's date in the zone's time, YYYY-MM-DD
	ReporterID  int64  // the member credited when it was raised
	// FormerReporterID is, once upheld, the member the credit moved from.
	FormerReporterID int64
	DecisionNote     string
	DecidingBody     string // e.g. 甄别专班会议
	DecidedOn        string // the date of the decision, YYYY-MM-DD
	DecidedBy        int64  // the deciding account
	DecidedAt        time.Time
	Version          int
	UpdatedAt        time.Time

	DisputantName      string // read model
	ReporterName       string // read model
	FormerReporterName string // read model
	DeciderName        string // read model
}

// DisputeStanding is a member's standing on the credit of a lead, as the
// store finds it.
type DisputeStanding struct {
	// CoReporter: a co-reporter of the lead, or the reporter of a lead
	// merged into it.
	CoReporter bool
	// Previous is the member's own dispute on the lead, if any.
	Previous *LeadDispute
	// LostCredit: the credit moved away from the member by an upheld
	// dispute on the lead.
	LostCredit bool
}

// CheckDisputeReason trims and checks a dispute's reason.
func CheckDisputeReason(reason string) (string, error) {
	reason, err := Text("reason", reason)
	if err != nil {
		return "", err
	}
	switch n := len([]rune(reason)); {
	case n == 0:
		return "", Invalid("reason", "error.required")
	case n < MinDisputeReason:
		return "", Invalid("reason", "leads.dispute_reason_short", MinDisputeReason)
	case n > MaxDisputeReason:
		return "", Invalid("reason", "error.too_long", MaxDisputeReason)
	}
	return reason, nil
}

// CheckDisputeRaise decides whether u may dispute the credit of l, and
// returns the reason trimmed: a member who reports leads, a co-reporter of
// l (st.CoReporter) and not its reporter (403 otherwise); l not merged
// (409 naming its status); no dispute of theirs on l before, open or
// decided, and not the member who lost the credit of l to an upheld
// dispute (409).
func CheckDisputeRaise(u *User, l *Lead, st DisputeStanding, reason string) (string, error) {
	if u == nil || u.MemberID == 0 || !u.Can(PermLeadReport) {
		return "", Forbidden()
	}
	if u.MemberID == l.ReporterID {
		return "", &Error{Code: EFORBIDDEN, Key: "leads.dispute_own_credit"}
	}
	if !st.CoReporter && st.Previous == nil && !st.LostCredit {
		return "", &Error{Code: EFORBIDDEN, Key: "leads.dispute_not_party"}
	}
	if l.Status == LeadMerged {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "leads.dispute_lead_state", Args: []any{LabelKey("lead.status." + string(l.Status))}}
	}
	if st.Previous != nil {
		if st.Previous.Status == DisputeOpen {
			return "", &Error{Code: ECONFLICT, Field: "status", Key: "leads.dispute_open_exists"}
		}
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "leads.dispute_decided",
			Args: []any{LabelKey("leads.dispute_status." + string(st.Previous.Status))}}
	}
	if st.LostCredit {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "leads.dispute_credit_decided"}
	}
	if !st.CoReporter {
		return "", &Error{Code: EFORBIDDEN, Key: "leads.dispute_not_party"}
	}
	return CheckDisputeReason(reason)
}

// DisputeDecision is a decision as asked for.
type DisputeDecision struct {
	Action       DisputeAction
	Note         string
	DecidingBody string
	DecidedOn    string // YYYY-MM-DD
}

// DisputeParty reports whether u is a party to d on l: the disputant or
// the member credited now.
func DisputeParty(u *User, l *Lead, d *LeadDispute) bool {
	return u != nil && u.MemberID != 0 && (u.MemberID == d.DisputantID || u.MemberID == l.ReporterID)
}

// CheckDisputeDecision decides whether u may take dec on dispute d of lead
// l and returns the status it leads to, trimming dec's texts: the
// screening task force (403), never a party (403); d open (409 naming its
// status); an upheld credit needs l not merged (409 naming its status); a
// note, the deciding body and a date neither after today nor before the
// dispute was raised (422).
func CheckDisputeDecision(u *User, l *Lead, d *LeadDispute, dec *DisputeDecision, today time.Time) (DisputeStatus, error) {
	if !slices.Contains(DisputeActions, dec.Action) {
		return "", NotFound("leads.dispute_unknown_action")
	}
	if u == nil || !u.Can(PermLeadScreen) {
		return "", Forbidden()
	}
	if DisputeParty(u, l, d) {
		return "", &Error{Code: EFORBIDDEN, Key: "leads.dispute_decider_party"}
	}
	if d.Status != DisputeOpen {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "leads.dispute_state",
			Args: []any{LabelKey("leads.dispute_status." + string(d.Status))}}
	}
	if dec.Action == DisputeUphold && l.Status == LeadMerged {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "leads.dispute_lead_state", Args: []any{LabelKey("lead.status." + string(l.Status))}}
	}
	if err := cleanTexts(textField{"note", &dec.Note}); err != nil {
		return "", err
	}
	if err := cleanNames(textField{"deciding_body", &dec.DecidingBody}); err != nil {
		return "", err
	}
	dec.DecidedOn = strings.TrimSpace(dec.DecidedOn)
	switch {
	case dec.Note == "":
		return "", Invalid("note", "leads.dispute_note_required")
	case len([]rune(dec.Note)) > MaxDisputeNote:
		return "", Invalid("note", "error.too_long", MaxDisputeNote)
	case dec.DecidingBody == "":
		return "", Invalid("deciding_body", "error.required")
	case len([]rune(dec.DecidingBody)) > MaxDisputeBody:
		return "", Invalid("deciding_body", "error.too_long", MaxDisputeBody)
	case dec.DecidedOn == "":
		return "", Invalid("decided_on", "error.required")
	}
	on, err := ParseDate(dec.DecidedOn)
	if err != nil {
		return "", Invalid("decided_on", "error.date_format")
	}
	dec.DecidedOn = on.Format(DateLayout)
	if on.After(truncateDay(today)) {
		return "", Invalid("decided_on", "leads.dispute_decided_future")
	}
	if d.RaisedOn != "" && dec.DecidedOn < d.RaisedOn {
		return "", Invalid("decided_on", "leads.dispute_decided_early", d.RaisedOn)
	}
	if dec.Action == DisputeUphold {
		return DisputeUpheld, nil
	}
	return DisputeRejected, nil
}
