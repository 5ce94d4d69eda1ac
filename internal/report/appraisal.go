package report

import (
	"context"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// Publication is the publication list (公示名单) of a period: name,
// department, score and band of every ranked member, ordered by group and
// rank. Anyone who may see the period's results may print it.
func Publication(ctx context.Context, st *store.Store, p *i18n.Printer, u *xinlu.User, period *xinlu.Period, unit string, today time.Time) (*xlsx.Report, error) {
	rep := &xlsx.Report{Sheet: p.T("appraisal.publication"), Title: p.T("appraisal.publication_title", period.Label),
		Unit: unit, By: u.Name, Date: today,
		Columns: []xlsx.Column{{Header: p.T("appraisal.col_rank"), Width: 6, Kind: xlsx.Int}, {Header: p.T("member.name"), Width: 12},
			{Header: p.T("appraisal.col_department"), Width: 18}, {Header: p.T("appraisal.col_group"), Width: 16},
			{Header: p.T("appraisal.col_score"), Width: 10, Kind: xlsx.Hundredths}, {Header: p.T("appraisal.col_band"), Width: 12}}}
	err := eachResult(ctx, st, period.ID, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: period.ZoneID}, func(r *store.Result) {
		if r.Band == xinlu.BandExcluded {
			return
		}
		rep.Rows = append(rep.Rows, []any{r.Rank, r.MemberName, r.DepartmentName, GroupLabel(p, r.Group, r.DepartmentName), r.Score,
			p.T("appraisal.band." + string(r.Band))})
	})
	return rep, err
}

// GroupLabel names a ranking group for people.
func GroupLabel(p *i18n.Printer, group, department string) string {
	switch group {
	case "leaders", "pooled", "zone":
		return p.T("appraisal.group." + group)
	}
	if len(group) > 14 && group[:14] == "position_kind:" {
		return p.T("position.kind." + group[14:])
	}
	return department
}

// Payroll is the period's performance pay as a payroll sheet.
func Payroll(ctx context.Context, st *store.Store, p *i18n.Printer, u *xinlu.User, period *xinlu.Period, unit string, today time.Time) (*xlsx.Report, error) {
	rep := &xlsx.Report{Sheet: p.T("appraisal.payroll"), Title: p.T("appraisal.payroll_title", period.Label), Unit: unit, By: u.Name, Date: today,
		Columns: []xlsx.Column{{Header: p.T("appraisal.col_staff_no"), Width: 10}, {Header: p.T("member.name"), Width: 12},
			{Header: p.T("appraisal.col_department"), Width: 18}, {Header: p.T("appraisal.col_band"), Width: 12},
			{Header: p.T("appraisal.col_coefficient"), Width: 8, Kind: xlsx.Hundredths}, {Header: p.T("appraisal.col_base_yuan"), Width: 14, Kind: xlsx.Int},
			{Header: p.T("appraisal.col_pay_yuan"), Width: 14, Kind: xlsx.Int}},
		SumCols: []int{5, 6}}
	err := eachResult(ctx, st, period.ID, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: period.ZoneID}, func(r *store.Result) {
		rep.Rows = append(rep.Rows, []any{r.StaffNo, r.MemberName, r.DepartmentName, p.T("appraisal.band." + string(r.Band)),
			r.Coefficient, r.BaseYuan, r.PayYuan})
	})
	return rep, err
}

// eachResult walks every result of a period in pages.
func eachResult(ctx context.Context, st *store.Store, periodID int64, scope xinlu.ScopeFilter, fn func(*store.Result)) error {
	for page := 1; ; page++ {
		rs, total, err := st.ListResults(ctx, store.ResultFilter{PeriodID: periodID, Scope: scope, Page: xinlu.Page{Page: page, PerPage: xinlu.MaxPerPage}})
		if err != nil {
			return err
		}
		for _, r := range rs {
			fn(r)
		}
		if page*xinlu.MaxPerPage >= total || len(rs) == 0 {
			return nil
		}
	}
}
