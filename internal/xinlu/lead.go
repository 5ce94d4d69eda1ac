package xinlu

import (
	"slices"
	"strings"
	"time"
)

// LeadStatus is where a lead stands in screening.
type LeadStatus string

const (
	LeadReported      LeadStatus = "reported"       // 已上报
	LeadScreening     LeadStatus = "screening"      // 甄别中
	LeadInfoRequested LeadStatus = "info_requested" // 待补充
	LeadAccepted      LeadStatus = "accepted"       // 已立项 (a project exists)
	LeadRejected      LeadStatus = "rejected"       // 未通过
	LeadMerged        LeadStatus = "merged"         // 已合并
	LeadDormant       LeadStatus = "dormant"        // 暂缓
)

// LeadStatuses lists the statuses in display order.
var LeadStatuses = []LeadStatus{LeadReported, LeadScreening, LeadInfoRequested, LeadAccepted, LeadRejected, LeadMerged, LeadDormant}

// LeadChannels are where leads come from.
var LeadChannels = []string{"personal", "association", "expo", "agency", "online", "referral", "visit", "other"}

// VetoGrounds are why the screening task force may veto a lead.
var VetoGrounds = []string{"environment", "safety", "energy"}

// Lead is a first report of a possible investor or project (线索).
type Lead struct {
	ID             int64
	ZoneID         int64
	ReporterID     int64 // member who reported it, credited
	Company        string
	CompanyKey     string // NormalizeCompany(Company)
	ProjectName    string
	Industry       string
	InvestmentYuan *int64 // intended investment; nil: unknown (待定)
	Channel        string
	ContactName    string // personal data
	ContactPhone   string // personal data
	Description    string
	Status         LeadStatus
	Reason         string // rejection reason or requested information, shown to the reporter
	VetoGround     string // environment | safety | energy, "" when not vetoed
	VetoReason     string
	MergedInto     int64
	ProjectID      int64
	ReportedAt     time.Time
	ScreeningDue   string // YYYY-MM-DD, working days from the report
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time

	ReporterName string // read model
}

// Validate checks a lead as reported.
func (l *Lead) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"company", &l.Company}, textField{"project_name", &l.ProjectName},
		textField{"contact_name", &l.ContactName}))
	errs.Add(cleanTexts(textField{"description", &l.Description}))
	l.ContactPhone = strings.TrimSpace(l.ContactPhone)
	switch {
	case errs.Has("company"):
	case l.Company == "":
		errs.Invalid("company", "error.required")
	case len([]rune(l.Company)) > 100:
		errs.Invalid("company", "error.too_long", 100)
	}
	switch {
	case errs.Has("project_name"):
	case l.ProjectName == "":
		errs.Invalid("project_name", "error.required")
	case len([]rune(l.ProjectName)) > 100:
		errs.Invalid("project_name", "error.too_long", 100)
	}
	if !slices.Contains(Industries, l.Industry) {
		errs.Invalid("industry", "error.invalid_choice")
	}
	if l.InvestmentYuan != nil && (*l.InvestmentYuan < 0 || *l.InvestmentYuan > MaxInvestmentYuan) {
		errs.Invalid("investment", "lead.investment_range")
	}
	if l.Channel != "" && !slices.Contains(LeadChannels, l.Channel) {
		errs.Invalid("channel", "error.invalid_choice")
	}
	if !errs.Has("contact_name") && len([]rune(l.ContactName)) > 32 {
		errs.Invalid("contact_name", "error.too_long", 32)
	}
	if l.ContactPhone != "" && !ValidContactPhone(l.ContactPhone) {
		errs.Invalid("contact_phone", "lead.contact_phone_format")
	}
	if !errs.Has("description") && len([]rune(l.Description)) > 2000 {
		errs.Invalid("description", "error.too_long", 2000)
	}
	if len(errs) > 0 {
		return errs.Err()
	}
	l.CompanyKey = NormalizeCompany(l.Company)
	return nil
}

// ValidContactPhone accepts a mobile number or a landline such as 0351-1234567.
func ValidContactPhone(s string) bool {
	if ValidMobile(s) {
		return true
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '-' && i > 0:
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 12
}

// LeadAction is a step of screening.
type LeadAction string

const (
	LeadStartScreening LeadAction = "start-screening"
	LeadRequestInfo    LeadAction = "request-info"
	LeadProvideInfo    LeadAction = "provide-info"
	LeadAccept         LeadAction = "accept"
	LeadReject         LeadAction = "reject"
	LeadMerge          LeadAction = "merge"
	LeadVeto           LeadAction = "veto"
	LeadOverrideVeto   LeadAction = "override-veto"
	LeadShelve         LeadAction = "shelve"
	LeadReopen         LeadAction = "reopen"
)

// leadRule is one allowed screening step.
type leadRule struct {
	from []LeadStatus
	to   LeadStatus // "" keeps the status
	perm Permission
}

var leadRules = map[LeadAction]leadRule{
	LeadStartScreening: {[]LeadStatus{LeadReported}, LeadScreening, PermLeadScreen},
	LeadRequestInfo:    {[]LeadStatus{LeadReported, LeadScreening}, LeadInfoRequested, PermLeadScreen},
	LeadProvideInfo:    {[]LeadStatus{LeadInfoRequested}, LeadScreening, PermLeadReport},
	LeadAccept:         {[]LeadStatus{LeadReported, LeadScreening}, LeadAccepted, PermLeadScreen},
	LeadReject:         {[]LeadStatus{LeadReported, LeadScreening, LeadInfoRequested}, LeadRejected, PermLeadScreen},
	LeadMerge:          {[]LeadStatus{LeadReported, LeadScreening, LeadInfoRequested, LeadDormant}, LeadMerged, PermLeadScreen},
	LeadVeto:           {[]LeadStatus{LeadReported, LeadScreening}, "", PermLeadScreen},
	LeadOverrideVeto:   {[]LeadStatus{LeadReported, LeadScreening}, "", PermVetoOverride},
	LeadShelve:         {[]LeadStatus{LeadReported, LeadScreening, LeadInfoRequested}, LeadDormant, PermLeadScreen},
	LeadReopen:         {[]LeadStatus{LeadDormant}, LeadScreening, PermLeadScreen},
}

// LeadActions lists every action.
func LeadActions() []LeadAction {
	out := make([]LeadAction, 0, len(leadRules))
	for a := range leadRules {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// LeadStep is one screening step as asked for.
type LeadStep struct {
	Action     LeadAction
	Reason     string // reject, request-info, veto, override-veto
	VetoGround string // veto
	MergeInto  int64  // merge
}

// CheckLeadStep decides whether u may take step on l and returns the
// status it leads to. It refuses with a conflict naming the status when the
// step does not fit it, and with forbidden when u lacks the right; only the
// reporter provides requested information.
func CheckLeadStep(u *User, l *Lead, step LeadStep) (LeadStatus, error) {
	rule, ok := leadRules[step.Action]
	if !ok {
		return "", NotFound("lead.unknown_action")
	}
	if !u.Can(rule.perm) {
		return "", Forbidden()
	}
	if step.Action == LeadProvideInfo && u.MemberID != l.ReporterID {
		return "", Forbidden()
	}
	if !slices.Contains(rule.from, l.Status) {
		return "", &Error{Code: ECONFLICT, Field: "status", Key: "lead.step_not_allowed", Args: []any{LabelKey("lead.status." + string(l.Status))}}
	}
	reason, err := Text("reason", step.Reason)
	if err != nil {
		return "", err
	}
	switch step.Action {
	case LeadReject, LeadRequestInfo, LeadOverrideVeto, LeadVeto:
		if len([]rune(reason)) < 2 {
			return "", Invalid("reason", "error.required")
		}
		if len([]rune(reason)) > 500 {
			return "", Invalid("reason", "error.too_long", 500)
		}
	case LeadMerge:
		if step.MergeInto == 0 || step.MergeInto == l.ID {
			return "", Invalid("merge_into", "lead.merge_target")
		}
	}
	switch step.Action {
	case LeadVeto:
		if !slices.Contains(VetoGrounds, step.VetoGround) {
			return "", Invalid("veto_ground", "error.invalid_choice")
		}
		if l.VetoGround != "" {
			return "", &Error{Code: ECONFLICT, Field: "status", Key: "lead.already_vetoed"}
		}
	case LeadOverrideVeto:
		if l.VetoGround == "" {
			return "", &Error{Code: ECONFLICT, Field: "status", Key: "lead.not_vetoed"}
		}
	case LeadAccept:
		if l.VetoGround != "" {
			return "", &Error{Code: ECONFLICT, Field: "status", Key: "lead.vetoed"}
		}
	}
	to := rule.to
	if to == "" {
		to = l.Status
	}
	return to, nil
}

// EarlierReporter decides who keeps the credit when two leads merge: the
// earlier report, and on the same instant the smaller id.
func EarlierReporter(a, b *Lead) *Lead {
	if b.ReportedAt.Before(a.ReportedAt) || (b.ReportedAt.Equal(a.ReportedAt) && b.ID < a.ID) {
		return b
	}
	return a
}

// LeadContactVisible reports whether u sees a lead's contact phone in full:
// its reporter, the screening task force and the leadership group do;
// everyone else sees it masked (138****1234).
func LeadContactVisible(u *User, l *Lead) bool {
	if u == nil {
		return false
	}
	return (u.MemberID != 0 && u.MemberID == l.ReporterID) || u.Can(PermLeadScreen) || u.Can(PermVetoOverride)
}
