package report

import (
	"context"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// StudyCompletionReport is the completion of campaign id as a workbook:
// one row per department with the counts, the total, then one row per
// member, as u may see them.
func StudyCompletionReport(ctx context.Context, st *store.Store, p *i18n.Printer, u *xinlu.User, id int64, today time.Time) (*xlsx.Report, error) {
	c, comp, err := st.StudyCompletion(ctx, u, id)
	if err != nil {
		return nil, err
	}
	unit := ""
	if z, err := st.ZoneByID(ctx, u.ZoneID); err == nil {
		unit = z.Name
	}
	title := p.T("study.export_title", c.Title)
	rep := &xlsx.Report{Sheet: p.T("study.export_sheet"), Title: title, Unit: unit, By: u.Name, Date: today,
		Columns: []xlsx.Column{
			{Header: p.T("study.col.department"), Width: 18}, {Header: p.T("study.col.member"), Width: 12},
			{Header: p.T("study.col.asked"), Width: 8}, {Header: p.T("study.col.on_time"), Width: 8},
			{Header: p.T("study.col.late"), Width: 8}, {Header: p.T("study.col.missing"), Width: 8},
			{Header: p.T("study.col.returned"), Width: 8}, {Header: p.T("study.col.pending"), Width: 8},
			{Header: p.T("study.col.accepted"), Width: 8}, {Header: p.T("study.col.state"), Width: 12},
			{Header: p.T("study.col.grade"), Width: 8},
		}}
	counts := func(d xinlu.DepartmentCompletion, name string) []any {
		return []any{name, "", d.Asked, d.OnTime, d.Late, d.Missing, d.Returned, d.Pending, d.Accepted, "", ""}
	}
	for _, d := range comp.Departments {
		rep.Rows = append(rep.Rows, counts(d, d.DepartmentName))
	}
	rep.Rows = append(rep.Rows, counts(comp.Total, p.T("study.col.total")))
	for _, m := range comp.Members {
		state := p.T("study.completion." + string(m.State))
		if m.Late {
			state += p.T("study.late_suffix")
		}
		grade := ""
		if m.Grade != "" {
			grade = p.T("study.grade." + string(m.Grade))
		}
		rep.Rows = append(rep.Rows, []any{m.DepartmentName, m.Name, "", "", "", "", "", "", "", state, grade})
	}
	return rep, nil
}
