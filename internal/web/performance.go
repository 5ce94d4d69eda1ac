package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Contract performance (履约) of the zone's signed projects, per industry,
// per sponsor and in total; the definitions are in xinlu/performance.go.
func (s *Server) performanceRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/projects/performance", Perm: xinlu.PermProjectView, Handler: s.projectPerformance},
	}
}

// perfCell is one rate as the page shows it: a percentage capped at 100%,
// the raw one when it is over, its colour and the colour's text label.
type perfCell struct {
	Text  string // "85.0%", "—" when unknown
	Raw   string // the uncapped percentage when above 100%, else ""
	Tone  string // tag class suffix: green, orange, red, grey
	Label string // i18n key of the tone's text
	Terms string // numerator / denominator, e.g. "3 / 4"
	Link  string // the row's ledger link
}

func newPerfCell(r xinlu.Rate, money bool) perfCell {
	c := perfCell{Text: "—", Tone: "grey", Label: "performance.tone.none"}
	if money {
		c.Terms = formatWan(r.Num) + " / " + formatWan(r.Den)
	} else {
		c.Terms = strconv.FormatInt(r.Num, 10) + " / " + strconv.FormatInt(r.Den, 10)
	}
	if !r.Known() {
		return c
	}
	c.Text = fmt.Sprintf("%.1f%%", r.Capped()*100)
	if r.Value() > 1 {
		c.Raw = fmt.Sprintf("%.1f%%", r.Value()*100)
	}
	c.Tone, c.Label = r.Tone(), "performance.tone."+r.Tone()
	return c
}

// perfRow is one line of a table: a group's counts and five rates, each
// linking to the ledger filtered to the group where the ledger can, and
// its projects behind their funds schedule (资金到位滞后), linking to the
// schedule list below filtered to them.
type perfRow struct {
	Name     string // already translated or a person's name
	Link     string // the ledger filtered to the group; "" when it cannot be
	Summary  xinlu.PerformanceSummary
	Perform  perfCell
	Funds    perfCell
	Start    perfCell
	Produce  perfCell
	Schedule perfCell // 计划到位率
	LagLink  string   // this page's schedule list of the group's lagging projects; "" when it cannot be
}

func newPerfRow(name, link, lagLink string, sum xinlu.PerformanceSummary) perfRow {
	row := perfRow{Name: name, Link: link, LagLink: lagLink, Summary: sum, Perform: newPerfCell(sum.PerformRate(), false),
		Funds: newPerfCell(sum.FundsRate(), true), Start: newPerfCell(sum.StartRate(), false), Produce: newPerfCell(sum.ProduceRate(), false),
		Schedule: newPerfCell(sum.ScheduleRate(), true)}
	row.Perform.Link, row.Funds.Link, row.Start.Link, row.Produce.Link, row.Schedule.Link = link, link, link, link, link
	return row
}

// scheduleFilter selects the projects of the schedule list: the lagging
// ones only (?funds_lag=1), and those of an industry or a sponsor.
type scheduleFilter struct {
	Lag       bool
	Industry  string
	SponsorID int64
}

// query is the filter as this page's query string, with the list's anchor.
func (f scheduleFilter) query() string {
	v := url.Values{}
	if f.Lag {
		v.Set("funds_lag", "1")
	}
	if f.Industry != "" {
		v.Set("industry", f.Industry)
	}
	if f.SponsorID != 0 {
		v.Set("sponsor_id", strconv.FormatInt(f.SponsorID, 10))
	}
	q := "/projects/performance"
	if len(v) > 0 {
		q += "?" + v.Encode()
	}
	return q + "#funds-schedules"
}

func scheduleFilterOf(r *http.Request) scheduleFilter {
	v := r.URL.Query()
	f := scheduleFilter{Lag: v.Get("funds_lag") == "1"}
	if xinlu.ValidIndustry(v.Get("industry")) {
		f.Industry = v.Get("industry")
	}
	if id, err := strconv.ParseInt(v.Get("sponsor_id"), 10, 64); err == nil && id > 0 {
		f.SponsorID = id
	}
	return f
}

func (f scheduleFilter) keeps(p store.ProjectPerformance) bool {
	return p.Schedule.HasSchedule() && (!f.Lag || p.Schedule.Lagging) && (f.Industry == "" || p.Industry == f.Industry) &&
		(f.SponsorID == 0 || p.SponsorID == f.SponsorID)
}

// scheduleRow is one project of the schedule list.
type scheduleRow struct {
	store.ProjectPerformance
	Rate perfCell
}

// maxScheduleRows bounds the schedule list; the filters narrow it.
const maxScheduleRows = 200

type performanceView struct {
	Chart      *chartView // the rates by industry, as bars (the table by industry has the figures)
	AsOf       string
	TotalRows  []perfRow // the zone total, one row
	ByIndustry []perfRow
	BySponsor  []perfRow
	FundsStart string // FundsDueAtStart as a percentage, for the notes
	// The funds-schedule list (资金到位计划跟踪): projects with a schedule,
	// lagging ones first, as the filter selects them.
	Filter      scheduleFilter
	FilterLabel string // the industry's or the sponsor's name, when one is chosen
	Schedules   []scheduleRow
	Matched     int  // projects the filter selects (the list shows up to maxScheduleRows)
	Truncated   bool // the list was cut at maxScheduleRows
	Lagging     int  // the zone's lagging projects
	AllLink     string
	LagLink     string
	MaxRows     int
}

// performanceRows turns a report into the page's rows, labelled in p's
// language, with the schedule list as f selects it.
func performanceRows(p *i18n.Printer, rep *store.PerformanceReport, f scheduleFilter) performanceView {
	lagLink := func(g scheduleFilter) string { g.Lag = true; return g.query() }
	v := performanceView{AsOf: rep.AsOf, TotalRows: []perfRow{newPerfRow(p.T("performance.total"), "/projects", lagLink(scheduleFilter{}), rep.Total)},
		FundsStart: fmt.Sprintf("%.0f%%", xinlu.FundsDueAtStart*100), Filter: f, Lagging: rep.Total.FundsLagging, MaxRows: maxScheduleRows}
	for _, g := range rep.ByIndustry {
		v.ByIndustry = append(v.ByIndustry, newPerfRow(p.T("industry."+g.Key), "/projects?"+url.Values{"industry": {g.Key}}.Encode(),
			lagLink(scheduleFilter{Industry: g.Key}), g.PerformanceSummary))
	}
	if f.Industry != "" {
		v.FilterLabel = p.T("industry." + f.Industry)
	}
	for _, g := range rep.BySponsor {
		name, link, lag := g.Name, "", ""
		if g.ID == 0 {
			name = p.T("performance.no_sponsor")
		} else {
			link = "/projects?sponsor_id=" + strconv.FormatInt(g.ID, 10)
			lag = lagLink(scheduleFilter{SponsorID: g.ID})
			if g.ID == f.SponsorID {
				v.FilterLabel = g.Name
			}
		}
		v.BySponsor = append(v.BySponsor, newPerfRow(name, link, lag, g.PerformanceSummary))
	}
	all, lag := f, f
	all.Lag, lag.Lag = false, true
	v.AllLink, v.LagLink = all.query(), lag.query()
	for _, pp := range rep.Projects {
		if f.keeps(pp) {
			v.Schedules = append(v.Schedules, scheduleRow{ProjectPerformance: pp, Rate: newPerfCell(pp.Schedule.Rate, true)})
		}
	}
	// Lagging first, the longest behind first; then the biggest shortfall.
	slices.SortStableFunc(v.Schedules, func(a, b scheduleRow) int {
		if a.Schedule.Lagging != b.Schedule.Lagging {
			if a.Schedule.Lagging {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.Schedule.OverdueSince, b.Schedule.OverdueSince); c != 0 {
			return c
		}
		return cmp.Compare(b.Schedule.ShortfallYuan, a.Schedule.ShortfallYuan)
	})
	v.Matched = len(v.Schedules)
	if len(v.Schedules) > maxScheduleRows {
		v.Schedules, v.Truncated = v.Schedules[:maxScheduleRows], true
	}
	return v
}

func (s *Server) projectPerformance(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	rep, err := s.store.Performance(r.Context(), xinlu.ProjectZone(u), s.today())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.printer(r)
	v := performanceRows(p, rep, scheduleFilterOf(r))
	v.Chart = performanceChart(p, rep)
	s.render(w, r, http.StatusOK, "performance", p.T("performance.title"), v)
}
