package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// LedgerImport is a checked project ledger: the projects it would create,
// and every problem, each named by the workbook's row and column.
type LedgerImport struct {
	Ledger   *xlsx.Ledger
	Projects []*store.ProjectRecord
	Rows     []int // the workbook row of each project
	Problems []xlsx.RowError
	Result   store.ImportResult // of the dry run, or of the import
}

// CheckLedger reads a ledger workbook and maps its rows onto projects of
// zoneID: sponsors and parks by name, stages and industries by code. When
// commit is true and nothing is wrong, the projects are created, all or
// nothing; otherwise the store only tries them (a dry run). Re-importing a
// file creates nothing twice.
func CheckLedger(ctx context.Context, st *store.Store, p *i18n.Printer, a xinlu.Actor, zoneID int64, data []byte, commit bool) (*LedgerImport, error) {
	led, err := xlsx.ReadLedger(bytes.NewReader(data), xlsx.LedgerOptions{})
	if err != nil {
		var he *xlsx.LedgerHeaderError
		switch {
		case errors.As(err, &he):
			return nil, xinlu.Invalid("file", "projects.import_header", he.Error())
		case errors.Is(err, xlsx.ErrLedgerNotWorkbook), errors.Is(err, xlsx.ErrLedgerEmpty), errors.Is(err, xlsx.ErrLedgerSheetMissing):
			return nil, xinlu.Invalid("file", "upload.not_xlsx")
		case errors.Is(err, xlsx.ErrLedgerTooLarge), errors.Is(err, xlsx.ErrLedgerTooManyRows):
			return nil, xinlu.Invalid("file", "projects.import_too_large")
		}
		return nil, xinlu.Internal(err)
	}
	imp := &LedgerImport{Ledger: led, Problems: append([]xlsx.RowError(nil), led.Problems...)}
	sponsors, parks, err := ledgerNames(ctx, st, zoneID)
	if err != nil {
		return nil, err
	}
	for _, row := range led.Rows {
		if !row.OK {
			continue
		}
		stage := xinlu.Stage(row.Stage)
		if row.Stage == "lead" || row.Stage == "screening" {
			imp.Problems = append(imp.Problems, xlsx.RowError{Row: row.Row, Column: p.T("field.stage"), Message: p.T("projects.import_lead_stage")})
			continue
		}
		pr := &store.ProjectRecord{ImportKey: row.Key(), StartedOn: row.StartedOn, ProducedOn: row.ProducedOn}
		pr.ZoneID, pr.Name, pr.Company, pr.Industry, pr.Stage, pr.Status = zoneID, row.ProjectName, row.Company, row.Industry, stage, xinlu.ProjectActive
		pr.Plan.TotalYuan, pr.Plan.FixedAssetYuan = row.TotalInvestmentYuan, row.FixedInvestmentYuan
		pr.Signing.SignedOn = row.SignedOn
		if row.Sponsor != "" {
			pr.SponsorID = sponsors[row.Sponsor]
		}
		if row.Park != "" {
			pr.Plan.ProposedParkID = parks[row.Park]
		}
		imp.Projects = append(imp.Projects, pr)
		imp.Rows = append(imp.Rows, row.Row)
	}
	if len(imp.Problems) > 0 || len(imp.Projects) == 0 {
		return imp, nil
	}
	imp.Result, err = st.ImportProjects(ctx, a, zoneID, imp.Projects, !commit)
	if err != nil {
		e := xinlu.AsError(err)
		if e.Key == "projects.import_row_error" && len(e.Args) == 1 {
			if i, ok := e.Args[0].(int); ok && i >= 1 && i <= len(imp.Rows) {
				cause := xinlu.AsError(e.Err)
				imp.Problems = append(imp.Problems, xlsx.RowError{Row: imp.Rows[i-1], Column: p.Field(cause.Field), Message: p.Error(cause)})
				return imp, nil
			}
		}
		return nil, err
	}
	return imp, nil
}

// ledgerNames maps member names (sponsors) and park names of a zone to ids.
func ledgerNames(ctx context.Context, st *store.Store, zoneID int64) (map[string]int64, map[string]int64, error) {
	members, err := st.RosterMembers(ctx, store.MemberFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: zoneID}})
	if err != nil {
		return nil, nil, err
	}
	sponsors := map[string]int64{}
	for _, m := range members {
		sponsors[m.Name] = m.ID
	}
	parks := map[string]int64{}
	ps, _, err := st.ListParks(ctx, store.ParkFilter{ZoneID: zoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return nil, nil, err
	}
	for _, pk := range ps {
		parks[pk.Name] = pk.ID
	}
	return sponsors, parks, nil
}

// importResultJSON answers an import or its dry run.
type importResultJSON struct {
	DryRun   bool          `json:"dry_run"`
	Created  int           `json:"created"`
	Skipped  int           `json:"skipped"`
	Problems []problemJSON `json:"problems"`
}

type problemJSON struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// importProjects takes the workbook as the request body; ?dry_run=1 only
// checks it. Any problem answers 422 with every problem, and nothing is
// written.
func (a *API) importProjects(w http.ResponseWriter, r *http.Request) error {
	dry := r.URL.Query().Get("dry_run")
	if dry != "" && dry != "0" && dry != "1" {
		return xinlu.Invalid("dry_run", "error.invalid_choice")
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, xlsx.DefaultLedgerMaxBytes+1))
	if err != nil {
		return xinlu.Invalid("file", "upload.not_xlsx")
	}
	if len(data) == 0 {
		return xinlu.Invalid("file", "error.required")
	}
	u := user(r)
	imp, err := CheckLedger(r.Context(), a.store, a.printer(r), actor(r), u.ZoneID, data, dry != "1")
	if err != nil {
		return err
	}
	out := importResultJSON{DryRun: dry == "1", Created: imp.Result.Created, Skipped: imp.Result.Skipped, Problems: []problemJSON{}}
	for _, p := range imp.Problems {
		out.Problems = append(out.Problems, problemJSON{Row: p.Row, Column: p.Column, Message: p.Message})
	}
	status := http.StatusOK
	if len(out.Problems) > 0 {
		status, out.Created, out.Skipped = http.StatusUnprocessableEntity, 0, 0
	}
	writeJSON(w, status, out)
	return nil
}
