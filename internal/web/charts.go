package web

import (
	"encoding/json"
	"math"
	"strconv"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// A chart is drawn in the browser by static/js/charts.js with the embedded
// ECharts, from a chartSpec written as JSON into the container's
// data-chart attribute (the CSP allows no inline script). Every chart has a
// table with the same figures: its own (chartView.Table) or one the page
// already shows, named in the caption.

// chartSpec is what charts.js draws: a bar or line chart over categories.
type chartSpec struct {
	Kind       string        `json:"kind"` // bar | line | funnel
	Categories []string      `json:"categories"`
	Series     []chartSeries `json:"series"`
	Lines      []chartLine   `json:"lines,omitempty"` // dashed marks at categories
	XName      string        `json:"xName,omitempty"`
	YName      string        `json:"yName,omitempty"`
	YMax       float64       `json:"yMax,omitempty"`
	Percent    bool          `json:"percent,omitempty"`
	Integer    bool          `json:"integer,omitempty"` // counts: whole steps on the axis
	Links      []string      `json:"links,omitempty"`   // a page to open per category (a click drills down)
	Spark      bool          `json:"spark,omitempty"`   // a sparkline: no axes, legend or grid
}

type chartSeries struct {
	Name        string     `json:"name"`
	Data        []*float64 `json:"data"` // null: no figure
	Stack       string     `json:"stack,omitempty"`
	Color       string     `json:"color,omitempty"`       // one of the five status colours
	Labels      []string   `json:"labels,omitempty"`      // a label above each point
	PointColors []string   `json:"pointColors,omitempty"` // a status colour for each point
}

type chartLine struct {
	Name  string `json:"name"`
	At    string `json:"at"` // a category
	Color string `json:"color"`
}

// chartTable is a chart's figures as a table: the first column heads each
// row.
type chartTable struct {
	Caption string
	Head    []string
	Rows    [][]string
}

// chartView is a chart as a page includes it (template "chart").
type chartView struct {
	Theme   string // "dark" on the meeting-room screen
	ID      string
	JSON    string
	Caption string
	Table   *chartTable
}

func newChart(id string, spec chartSpec, caption string, table *chartTable) *chartView {
	b, _ := json.Marshal(spec)
	return &chartView{ID: id, JSON: string(b), Caption: caption, Table: table}
}

func num(v float64) *float64 { return &v }

// bandTone is a band's status colour, as the result tags show it.
func bandTone(b xinlu.Band) string {
	switch b {
	case xinlu.BandTop:
		return "green"
	case xinlu.BandBottom:
		return "orange"
	case xinlu.BandExcluded:
		return "grey"
	}
	return "blue"
}

// scoreBinLabel names a bin of ScoreBinWidth from from: "85–90".
func scoreBinLabel(from int64) string {
	return strconv.FormatInt(from/100, 10) + "–" + strconv.FormatInt((from+store.ScoreBinWidth)/100, 10)
}

// scoreChart is a period's score distribution: members per bin of five
// points, stacked by band, with the top band's lowest score and the bottom
// band's highest drawn as the band lines.
func scoreChart(p *i18n.Printer, per *xinlu.Period, d *store.ScoreDistribution) *chartView {
	if d == nil || d.Members == 0 {
		return nil
	}
	lo, hi := d.Bins[0].From, d.Bins[len(d.Bins)-1].From
	var cats []string
	index := map[int64]int{}
	for from := lo; from <= hi; from += store.ScoreBinWidth {
		index[from] = len(cats)
		cats = append(cats, scoreBinLabel(from))
	}
	bands := []xinlu.Band{xinlu.BandTop, xinlu.BandMiddle, xinlu.BandBottom, xinlu.BandExcluded}
	counts := map[xinlu.Band][]int{}
	for _, b := range bands {
		counts[b] = make([]int, len(cats))
	}
	for _, b := range d.Bins {
		if c, ok := counts[b.Band]; ok {
			c[index[b.From]] += b.Count
		}
	}
	spec := chartSpec{Kind: "bar", Categories: cats, XName: p.T("chart.score_axis"), YName: p.T("chart.members_axis"), Integer: true}
	table := &chartTable{Caption: p.T("chart.score_table", per.Label), Head: []string{p.T("chart.score_bin")}}
	var used []xinlu.Band
	for _, b := range bands {
		s := chartSeries{Name: p.T("appraisal.band." + string(b)), Stack: "band", Color: bandTone(b)}
		seen := false
		for _, n := range counts[b] {
			s.Data = append(s.Data, num(float64(n)))
			seen = seen || n > 0
		}
		if seen {
			spec.Series = append(spec.Series, s)
			used = append(used, b)
			table.Head = append(table.Head, s.Name)
		}
	}
	table.Head = append(table.Head, p.T("chart.total"))
	for i, c := range cats {
		row := []string{c}
		total := 0
		for _, b := range used {
			row = append(row, strconv.Itoa(counts[b][i]))
			total += counts[b][i]
		}
		if total > 0 { // the chart shows the empty bins between; the table lists the scores only
			table.Rows = append(table.Rows, append(row, strconv.Itoa(total)))
		}
	}
	var lines []string
	if d.HasTop {
		name := p.T("chart.top_line", ratioPercent(per.Rule.TopRatio), formatHundredths(d.TopMin))
		spec.Lines = append(spec.Lines, chartLine{Name: name, At: scoreBinLabel(d.TopMin / store.ScoreBinWidth * store.ScoreBinWidth), Color: "green"})
		lines = append(lines, name)
	}
	if d.HasBottom {
		name := p.T("chart.bottom_line", ratioPercent(per.Rule.BottomRatio), formatHundredths(d.BottomMax))
		spec.Lines = append(spec.Lines, chartLine{Name: name, At: scoreBinLabel(d.BottomMax / store.ScoreBinWidth * store.ScoreBinWidth), Color: "orange"})
		lines = append(lines, name)
	}
	caption := p.T("chart.score_caption", d.Members)
	for _, l := range lines {
		caption += " " + l + "。"
	}
	return newChart("score-chart", spec, caption, table)
}

// historyChart is a member's score in each published period, oldest
// first, each point coloured and labelled by its band. Its figures are the
// page's results table.
func historyChart(p *i18n.Printer, results []*store.Result, periods []*xinlu.Period) *chartView {
	if len(results) == 0 {
		return nil
	}
	spec := chartSpec{Kind: "line", XName: p.T("appraisal.period"), YName: p.T("appraisal.col_score")}
	s := chartSeries{Name: p.T("appraisal.col_score")}
	for i := len(results) - 1; i >= 0; i-- {
		spec.Categories = append(spec.Categories, periods[i].Label)
		s.Data = append(s.Data, num(float64(results[i].Score)/100))
		s.Labels = append(s.Labels, p.T("appraisal.band."+string(results[i].Band)))
		s.PointColors = append(s.PointColors, bandTone(results[i].Band))
	}
	spec.Series = []chartSeries{s}
	return newChart("history-chart", spec, p.T("chart.history_caption"), nil)
}

// performanceChart is the contract-performance rates of each industry as
// bars. The rates are measured on one day only (no monthly history is
// kept), so the chart compares industries; its figures are the page's
// table by industry.
func performanceChart(p *i18n.Printer, rep *store.PerformanceReport) *chartView {
	if len(rep.ByIndustry) == 0 {
		return nil
	}
	spec := chartSpec{Kind: "bar", YName: "%", YMax: 100, Percent: true}
	rates := []struct {
		key   string
		color string
		rate  func(xinlu.PerformanceSummary) xinlu.Rate
	}{
		{"performance.perform_rate", "blue", xinlu.PerformanceSummary.PerformRate},
		{"performance.funds_rate", "green", xinlu.PerformanceSummary.FundsRate},
		{"performance.start_rate", "orange", xinlu.PerformanceSummary.StartRate},
		{"performance.produce_rate", "grey", xinlu.PerformanceSummary.ProduceRate},
	}
	for _, g := range rep.ByIndustry {
		spec.Categories = append(spec.Categories, p.T("industry."+g.Key))
	}
	for _, r := range rates {
		s := chartSeries{Name: p.T(r.key), Color: r.color}
		for _, g := range rep.ByIndustry {
			var v *float64
			if rate := r.rate(g.PerformanceSummary); rate.Known() {
				v = num(float64(int64(rate.Capped()*1000+0.5)) / 10)
			}
			s.Data = append(s.Data, v)
		}
		spec.Series = append(spec.Series, s)
	}
	return newChart("performance-chart", spec, p.T("chart.performance_caption"), nil)
}

// kanbanChart is the known total investment of each stage in 万元, as the
// kanban sums it (unknown amounts left out and counted in the table).
func kanbanChart(p *i18n.Printer, cols []kanbanColumnView) *chartView {
	spec := chartSpec{Kind: "bar", YName: p.T("projects.wan")}
	s := chartSeries{Name: p.T("chart.kanban_amount"), Color: "blue"}
	table := &chartTable{Caption: p.T("chart.kanban_table"),
		Head: []string{p.T("chart.stage"), p.T("projects.count"), p.T("chart.kanban_amount") + "（" + p.T("projects.wan") + "）", p.T("chart.unknown")}}
	for _, c := range cols {
		name := p.T("stage." + string(c.Stage))
		spec.Categories = append(spec.Categories, name)
		s.Data = append(s.Data, num(float64(c.Yuan)/10000))
		table.Rows = append(table.Rows, []string{name, strconv.Itoa(c.Count), formatWan(c.Yuan), strconv.Itoa(c.Unknown)})
	}
	spec.Series = []chartSeries{s}
	return newChart("kanban-chart", spec, "", table)
}

// ratioPercent writes a fraction in percent: 0.2 is "20%".
func ratioPercent(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/10, 'f', -1, 64) + "%"
}
