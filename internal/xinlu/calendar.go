package xinlu

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// DateLayout is how dates are written in the database, the API and forms.
const DateLayout = "2006-01-02"

// MinYear and MaxYear bound every date xinlu takes, typed or imported:
// joining dates, contracts, terms, signings, deadlines and holidays fall
// within them, and year 1 or 9999 is a typing slip, not a date.
const MinYear, MaxYear = 1900, 2100

var errDateRange = errors.New("date outside the years 1900 to 2100")

// ParseDate parses a YYYY-MM-DD date as midnight UTC. It is the one rule
// for dates: a date outside MinYear to MaxYear is refused like a malformed one.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, err
	}
	if y := t.Year(); y < MinYear || y > MaxYear {
		return time.Time{}, errDateRange
	}
	return t, nil
}

// DayKind says whether a calendar entry takes a day off or puts one on.
type DayKind string

const (
	DayHoliday DayKind = "holiday" // a statutory holiday on a weekday (放假)
	DayWorkday DayKind = "workday" // a weekend day worked to make up for one (调休上班)
)

// CalendarDay is one entry in a zone's holiday calendar. Days not listed
// follow the week: Monday to Friday work, Saturday and Sunday rest.
type CalendarDay struct {
	ID        int64
	ZoneID    int64
	Date      string // YYYY-MM-DD
	Kind      DayKind
	Name      string // e.g. 国庆节
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks a calendar entry as typed.
func (d *CalendarDay) Validate() error {
	var errs FieldErrors
	d.Date = strings.TrimSpace(d.Date)
	errs.Add(cleanNames(textField{"name", &d.Name}))
	t, err := ParseDate(d.Date)
	switch {
	case d.Date == "":
		errs.Invalid("date", "error.required")
	case err != nil:
		errs.Invalid("date", "error.date_format")
	}
	switch {
	case d.Kind != DayHoliday && d.Kind != DayWorkday:
		errs.Invalid("kind", "error.invalid_choice")
	case err == nil && d.Kind == DayWorkday && !isWeekend(t):
		errs.Invalid("kind", "calendar.workday_not_weekend")
	}
	// A weekend inside a holiday is listed so that the notice reads
	// naturally; it changes nothing and is allowed.
	switch {
	case errs.Has("name"):
	case d.Name == "":
		errs.Invalid("name", "error.required")
	case len([]rune(d.Name)) > 64:
		errs.Invalid("name", "error.too_long", 64)
	}
	return errs.Err()
}

func isWeekend(t time.Time) bool {
	wd := t.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// Calendar answers working-day questions for one zone.
type Calendar struct {
	off map[string]bool
	on  map[string]bool
	// The exceptions as day numbers (days since 1970-01-01), sorted: the
	// weekdays that are holidays, the weekend days that are worked.
	lost, made []int64
}

// NewCalendar builds a calendar from its entries.
func NewCalendar(days []CalendarDay) *Calendar {
	c := &Calendar{off: map[string]bool{}, on: map[string]bool{}}
	for _, d := range days {
		switch d.Kind {
		case DayHoliday:
			c.off[d.Date] = true
		case DayWorkday:
			c.on[d.Date] = true
		}
	}
	for date := range c.off {
		if t, err := ParseDate(date); err == nil && !c.on[date] && !isWeekend(t) {
			c.lost = append(c.lost, dayNumber(t))
		}
	}
	for date := range c.on {
		if t, err := ParseDate(date); err == nil && isWeekend(t) {
			c.made = append(c.made, dayNumber(t))
		}
	}
	slices.Sort(c.lost)
	slices.Sort(c.made)
	return c
}

// dayNumber is the number of t's UTC date counted from 1970-01-01.
func dayNumber(t time.Time) int64 { return floorDiv(t.Unix(), 86400) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// weekdaysUpTo counts Monday to Friday from a fixed Monday (1970-01-05,
// day 4) up to and including day x, less for days before it: the
// difference of two counts is the weekdays between.
func weekdaysUpTo(x int64) int64 {
	k := x - 4
	return 5*floorDiv(k, 7) + min(k-7*floorDiv(k, 7)+1, 5)
}

// inRange counts the sorted days in (a, b].
func inRange(days []int64, a, b int64) int64 {
	i, _ := slices.BinarySearch(days, a+1)
	j, _ := slices.BinarySearch(days, b+1)
	return int64(j - i)
}

// IsWorkday reports whether t's date (in t's own location) is a working
// day. A nil calendar knows no holidays: Monday to Friday work.
func (c *Calendar) IsWorkday(t time.Time) bool {
	if c != nil {
		key := t.Format(DateLayout)
		if c.on[key] {
			return true
		}
		if c.off[key] {
			return false
		}
	}
	return !isWeekend(t)
}

// AddWorkdays returns the date n working days after start (n > 0) or before
// it (n < 0); start itself is not counted. AddWorkdays(start, 0) is start.
func (c *Calendar) AddWorkdays(start time.Time, n int) time.Time {
	d := truncateDay(start)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDate(0, 0, step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// WorkdaysBetween counts the working days passed on the way from from to to,
// the way AddWorkdays counts them: from itself is not counted, to is. It is
// positive when to is after from, negative when to is before from, and 0
// when they are the same day. Going forwards it counts the working days in
// (from, to]; going backwards, minus those in [to, from).
//
// The two functions are inverses: WorkdaysBetween(from, AddWorkdays(from, n))
// is n for every from and n, and AddWorkdays(from, WorkdaysBetween(from, to))
// is to whenever to is a working day (when to is a rest day it is the last
// working day short of to, or from itself when there is none). Because the
// day the walk starts on is never counted, WorkdaysBetween(a, b) and
// -WorkdaysBetween(b, a) differ by one when exactly one of a and b is a
// working day.
//
// It counts by arithmetic and the zone's exceptions, not day by day: the
// cockpit asks it of records years overdue.
func (c *Calendar) WorkdaysBetween(from, to time.Time) int {
	a, b := dayNumber(truncateDay(from)), dayNumber(truncateDay(to))
	sign := int64(1)
	if b < a {
		// [to, from) is (to-1, from-1].
		a, b, sign = b-1, a-1, -1
	}
	n := weekdaysUpTo(b) - weekdaysUpTo(a)
	if c != nil {
		n += inRange(c.made, a, b) - inRange(c.lost, a, b)
	}
	return int(sign * n)
}

// WorkdaysInYear counts the working days of a calendar year.
func (c *Calendar) WorkdaysInYear(year int) int {
	n := 0
	for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

func truncateDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
