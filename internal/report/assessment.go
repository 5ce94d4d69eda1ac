package report

import (
	"context"
	"math"
	"strings"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// hundredths is a value in hundredths for a Hundredths cell.
func hundredths(v float64) int64 { return int64(math.Round(v * 100)) }

// AssessmentSource names where an indicator's value comes from.
func AssessmentSource(p *i18n.Printer, source string) string {
	if source == "" {
		return p.T("assessment.entered")
	}
	return p.T("assessment.src." + source)
}

// AssessmentReport is the zone's self-assessment sheet of a year as a
// workbook (考核自评表): each indicator with unit, weight, target, value,
// score, source and evidence, and the total.
func AssessmentReport(ctx context.Context, st *store.Store, p *i18n.Printer, u *xinlu.User, year int, today time.Time) (*xlsx.Report, *store.AssessmentSheet, error) {
	sheet, err := st.Assessment(ctx, u.ZoneID, year)
	if err != nil {
		return nil, nil, err
	}
	rep := &xlsx.Report{Sheet: p.T("assessment.sheet"), Title: p.T("assessment.export_title", year), Unit: zoneName(ctx, st, u.ZoneID), By: u.Name, Date: today,
		Columns: []xlsx.Column{{Header: p.T("assessment.col.no"), Width: 5, Kind: xlsx.Int}, {Header: p.T("assessment.col.name"), Width: 24},
			{Header: p.T("assessment.col.unit"), Width: 10}, {Header: p.T("assessment.col.weight"), Width: 8, Kind: xlsx.Hundredths},
			{Header: p.T("assessment.col.target"), Width: 10, Kind: xlsx.Hundredths}, {Header: p.T("assessment.col.actual"), Width: 10, Kind: xlsx.Hundredths},
			{Header: p.T("assessment.col.score"), Width: 8, Kind: xlsx.Hundredths}, {Header: p.T("assessment.col.source"), Width: 20},
			{Header: p.T("assessment.col.evidence"), Width: 40}},
		SumCols: []int{6}}
	for i, r := range sheet.Rows {
		var target, actual any = "", p.T("assessment.missing")
		if r.Target > 0 {
			target = hundredths(r.Target)
		}
		if r.Actual != nil {
			actual = hundredths(*r.Actual)
		}
		var ev []string
		if r.Evidence != "" {
			ev = append(ev, r.Evidence)
		}
		for _, l := range r.Records {
			ev = append(ev, l.Label)
		}
		if r.More > 0 {
			ev = append(ev, p.T("assessment.more", r.More))
		}
		src := AssessmentSource(p, r.Source)
		if r.Deduction {
			src += p.T("assessment.deduction_suffix")
		}
		rep.Rows = append(rep.Rows, []any{i + 1, r.Name, r.Unit, hundredths(r.Weight), target, actual, hundredths(r.Score.Score), src, strings.Join(ev, "；")})
	}
	return rep, sheet, nil
}
