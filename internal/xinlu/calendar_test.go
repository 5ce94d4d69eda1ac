package xinlu

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// springFestival2026 is the State Council's 2026 Spring Festival notice:
// off from Sunday 15 to Monday 23 February, with Saturday 14 and Saturday
// 28 February worked in exchange.
func springFestival2026() *Calendar {
	var days []CalendarDay
	for d := 15; d <= 23; d++ {
		days = append(days, CalendarDay{Date: fmt.Sprintf("2026-02-%02d", d), Kind: DayHoliday, Name: "春节"})
	}
	days = append(days,
		CalendarDay{Date: "2026-02-14", Kind: DayWorkday, Name: "春节调休"},
		CalendarDay{Date: "2026-02-28", Kind: DayWorkday, Name: "春节调休"})
	return NewCalendar(days)
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCalendarDayValidate(t *testing.T) {
	long := strings.Repeat("节", 65)
	for _, tc := range []struct {
		date  string
		kind  DayKind
		name  string
		field string // "" when valid
		key   string
	}{
		{"2026-02-16", DayHoliday, "春节", "", ""},
		{" 2026-02-15 ", DayHoliday, " 春节 ", "", ""}, // a weekend inside a holiday may be listed
		{"2026-02-14", DayWorkday, "春节调休", "", ""},
		{"2026-02-28", DayWorkday, "春节调休", "", ""},
		{"", DayHoliday, "春节", "date", "error.required"},
		{"2026-02-30", DayHoliday, "春节", "date", "error.date_format"},
		{"2026/02/16", DayHoliday, "春节", "date", "error.date_format"},
		{"2026-2-16", DayHoliday, "春节", "date", "error.date_format"},
		{"2026-02-16", "", "春节", "kind", "error.invalid_choice"},
		{"2026-02-16", "rest", "春节", "kind", "error.invalid_choice"},
		{"2026-02-16", DayHoliday, "  ", "name", "error.required"},
		{"2026-02-16", DayHoliday, long, "name", "error.too_long"},
		{"2026-02-16", DayWorkday, "调休", "kind", "calendar.workday_not_weekend"}, // a Monday
		{"2026-02-27", DayWorkday, "调休", "kind", "calendar.workday_not_weekend"}, // a Friday
	} {
		d := CalendarDay{Date: tc.date, Kind: tc.kind, Name: tc.name}
		err := d.Validate()
		if tc.field == "" {
			if err != nil {
				t.Errorf("%q %s %q: unexpected %v", tc.date, tc.kind, tc.name, err)
			}
			if d.Date != strings.TrimSpace(tc.date) || d.Name != strings.TrimSpace(tc.name) {
				t.Errorf("not trimmed: %+v", d)
			}
			continue
		}
		if e := AsError(err); err == nil || e.Code != EINVALID || e.Field != tc.field || e.Key != tc.key {
			t.Errorf("%q %s %q: got %v, want %s %s", tc.date, tc.kind, tc.name, err, tc.field, tc.key)
		}
	}
}

func TestIsWorkday(t *testing.T) {
	c := springFestival2026()
	for _, tc := range []struct {
		date string
		want bool
	}{
		{"2026-02-13", true},  // Friday before the holiday
		{"2026-02-14", true},  // Saturday worked (调休上班)
		{"2026-02-15", false}, // Sunday, first day off
		{"2026-02-16", false}, // Monday off
		{"2026-02-20", false}, // Friday off
		{"2026-02-21", false}, // Saturday inside the holiday
		{"2026-02-23", false}, // Monday, last day off
		{"2026-02-24", true},  // back to work on Tuesday
		{"2026-02-28", true},  // Saturday worked
		{"2026-03-01", false}, // an ordinary Sunday
		{"2026-02-07", false}, // an ordinary Saturday
		{"2026-03-07", false}, // an ordinary Saturday
		{"2026-03-02", true},  // an ordinary Monday
	} {
		if got := c.IsWorkday(day(t, tc.date)); got != tc.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tc.date, got, tc.want)
		}
	}
	// The date is read in the time's own location.
	sh := time.FixedZone("CST", 8*3600)
	if c.IsWorkday(time.Date(2026, 2, 15, 0, 30, 0, 0, sh)) {
		t.Error("00:30 on 15 February in Shanghai is a holiday, though it is still the 14th in UTC")
	}
	// An empty or nil calendar follows the week.
	for _, empty := range []*Calendar{nil, NewCalendar(nil)} {
		if !empty.IsWorkday(day(t, "2026-02-16")) || empty.IsWorkday(day(t, "2026-02-14")) {
			t.Error("a calendar without entries must follow the week")
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	c := springFestival2026()
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-02-13", 0, "2026-02-13"},
		{"2026-02-18", 0, "2026-02-18"}, // n=0 is the start itself, even on a holiday
		{"2026-02-13", 1, "2026-02-14"}, // the make-up Saturday counts
		{"2026-02-13", 2, "2026-02-24"}, // the whole holiday is skipped
		{"2026-02-14", 1, "2026-02-24"},
		{"2026-02-14", 5, "2026-02-28"},
		{"2026-02-14", 6, "2026-03-02"},
		{"2026-02-15", 1, "2026-02-24"}, // starting on a holiday
		{"2026-02-18", 1, "2026-02-24"},
		{"2026-02-23", 1, "2026-02-24"},
		{"2026-02-09", 10, "2026-02-28"}, // 10…14, then 24…28
		{"2026-03-06", 1, "2026-03-09"},  // an ordinary weekend
		{"2026-02-24", -1, "2026-02-14"},
		{"2026-02-24", -2, "2026-02-13"},
		{"2026-02-20", -1, "2026-02-14"}, // backwards from a holiday
		{"2026-03-01", -1, "2026-02-28"},
		{"2026-03-02", -6, "2026-02-14"},
		{"2026-03-02", -7, "2026-02-13"},
	} {
		got := c.AddWorkdays(day(t, tc.from), tc.n).Format(DateLayout)
		if got != tc.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
	sh := time.FixedZone("CST", 8*3600)
	got := c.AddWorkdays(time.Date(2026, 2, 14, 6, 0, 0, 0, sh), 1) // 13 Feb 22:00 UTC
	if got.Format(DateLayout) != "2026-02-24" || got.Location() != time.UTC || got.Hour() != 0 {
		t.Errorf("AddWorkdays from 14 Feb in Shanghai = %v", got)
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := springFestival2026()
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2026-02-13", "2026-02-13", 0},
		{"2026-02-18", "2026-02-18", 0},
		{"2026-02-13", "2026-02-24", 2}, // 14, 24
		{"2026-02-14", "2026-02-23", 0}, // ends on a holiday: nothing worked after the 14th
		{"2026-02-15", "2026-02-24", 1}, // starts on a holiday
		{"2026-02-12", "2026-02-20", 2}, // 13, 14; ends on a holiday
		{"2026-02-01", "2026-03-01", 16},
		{"2026-02-24", "2026-02-13", -2}, // backwards: 14, 13
		{"2026-02-20", "2026-02-13", -2}, // backwards from a holiday: 14, 13 (not 20 itself)
		{"2026-02-24", "2026-02-15", 0},  // backwards to a holiday: no working day is passed
		{"2026-03-01", "2026-02-24", -5}, // 28, 27, 26, 25, 24
		{"2026-03-02", "2026-02-14", -6},
	} {
		if got := c.WorkdaysBetween(day(t, tc.from), day(t, tc.to)); got != tc.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
	if n := c.WorkdaysInYear(2026); n != 257 { // 261 weekdays − 6 off + 2 worked
		t.Errorf("WorkdaysInYear(2026) = %d, want 257", n)
	}
	if n := NewCalendar(nil).WorkdaysInYear(2024); n != 262 { // a leap year starting on Monday
		t.Errorf("WorkdaysInYear(2024) without holidays = %d, want 262", n)
	}
}

// TestAddWorkdaysAndWorkdaysBetweenAgree checks the two functions against
// each other and against a plain count on every start date around the
// holiday.
func TestAddWorkdaysAndWorkdaysBetweenAgree(t *testing.T) {
	c := springFestival2026()
	first, last := day(t, "2026-01-20"), day(t, "2026-03-20")
	for from := first; !from.After(last); from = from.AddDate(0, 0, 1) {
		prev := from
		for n := 0; n <= 15; n++ {
			to := c.AddWorkdays(from, n)
			if got := c.WorkdaysBetween(from, to); got != n {
				t.Fatalf("WorkdaysBetween(%s, AddWorkdays(%s, %d)=%s) = %d", from.Format(DateLayout), from.Format(DateLayout), n, to.Format(DateLayout), got)
			}
			if n > 0 && (!c.IsWorkday(to) || !to.After(prev)) {
				t.Fatalf("AddWorkdays(%s, %d) = %s is not a later working day", from.Format(DateLayout), n, to.Format(DateLayout))
			}
			back := c.AddWorkdays(from, -n)
			if got := c.WorkdaysBetween(from, back); got != -n {
				t.Fatalf("WorkdaysBetween(%s, AddWorkdays(%s, %d)=%s) = %d", from.Format(DateLayout), from.Format(DateLayout), -n, back.Format(DateLayout), got)
			}
			if n > 0 && (!c.IsWorkday(back) || !back.Before(from)) {
				t.Fatalf("AddWorkdays(%s, %d) = %s is not an earlier working day", from.Format(DateLayout), -n, back.Format(DateLayout))
			}
			prev = to
		}
		for to := first; !to.After(last); to = to.AddDate(0, 0, 1) {
			got := c.WorkdaysBetween(from, to)
			if want := countWorkdays(c, from, to); got != want {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, counted %d", from.Format(DateLayout), to.Format(DateLayout), got, want)
			}
			if c.IsWorkday(to) {
				if back := c.AddWorkdays(from, got); !back.Equal(to) {
					t.Fatalf("AddWorkdays(%s, WorkdaysBetween(…, %s)=%d) = %s", from.Format(DateLayout), to.Format(DateLayout), got, back.Format(DateLayout))
				}
			}
		}
	}
}

// countWorkdays is the definition, written out: working days in (from, to]
// going forwards, minus those in [to, from) going backwards.
func countWorkdays(c *Calendar, from, to time.Time) int {
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	for d := to; d.Before(from); d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			n--
		}
	}
	return n
}

// TestWorkdaysBetweenReversed pins how reversing a range changes the count:
// only the day a walk starts on is left out, so the counts differ exactly
// when one end is a working day and the other is not.
func TestWorkdaysBetweenReversed(t *testing.T) {
	c := springFestival2026()
	first, last := day(t, "2026-02-01"), day(t, "2026-03-10")
	for a := first; !a.After(last); a = a.AddDate(0, 0, 1) {
		for b := a; !b.After(last); b = b.AddDate(0, 0, 1) {
			fwd, back := c.WorkdaysBetween(a, b), c.WorkdaysBetween(b, a)
			want := 0
			if a.Before(b) {
				switch {
				case !c.IsWorkday(a) && c.IsWorkday(b):
					want = 1
				case c.IsWorkday(a) && !c.IsWorkday(b):
					want = -1
				}
			}
			if fwd+back != want {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, reversed %d", a.Format(DateLayout), b.Format(DateLayout), fwd, back)
			}
		}
	}
}

// TestWorkdaysBetweenRandomCalendars checks the arithmetic count against
// the day-by-day definition on random calendars (holidays on weekdays and
// weekends, worked weekends, a date listed both ways), dates decades apart
// and before 1970, and times of day in another location.
func TestWorkdaysBetweenRandomCalendars(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 11))
	base := time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC)
	shanghai := time.FixedZone("CST", 8*3600)
	for range 40 {
		var days []CalendarDay
		for range rnd.IntN(120) {
			d := base.AddDate(0, 0, rnd.IntN(30000)).Format(DateLayout)
			kind := DayHoliday
			if rnd.IntN(3) == 0 {
				kind = DayWorkday
			}
			days = append(days, CalendarDay{Date: d, Kind: kind})
		}
		c := NewCalendar(days)
		for range 200 {
			from := base.AddDate(0, 0, rnd.IntN(30000))
			to := from.AddDate(0, 0, rnd.IntN(4000)-2000)
			if rnd.IntN(2) == 0 {
				from = time.Date(from.Year(), from.Month(), from.Day(), rnd.IntN(24), 0, 0, 0, shanghai)
			}
			if got, want := c.WorkdaysBetween(from, to), countWorkdays(c, truncateDay(from), truncateDay(to)); got != want {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, counted %d", from, to, got, want)
			}
		}
	}
	var none *Calendar
	if got := none.WorkdaysBetween(time.Date(2026, 9, 4, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)); got != 6 {
		t.Errorf("Friday to the Monday a week later with no calendar: %d", got)
	}
}
