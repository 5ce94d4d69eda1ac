package web

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"strings"

	"xinlu/internal/httpx"
	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// A checked import of park data from Excel (parcels, utilities): the
// template, the upload checked row by row (a dry run), the workbook back
// with 错误原因, and the import all or nothing. The page is the enterprise
// import's.
type workbookImport struct {
	action, back, hint, title, file string
	template                        func(io.Writer) error
	// check reads the workbook and checks it against the store, writing
	// when dryRun is false and every row is right: the sheet and header row
	// for MarkErrors, the problems in words, the rows read and written.
	check func(r *http.Request, p *i18n.Printer, data []byte, dryRun bool) (sheet string, header int, problems []xlsx.RowError, rows, written int, err error)
}

func (s *Server) parcelImportRoutes() []Route {
	var rs []Route
	for _, im := range []*workbookImport{
		{action: "/land/parcels/import", back: "/land/parcels", hint: "land.import_hint", title: "land.import_title", file: "parcels",
			template: xlsx.WriteParcelTemplate, check: s.checkParcels},
		{action: "/land/utilities/import", back: "/land", hint: "land.utility_import_hint", title: "land.utility_import_title", file: "utilities",
			template: xlsx.WriteUtilityTemplate, check: s.checkUtilities},
	} {
		rs = append(rs,
			Route{Method: "GET", Pattern: im.action, Perm: xinlu.PermLandManage, Handler: func(w http.ResponseWriter, r *http.Request) {
				s.render(w, r, http.StatusOK, "enterprise_import", s.printer(r).T(im.title), im.view())
			}},
			Route{Method: "GET", Pattern: im.action + "/template.xlsx", Perm: xinlu.PermLandManage, Handler: func(w http.ResponseWriter, r *http.Request) {
				var buf bytes.Buffer
				if err := im.template(&buf); err != nil {
					s.renderError(w, r, xinlu.Internal(err))
					return
				}
				w.Header().Set("Content-Type", xlsx.ContentType)
				w.Header().Set("Content-Disposition", httpx.Attachment(im.file+"-template.xlsx"))
				w.Write(buf.Bytes())
			}},
			Route{Method: "POST", Pattern: im.action, Perm: xinlu.PermLandManage, Handler: func(w http.ResponseWriter, r *http.Request) { s.runImport(w, r, im) }},
			Route{Method: "POST", Pattern: im.action + "/errors", Perm: xinlu.PermLandManage, Handler: func(w http.ResponseWriter, r *http.Request) { s.importErrors(w, r, im) }},
		)
	}
	return rs
}

func (im *workbookImport) view() enterpriseImportView {
	return enterpriseImportView{Action: im.action, Back: im.back, Hint: im.hint}
}

func (s *Server) runImport(w http.ResponseWriter, r *http.Request, im *workbookImport) {
	p := s.printer(r)
	var name string
	var data []byte
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		name, data, err = readWorkbookUpload(w, r)
	} else {
		name, data, err = carriedWorkbook(r)
	}
	v := im.view()
	v.Name = name
	if err != nil {
		v.Err = err
		s.render(w, r, statusOf(err), "enterprise_import", p.T(im.title), v)
		return
	}
	dryRun := r.PostFormValue("commit") != "1"
	_, _, problems, rows, written, err := im.check(r, p, data, dryRun)
	if err != nil {
		v.Err = err
		s.render(w, r, statusOf(err), "enterprise_import", p.T(im.title), v)
		return
	}
	v.Data, v.Rows, v.Checked = base64.RawURLEncoding.EncodeToString(data), rows, true
	for _, pr := range problems {
		v.Problems = append(v.Problems, pr.Error())
	}
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusUnprocessableEntity
	} else if !dryRun {
		v.Done, v.Years = true, written
	}
	s.render(w, r, status, "enterprise_import", p.T(im.title), v)
}

func (s *Server) importErrors(w http.ResponseWriter, r *http.Request, im *workbookImport) {
	name, data, err := carriedWorkbook(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	sheet, header, problems, _, _, err := im.check(r, s.printer(r), data, true)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var out bytes.Buffer
	if err := xlsx.MarkErrors(bytes.NewReader(data), sheet, header, problems, &out); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	if name == "" {
		name = im.file + ".xlsx"
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", httpx.Attachment("errors-"+name))
	w.Write(out.Bytes())
}

// problemsInWords turns the store's row problems into row errors in words.
func problemsInWords(p *i18n.Printer, probs []store.RowProblem) []xlsx.RowError {
	var out []xlsx.RowError
	for _, pr := range probs {
		out = append(out, xlsx.RowError{Row: pr.Row, Column: p.Field(pr.Field), Message: p.Error(pr.Err)})
	}
	return out
}

func (s *Server) checkParcels(r *http.Request, p *i18n.Printer, data []byte, dryRun bool) (string, int, []xlsx.RowError, int, int, error) {
	info := requestInfo(r.Context())
	sh, err := xlsx.ReadParcels(data)
	if err != nil {
		return "", 0, nil, 0, 0, xinlu.Invalid("file", "enterprise.import_unreadable", err.Error())
	}
	rows := make([]store.ParcelImportRow, len(sh.Rows))
	for i, x := range sh.Rows {
		rows[i] = store.ParcelImportRow{Row: x.Row, ParkName: x.Park, Parcel: xinlu.Parcel{Code: x.Code, AreaMu: x.AreaMu, LandUse: x.LandUse,
			Status: xinlu.ParcelStatus(x.Status), FARMin: x.FARMin, FARMax: x.FARMax, Shape: x.Shape, Note: x.Note}}
	}
	n, probs, err := s.store.ImportParcels(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, rows, dryRun || len(sh.Problems) > 0)
	if err != nil {
		return "", 0, nil, 0, 0, err
	}
	return sh.Sheet, sh.HeaderRow, append(sh.Problems, problemsInWords(p, probs)...), len(sh.Rows), n, nil
}

func (s *Server) checkUtilities(r *http.Request, p *i18n.Printer, data []byte, dryRun bool) (string, int, []xlsx.RowError, int, int, error) {
	info := requestInfo(r.Context())
	sh, err := xlsx.ReadUtilities(data)
	if err != nil {
		return "", 0, nil, 0, 0, xinlu.Invalid("file", "enterprise.import_unreadable", err.Error())
	}
	rows := make([]store.UtilityImportRow, len(sh.Rows))
	for i, x := range sh.Rows {
		rows[i] = store.UtilityImportRow{Row: x.Row, ParkName: x.Park, Utility: xinlu.Utility{Kind: xinlu.UtilityKind(x.Kind), Supplier: x.Supplier,
			BaseCapacity: x.Capacity, WarnRatio: x.WarnPct / 100}}
	}
	n, probs, err := s.store.ImportUtilities(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, rows, dryRun || len(sh.Problems) > 0)
	if err != nil {
		return "", 0, nil, 0, 0, err
	}
	return sh.Sheet, sh.HeaderRow, append(sh.Problems, problemsInWords(p, probs)...), len(sh.Rows), n, nil
}
