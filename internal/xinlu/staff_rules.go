package xinlu

import (
	"slices"
	"strings"
	"time"
)

// Valid reports whether k is a known position kind.
func (k PositionKind) Valid() bool { return slices.Contains(PositionKinds, k) }

// Valid reports whether s is a known member status.
func (s MemberStatus) Valid() bool { return slices.Contains(MemberStatuses, s) }

// Valid reports whether s is a known contract status.
func (s ContractStatus) Valid() bool { return slices.Contains(ContractStatuses, s) }

// Tone is the status colour of a member status (UX.md: green normal, blue in
// progress, orange warning, grey inactive); labels always go with it.
func (s MemberStatus) Tone() string {
	switch s {
	case MemberActive:
		return "green"
	case MemberProbation:
		return "blue"
	case MemberLeave:
		return "orange"
	}
	return "grey"
}

// Tone is the status colour of a contract status.
func (s ContractStatus) Tone() string {
	switch s {
	case ContractActive:
		return "green"
	case ContractExpired:
		return "orange"
	}
	return "grey"
}

// Validate checks a position as typed. An empty kind is an ordinary post.
func (p *Position) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"name", &p.Name}, textField{"grade", &p.Grade}))
	p.Kind = PositionKind(strings.TrimSpace(string(p.Kind)))
	if p.Kind == "" {
		p.Kind = PositionStaff
	}
	switch {
	case errs.Has("name"):
	case p.Name == "":
		errs.Invalid("name", "error.required")
	case len([]rune(p.Name)) > 64:
		errs.Invalid("name", "error.too_long", 64)
	}
	if !errs.Has("grade") && len([]rune(p.Grade)) > 32 {
		errs.Invalid("grade", "error.too_long", 32)
	}
	if !p.Kind.Valid() {
		errs.Invalid("kind", "error.invalid_choice")
	}
	if p.SortOrder < 0 || p.SortOrder > 9999 {
		errs.Invalid("sort_order", "error.out_of_range", 0, 9999)
	}
	return errs.Err()
}

// MaxNoteLength bounds a contract's note.
const MaxNoteLength = 500

// MaxTargetsLength bounds a term's targets.
const MaxTargetsLength = 2000

// checkPeriod validates a start and end date pair; the end must come after
// the start. endKey names the message when it does not.
func checkPeriod(start, end *string, endKey string) error {
	var errs FieldErrors
	*start, *end = strings.TrimSpace(*start), strings.TrimSpace(*end)
	var s, e time.Time
	var serr, eerr error
	if *start == "" {
		errs.Invalid("start_date", "error.required")
	} else if s, serr = ParseDate(*start); serr != nil {
		errs.Invalid("start_date", "error.date_format")
	}
	if *end == "" {
		errs.Invalid("end_date", "error.required")
	} else if e, eerr = ParseDate(*end); eerr != nil {
		errs.Invalid("end_date", "error.date_format")
	}
	if len(errs) == 0 && !e.After(s) {
		errs.Invalid("end_date", endKey)
	}
	return errs.Err()
}

// Validate checks a contract as typed: both dates, the end after the start,
// a known status (empty means active) and a short note. Whether the member
// already holds an active contract is for the store to check.
func (c *Contract) Validate() error {
	var errs FieldErrors
	errs.Add(cleanTexts(textField{"note", &c.Note}))
	c.Status = ContractStatus(strings.TrimSpace(string(c.Status)))
	if c.Status == "" {
		c.Status = ContractActive
	}
	errs.Add(checkPeriod(&c.StartDate, &c.EndDate, "contract.end_before_start"))
	if !c.Status.Valid() {
		errs.Invalid("status", "error.invalid_choice")
	}
	if !errs.Has("note") && len([]rune(c.Note)) > MaxNoteLength {
		errs.Invalid("note", "error.too_long", MaxNoteLength)
	}
	return errs.Err()
}

// Validate checks a leader's term as typed. An empty end date becomes the
// default: DefaultTermYears after the start, less one day.
func (t *Term) Validate() error {
	var errs FieldErrors
	errs.Add(cleanNames(textField{"title", &t.Title}))
	errs.Add(cleanTexts(textField{"targets", &t.Targets}))
	t.StartDate, t.EndDate = strings.TrimSpace(t.StartDate), strings.TrimSpace(t.EndDate)
	switch {
	case errs.Has("title"):
	case t.Title == "":
		errs.Invalid("title", "error.required")
	case len([]rune(t.Title)) > 64:
		errs.Invalid("title", "error.too_long", 64)
	}
	if !errs.Has("targets") && len([]rune(t.Targets)) > MaxTargetsLength {
		errs.Invalid("targets", "error.too_long", MaxTargetsLength)
	}
	if t.EndDate == "" && t.StartDate != "" {
		if s, err := ParseDate(t.StartDate); err == nil {
			t.EndDate = DefaultTermEnd(s).Format(DateLayout)
		}
	}
	errs.Add(checkPeriod(&t.StartDate, &t.EndDate, "term.end_before_start"))
	return errs.Err()
}

// SeesPersonalData reports whether u may see member memberID's phone and ID
// number unmasked: the member themself, or someone who manages staff.
func SeesPersonalData(u *User, memberID int64) bool {
	if u == nil {
		return false
	}
	// Only the member themself: administrators and managers see masked
	// values like everyone else and reveal them (PermReveal) with a reason.
	return u.MemberID != 0 && u.MemberID == memberID
}

// KeepMasked returns the stored value when a form or API call sends back a
// masked value unchanged (the user did not touch the field), and the
// submitted value otherwise.
func KeepMasked(submitted, stored string, mask func(string) string) string {
	if stored != "" && submitted == mask(stored) {
		return stored
	}
	return submitted
}

// MaskFor masks m's personal data unless u may see it, and reports whether
// it did. Every list, page, API answer and export of members goes through
// it; which fields are masked, and how, is the inventory's (PersonalFields).
// Seeing a masked field in full is a reveal (PermReveal), audited apart.
func (m *Member) MaskFor(u *User) bool {
	if SeesPersonalData(u, m.ID) {
		return false
	}
	for _, f := range PersonalFieldsOf("members") {
		if p := m.PersonalValue(f.Column); p != nil && f.Revealable() {
			*p = f.Mask.Apply(*p)
		}
	}
	return true
}

// ContractWarnDays is how far ahead contract ends are flagged.
const ContractWarnDays = 60

// ContractUrgentDays is the last stretch before an end, shown red.
const ContractUrgentDays = 30

// DaysLeft counts days from today to the date end (YYYY-MM-DD); negative
// once the date has passed. A bad date gives 0.
func DaysLeft(today time.Time, end string) int {
	e, err := ParseDate(end)
	if err != nil {
		return 0
	}
	t := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return int(e.Sub(t).Hours() / 24)
}

// ExpiryTone colours the days left on a contract: red when past or within
// ContractUrgentDays, orange within ContractWarnDays, green beyond.
func ExpiryTone(daysLeft int) string {
	switch {
	case daysLeft <= ContractUrgentDays:
		return "red"
	case daysLeft <= ContractWarnDays:
		return "orange"
	}
	return "green"
}
