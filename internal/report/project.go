package report

import (
	"context"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// MaxProjectExport bounds one ledger export; narrow the filter for more.
const MaxProjectExport = 50000

// ProjectLedger builds the ledger workbook of the projects filter f
// selects (up to MaxProjectExport, f.Page ignored), labelled in p's
// language, dated today and signed by u. The pages' export and the API's
// share it.
func ProjectLedger(ctx context.Context, st *store.Store, p *i18n.Printer, u *xinlu.User, f store.ProjectFilter, today time.Time) (*xlsx.Report, error) {
	var rows []xlsx.ProjectLedgerRow
	for page := 1; len(rows) < MaxProjectExport; page++ {
		f.Page = xinlu.Page{Page: page, PerPage: xinlu.MaxPerPage}
		items, _, err := st.ListProjects(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			rows = append(rows, xlsx.ProjectLedgerRow{Code: it.Code, Name: it.Name, Company: it.Company, Industry: it.Industry,
				Stage: string(it.Stage), Status: string(it.Status), Light: string(it.Light), TotalYuan: it.Plan.TotalYuan,
				ContractYuan: it.Signing.ContractYuan, FundsYuan: it.FundsYuan, Sponsor: it.SponsorName, Park: it.ParkName,
				SignedOn: it.Signing.SignedOn, StartedOn: it.StartedOn, ProducedOn: it.ProducedOn, StageDue: it.StageDue})
		}
		if len(items) < xinlu.MaxPerPage {
			break
		}
	}
	unit := zoneName(ctx, st, u.ZoneID)
	return xlsx.ProjectLedgerReport(p.T, unit, u.Name, today, rows), nil
}
