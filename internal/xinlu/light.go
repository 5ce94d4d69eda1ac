package xinlu

import "time"

// Light is a deadline's traffic light.
type Light string

const (
	LightGreen  Light = "green"  // on time
	LightYellow Light = "yellow" // LightRules.YellowWithin working days or fewer left
	LightRed    Light = "red"    // overdue
	LightNone   Light = ""       // no deadline
)

// LightRules are a zone's thresholds, in working days by its calendar, for
// the lights of its deadlines and the escalation of what is overdue. Each
// zone keeps its own with its pipeline settings (招商流程设置).
type LightRules struct {
	YellowWithin  int // the light turns yellow with this many working days or fewer left
	SponsorAfter  int // red for more than this many working days: the sponsor is told
	DirectorAfter int // red for more than this many: the director is told
}

// The default thresholds and the bounds of each, in working days.
const (
	DefaultYellowWithin  = 2
	DefaultSponsorAfter  = 5
	DefaultDirectorAfter = 10

	MaxYellowWithin    = 10 // YellowWithin is 0 (yellow on the due day only) to this
	MinEscalationAfter = 1  // SponsorAfter and DirectorAfter are at least this
	MaxEscalationAfter = 60 // and at most this
)

// DefaultLightRules are the thresholds of a zone that saved none.
func DefaultLightRules() LightRules {
	return LightRules{YellowWithin: DefaultYellowWithin, SponsorAfter: DefaultSponsorAfter, DirectorAfter: DefaultDirectorAfter}
}

// Validate checks the thresholds; an error names the first bad field:
// yellow_within_days (0 to MaxYellowWithin), sponsor_after_days
// (MinEscalationAfter to MaxEscalationAfter) and director_after_days (in
// the same bounds and more than sponsor_after_days).
func (r LightRules) Validate() error {
	var errs FieldErrors
	if r.YellowWithin < 0 || r.YellowWithin > MaxYellowWithin {
		errs.Invalid("yellow_within_days", "pipeline_settings.days_range", 0, MaxYellowWithin)
	}
	sponsorOK := r.SponsorAfter >= MinEscalationAfter && r.SponsorAfter <= MaxEscalationAfter-1 // the director's comes after
	if !sponsorOK {
		errs.Invalid("sponsor_after_days", "pipeline_settings.days_range", MinEscalationAfter, MaxEscalationAfter-1)
	}
	switch {
	case r.DirectorAfter < MinEscalationAfter || r.DirectorAfter > MaxEscalationAfter:
		errs.Invalid("director_after_days", "pipeline_settings.days_range", MinEscalationAfter, MaxEscalationAfter)
	case sponsorOK && r.DirectorAfter <= r.SponsorAfter:
		errs.Invalid("director_after_days", "pipeline_settings.director_after_sponsor", r.SponsorAfter)
	}
	return errs.Err()
}

// Light is the light of a deadline due (YYYY-MM-DD) on today, by working
// days: red once today is past due, yellow when at most r.YellowWithin
// working days are left, green before that.
func (r LightRules) Light(cal *Calendar, due string, today time.Time) Light {
	d, err := ParseDate(due)
	if due == "" || err != nil {
		return LightNone
	}
	t := truncateDay(today)
	if t.After(d) {
		return LightRed
	}
	if cal.WorkdaysBetween(t, d) <= r.YellowWithin {
		return LightYellow
	}
	return LightGreen
}

// GreenFrom is the earliest due date whose light is green on today: due
// dates from today up to (not including) it are yellow, those before today
// red. It lets a query select a light by a range of due dates.
func (r LightRules) GreenFrom(cal *Calendar, today time.Time) time.Time {
	return cal.AddWorkdays(today, r.YellowWithin+1)
}

// Escalation is who is told about an overdue item.
type Escalation int

const (
	EscalateNone        Escalation = iota
	EscalateResponsible            // red: the person responsible
	EscalateSponsor                // more than LightRules.SponsorAfter working days red: the sponsor
	EscalateDirector               // more than LightRules.DirectorAfter: the director
)

// Escalation says who is told about an item due on due, today: nobody
// unless it is red, then by how many working days it is late.
func (r LightRules) Escalation(cal *Calendar, due string, today time.Time) Escalation {
	if r.Light(cal, due, today) != LightRed {
		return EscalateNone
	}
	d, _ := ParseDate(due)
	late := cal.WorkdaysBetween(d, truncateDay(today))
	switch {
	case late > r.DirectorAfter:
		return EscalateDirector
	case late > r.SponsorAfter:
		return EscalateSponsor
	}
	return EscalateResponsible
}
