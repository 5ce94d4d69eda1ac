package xinlu

import "testing"

// In springFestival2026 the working days around the holiday are Monday 9
// to Saturday 14 February (the make-up day), then Tuesday 24 to Saturday
// 28 February (the second make-up day) and Monday 2 March.

func TestDefaultLightRules(t *testing.T) {
	r := DefaultLightRules()
	if r != (LightRules{YellowWithin: 2, SponsorAfter: 5, DirectorAfter: 10}) {
		t.Fatalf("defaults %+v", r)
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLightRulesValidate(t *testing.T) {
	for _, tc := range []struct {
		r          LightRules
		field, key string
		args       []any
	}{
		{LightRules{0, 1, 2}, "", "", nil},
		{LightRules{10, 59, 60}, "", "", nil},
		{LightRules{5, 1, 60}, "", "", nil},
		{LightRules{-1, 5, 10}, "yellow_within_days", "pipeline_settings.days_range", []any{0, 10}},
		{LightRules{11, 5, 10}, "yellow_within_days", "pipeline_settings.days_range", []any{0, 10}},
		{LightRules{2, 0, 10}, "sponsor_after_days", "pipeline_settings.days_range", []any{1, 59}},
		{LightRules{2, 61, 62}, "sponsor_after_days", "pipeline_settings.days_range", []any{1, 59}},
		{LightRules{2, 5, 0}, "director_after_days", "pipeline_settings.days_range", []any{1, 60}},
		{LightRules{2, 5, 61}, "director_after_days", "pipeline_settings.days_range", []any{1, 60}},
		{LightRules{2, 5, 5}, "director_after_days", "pipeline_settings.director_after_sponsor", []any{5}},
		{LightRules{2, 5, 4}, "director_after_days", "pipeline_settings.director_after_sponsor", []any{5}},
		{LightRules{2, 60, 60}, "sponsor_after_days", "pipeline_settings.days_range", []any{1, 59}}, // no director's could follow
		{LightRules{2, 30, 30}, "director_after_days", "pipeline_settings.director_after_sponsor", []any{30}},
		// The first bad field is named.
		{LightRules{-1, 0, 0}, "yellow_within_days", "pipeline_settings.days_range", []any{0, 10}},
	} {
		err := tc.r.Validate()
		if tc.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc.r, err)
			}
			continue
		}
		e := AsError(err)
		if err == nil || e.Code != EINVALID || e.Field != tc.field || e.Key != tc.key || len(e.Args) != len(tc.args) {
			t.Errorf("%+v: %v, want %s on %s", tc.r, err, tc.key, tc.field)
			continue
		}
		for i := range tc.args {
			if e.Args[i] != tc.args[i] {
				t.Errorf("%+v: args %v, want %v", tc.r, e.Args, tc.args)
			}
		}
	}
}

func TestLightRulesLight(t *testing.T) {
	cal := springFestival2026()
	for _, tc := range []struct {
		yellow     int
		due, today string
		want       Light
	}{
		{2, "", "2026-02-24", LightNone},
		{2, "2026-02-30", "2026-02-24", LightNone},
		{2, "2026-02-27", "2026-02-10", LightGreen}, // 8 working days left
		// Across the holiday only the make-up Saturday and the 24th count.
		{2, "2026-02-24", "2026-02-13", LightYellow},
		{1, "2026-02-24", "2026-02-13", LightGreen},
		{1, "2026-02-14", "2026-02-13", LightYellow},
		// On the due day the light is yellow, even with no warning days.
		{2, "2026-02-24", "2026-02-24", LightYellow},
		{0, "2026-02-24", "2026-02-24", LightYellow},
		{0, "2026-02-25", "2026-02-24", LightGreen},
		{0, "2026-02-24", "2026-02-13", LightGreen},
		// A due date in the holiday leaves no working day after the
		// make-up Saturday: yellow from then on, even with no warning days.
		{0, "2026-02-20", "2026-02-14", LightYellow},
		{0, "2026-02-20", "2026-02-13", LightGreen},
		{1, "2026-02-20", "2026-02-13", LightYellow},
		// Five working days: 14, 24, 25, 26, 27 February.
		{5, "2026-02-27", "2026-02-13", LightYellow},
		{4, "2026-02-27", "2026-02-13", LightGreen},
		{5, "2026-03-02", "2026-02-13", LightGreen},
		{10, "2026-02-27", "2026-02-10", LightYellow},
		// Overdue is red whatever the rules.
		{0, "2026-02-24", "2026-02-25", LightRed},
		{10, "2026-02-13", "2026-02-15", LightRed},
	} {
		r := DefaultLightRules()
		r.YellowWithin = tc.yellow
		if got := r.Light(cal, tc.due, day(t, tc.today)); got != tc.want {
			t.Errorf("yellow within %d, due %s on %s: %q, want %q", tc.yellow, tc.due, tc.today, got, tc.want)
		}
	}
}

// TestLightRulesGreenFromAgrees: the due-date range GreenFrom gives (what
// the project ledger's light filter queries) matches Light, for every
// threshold, around the holiday, on working days and days off alike.
func TestLightRulesGreenFromAgrees(t *testing.T) {
	cal := springFestival2026()
	for yellow := 0; yellow <= MaxYellowWithin; yellow++ {
		r := DefaultLightRules()
		r.YellowWithin = yellow
		for today := day(t, "2026-02-01"); today.Before(day(t, "2026-03-10")); today = today.AddDate(0, 0, 1) {
			green := r.GreenFrom(cal, today)
			for due := today.AddDate(0, 0, -3); due.Before(today.AddDate(0, 0, 40)); due = due.AddDate(0, 0, 1) {
				want := LightGreen
				switch {
				case due.Before(today):
					want = LightRed
				case due.Before(green):
					want = LightYellow
				}
				if got := r.Light(cal, due.Format(DateLayout), today); got != want {
					t.Fatalf("yellow within %d, due %s on %s: %q, range says %q", yellow, due.Format(DateLayout), today.Format(DateLayout), got, want)
				}
			}
		}
	}
}

func TestLightRulesEscalation(t *testing.T) {
	cal := springFestival2026()
	def := DefaultLightRules()
	early := LightRules{YellowWithin: 2, SponsorAfter: 3, DirectorAfter: 7}
	tight := LightRules{YellowWithin: 0, SponsorAfter: 1, DirectorAfter: 2}
	for _, tc := range []struct {
		r          LightRules
		due, today string
		want       Escalation
	}{
		{def, "", "2026-02-24", EscalateNone},
		{def, "2026-02-24", "2026-02-24", EscalateNone}, // due today: yellow
		{def, "2026-02-27", "2026-02-10", EscalateNone},
		{def, "2026-02-24", "2026-02-25", EscalateResponsible}, // 1 working day late
		// Due on the make-up Saturday, on Friday 27th: 24–27 February, 4 late.
		{def, "2026-02-14", "2026-02-27", EscalateResponsible},
		{early, "2026-02-14", "2026-02-27", EscalateSponsor},
		// 24–27 February: 3 late, not more than 3.
		{early, "2026-02-24", "2026-02-27", EscalateResponsible},
		// 12, 13, 14, 24–27 February: 7 late.
		{early, "2026-02-11", "2026-02-27", EscalateSponsor},
		{def, "2026-02-11", "2026-02-27", EscalateSponsor},
		// 8 late: the director under early rules, the sponsor by default.
		{early, "2026-02-10", "2026-02-27", EscalateDirector},
		{def, "2026-02-10", "2026-02-27", EscalateSponsor},
		// 10 late (6 February on): still the sponsor by default; 11: the director.
		{def, "2026-02-06", "2026-02-27", EscalateSponsor},
		{def, "2026-02-05", "2026-02-27", EscalateDirector},
		// A holiday adds nothing: due 13 February, on Monday 23rd nothing is
		// late but the make-up Saturday.
		{tight, "2026-02-13", "2026-02-23", EscalateResponsible},
		{tight, "2026-02-13", "2026-02-24", EscalateSponsor},
		{tight, "2026-02-13", "2026-02-25", EscalateDirector},
		// The widest bounds.
		{LightRules{10, 59, 60}, "2026-02-05", "2026-02-27", EscalateResponsible},
	} {
		if got := tc.r.Escalation(cal, tc.due, day(t, tc.today)); got != tc.want {
			t.Errorf("%+v, due %s on %s: escalation %d, want %d", tc.r, tc.due, tc.today, got, tc.want)
		}
	}
}

// TestLightRulesEscalationLevels walks one item day by day: each level
// starts the working day after its threshold is passed.
func TestLightRulesEscalationLevels(t *testing.T) {
	cal := springFestival2026()
	for _, r := range []LightRules{DefaultLightRules(), {YellowWithin: 0, SponsorAfter: 1, DirectorAfter: 2}, {YellowWithin: 5, SponsorAfter: 8, DirectorAfter: 20}} {
		due := day(t, "2026-02-05")
		prev := EscalateNone
		for today := due.AddDate(0, 0, 1); today.Before(due.AddDate(0, 0, 60)); today = today.AddDate(0, 0, 1) {
			late := cal.WorkdaysBetween(due, today)
			want := EscalateResponsible
			if late > r.DirectorAfter {
				want = EscalateDirector
			} else if late > r.SponsorAfter {
				want = EscalateSponsor
			}
			got := r.Escalation(cal, due.Format(DateLayout), today)
			if got != want || got < prev {
				t.Fatalf("%+v on %s (%d late): %d, want %d", r, today.Format(DateLayout), late, got, want)
			}
			prev = got
		}
		if prev != EscalateDirector {
			t.Fatalf("%+v never reached the director", r)
		}
	}
}
