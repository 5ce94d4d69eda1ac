package web

import (
	"bytes"
	"encoding/base64"
	"net/http"

	"xinlu/internal/api"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// The project ledger import, the UX.md way: upload → a dry run that checks
// every row → an all-or-nothing commit, or the user's own workbook back
// with the problems marked.
func (s *Server) projectImportRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/projects/import", Perm: xinlu.PermProjectPlan, Handler: s.projectImportPage},
		{Method: "POST", Pattern: "/projects/import", Perm: xinlu.PermProjectPlan, Handler: s.projectImportPreview},
		{Method: "POST", Pattern: "/projects/import/commit", Perm: xinlu.PermProjectPlan, Handler: s.projectImportCommit},
		{Method: "POST", Pattern: "/projects/import/errors.xlsx", Perm: xinlu.PermProjectPlan, Handler: s.projectImportErrors},
	}
}

type projectImportView struct {
	FileName string
	Data     string // the workbook, base64, carried to the commit and the error download
	Import   *api.LedgerImport
	Err      error
}

func (s *Server) projectImportPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "project_import", s.printer(r).T("projects.import_title"), projectImportView{})
}

// checkLedger reads and checks a workbook; commit writes it when nothing is wrong.
func (s *Server) checkLedger(r *http.Request, data []byte, commit bool) (*api.LedgerImport, error) {
	info := requestInfo(r.Context())
	return api.CheckLedger(r.Context(), s.store, s.printer(r), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, data, commit)
}

func (s *Server) projectImportPreview(w http.ResponseWriter, r *http.Request) {
	name, data, err := readWorkbookUpload(w, r)
	var imp *api.LedgerImport
	if err == nil {
		imp, err = s.checkLedger(r, data, false)
	}
	if err != nil && !isFormError(err) {
		s.renderError(w, r, err)
		return
	}
	v := projectImportView{FileName: name, Data: base64.RawURLEncoding.EncodeToString(data), Import: imp, Err: err}
	status := http.StatusOK
	if err != nil || len(imp.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "project_import", s.printer(r).T("projects.import_title"), v)
}

func (s *Server) projectImportCommit(w http.ResponseWriter, r *http.Request) {
	name, data, err := carriedWorkbook(r)
	var imp *api.LedgerImport
	if err == nil {
		imp, err = s.checkLedger(r, data, true)
	}
	if err == nil && len(imp.Problems) > 0 {
		// The file changed in between or was forged: nothing is written.
		s.render(w, r, http.StatusUnprocessableEntity, "project_import", s.printer(r).T("projects.import_title"),
			projectImportView{FileName: name, Data: base64.RawURLEncoding.EncodeToString(data), Import: imp})
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
	var imp *api.LedgerImport
	if err == nil {
		imp, err = s.checkLedger(r, data, false)
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
	w.Header().Set("Content-Disposition", attachment("errors-"+name))
	w.Write(out.Bytes())
}
