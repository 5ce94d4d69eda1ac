package report

import (
	"context"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// ToleranceRegister builds the register workbook (容错登记台账) of the
// claims u may see that f selects (up to store.MaxClaimExport), labelled
// in p's language, dated today and signed by u. The pages' export and the
// API's share it.
func ToleranceRegister(ctx context.Context, st *store.Store, p *i18n.Printer, u *xinlu.User, f store.ClaimFilter, today time.Time) (*xlsx.Report, error) {
	items, err := st.ExportClaims(ctx, u, f)
	if err != nil {
		return nil, err
	}
	unit := zoneName(ctx, st, u.ZoneID)
	rep := &xlsx.Report{Sheet: p.T("tolerance.export_title"), Title: p.T("tolerance.export_title"), Unit: unit, By: u.Name, Date: today,
		Columns: []xlsx.Column{
			{Header: p.T("tolerance.col.id"), Width: 8}, {Header: p.T("tolerance.col.member"), Width: 12},
			{Header: p.T("tolerance.col.filed_on"), Width: 12}, {Header: p.T("tolerance.col.distinction"), Width: 28},
			{Header: p.T("tolerance.col.facts"), Width: 40}, {Header: p.T("tolerance.col.status"), Width: 10},
			{Header: p.T("tolerance.col.negative_hits"), Width: 20}, {Header: p.T("tolerance.col.decision"), Width: 10},
			{Header: p.T("tolerance.col.deciding_body"), Width: 16}, {Header: p.T("tolerance.col.meeting_on"), Width: 12},
			{Header: p.T("tolerance.col.appealed"), Width: 10},
		}}
	for _, c := range items {
		var hits []string
		for _, h := range c.NegativeHits {
			hits = append(hits, p.T("tolerance.negative."+h))
		}
		decision := ""
		if c.Decision != "" {
			decision = p.T("tolerance.decision." + string(c.Decision))
		}
		rep.Rows = append(rep.Rows, []any{strconv.FormatInt(c.ID, 10), c.MemberName, c.CreatedAt.In(shanghai).Format(xinlu.DateLayout),
			p.T("tolerance.distinction." + c.Distinction), c.Facts, p.T("tolerance.status." + string(c.Status)),
			strings.Join(hits, "、"), decision, c.DecidingBody, c.MeetingOn, yesNo(p, c.Appealed)})
	}
	return rep, nil
}
