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
	if err := cleanNames(textField{"name", &p.Name}, textField{"grade", &p.Grade}); err != nil {
		return err
	}
	p.Kind = PositionKind(strings.TrimSpace(string(p.Kind)))
	if p.Kind == "" {
		p.Kind = PositionStaff
	}
	switch {
	case p.Name == "":
		return Invalid("name", "error.required")
	case len([]rune(p.Name)) > 64:
		return Invalid("name", "error.too_long", 64)
	case len([]rune(p.Grade)) > 32:
		return Invalid("grade", "error.too_long", 32)
	case !p.Kind.Valid():
		return Invalid("kind", "error.invalid_choice")
	case p.SortOrder < 0 || p.SortOrder > 9999:
		return Invalid("sort_order", "error.out_of_range", 0, 9999)
	}
	return nil
}

// MaxNoteLength bounds a contract's note.
const MaxNoteLength = 500

// MaxTargetsLength bounds a term's targets.
const MaxTargetsLength = 2000

// checkPeriod validates a start and end date pair; the end must come after
// the start. endKey names the message when it does not.
func checkPeriod(start, end *string, endKey string) error {
	*start, *end = strings.TrimSpace(*start), strings.TrimSpace(*end)
	if *start == "" {
		return Invalid("start_date", "error.required")
	}
	s, err := ParseDate(*start)
	if err != nil {
		return Invalid("start_date", "error.date_format")
	}
	if *end == "" {
		return Invalid("end_date", "error.required")
	}
	e, err := ParseDate(*end)
	if err != nil {
		return Invalid("end_date", "error.date_format")
	}
	if !e.After(s) {
		return Invalid("end_date", endKey)
	}
	return nil
}

// Validate checks a contract as typed: both dates, the end after the start,
// a known status (empty means active) and a short note. Whether the member
// already holds an active contract is for the store to check.
func (c *Contract) Validate() error {
	if err := cleanTexts(textField{"note", &c.Note}); err != nil {
		return err
	}
	c.Status = ContractStatus(strings.TrimSpace(string(c.Status)))
	if c.Status == "" {
		c.Status = ContractActive
	}
	if err := checkPeriod(&c.StartDate, &c.EndDate, "contract.end_before_start"); err != nil {
		return err
	}
	switch {
	case !c.Status.Valid():
		return Invalid("status", "error.invalid_choice")
	case len([]rune(c.Note)) > MaxNoteLength:
		return Invalid("note", "error.too_long", MaxNoteLength)
	}
	return nil
}

// Validate checks a leader's term as typed. An empty end date becomes the
// default: DefaultTermYears after the start, less one day.
func (t *Term) Validate() error {
	if err := cleanNames(textField{"title", &t.Title}); err != nil {
		return err
	}
	if err := cleanTexts(textField{"targets", &t.Targets}); err != nil {
		return err
	}
	t.StartDate, t.EndDate = strings.TrimSpace(t.StartDate), strings.TrimSpace(t.EndDate)
	switch {
	case t.Title == "":
		return Invalid("title", "error.required")
	case len([]rune(t.Title)) > 64:
		return Invalid("title", "error.too_long", 64)
	case len([]rune(t.Targets)) > MaxTargetsLength:
		return Invalid("targets", "error.too_long", MaxTargetsLength)
	}
	if t.EndDate == "" && t.StartDate != "" {
		if s, err := ParseDate(t.StartDate); err == nil {
			t.EndDate = DefaultTermEnd(s).Format(DateLayout)
		}
	}
	return checkPeriod(&t.StartDate, &t.EndDate, "term.end_before_start")
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
