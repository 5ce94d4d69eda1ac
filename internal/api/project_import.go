package api

import (
	"encoding/json"
	"io"
	"net/http"

	"xinlu/internal/report"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// importResultJSON answers an import or its dry run: what it did or would
// do, every problem, every column of the sheet and the field it went to,
// the columns not imported and what the import did with carried columns.
type importResultJSON struct {
	DryRun        bool            `json:"dry_run"`
	Created       int             `json:"created"`
	Skipped       int             `json:"skipped"`
	Problems      []problemJSON   `json:"problems"`
	UnknownPeople []problemJSON   `json:"unknown_people"`
	Notices       []problemJSON   `json:"notices"`
	Columns       []columnJSON    `json:"columns"`
	NotImported   []notImportJSON `json:"not_imported"`
	// MappingNeeded: no header row names the required columns; Columns
	// are the likely header's, Fields what each may be mapped to (the
	// mapping parameter).
	MappingNeeded     bool     `json:"mapping_needed"`
	MappingRemembered bool     `json:"mapping_remembered"`
	Fields            []string `json:"fields,omitempty"`
}

type problemJSON struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

type columnJSON struct {
	Column string `json:"column"` // the letter: A, B …
	Header string `json:"header"`
	Field  string `json:"field"` // "" when not imported
}

type notImportJSON struct {
	Column string `json:"column"`
	Header string `json:"header"`
	Rows   int    `json:"rows"` // rows with a value in the column
}

func problemsJSON(ps []xlsx.RowError) []problemJSON {
	out := []problemJSON{}
	for _, p := range ps {
		out = append(out, problemJSON{Row: p.Row, Column: p.Column, Message: p.Message})
	}
	return out
}

// importProjects takes the workbook as the request body; ?dry_run=1 only
// checks it; ?mapping= is a JSON object of header text → field ("-" for
// not imported) over the dictionary, remembered for the zone on a
// successful import; ?without_unknown_people=1 imports rows naming people
// who are not members without them. Any problem answers 422 with every
// problem, and nothing is written.
func (a *API) importProjects(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	dry := q.Get("dry_run")
	if dry != "" && dry != "0" && dry != "1" {
		return xinlu.Invalid("dry_run", "error.invalid_choice")
	}
	without := q.Get("without_unknown_people")
	if without != "" && without != "0" && without != "1" {
		return xinlu.Invalid("without_unknown_people", "error.invalid_choice")
	}
	opts := report.LedgerCheck{Commit: dry != "1", WithoutUnknownPeople: without == "1"}
	if s := q.Get("mapping"); s != "" {
		var pairs map[string]string
		if err := json.Unmarshal([]byte(s), &pairs); err != nil {
			return xinlu.Invalid("mapping", "projects.import_mapping_json")
		}
		m, err := report.ParseLedgerMapping(pairs)
		if err != nil {
			return err
		}
		opts.Mapping = m
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, xlsx.DefaultLedgerMaxBytes+1))
	if err != nil {
		return xinlu.Invalid("file", "upload.not_xlsx")
	}
	if len(data) == 0 {
		return xinlu.Invalid("file", "error.required")
	}
	u := user(r)
	p := a.printer(r)
	imp, err := report.CheckLedger(r.Context(), a.store, p, actor(r), u.ZoneID, data, opts)
	if err != nil {
		return err
	}
	out := importResultJSON{DryRun: dry == "1", Created: imp.Result.Created, Skipped: imp.Result.Skipped, Problems: problemsJSON(imp.Problems),
		UnknownPeople: problemsJSON(imp.People), Notices: problemsJSON(imp.Notices), Columns: []columnJSON{}, NotImported: []notImportJSON{}}
	var cols []xlsx.HeaderColumn
	if imp.Header != nil {
		out.MappingNeeded, cols = true, imp.Header.Columns
		for _, f := range xlsx.LedgerFields() {
			out.Fields = append(out.Fields, f.Key)
		}
		out.Problems = append(out.Problems, problemJSON{Row: imp.Header.Row, Message: p.T("projects.import_header", imp.Header.Error())})
	} else {
		cols, out.MappingRemembered = imp.Ledger.Columns, imp.Ledger.Remembered
		for _, c := range imp.Ledger.NotImported {
			out.NotImported = append(out.NotImported, notImportJSON{Column: c.Letter, Header: c.Header, Rows: c.Rows})
		}
	}
	for _, c := range cols {
		out.Columns = append(out.Columns, columnJSON{Column: c.Letter, Header: c.Header, Field: c.Field})
	}
	status := http.StatusOK
	if len(out.Problems) > 0 {
		status, out.Created, out.Skipped = http.StatusUnprocessableEntity, 0, 0
	}
	writeJSON(w, status, out)
	return nil
}
