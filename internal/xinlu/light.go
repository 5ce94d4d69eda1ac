package xinlu

import "time"

// Light is a deadline's traffic light.
type Light string

const (
	LightGreen  Light = "green"  // on time
	LightYellow Light = "yellow" // two working days or fewer left
	LightRed    Light = "red"    // overdue
	LightNone   Light = ""       // no deadline
)

// YellowWithin is how many working days before a deadline the light turns yellow.
const YellowWithin = 2

// DeadlineLight is the light of a deadline due (YYYY-MM-DD) on today, by
// working days: red once today is past due, yellow when at most
// YellowWithin working days are left.
func DeadlineLight(cal *Calendar, due string, today time.Time) Light {
	d, err := ParseDate(due)
	if due == "" || err != nil {
		return LightNone
	}
	t := truncateDay(today)
	if t.After(d) {
		return LightRed
	}
	if cal.WorkdaysBetween(t, d) <= YellowWithin {
		return LightYellow
	}
	return LightGreen
}

// Escalation is who is told about an overdue item.
type Escalation int

const (
	EscalateNone        Escalation = iota
	EscalateResponsible            // red: the person responsible
	EscalateSponsor                // more than 5 working days red: the sponsor
	EscalateDirector               // more than 10: the director
)

// EscalationFor says who is told about an item due on due, today.
func EscalationFor(cal *Calendar, due string, today time.Time) Escalation {
	if DeadlineLight(cal, due, today) != LightRed {
		return EscalateNone
	}
	d, _ := ParseDate(due)
	late := cal.WorkdaysBetween(d, truncateDay(today))
	switch {
	case late > 10:
		return EscalateDirector
	case late > 5:
		return EscalateSponsor
	}
	return EscalateResponsible
}
