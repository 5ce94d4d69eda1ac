package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"

	"xinlu/internal/httpx"
	"xinlu/internal/report"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// The project ledger import, the UX.md way: upload → a dry run that checks
// every row and names every column it does not import → an all-or-nothing
// commit, or the user's own workbook back with the problems marked. A
// header no dictionary knows gets a column mapping step, remembered for the
// zone; names of people who are not members are problems unless the user
// chooses to import without them.
func (s *Server) projectImportRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/projects/import", Perm: xinlu.PermProjectPlan, Handler: s.projectImportPage},
		{Method: "POST", Pattern: "/projects/import", Perm: xinlu.PermProjectPlan, Handler: s.projectImportPreview},
		{Method: "POST", Pattern: "/projects/import/check", Perm: xinlu.PermProjectPlan, Handler: s.projectImportRecheck},
		{Method: "POST", Pattern: "/projects/import/commit", Perm: xinlu.PermProjectPlan, Handler: s.projectImportCommit},
		{Method: "POST", Pattern: "/projects/import/errors.xlsx", Perm: xinlu.PermProjectPlan, Handler: s.projectImportErrors},
	}
}

type projectImportView struct {
	FileName      string
	Data          string // the workbook, base64, carried to the commit and the error download
	Mapping       string // the user's column mapping, JSON, carried likewise
	WithoutPeople bool   // import without the people who are not members
	Import        *report.LedgerImport
	Fields        []xlsx.Field // what a column may be mapped to
	Err           error
}

// MappingColumns are the columns the mapping step shows: the likely
// header's when none was found, else the header's as read.
func (v projectImportView) MappingColumns() []xlsx.HeaderColumn {
	switch {
	case v.Import == nil:
		return nil
	case v.Import.Header != nil:
		return v.Import.Header.Columns
	case v.Import.Ledger != nil:
		return v.Import.Ledger.Columns
	}
	return nil
}

func (s *Server) projectImportPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "project_import", s.printer(r).T("projects.import_title"), projectImportView{})
}

// importChoices reads what the user chose on the page: the column mapping
// (pairs of mh header and mf field from the mapping step, or the carried
// JSON) and whether to import without unknown people.
func importChoices(r *http.Request) (report.LedgerCheck, string, error) {
	var opts report.LedgerCheck
	opts.WithoutUnknownPeople = r.PostFormValue("without_people") == "1"
	m, mapping, err := formMapping(r, xlsx.LedgerFields())
	opts.Mapping = m
	return opts, mapping, err
}

// formMapping reads the column mapping a user chose on an import page, for
// an importer of fields: pairs of mh header and mf field from the mapping
// step, or the carried JSON. It returns the mapping (nil for none) and its
// JSON to carry on to the next step.
func formMapping(r *http.Request, fields []xlsx.Field) (xlsx.Mapping, string, error) {
	pairs := map[string]string{}
	heads, chosen := r.PostForm["mh"], r.PostForm["mf"]
	if len(heads) > 0 && len(heads) == len(chosen) {
		for i, h := range heads {
			pairs[h] = chosen[i]
		}
	} else if s := r.PostFormValue("mapping"); s != "" {
		if err := json.Unmarshal([]byte(s), &pairs); err != nil {
			return nil, "", xinlu.Invalid("mapping", "projects.import_mapping_json")
		}
	}
	m, bad := xlsx.ParseMapping(pairs, fields)
	if bad != "" {
		return nil, "", xinlu.Invalid("mapping", "projects.import_mapping_field", bad)
	}
	if m == nil {
		return nil, "", nil
	}
	b, _ := json.Marshal(pairs)
	return m, string(b), nil
}

// checkLedger reads and checks a workbook; opts.Commit writes it when nothing is wrong.
func (s *Server) checkLedger(r *http.Request, data []byte, opts report.LedgerCheck) (*report.LedgerImport, error) {
	info := requestInfo(r.Context())
	return report.CheckLedger(r.Context(), s.store, s.printer(r), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, data, opts)
}

// importPreview shows a dry run: the mapping step, the problems, or what
// would be imported.
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request, name string, data []byte, opts report.LedgerCheck, mapping string) {
	opts.Commit = false
	imp, err := s.checkLedger(r, data, opts)
	if err != nil {
		s.importFail(w, r, name, err)
		return
	}
	v := projectImportView{FileName: name, Data: base64.RawURLEncoding.EncodeToString(data), Mapping: mapping,
		WithoutPeople: opts.WithoutUnknownPeople, Import: imp, Fields: xlsx.LedgerFields()}
	status := http.StatusOK
	if imp.Header != nil || len(imp.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "project_import", s.printer(r).T("projects.import_title"), v)
}

func (s *Server) projectImportPreview(w http.ResponseWriter, r *http.Request) {
	name, data, err := readWorkbookUpload(w, r)
	if err != nil {
		s.importFail(w, r, name, err)
		return
	}
	s.importPreview(w, r, name, data, report.LedgerCheck{}, "")
}

// projectImportRecheck runs the dry run again on the carried workbook with
// the user's column mapping or choice about unknown people.
func (s *Server) projectImportRecheck(w http.ResponseWriter, r *http.Request) {
	name, data, err := carriedWorkbook(r)
	if err == nil {
		var opts report.LedgerCheck
		var mapping string
		if opts, mapping, err = importChoices(r); err == nil {
			s.importPreview(w, r, name, data, opts, mapping)
			return
		}
	}
	s.importFail(w, r, name, err)
}

// importFail shows the upload form again with a problem of the file as a
// whole, or a failure page for anything else.
func (s *Server) importFail(w http.ResponseWriter, r *http.Request, name string, err error) {
	if !isFormError(err) {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "project_import", s.printer(r).T("projects.import_title"), projectImportView{FileName: name, Err: err})
}

func (s *Server) projectImportCommit(w http.ResponseWriter, r *http.Request) {
	name, data, err := carriedWorkbook(r)
	var imp *report.LedgerImport
	var opts report.LedgerCheck
	var mapping string
	if err == nil {
		opts, mapping, err = importChoices(r)
	}
	if err == nil {
		opts.Commit = true
		imp, err = s.checkLedger(r, data, opts)
	}
	if err == nil && (imp.Header != nil || len(imp.Problems) > 0) {
		// The file changed in between or was forged: nothing is written.
		s.render(w, r, http.StatusUnprocessableEntity, "project_import", s.printer(r).T("projects.import_title"),
			projectImportView{FileName: name, Data: base64.RawURLEncoding.EncodeToString(data), Mapping: mapping,
				WithoutPeople: opts.WithoutUnknownPeople, Import: imp, Fields: xlsx.LedgerFields()})
		return
	}
	if err != nil {
		if isFormError(err) {
			s.render(w, r, statusOf(err), "project_import", s.printer(r).T("projects.import_title"), projectImportView{FileName: name, Err: err})
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.imported")
	redirect(w, r, "/projects")
}

// projectImportErrors gives back the user's own workbook with a 错误原因
// column beside each bad row.
func (s *Server) projectImportErrors(w http.ResponseWriter, r *http.Request) {
	name, data, err := carriedWorkbook(r)
	var imp *report.LedgerImport
	var opts report.LedgerCheck
	if err == nil {
		opts, _, err = importChoices(r)
	}
	if err == nil {
		imp, err = s.checkLedger(r, data, opts)
	}
	if err == nil && imp.Ledger == nil {
		err = xinlu.Invalid("file", "projects.import_mapping_needed")
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var out bytes.Buffer
	if err := xlsx.MarkErrors(bytes.NewReader(data), imp.Ledger.Sheet, imp.Ledger.HeaderRow, imp.Problems, &out); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	if name == "" {
		name = "ledger.xlsx"
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", httpx.Attachment("errors-"+name))
	w.Write(out.Bytes())
}
