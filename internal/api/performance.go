package api

import (
	"net/http"
	"strings"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Contract performance (履约) of signed projects: the figures of the page
// /projects/performance as JSON. Definitions in xinlu/performance.go.
func (a *API) performanceRoutes() []Route {
	return []Route{
		{"GET", "/projects/performance", xinlu.PermProjectView, a.handle(a.projectPerformance)},
	}
}

// PerformanceSummaryJSON is the performance of a set of projects. Rates
// are ratios (0.85 is 85%), null when their denominator is zero;
// funds_rate and schedule_rate are capped at 1, funds_rate_raw and
// schedule_rate_raw are not.
type PerformanceSummaryJSON struct {
	Signed         int      `json:"signed"`
	Performing     int      `json:"performing"`
	ContractYuan   int64    `json:"contract_yuan"`
	FundsYuan      int64    `json:"funds_yuan"`
	StartDue       int      `json:"start_due"`
	Started        int      `json:"started"`
	StartOverdue   int      `json:"start_overdue"`
	ProduceDue     int      `json:"produce_due"`
	Produced       int      `json:"produced"`
	ProduceOverdue int      `json:"produce_overdue"`
	PerformRate    *float64 `json:"perform_rate"`
	FundsRate      *float64 `json:"funds_rate"`
	FundsRateRaw   *float64 `json:"funds_rate_raw"`
	StartRate      *float64 `json:"start_rate"`
	ProduceRate    *float64 `json:"produce_rate"`
	// The funds schedules (资金到位计划): projects with one, Σ due by
	// as_of and Σ in place of the projects with something due, their
	// ratio (计划到位率), and the projects behind schedule (资金到位滞后).
	Scheduled         int      `json:"scheduled"`
	ScheduleDueYuan   int64    `json:"schedule_due_yuan"`
	ScheduleFundsYuan int64    `json:"schedule_funds_yuan"`
	ScheduleRate      *float64 `json:"schedule_rate"`
	ScheduleRateRaw   *float64 `json:"schedule_rate_raw"`
	FundsLagging      int      `json:"funds_lagging"`
}

// PerformanceGroupJSON is one industry's or one sponsor's performance.
type PerformanceGroupJSON struct {
	Industry    string `json:"industry,omitempty"`
	SponsorID   *int64 `json:"sponsor_id,omitempty"` // 0: no sponsor assigned
	SponsorName string `json:"sponsor_name,omitempty"`
	PerformanceSummaryJSON
}

// ProjectPerformanceJSON is one signed project's performance.
type ProjectPerformanceJSON struct {
	ID              int64    `json:"id"`
	ZoneID          int64    `json:"zone_id"`
	Code            string   `json:"code"`
	Name            string   `json:"name"`
	Industry        string   `json:"industry"`
	SponsorID       int64    `json:"sponsor_id,omitempty"`
	SponsorName     string   `json:"sponsor_name,omitempty"`
	Stage           string   `json:"stage"`
	Status          string   `json:"status"`
	SignedOn        string   `json:"signed_on"`
	ContractYuan    int64    `json:"contract_yuan"`
	FundsYuan       int64    `json:"funds_yuan"`
	FundsRate       *float64 `json:"funds_rate"`
	FundsRateRaw    *float64 `json:"funds_rate_raw"`
	FundsDue        float64  `json:"funds_due"` // share of the contract due by now
	FundsOnTrack    bool     `json:"funds_on_track"`
	PromisedStart   string   `json:"promised_start,omitempty"`
	StartedOn       string   `json:"started_on,omitempty"`
	Start           string   `json:"start"` // none, pending, on_time, late, overdue, done
	PromisedProduce string   `json:"promised_produce,omitempty"`
	ProducedOn      string   `json:"produced_on,omitempty"`
	Produce         string   `json:"produce"`
	Performing      bool     `json:"performing"`
	// The funds schedule as of as_of (see FundsTrackingJSON); the rates are
	// null without anything due.
	HasSchedule           bool     `json:"has_schedule"`
	ScheduleDueYuan       int64    `json:"schedule_due_yuan"`
	ScheduleShortfallYuan int64    `json:"schedule_shortfall_yuan"`
	ScheduleRate          *float64 `json:"schedule_rate"`
	ScheduleRateRaw       *float64 `json:"schedule_rate_raw"`
	NextDueOn             string   `json:"next_due_on,omitempty"`
	NextAmountYuan        int64    `json:"next_amount_yuan,omitempty"`
	FundsLagging          bool     `json:"funds_lagging"`
	LaggingSince          string   `json:"lagging_since,omitempty"`
}

// PerformanceJSON is the whole report.
type PerformanceJSON struct {
	AsOf       string                   `json:"as_of"`
	Total      PerformanceSummaryJSON   `json:"total"`
	ByIndustry []PerformanceGroupJSON   `json:"by_industry"`
	BySponsor  []PerformanceGroupJSON   `json:"by_sponsor"`
	Projects   []ProjectPerformanceJSON `json:"projects"`
}

func rateOf(r xinlu.Rate) *float64 {
	if !r.Known() {
		return nil
	}
	v := r.Value()
	return &v
}

func cappedOf(r xinlu.Rate) *float64 {
	if !r.Known() {
		return nil
	}
	v := r.Capped()
	return &v
}

func milestoneOf(m xinlu.MilestoneState) string {
	if m == xinlu.MilestoneNone {
		return "none"
	}
	return string(m)
}

func performanceSummaryJSON(s xinlu.PerformanceSummary) PerformanceSummaryJSON {
	return PerformanceSummaryJSON{Signed: s.Signed, Performing: s.Performing, ContractYuan: s.ContractYuan, FundsYuan: s.FundsYuan,
		StartDue: s.StartDue, Started: s.Started, StartOverdue: s.StartOverdue, ProduceDue: s.ProduceDue, Produced: s.Produced,
		ProduceOverdue: s.ProduceOverdue, PerformRate: rateOf(s.PerformRate()), FundsRate: cappedOf(s.FundsRate()),
		FundsRateRaw: rateOf(s.FundsRate()), StartRate: rateOf(s.StartRate()), ProduceRate: rateOf(s.ProduceRate()),
		Scheduled: s.Scheduled, ScheduleDueYuan: s.ScheduleDue, ScheduleFundsYuan: s.ScheduleFunds, ScheduleRate: cappedOf(s.ScheduleRate()),
		ScheduleRateRaw: rateOf(s.ScheduleRate()), FundsLagging: s.FundsLagging}
}

// PerformanceReportJSON turns a store report into its JSON; lagging keeps
// only the projects behind their funds schedule in the project list (the
// summaries stay whole).
func PerformanceReportJSON(rep *store.PerformanceReport, lagging bool) PerformanceJSON {
	out := PerformanceJSON{AsOf: rep.AsOf, Total: performanceSummaryJSON(rep.Total), ByIndustry: []PerformanceGroupJSON{},
		BySponsor: []PerformanceGroupJSON{}, Projects: []ProjectPerformanceJSON{}}
	for _, g := range rep.ByIndustry {
		out.ByIndustry = append(out.ByIndustry, PerformanceGroupJSON{Industry: g.Key, PerformanceSummaryJSON: performanceSummaryJSON(g.PerformanceSummary)})
	}
	for _, g := range rep.BySponsor {
		id := g.ID
		out.BySponsor = append(out.BySponsor, PerformanceGroupJSON{SponsorID: &id, SponsorName: g.Name, PerformanceSummaryJSON: performanceSummaryJSON(g.PerformanceSummary)})
	}
	for _, p := range rep.Projects {
		if lagging && !p.Schedule.Lagging {
			continue
		}
		sc := p.Schedule
		out.Projects = append(out.Projects, ProjectPerformanceJSON{ID: p.ID, ZoneID: p.ZoneID, Code: p.Code, Name: p.Name, Industry: p.Industry,
			SponsorID: p.SponsorID, SponsorName: p.SponsorName, Stage: string(p.Stage), Status: string(p.Status), SignedOn: p.SignedOn,
			ContractYuan: p.ContractYuan, FundsYuan: p.FundsYuan, FundsRate: cappedOf(p.Funds), FundsRateRaw: rateOf(p.Funds),
			FundsDue: p.FundsDue, FundsOnTrack: p.FundsOnTrack, PromisedStart: p.PromisedStart, StartedOn: p.StartedOn,
			Start: milestoneOf(p.Start), PromisedProduce: p.PromisedProduce, ProducedOn: p.ProducedOn, Produce: milestoneOf(p.Produce),
			Performing: p.Performing, HasSchedule: sc.HasSchedule(), ScheduleDueYuan: sc.DueYuan, ScheduleShortfallYuan: sc.ShortfallYuan,
			ScheduleRate: cappedOf(sc.Rate), ScheduleRateRaw: rateOf(sc.Rate), NextDueOn: sc.NextDueOn, NextAmountYuan: sc.NextYuan,
			FundsLagging: sc.Lagging, LaggingSince: sc.OverdueSince})
	}
	return out
}

// projectPerformance answers the report as of today, or as of the day in
// ?as_of=YYYY-MM-DD; ?funds_lag=1 lists only the projects behind their
// funds schedule.
func (a *API) projectPerformance(w http.ResponseWriter, r *http.Request) error {
	asOf := a.staffToday()
	q := r.URL.Query()
	if v := strings.TrimSpace(q.Get("as_of")); v != "" {
		d, err := xinlu.ParseDate(v)
		if err != nil {
			return xinlu.Invalid("as_of", "error.date_format")
		}
		asOf = d
	}
	var lagging bool
	switch q.Get("funds_lag") {
	case "", "0":
	case "1":
		lagging = true
	default:
		return xinlu.Invalid("funds_lag", "error.invalid_choice")
	}
	rep, err := a.store.Performance(r.Context(), xinlu.ProjectZone(user(r)), asOf)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, PerformanceReportJSON(rep, lagging))
	return nil
}
