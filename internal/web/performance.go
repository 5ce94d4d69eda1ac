package web

import (
	"fmt"
	"net/http"
	"net/url"
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

// perfRow is one line of a table: a group's counts and four rates, each
// linking to the ledger filtered to the group where the ledger can.
type perfRow struct {
	Name    string // already translated or a person's name
	Link    string // the ledger filtered to the group; "" when it cannot be
	Summary xinlu.PerformanceSummary
	Perform perfCell
	Funds   perfCell
	Start   perfCell
	Produce perfCell
}

func newPerfRow(name, link string, sum xinlu.PerformanceSummary) perfRow {
	row := perfRow{Name: name, Link: link, Summary: sum, Perform: newPerfCell(sum.PerformRate(), false),
		Funds: newPerfCell(sum.FundsRate(), true), Start: newPerfCell(sum.StartRate(), false), Produce: newPerfCell(sum.ProduceRate(), false)}
	row.Perform.Link, row.Funds.Link, row.Start.Link, row.Produce.Link = link, link, link, link
	return row
}

type performanceView struct {
	AsOf       string
	TotalRows  []perfRow // the zone total, one row
	ByIndustry []perfRow
	BySponsor  []perfRow
	FundsStart string // FundsDueAtStart as a percentage, for the notes
}

// performanceRows turns a report into the page's rows, labelled in p's language.
func performanceRows(p *i18n.Printer, rep *store.PerformanceReport) performanceView {
	v := performanceView{AsOf: rep.AsOf, TotalRows: []perfRow{newPerfRow(p.T("performance.total"), "/projects", rep.Total)},
		FundsStart: fmt.Sprintf("%.0f%%", xinlu.FundsDueAtStart*100)}
	for _, g := range rep.ByIndustry {
		v.ByIndustry = append(v.ByIndustry, newPerfRow(p.T("industry."+g.Key), "/projects?"+url.Values{"industry": {g.Key}}.Encode(), g.PerformanceSummary))
	}
	for _, g := range rep.BySponsor {
		name, link := g.Name, ""
		if g.ID == 0 {
			name = p.T("performance.no_sponsor")
		} else {
			link = "/projects?sponsor_id=" + strconv.FormatInt(g.ID, 10)
		}
		v.BySponsor = append(v.BySponsor, newPerfRow(name, link, g.PerformanceSummary))
	}
	return v
}

func (s *Server) projectPerformance(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	rep, err := s.store.Performance(r.Context(), projectZone(u), s.today())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.printer(r)
	s.render(w, r, http.StatusOK, "performance", p.T("performance.title"), performanceRows(p, rep))
}
