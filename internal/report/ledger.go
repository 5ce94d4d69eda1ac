package report

import (
	"bytes"
	"context"
	"errors"
	"strconv"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// LedgerImport is a checked project ledger: the projects it would create,
// what it carries beside them, and every problem, each named by the
// workbook's row and column.
type LedgerImport struct {
	Ledger   *xlsx.Ledger
	Projects []*store.ProjectRecord
	Items    []store.ImportItem // the projects with their funds in place and timeline events
	Rows     []int              // the workbook row of each project
	Problems []xlsx.RowError
	// People are the names of sponsors, agents and reporters that are not
	// members of the zone: problems unless the import goes without them
	// (LedgerCheck.WithoutUnknownPeople).
	People []xlsx.RowError
	// Notices say what the import does with a row's carried columns that
	// the user should know (funds of a project not signed, a park not found).
	Notices []xlsx.RowError
	// Header, when no header row names the required columns, is the row
	// the user most likely means, for the column mapping step.
	Header *xlsx.LedgerHeaderError
	Today  string             // the import date: funds in place are recorded on it
	Result store.ImportResult // of the dry run, or of the import
}

// LedgerCheck says how CheckLedger reads and writes.
type LedgerCheck struct {
	Commit bool // write the projects when nothing is wrong; else a dry run
	// Mapping is the user's choice of field per header cell; nil reads the
	// header by the dictionary and the zone's remembered mappings. A commit
	// with a mapping remembers it for the zone and the layout.
	Mapping xlsx.Mapping
	// WithoutUnknownPeople imports rows naming people who are not members
	// without setting them (their names go on the project's timeline).
	WithoutUnknownPeople bool
}

// ledgerKind is the importer kind of remembered mappings.
const ledgerKind = "ledger"

// ParseLedgerMapping reads a column mapping: header text → a ledger field
// (xlsx.LedgerFields) or "-" / "" for a column not imported.
func ParseLedgerMapping(pairs map[string]string) (xlsx.Mapping, error) {
	m, bad := xlsx.ParseMapping(pairs, xlsx.LedgerFields())
	if bad != "" {
		return nil, xinlu.Invalid("mapping", "projects.import_mapping_field", bad)
	}
	return m, nil
}

// CheckLedger reads a ledger workbook and maps its rows onto projects of
// zoneID: sponsors and parks by name, stages and industries by code, funds
// in place (for signed projects) onto dated entries, land and construction
// content into the plan, remarks and contacts onto the timeline. When
// opts.Commit is true and nothing is wrong, the projects are created, all
// or nothing; otherwise the store only tries them (a dry run). Re-importing
// a file creates nothing twice.
func CheckLedger(ctx context.Context, st *store.Store, p *i18n.Printer, a xinlu.Actor, zoneID int64, data []byte, opts LedgerCheck) (*LedgerImport, error) {
	remembered, err := st.ImportMappings(ctx, zoneID, ledgerKind)
	if err != nil {
		return nil, err
	}
	lo := xlsx.LedgerOptions{Mapping: opts.Mapping, Remembered: map[string]xlsx.Mapping{}}
	for k, m := range remembered {
		lo.Remembered[k] = m
	}
	led, err := xlsx.ReadLedger(bytes.NewReader(data), lo)
	if err != nil {
		var he *xlsx.LedgerHeaderError
		switch {
		case errors.As(err, &he) && len(he.Columns) > 0:
			return &LedgerImport{Header: he}, nil
		case errors.As(err, &he):
			return nil, xinlu.Invalid("file", "projects.import_header", he.Error())
		case errors.Is(err, xlsx.ErrLedgerNotWorkbook), errors.Is(err, xlsx.ErrLedgerEmpty), errors.Is(err, xlsx.ErrLedgerSheetMissing):
			return nil, xinlu.Invalid("file", "upload.not_xlsx")
		case errors.Is(err, xlsx.ErrLedgerTooLarge), errors.Is(err, xlsx.ErrLedgerTooManyRows):
			return nil, xinlu.Invalid("file", "projects.import_too_large")
		}
		return nil, xinlu.Internal(err)
	}
	today := st.Today().Format(xinlu.DateLayout)
	imp := &LedgerImport{Ledger: led, Problems: append([]xlsx.RowError(nil), led.Problems...), Today: today,
		Notices: append([]xlsx.RowError(nil), led.Notes...)}
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
		pr.Plan.Content, pr.Plan.LandMu = row.Content, row.LandMu
		item := store.ImportItem{Project: pr}
		detail := map[string]any{}
		// A person is a member of the zone by name; the agent and the
		// reporter have no place on a project and go on its timeline.
		person := func(field, name string) int64 {
			if name == "" {
				return 0
			}
			if id, ok := sponsors[name]; ok {
				if field != xlsx.LedgerSponsor {
					detail[field] = name
				}
				return id
			}
			imp.People = append(imp.People, xlsx.RowError{Row: row.Row, Column: led.Label(field), Message: p.T("projects.import_not_member", name)})
			detail[field+"_unknown"] = name
			return 0
		}
		pr.SponsorID = person(xlsx.LedgerSponsor, row.Sponsor)
		person(xlsx.LedgerAgent, row.Agent)
		person(xlsx.LedgerReporter, row.Reporter)
		if row.Park != "" {
			if id, ok := parks[row.Park]; ok {
				pr.Plan.ProposedParkID = id
			} else {
				detail["park_unknown"] = row.Park
				imp.Notices = append(imp.Notices, xlsx.RowError{Row: row.Row, Column: led.Label("park"), Message: p.T("projects.import_park_unknown", row.Park)})
			}
		}
		if row.FundsYuan > 0 {
			if row.SignedOn != "" {
				item.Funds = append(item.Funds, store.Funds{Yuan: row.FundsYuan, Note: p.T("projects.import_funds_note")})
			} else {
				// Funds in place before a signing count toward no contract:
				// they go on the timeline, not into the funds in place.
				detail["unsigned_funds_yuan"] = row.FundsYuan
				imp.Notices = append(imp.Notices, xlsx.RowError{Row: row.Row, Column: led.Label(xlsx.LedgerFunds),
					Message: p.T("projects.import_funds_unsigned_notice", strconv.FormatFloat(float64(row.FundsYuan)/10000, 'f', -1, 64))})
			}
		}
		if row.Note != "" {
			detail["note"] = row.Note
		}
		if row.Contact != "" {
			detail["contact"] = row.Contact
		}
		if len(detail) > 0 {
			item.Events = append(item.Events, store.ImportEvent{Kind: "imported", Detail: detail})
		}
		imp.Projects = append(imp.Projects, pr)
		imp.Items = append(imp.Items, item)
		imp.Rows = append(imp.Rows, row.Row)
	}
	if !opts.WithoutUnknownPeople {
		imp.Problems = append(imp.Problems, imp.People...)
	}
	if len(imp.Problems) > 0 || len(imp.Projects) == 0 {
		return imp, nil
	}
	imp.Result, err = st.ImportProjectItems(ctx, a, zoneID, imp.Items, !opts.Commit)
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
	if opts.Commit && opts.Mapping != nil {
		var headers []string
		for _, c := range led.Columns {
			headers = append(headers, c.Header)
		}
		if err := st.RememberImportMapping(ctx, a, zoneID, ledgerKind, led.Layout, headers, opts.Mapping); err != nil {
			return nil, err
		}
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
