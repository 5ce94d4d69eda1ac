package xinlu

import (
	"testing"
	"time"
)

func TestPerform(t *testing.T) {
	asOf := time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)
	base := Commitment{Status: ProjectActive, Stage: StageAgency, SignedOn: "2026-01-10", ContractYuan: 1000,
		PromisedStart: "2026-06-01", PromisedProduce: "2027-06-01"}
	with := func(f func(c *Commitment)) Commitment { c := base; f(&c); return c }
	cases := []struct {
		name        string
		c           Commitment
		counted     bool
		start, prod MilestoneState
		startDue    bool
		prodDue     bool
		funds       Rate
		onTrack     bool
		performing  bool
	}{
		{"not started, promised start passed: overdue", base, true, MilestoneOverdue, MilestonePending, true, false, Rate{0, 1000}, false, false},
		{"started on the promised day: on time", with(func(c *Commitment) { c.Stage, c.StartedOn, c.FundsYuan = StageConstruction, "2026-06-01", 300 }),
			true, MilestoneOnTime, MilestonePending, true, false, Rate{300, 1000}, true, true},
		{"started a day late: late but performing", with(func(c *Commitment) { c.Stage, c.StartedOn, c.FundsYuan = StageConstruction, "2026-06-02", 500 }),
			true, MilestoneLate, MilestonePending, true, false, Rate{500, 1000}, true, true},
		{"started, funds short of 30%", with(func(c *Commitment) { c.Stage, c.StartedOn, c.FundsYuan = StageConstruction, "2026-05-01", 299 }),
			true, MilestoneOnTime, MilestonePending, true, false, Rate{299, 1000}, false, false},
		{"promised start is today: not yet due", with(func(c *Commitment) { c.PromisedStart = "2026-09-28" }),
			true, MilestonePending, MilestonePending, false, false, Rate{0, 1000}, true, true},
		{"start recorded after the as-of day is not started yet", with(func(c *Commitment) { c.Stage, c.StartedOn = StageConstruction, "2026-10-01" }),
			true, MilestoneOverdue, MilestonePending, true, false, Rate{0, 1000}, false, false},
		{"started early, promise not due", with(func(c *Commitment) {
			c.PromisedStart, c.PromisedProduce, c.Stage, c.StartedOn = "2026-12-01", "2027-12-01", StageConstruction, "2026-09-01"
		}), true, MilestoneOnTime, MilestonePending, false, false, Rate{0, 1000}, true, true},
		{"production promised and passed, produced late, funds over-contracted", with(func(c *Commitment) {
			c.PromisedProduce, c.Stage, c.StartedOn, c.ProducedOn, c.FundsYuan = "2026-08-01", StageProduction, "2026-05-01", "2026-09-01", 1200
		}), true, MilestoneOnTime, MilestoneLate, true, true, Rate{1200, 1000}, true, true},
		{"production passed, funds 99%: not on track", with(func(c *Commitment) {
			c.PromisedProduce, c.Stage, c.StartedOn, c.ProducedOn, c.FundsYuan = "2026-08-01", StageProduction, "2026-05-01", "2026-08-01", 990
		}), true, MilestoneOnTime, MilestoneOnTime, true, true, Rate{990, 1000}, false, false},
		{"construction stage without a start date (imported): done", with(func(c *Commitment) { c.Stage, c.FundsYuan = StageConstruction, 400 }),
			true, MilestoneDone, MilestonePending, true, false, Rate{400, 1000}, true, true},
		{"zero contracted: funds unknown, on track", with(func(c *Commitment) { c.ContractYuan, c.FundsYuan, c.StartedOn = 0, 50, "2026-05-01" }),
			true, MilestoneOnTime, MilestonePending, true, false, Rate{}, true, true},
		{"no promises at all", with(func(c *Commitment) { c.PromisedStart, c.PromisedProduce = "", "" }),
			true, MilestoneNone, MilestoneNone, false, false, Rate{0, 1000}, true, true},
		{"no promise but started", with(func(c *Commitment) { c.PromisedStart, c.StartedOn = "", "2026-02-01" }),
			true, MilestoneDone, MilestonePending, false, false, Rate{0, 1000}, true, true},
		{"garbage promised date is no promise", with(func(c *Commitment) { c.PromisedStart = "soon" }),
			true, MilestoneNone, MilestonePending, false, false, Rate{0, 1000}, true, true},
		{"on hold still counts and is overdue", with(func(c *Commitment) { c.Status = ProjectOnHold }),
			true, MilestoneOverdue, MilestonePending, true, false, Rate{0, 1000}, false, false},
		{"lost is left out", with(func(c *Commitment) { c.Status = ProjectLost }), false, "", "", false, false, Rate{}, false, false},
		{"not signed is left out", with(func(c *Commitment) { c.SignedOn = "" }), false, "", "", false, false, Rate{}, false, false},
		{"signed after the as-of day is left out", with(func(c *Commitment) { c.SignedOn = "2026-09-29" }), false, "", "", false, false, Rate{}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Perform(tc.c, asOf)
			if p.Counted != tc.counted || p.Start != tc.start || p.Produce != tc.prod || p.StartDue != tc.startDue ||
				p.ProduceDue != tc.prodDue || p.Funds != tc.funds || p.FundsOnTrack != tc.onTrack || p.Performing != tc.performing {
				t.Fatalf("got %+v", p)
			}
		})
	}
}

func TestRate(t *testing.T) {
	for _, tc := range []struct {
		r      Rate
		tone   string
		capped float64
	}{
		{Rate{}, "", 0},
		{Rate{9, 10}, "green", 0.9},
		{Rate{899, 1000}, "orange", 0.899},
		{Rate{7, 10}, "orange", 0.7},
		{Rate{699, 1000}, "red", 0.699},
		{Rate{0, 3}, "red", 0},
		{Rate{12, 10}, "green", 1},
	} {
		if tc.r.Tone() != tc.tone || tc.r.Capped() != tc.capped {
			t.Errorf("%+v: tone %q capped %v", tc.r, tc.r.Tone(), tc.r.Capped())
		}
	}
	if v := (Rate{12, 10}).Value(); v != 1.2 {
		t.Errorf("raw value %v", v)
	}
}

func TestSummarize(t *testing.T) {
	asOf := time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)
	cs := []Commitment{
		// performing: started on time, production not due, funds 50%
		{Status: ProjectActive, Stage: StageConstruction, SignedOn: "2026-01-01", ContractYuan: 1000, FundsYuan: 500,
			PromisedStart: "2026-03-01", PromisedProduce: "2027-01-01", StartedOn: "2026-03-01"},
		// on hold, start overdue, production overdue
		{Status: ProjectOnHold, Stage: StageAgency, SignedOn: "2026-01-01", ContractYuan: 3000, FundsYuan: 0,
			PromisedStart: "2026-02-01", PromisedProduce: "2026-09-01"},
		// producing, everything in
		{Status: ProjectActive, Stage: StageProduction, SignedOn: "2025-01-01", ContractYuan: 1000, FundsYuan: 1500,
			PromisedStart: "2025-03-01", PromisedProduce: "2026-03-01", StartedOn: "2025-04-01", ProducedOn: "2026-02-01"},
		// zero contracted, no promises: performing, out of the funds sums
		{Status: ProjectActive, Stage: StageAgency, SignedOn: "2026-09-01", FundsYuan: 77},
		// lost: left out even with funds
		{Status: ProjectLost, Stage: StageConstruction, SignedOn: "2026-01-01", ContractYuan: 5000, FundsYuan: 5000,
			PromisedStart: "2026-02-01", StartedOn: "2026-02-01"},
		// not signed
		{Status: ProjectActive, Stage: StagePromotion},
	}
	ps := make([]Performance, len(cs))
	for i, c := range cs {
		ps[i] = Perform(c, asOf)
	}
	s := Summarize(ps)
	want := PerformanceSummary{Signed: 4, Performing: 3, ContractYuan: 5000, FundsYuan: 2000,
		StartDue: 3, Started: 2, StartOverdue: 1, ProduceDue: 2, Produced: 1, ProduceOverdue: 1}
	if s != want {
		t.Fatalf("summary %+v, want %+v", s, want)
	}
	if s.PerformRate() != (Rate{3, 4}) || s.FundsRate() != (Rate{2000, 5000}) || s.StartRate() != (Rate{2, 3}) || s.ProduceRate() != (Rate{1, 2}) {
		t.Fatalf("rates %v %v %v %v", s.PerformRate(), s.FundsRate(), s.StartRate(), s.ProduceRate())
	}
	if empty := Summarize(nil); empty.PerformRate().Known() || empty.FundsRate().Known() || empty.StartRate().Tone() != "" {
		t.Fatalf("empty summary has known rates: %+v", empty)
	}
}
