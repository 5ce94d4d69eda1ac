package xinlu

import (
	"slices"
	"strings"
	"time"
)

// Funds-schedule tracking (资金到位计划跟踪): how the funds in place of a
// signed project stand against the instalments promised at signing, as of
// one day (asOf).
//
// Definitions:
//
//   - An instalment is due by the day when its due date is on or before
//     it, past due when its due date is before it (the day itself still
//     counts as in time, like a promised milestone).
//   - Funds in place cover the instalments in due-date order: the first
//     instalment is covered first, an overpayment covers later ones
//     ahead of time. A partly covered instalment shows what it has.
//   - 应到位 (due) = Σ instalments due by the day; 缺口 (shortfall) = due −
//     funds in place up to the day, when positive.
//   - 计划到位率 = funds in place ÷ due. The raw ratio is kept (it may exceed
//     1); pages show it capped at 100%. With nothing due (no schedule, or
//     the day is before the first instalment) it is unknown — never 0%.
//   - A project lags (资金到位滞后) when an instalment past due is not
//     covered: its funds in place are below the sum of the instalments
//     past due. So a lagging project always has a shortfall and an
//     instalment past due.
//   - The next instalment is the first one due after the day (several on
//     that date are summed).
//
// Aggregates (see PerformanceSummary): 计划到位率 = Σ funds in place ÷ Σ due,
// over the projects with something due.

// InstalmentState is how one instalment stands as of a day.
type InstalmentState string

const (
	InstalmentPaid    InstalmentState = "paid"    // covered in full (maybe ahead of time)
	InstalmentPending InstalmentState = "pending" // due after the day, not covered in full
	InstalmentDue     InstalmentState = "due"     // due on the day, not covered in full
	InstalmentOverdue InstalmentState = "overdue" // past due, not covered in full
)

// InstalmentTrack is one instalment with what the funds in place cover of it.
type InstalmentTrack struct {
	Instalment
	CoveredYuan int64 // 0..Yuan
	State       InstalmentState
}

// ScheduleTrack is a project's funds schedule as of a day.
type ScheduleTrack struct {
	Items         []InstalmentTrack // by due date
	ScheduledYuan int64             // Σ every instalment
	DueYuan       int64             // Σ instalments due by the day (应到位)
	PastDueYuan   int64             // Σ instalments past due
	FundsYuan     int64             // funds in place up to the day
	ShortfallYuan int64             // DueYuan − FundsYuan when positive (缺口)
	Rate          Rate              // 计划到位率: FundsYuan ÷ DueYuan; unknown when nothing is due
	NextDueOn     string            // the first due date after the day; "" when none
	NextYuan      int64             // Σ instalments due on NextDueOn
	OverdueSince  string            // due date of the earliest instalment past due and not covered
	Lagging       bool              // 资金到位滞后
}

// HasSchedule reports whether there are instalments to track.
func (t ScheduleTrack) HasSchedule() bool { return len(t.Items) > 0 }

// TrackSchedule measures funds in place (fundsYuan, summed up to asOf)
// against the instalments as of asOf. Instalments without a valid date or
// with no amount are left out. Sums saturate at MaxSumYuan (AddYuan).
func TrackSchedule(items []Instalment, fundsYuan int64, asOf time.Time) ScheduleTrack {
	day := asOf.Format(DateLayout)
	fundsYuan = ClampSum(fundsYuan)
	t := ScheduleTrack{FundsYuan: fundsYuan}
	sorted := make([]Instalment, 0, len(items))
	for _, it := range items {
		if validDay(it.DueOn) != "" && it.Yuan > 0 {
			sorted = append(sorted, it)
		}
	}
	slices.SortStableFunc(sorted, func(a, b Instalment) int { return strings.Compare(a.DueOn, b.DueOn) })
	left := max(fundsYuan, 0) // what the funds still cover, instalment by instalment
	for _, it := range sorted {
		tr := InstalmentTrack{Instalment: it, CoveredYuan: min(left, it.Yuan)}
		left -= tr.CoveredYuan
		t.ScheduledYuan = AddYuan(t.ScheduledYuan, it.Yuan)
		switch {
		case it.DueOn < day:
			t.DueYuan = AddYuan(t.DueYuan, it.Yuan)
			t.PastDueYuan = AddYuan(t.PastDueYuan, it.Yuan)
			tr.State = InstalmentOverdue
		case it.DueOn == day:
			t.DueYuan = AddYuan(t.DueYuan, it.Yuan)
			tr.State = InstalmentDue
		default:
			tr.State = InstalmentPending
			if t.NextDueOn == "" {
				t.NextDueOn = it.DueOn
			}
			if it.DueOn == t.NextDueOn {
				t.NextYuan = AddYuan(t.NextYuan, it.Yuan)
			}
		}
		if tr.CoveredYuan == it.Yuan {
			tr.State = InstalmentPaid
		}
		if tr.State == InstalmentOverdue && t.OverdueSince == "" {
			t.OverdueSince = it.DueOn
		}
		t.Items = append(t.Items, tr)
	}
	if t.DueYuan > 0 {
		t.Rate = Rate{Num: fundsYuan, Den: t.DueYuan}
		t.ShortfallYuan = max(t.DueYuan-fundsYuan, 0)
	}
	t.Lagging = t.OverdueSince != ""
	return t
}
