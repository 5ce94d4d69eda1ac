package report

import (
	"context"
	"strconv"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// IncentiveLedger builds the ledger workbook (奖惩台账) of what f
// selects (up to store.MaxIncentiveExport, f.Page ignored), labelled in p's
// language, dated today and signed by u: amounts in yuan, points with two
// decimals, labels rather than codes. The pages' export and the API's
// share it.
func IncentiveLedger(ctx context.Context, st *store.Store, p *i18n.Printer, u *xinlu.User, f store.IncentiveFilter, today time.Time) (*xlsx.Report, error) {
	items, err := st.ExportIncentives(ctx, f)
	if err != nil {
		return nil, err
	}
	unit := zoneName(ctx, st, u.ZoneID)
	rep := &xlsx.Report{Sheet: p.T("incentives.export_title"), Title: p.T("incentives.export_title"), Unit: unit, By: u.Name, Date: today,
		Columns: []xlsx.Column{
			{Header: p.T("incentives.col.member"), Width: 12}, {Header: p.T("incentives.col.kind"), Width: 8},
			{Header: p.T("incentives.col.source"), Width: 14}, {Header: p.T("incentives.col.amount_yuan"), Width: 14, Kind: xlsx.Int},
			{Header: p.T("incentives.col.points"), Width: 10, Kind: xlsx.Hundredths}, {Header: p.T("incentives.col.reason"), Width: 32},
			{Header: p.T("incentives.col.evidence"), Width: 28}, {Header: p.T("incentives.col.occurred_on"), Width: 12},
			{Header: p.T("incentives.col.status"), Width: 10}, {Header: p.T("incentives.col.neutralised"), Width: 12},
			{Header: p.T("incentives.col.decision_note"), Width: 24},
		}}
	for _, i := range items {
		rep.Rows = append(rep.Rows, []any{i.MemberName, p.T("incentive.kind." + string(i.Kind)), IncentiveSource(p, i),
			i.AmountYuan, i.Points, i.Reason, IncentiveEvidence(p, i), i.OccurredOn, p.T("incentive.status." + string(i.Status)),
			yesNo(p, i.NeutralisedBy != 0), i.DecisionNote})
	}
	return rep, nil
}

// IncentiveSource labels where a record came from: 手工录入, or the kind
// of automatic proposal.
func IncentiveSource(p *i18n.Printer, i *xinlu.Incentive) string {
	if k := i.AutoKind(); k != "" && p.Has("incentive.auto."+k) {
		return p.T("incentive.auto." + k)
	}
	return p.T("incentives.source.manual")
}

// IncentiveEvidence describes what a record rests on: the event, or the
// kind of record and its number.
func IncentiveEvidence(p *i18n.Printer, i *xinlu.Incentive) string {
	label := p.T("incentive.evidence." + i.EvidenceType)
	if i.EvidenceType == xinlu.EvidenceEvent {
		return label + "：" + i.EvidenceText
	}
	return label + " #" + strconv.FormatInt(i.EvidenceID, 10)
}

func yesNo(p *i18n.Printer, b bool) string {
	if b {
		return p.T("incentives.yes")
	}
	return p.T("incentives.no")
}
