package xinlu

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSigningFundsSchedule(t *testing.T) {
	today := time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)
	base := func() Signing {
		return Signing{SignedOn: "2026-09-01", ContractYuan: 1000, PromisedStart: "2026-12-01", PromisedProduce: "2027-12-01",
			FundsSchedule: "按合同约定分期到位"}
	}
	many := make([]Instalment, MaxInstalments+1)
	for i := range many {
		many[i] = Instalment{DueOn: "2026-10-01", Yuan: 1}
	}
	full := make([]Instalment, MaxInstalments)
	for i := range full {
		full[i] = Instalment{DueOn: "2026-10-01", Yuan: 1}
	}
	cases := []struct {
		name  string
		items []Instalment
		field string // "" valid
		key   string
		args  []any
	}{
		{"no schedule", nil, "", "", nil},
		{"one instalment of the whole contract on the signing day", []Instalment{{DueOn: "2026-09-01", Yuan: 1000}}, "", "", nil},
		{"the most instalments", full, "", "", nil},
		{"too many", many, "funds_schedule_items", "project.schedule_too_many", []any{MaxInstalments}},
		{"bad date names the row", []Instalment{{DueOn: "2026-10-01", Yuan: 100}, {DueOn: "2026/11/01", Yuan: 100}},
			"funds_schedule_items[1].due_on", "project.schedule_date_format", []any{2}},
		{"empty date", []Instalment{{Yuan: 100}}, "funds_schedule_items[0].due_on", "project.schedule_date_format", []any{1}},
		{"before the signing", []Instalment{{DueOn: "2026-10-01", Yuan: 100}, {DueOn: "2026-11-01", Yuan: 100}, {DueOn: "2026-08-31", Yuan: 100}},
			"funds_schedule_items[2].due_on", "project.schedule_before_signing", []any{3}},
		{"zero amount", []Instalment{{DueOn: "2026-10-01", Yuan: 0}}, "funds_schedule_items[0].amount_yuan", "project.schedule_amount_positive", []any{1}},
		{"negative amount", []Instalment{{DueOn: "2026-10-01", Yuan: 10}, {DueOn: "2026-10-01", Yuan: -5}},
			"funds_schedule_items[1].amount_yuan", "project.schedule_amount_positive", []any{2}},
		{"note too long", []Instalment{{DueOn: "2026-10-01", Yuan: 10, Note: strings.Repeat("注", MaxInstalmentNote+1)}},
			"funds_schedule_items[0].note", "project.schedule_note_too_long", []any{1, MaxInstalmentNote}},
		{"the row that passes the contract", []Instalment{{DueOn: "2026-10-01", Yuan: 600}, {DueOn: "2027-01-01", Yuan: 401}, {DueOn: "2027-06-01", Yuan: 1}},
			"funds_schedule_items[1].amount_yuan", "project.schedule_over_contract", []any{2}},
		{"a huge amount does not overflow", []Instalment{{DueOn: "2026-10-01", Yuan: 600}, {DueOn: "2027-01-01", Yuan: 1<<63 - 1}},
			"funds_schedule_items[1].amount_yuan", "project.schedule_over_contract", []any{2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := base()
			s.Instalments = slices.Clone(tc.items)
			err := s.Validate(today)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || e.Field != tc.field || e.Key != tc.key || !slices.Equal(e.Args, tc.args) {
				t.Fatalf("got %#v, want %s %s %v", err, tc.field, tc.key, tc.args)
			}
		})
	}

	// Valid: notes trimmed, ordered by due date (stable), the free text kept.
	s := base()
	s.Instalments = []Instalment{{DueOn: "2027-03-01", Yuan: 300, Note: " 二期 "}, {DueOn: "2026-10-01", Yuan: 200, Note: "首期"},
		{DueOn: "2027-03-01", Yuan: 100, Note: "二期补充"}}
	if err := s.Validate(today); err != nil {
		t.Fatal(err)
	}
	want := []Instalment{{DueOn: "2026-10-01", Yuan: 200, Note: "首期"}, {DueOn: "2027-03-01", Yuan: 300, Note: "二期"},
		{DueOn: "2027-03-01", Yuan: 100, Note: "二期补充"}}
	if !slices.Equal(s.Instalments, want) || s.FundsSchedule != "按合同约定分期到位" {
		t.Fatalf("normalised %+v", s)
	}
	// The signing's own checks come first.
	s = base()
	s.SignedOn, s.Instalments = "2026-10-01", []Instalment{{DueOn: "2026-10-01", Yuan: 0}}
	if err := s.Validate(today); err == nil || err.(*Error).Field != "signed_on" {
		t.Fatalf("future signing: %v", err)
	}
}

func TestTrackSchedule(t *testing.T) {
	day := func(s string) time.Time { d, _ := ParseDate(s); return d }
	three := []Instalment{ // entered out of order
		{DueOn: "2026-12-31", Yuan: 500, Note: "三期"},
		{DueOn: "2026-03-31", Yuan: 300, Note: "首期"},
		{DueOn: "2026-06-30", Yuan: 200, Note: "二期"},
	}
	P, D, O, N := InstalmentPaid, InstalmentDue, InstalmentOverdue, InstalmentPending
	cases := []struct {
		name      string
		items     []Instalment
		funds     int64
		asOf      string
		due       int64
		pastDue   int64
		shortfall int64
		rate      Rate
		next      string
		nextYuan  int64
		since     string
		lagging   bool
		states    []InstalmentState
		covered   []int64
	}{
		{"no schedule: rate unknown, never lagging", nil, 400, "2026-09-28", 0, 0, 0, Rate{}, "", 0, "", false, nil, nil},
		{"before the first instalment: nothing due, rate unknown (not 0)", three, 0, "2026-03-01",
			0, 0, 0, Rate{}, "2026-03-31", 300, "", false, []InstalmentState{N, N, N}, []int64{0, 0, 0}},
		{"early money covers the first instalment ahead of time", three, 300, "2026-03-01",
			0, 0, 0, Rate{}, "2026-03-31", 300, "", false, []InstalmentState{P, N, N}, []int64{300, 0, 0}},
		{"due today and not in: due, not lagging yet", three, 0, "2026-03-31",
			300, 0, 300, Rate{0, 300}, "2026-06-30", 200, "", false, []InstalmentState{D, N, N}, []int64{0, 0, 0}},
		{"a day later: overdue and lagging", three, 0, "2026-04-01",
			300, 300, 300, Rate{0, 300}, "2026-06-30", 200, "2026-03-31", true, []InstalmentState{O, N, N}, []int64{0, 0, 0}},
		{"partial payment of the first: lagging since its date", three, 120, "2026-05-01",
			300, 300, 180, Rate{120, 300}, "2026-06-30", 200, "2026-03-31", true, []InstalmentState{O, N, N}, []int64{120, 0, 0}},
		{"across two dates, the second partly paid", three, 400, "2026-09-28",
			500, 500, 100, Rate{400, 500}, "2026-12-31", 500, "2026-06-30", true, []InstalmentState{P, O, N}, []int64{300, 100, 0}},
		{"paid up to date: on schedule", three, 500, "2026-09-28",
			500, 500, 0, Rate{500, 500}, "2026-12-31", 500, "", false, []InstalmentState{P, P, N}, []int64{300, 200, 0}},
		{"overpayment: raw rate above 1, covers the next ahead of time", three, 700, "2026-09-28",
			500, 500, 0, Rate{700, 500}, "2026-12-31", 500, "", false, []InstalmentState{P, P, N}, []int64{300, 200, 200}},
		{"all past, all paid, more than promised", three, 1200, "2027-02-01",
			1000, 1000, 0, Rate{1200, 1000}, "", 0, "", false, []InstalmentState{P, P, P}, []int64{300, 200, 500}},
		{"all past, nothing paid", three, 0, "2027-02-01",
			1000, 1000, 1000, Rate{0, 1000}, "", 0, "2026-03-31", true, []InstalmentState{O, O, O}, []int64{0, 0, 0}},
		{"two on the next date are summed", []Instalment{{DueOn: "2026-10-01", Yuan: 10}, {DueOn: "2026-10-01", Yuan: 20}, {DueOn: "2026-11-01", Yuan: 5}},
			0, "2026-09-28", 0, 0, 0, Rate{}, "2026-10-01", 30, "", false, []InstalmentState{N, N, N}, []int64{0, 0, 0}},
		{"bad rows are left out", []Instalment{{DueOn: "soon", Yuan: 10}, {DueOn: "2026-01-01", Yuan: 0}, {DueOn: "2026-01-01", Yuan: 40}},
			40, "2026-09-28", 40, 40, 0, Rate{40, 40}, "", 0, "", false, []InstalmentState{P}, []int64{40}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.items)
			tr := TrackSchedule(in, tc.funds, day(tc.asOf))
			if tr.DueYuan != tc.due || tr.PastDueYuan != tc.pastDue || tr.ShortfallYuan != tc.shortfall || tr.Rate != tc.rate ||
				tr.NextDueOn != tc.next || tr.NextYuan != tc.nextYuan || tr.OverdueSince != tc.since || tr.Lagging != tc.lagging ||
				tr.FundsYuan != tc.funds || tr.HasSchedule() != (len(tc.states) > 0) {
				t.Fatalf("got %+v", tr)
			}
			if len(tr.Items) != len(tc.states) {
				t.Fatalf("items %+v", tr.Items)
			}
			for i, it := range tr.Items {
				if it.State != tc.states[i] || it.CoveredYuan != tc.covered[i] {
					t.Errorf("item %d: %+v, want %s covered %d", i, it, tc.states[i], tc.covered[i])
				}
				if i > 0 && tr.Items[i-1].DueOn > it.DueOn {
					t.Errorf("not by date: %+v", tr.Items)
				}
			}
			if !slices.Equal(in, tc.items) {
				t.Errorf("the input was reordered")
			}
			if tr.Lagging && (tr.ShortfallYuan <= 0 || tr.PastDueYuan == 0) {
				t.Errorf("lagging without a shortfall past due: %+v", tr)
			}
		})
	}
	if tr := TrackSchedule(three, 0, day("2026-09-28")); tr.ScheduledYuan != 1000 || tr.Items[0].Note != "首期" {
		t.Fatalf("scheduled %+v", tr)
	}
}

func TestSummarizeSchedule(t *testing.T) {
	asOf := time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)
	base := Commitment{Status: ProjectActive, Stage: StageAgency, SignedOn: "2026-01-01", ContractYuan: 1000,
		PromisedStart: "2027-01-01", PromisedProduce: "2028-01-01"}
	with := func(funds int64, items ...Instalment) Commitment {
		c := base
		c.FundsYuan, c.Instalments = funds, items
		return c
	}
	cs := []Commitment{
		// behind: 300 due, 100 in
		with(100, Instalment{DueOn: "2026-06-01", Yuan: 300}, Instalment{DueOn: "2027-06-01", Yuan: 700}),
		// ahead: 200 due, 500 in (the overpayment counts in the sum)
		with(500, Instalment{DueOn: "2026-09-01", Yuan: 200}),
		// nothing due yet: out of the rate, counted as scheduled
		with(50, Instalment{DueOn: "2026-12-01", Yuan: 900}),
		// no schedule
		with(999),
		// lost: left out
		func() Commitment {
			c := with(0, Instalment{DueOn: "2026-02-01", Yuan: 1000})
			c.Status = ProjectLost
			return c
		}(),
	}
	var s PerformanceSummary
	for _, c := range cs {
		p := Perform(c, asOf)
		s.Add(p)
		if c.Instalments == nil && (p.Counted && p.Schedule.Rate.Known()) {
			t.Fatalf("no schedule, known rate: %+v", p.Schedule)
		}
	}
	if s.Scheduled != 3 || s.ScheduleDue != 500 || s.ScheduleFunds != 600 || s.FundsLagging != 1 || s.ScheduleRate() != (Rate{600, 500}) {
		t.Fatalf("summary %+v", s)
	}
	if r := Summarize(nil).ScheduleRate(); r.Known() {
		t.Fatalf("empty rate %v", r)
	}
	// Lagging does not change whether a project performs.
	if p := Perform(cs[0], asOf); !p.Schedule.Lagging || !p.Performing {
		t.Fatalf("behind schedule %+v", p)
	}
}

// A revised schedule follows the signing's rules and needs its reason.
func TestReviseSchedule(t *testing.T) {
	sg := Signing{SignedOn: "2026-09-01", ContractYuan: 1000, PromisedStart: "2026-12-01", PromisedProduce: "2027-12-01"}
	items, err := sg.ReviseSchedule([]Instalment{{DueOn: "2027-06-30", Yuan: 600, Note: " 补充协议 "}, {DueOn: "2026-12-31", Yuan: 400}}, " 2026年11月补充协议 ")
	if err != nil || len(items) != 2 || items[0].DueOn != "2026-12-31" || items[1].Note != "补充协议" {
		t.Fatalf("revised: %v %+v", err, items)
	}
	if _, err := sg.ReviseSchedule(nil, "投资方撤回分期安排"); AsError(err).Key != "project.schedule_revision_empty" || AsError(err).Field != "funds_schedule_items" {
		t.Fatalf("an emptied schedule: %v", err)
	}
	long := strings.Repeat("因", MaxScheduleReason+1)
	for _, c := range []struct {
		name, reason string
		items        []Instalment
		field, key   string
	}{
		{"no reason", "  ", []Instalment{{DueOn: "2026-12-31", Yuan: 100}}, "note", "project.schedule_reason_required"},
		{"a reason too long", long, nil, "note", "error.too_long"},
		{"over the contract", "补充协议", []Instalment{{DueOn: "2026-12-31", Yuan: 600}, {DueOn: "2027-01-31", Yuan: 401}},
			"funds_schedule_items[1].amount_yuan", "project.schedule_over_contract"},
		{"before the signing", "补充协议", []Instalment{{DueOn: "2026-08-31", Yuan: 100}}, "funds_schedule_items[0].due_on", "project.schedule_before_signing"},
	} {
		_, err := sg.ReviseSchedule(c.items, c.reason)
		if e := AsError(err); err == nil || e.Field != c.field || e.Key != c.key {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if _, err := (Signing{}).ReviseSchedule([]Instalment{{DueOn: "2026-12-31", Yuan: 1}}, "补充协议"); ErrorCode(err) != ECONFLICT {
		t.Fatalf("unsigned: %v", err)
	}
	// The signing itself is left as it was.
	if sg.Instalments != nil {
		t.Fatal("ReviseSchedule changed the signing")
	}
}
