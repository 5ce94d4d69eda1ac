package xlsx

import "time"

// ProjectLedgerRow is one project of the ledger export as plain values:
// codes (industry, stage, status, light) that ProjectLedgerReport turns
// into labels, amounts in yuan and dates as YYYY-MM-DD text.
type ProjectLedgerRow struct {
	Code, Name, Company             string
	Industry, Stage, Status, Light  string // codes; Light "" for none
	TotalYuan                       *int64 // nil: unknown (待定)
	ContractYuan, FundsYuan         int64
	Sponsor, Park                   string
	SignedOn, StartedOn, ProducedOn string
	StageDue                        string
}

// ProjectLedgerReport builds the project ledger workbook (项目台账) of a
// filtered view, for the pages and the API alike: labels from t (a
// message catalogue's T), not codes; amounts in 万元, an unknown investment
// as the text 待定 (amount.unknown) that the 合计 row over the investment,
// contract and funds columns leaves out and counts.
func ProjectLedgerReport(t func(key string, args ...any) string, unit, by string, date time.Time, rows []ProjectLedgerRow) *Report {
	rep := &Report{Sheet: t("projects.export_title"), Title: t("projects.export_title"), Unit: unit, Date: date, By: by,
		Columns: []Column{
			{Header: t("projects.code"), Width: 16}, {Header: t("field.project_name"), Width: 28}, {Header: t("field.company"), Width: 28},
			{Header: t("field.industry"), Width: 12}, {Header: t("projects.stage"), Width: 10}, {Header: t("projects.status"), Width: 8},
			{Header: t("projects.amount_wan"), Width: 16, Kind: Money}, {Header: t("projects.contract_wan"), Width: 16, Kind: Money},
			{Header: t("projects.funds_wan"), Width: 16, Kind: Money}, {Header: t("projects.sponsor"), Width: 10},
			{Header: t("projects.park"), Width: 16}, {Header: t("field.signed_on"), Width: 12}, {Header: t("projects.started_on"), Width: 12},
			{Header: t("projects.produced_on"), Width: 12}, {Header: t("projects.stage_due"), Width: 12}, {Header: t("projects.light"), Width: 8},
		}, SumCols: []int{6, 7, 8},
		Unknown: t("amount.unknown"), UnknownNote: func(n int) string { return t("amount.sum_row_unknown", n) }}
	rep.Rows = make([][]any, 0, len(rows))
	for _, it := range rows {
		light := ""
		if it.Light != "" {
			light = t("projects.light." + it.Light)
		}
		rep.Rows = append(rep.Rows, []any{it.Code, it.Name, it.Company, t("industry." + it.Industry), t("stage." + it.Stage),
			t("project.status." + it.Status), it.TotalYuan, it.ContractYuan, it.FundsYuan, it.Sponsor,
			it.Park, it.SignedOn, it.StartedOn, it.ProducedOn, it.StageDue, light})
	}
	return rep
}
