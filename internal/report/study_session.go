package report

import (
	"context"
	"strings"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// StudySessionRegister is the discussion-session register (学习讨论会登记表)
// of campaign id as a workbook: one row per session, by date, with the
// department, place, chair, the attendance counted and named (leaves with
// their reasons), the speakers and the minutes.
func StudySessionRegister(ctx context.Context, st *store.Store, p *i18n.Printer, u *xinlu.User, id int64, today time.Time) (*xlsx.Report, error) {
	c, sessions, err := st.StudySessions(ctx, u, id)
	if err != nil {
		return nil, err
	}
	unit := ""
	if z, err := st.ZoneByID(ctx, u.ZoneID); err == nil {
		unit = z.Name
	}
	rep := &xlsx.Report{Sheet: p.T("study.sessions_sheet"), Title: p.T("study.sessions_export_title", c.Title), Unit: unit, By: u.Name, Date: today,
		Columns: []xlsx.Column{
			{Header: p.T("field.held_on"), Width: 12}, {Header: p.T("study.col.department"), Width: 16},
			{Header: p.T("field.place"), Width: 16}, {Header: p.T("field.chair_id"), Width: 10},
			{Header: p.T("study.attend.present"), Width: 8}, {Header: p.T("study.attend.leave"), Width: 24},
			{Header: p.T("study.attend.absent"), Width: 16}, {Header: p.T("field.speaker_ids"), Width: 20},
			{Header: p.T("field.minutes"), Width: 50},
		}}
	sep := p.T("study.list_sep")
	for _, ss := range sessions {
		var leave, absent, speakers []string
		for _, a := range ss.Attendance {
			switch a.Status {
			case xinlu.AttendLeave:
				leave = append(leave, p.T("study.leave_with_reason", a.Name, a.Reason))
			case xinlu.AttendAbsent:
				absent = append(absent, a.Name)
			}
		}
		for _, a := range ss.Speakers() {
			speakers = append(speakers, a.Name)
		}
		rep.Rows = append(rep.Rows, []any{ss.HeldOn, ss.DepartmentName, ss.Place, ss.ChairName, ss.Count(xinlu.AttendPresent),
			strings.Join(leave, sep), strings.Join(absent, sep), strings.Join(speakers, sep), ss.Minutes})
	}
	return rep, nil
}
