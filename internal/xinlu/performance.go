package xinlu

import "time"

// Contract performance (履约) of signed projects, measured against what
// was promised at signing: the contracted amount, the promised
// construction start and the promised production start.
//
// Definitions, all as of one day (asOf):
//
//   - A project counts when it is signed on or before asOf and not lost.
//     Lost projects are left out of every figure; projects on hold count
//     (a held project still owes what it promised).
//   - 资金到位率 of a project: funds in place up to asOf ÷ contracted amount.
//     The raw ratio is kept (it may exceed 1); pages show it capped at 100%.
//     With no contracted amount the rate is unknown.
//   - A milestone (开工, 投产) is: none (nothing promised), pending (promised
//     day not passed, not reached), on time (reached on or before the
//     promised day), late (reached after it), overdue (not reached and the
//     promised day has passed: asOf is after it), or done (the stage shows
//     it was reached but no date was recorded, e.g. an imported project;
//     it counts as reached and never as late).
//   - Funds are on track when the project's funds rate is at least the
//     share due as of asOf: nothing before the promised start has passed,
//     FundsDueAtStart once it has, FundsDueAtProduce once the promised
//     production start has passed. A project with no contracted amount is
//     on track (nothing to measure).
//   - A project performs (履约) when no milestone is overdue and its funds
//     are on track. A late milestone that was reached does not break it.
//
// Aggregates over a set of projects (see Summarize):
//
//   - 履约率 = performing ÷ counted;
//   - 资金到位率 = Σ funds ÷ Σ contracted, over counted projects with a
//     contracted amount;
//   - 开工率 = started ÷ projects whose promised start has passed (both
//     among the latter, so the rate never exceeds 100%);
//   - 投产率 likewise with the promised production start;
//   - 计划到位率 = Σ funds in place ÷ Σ funds due by the funds schedule, over
//     counted projects with an instalment due (see funds_schedule.go);
//     资金到位滞后 counts the projects behind their schedule.
//
// The funds schedule is tracked beside performance: it does not change
// whether a project performs.
//
// A rate whose denominator is zero is unknown, never 0% or 100%.

// Shares of the contracted amount due once a promised day has passed.
const (
	FundsDueAtStart   = 0.3 // 30% once the promised start has passed
	FundsDueAtProduce = 1.0 // all of it once the promised production start has passed
)

// MilestoneState is how a promised milestone stands.
type MilestoneState string

const (
	MilestoneNone    MilestoneState = ""        // nothing promised
	MilestonePending MilestoneState = "pending" // promised day not passed yet
	MilestoneOnTime  MilestoneState = "on_time"
	MilestoneLate    MilestoneState = "late"
	MilestoneOverdue MilestoneState = "overdue"
	MilestoneDone    MilestoneState = "done" // reached, date unknown
)

// Reached reports whether the milestone was reached.
func (m MilestoneState) Reached() bool {
	return m == MilestoneOnTime || m == MilestoneLate || m == MilestoneDone
}

// Commitment is what performance is measured from: a project's signing,
// its milestones and the funds in place (summed up to the as-of day).
type Commitment struct {
	ProjectID       int64
	Status          ProjectStatus
	Stage           Stage
	SignedOn        string
	ContractYuan    int64
	FundsYuan       int64
	PromisedStart   string
	PromisedProduce string
	StartedOn       string
	ProducedOn      string
	Instalments     []Instalment // the funds schedule; none for projects signed before it was structured
}

// Performance is one project's contract performance as of a day.
type Performance struct {
	Counted      bool // signed by the day and not lost; nothing else is meaningful otherwise
	Funds        Rate // funds in place ÷ contracted, in yuan
	Start        MilestoneState
	Produce      MilestoneState
	StartDue     bool // the promised start has passed
	ProduceDue   bool // the promised production start has passed
	FundsDue     float64
	FundsOnTrack bool
	Performing   bool
	Schedule     ScheduleTrack // the funds in place against the funds schedule
}

// Rate is a ratio kept as its two terms, so that sums stay exact.
type Rate struct {
	Num, Den int64
}

// Known reports whether the rate has a denominator.
func (r Rate) Known() bool { return r.Den > 0 }

// Value is the raw ratio (0 when unknown); it may exceed 1.
func (r Rate) Value() float64 {
	if r.Den <= 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// Capped is the ratio capped to [0, 1], for display.
func (r Rate) Capped() float64 { return min(max(r.Value(), 0), 1) }

// Tone is a rate's colour: green at 90% or more, orange at 70% or more,
// red below, "" when unknown. Compared exactly on the terms.
func (r Rate) Tone() string {
	switch {
	case !r.Known():
		return ""
	case r.Num*10 >= r.Den*9:
		return "green"
	case r.Num*10 >= r.Den*7:
		return "orange"
	}
	return "red"
}

// validDay returns s if it is a YYYY-MM-DD date, else "".
func validDay(s string) string {
	if _, err := ParseDate(s); err != nil {
		return ""
	}
	return s
}

// reachedBy reports whether a stage at or after want shows the milestone.
func reachedBy(stage, want Stage) bool {
	i, j := -1, -1
	for k, s := range Stages {
		if s == stage {
			i = k
		}
		if s == want {
			j = k
		}
	}
	return i >= 0 && j >= 0 && i >= j
}

// milestone judges one promised milestone as of day (YYYY-MM-DD).
func milestone(promised, reached string, stageShows bool, day string) (MilestoneState, bool) {
	promised = validDay(promised)
	reached = validDay(reached)
	if reached > day { // reached after the as-of day: not yet, as of then
		reached = ""
		stageShows = false
	}
	due := promised != "" && day > promised
	switch {
	case reached != "" && promised == "":
		return MilestoneDone, false
	case reached != "" && reached <= promised:
		return MilestoneOnTime, due
	case reached != "":
		return MilestoneLate, due
	case stageShows:
		return MilestoneDone, due
	case promised == "":
		return MilestoneNone, false
	case due:
		return MilestoneOverdue, true
	}
	return MilestonePending, false
}

// Perform measures one project's contract performance as of asOf.
func Perform(c Commitment, asOf time.Time) Performance {
	day := asOf.Format(DateLayout)
	var p Performance
	signed := validDay(c.SignedOn)
	if signed == "" || signed > day || c.Status == ProjectLost {
		return p
	}
	p.Counted = true
	if c.ContractYuan > 0 {
		p.Funds = Rate{Num: ClampSum(c.FundsYuan), Den: ClampSum(c.ContractYuan)}
	}
	// A date recorded with no stage to show it (stage moved back by hand)
	// still counts; a later stage without a date counts as done.
	p.Start, p.StartDue = milestone(c.PromisedStart, c.StartedOn, reachedBy(c.Stage, StageConstruction), day)
	p.Produce, p.ProduceDue = milestone(c.PromisedProduce, c.ProducedOn, reachedBy(c.Stage, StageProduction), day)
	switch {
	case p.ProduceDue:
		p.FundsDue = FundsDueAtProduce
	case p.StartDue:
		p.FundsDue = FundsDueAtStart
	}
	p.FundsOnTrack = !p.Funds.Known() || p.Funds.Value() >= p.FundsDue
	p.Performing = p.FundsOnTrack && p.Start != MilestoneOverdue && p.Produce != MilestoneOverdue
	p.Schedule = TrackSchedule(c.Instalments, c.FundsYuan, asOf)
	return p
}

// PerformanceSummary aggregates the performance of a set of projects.
type PerformanceSummary struct {
	Signed         int   // projects counted
	Performing     int   // of them, performing
	ContractYuan   int64 // Σ contracted (projects with a contracted amount)
	FundsYuan      int64 // Σ funds in place of the same projects
	StartDue       int   // promised start passed
	Started        int   // of those, started
	StartOverdue   int   // of those, not started
	ProduceDue     int   // promised production start passed
	Produced       int   // of those, producing
	ProduceOverdue int   // of those, not producing
	Scheduled      int   // projects with a funds schedule
	ScheduleDue    int64 // Σ funds due by the schedule (projects with something due)
	ScheduleFunds  int64 // Σ funds in place of the same projects
	FundsLagging   int   // projects behind their funds schedule (资金到位滞后)
}

// Add counts one project's performance in; uncounted ones are ignored.
func (s *PerformanceSummary) Add(p Performance) {
	if !p.Counted {
		return
	}
	s.Signed++
	if p.Performing {
		s.Performing++
	}
	if p.Funds.Known() {
		s.ContractYuan = AddYuan(s.ContractYuan, p.Funds.Den)
		s.FundsYuan = AddYuan(s.FundsYuan, p.Funds.Num)
	}
	if p.StartDue {
		s.StartDue++
		if p.Start.Reached() {
			s.Started++
		} else {
			s.StartOverdue++
		}
	}
	if p.ProduceDue {
		s.ProduceDue++
		if p.Produce.Reached() {
			s.Produced++
		} else {
			s.ProduceOverdue++
		}
	}
	if p.Schedule.HasSchedule() {
		s.Scheduled++
	}
	if p.Schedule.Rate.Known() {
		s.ScheduleDue = AddYuan(s.ScheduleDue, p.Schedule.Rate.Den)
		s.ScheduleFunds = AddYuan(s.ScheduleFunds, p.Schedule.Rate.Num)
	}
	if p.Schedule.Lagging {
		s.FundsLagging++
	}
}

// Summarize aggregates ps.
func Summarize(ps []Performance) PerformanceSummary {
	var s PerformanceSummary
	for _, p := range ps {
		s.Add(p)
	}
	return s
}

// PerformRate is 履约率: performing ÷ signed.
func (s PerformanceSummary) PerformRate() Rate {
	return Rate{int64(s.Performing), int64(s.Signed)}
}

// FundsRate is 资金到位率: Σ funds ÷ Σ contracted.
func (s PerformanceSummary) FundsRate() Rate { return Rate{s.FundsYuan, s.ContractYuan} }

// StartRate is 开工率: started ÷ promised start passed.
func (s PerformanceSummary) StartRate() Rate { return Rate{int64(s.Started), int64(s.StartDue)} }

// ProduceRate is 投产率: producing ÷ promised production start passed.
func (s PerformanceSummary) ProduceRate() Rate {
	return Rate{int64(s.Produced), int64(s.ProduceDue)}
}

// ScheduleRate is 计划到位率: Σ funds in place ÷ Σ due by the funds
// schedules, over the projects with something due.
func (s PerformanceSummary) ScheduleRate() Rate { return Rate{s.ScheduleFunds, s.ScheduleDue} }
