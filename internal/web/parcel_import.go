package web

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

func (s *Server) parcelImportRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/land/parcels/import", Perm: xinlu.PermLandManage, Handler: s.parcelImportPage},
		{Method: "GET", Pattern: "/land/parcels/import/template.xlsx", Perm: xinlu.PermLandManage, Handler: s.parcelTemplate},
		{Method: "POST", Pattern: "/land/parcels/import", Perm: xinlu.PermLandManage, Handler: s.parcelImport},
		{Method: "POST", Pattern: "/land/parcels/import/errors", Perm: xinlu.PermLandManage, Handler: s.parcelImportErrors},
	}
}

func parcelImportView() enterpriseImportView {
	return enterpriseImportView{Action: "/land/parcels/import", Back: "/land/parcels", Hint: "land.import_hint"}
}

func (s *Server) parcelImportPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "enterprise_import", s.printer(r).T("land.import_title"), parcelImportView())
}

func (s *Server) parcelTemplate(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := xlsx.WriteParcelTemplate(&buf); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", attachment("parcels-template.xlsx"))
	w.Write(buf.Bytes())
}

func (s *Server) checkParcels(r *http.Request, p *i18n.Printer, data []byte, dryRun bool) (*xlsx.ParcelSheet, []xlsx.RowError, int, error) {
	info := requestInfo(r.Context())
	sh, err := xlsx.ReadParcels(data)
	if err != nil {
		return nil, nil, 0, xinlu.Invalid("file", "enterprise.import_unreadable", err.Error())
	}
	rows := make([]store.ParcelImportRow, len(sh.Rows))
	for i, x := range sh.Rows {
		rows[i] = store.ParcelImportRow{Row: x.Row, ParkName: x.Park, Parcel: xinlu.Parcel{Code: x.Code, AreaMu: x.AreaMu, LandUse: x.LandUse,
			Status: xinlu.ParcelStatus(x.Status), FARMin: x.FARMin, FARMax: x.FARMax, Shape: x.Shape, Note: x.Note}}
	}
	problems := sh.Problems
	n, probs, err := s.store.ImportParcels(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, rows, dryRun || len(problems) > 0)
	if err != nil {
		return nil, nil, 0, err
	}
	for _, pr := range probs {
		problems = append(problems, xlsx.RowError{Row: pr.Row, Column: p.Field(pr.Field), Message: p.Error(pr.Err)})
	}
	return sh, problems, n, nil
}

func (s *Server) parcelImport(w http.ResponseWriter, r *http.Request) {
	p := s.printer(r)
	var name string
	var data []byte
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		name, data, err = readWorkbookUpload(w, r)
	} else {
		name, data, err = carriedWorkbook(r)
	}
	v := parcelImportView()
	v.Name = name
	if err != nil {
		v.Err = err
		s.render(w, r, statusOf(err), "enterprise_import", p.T("land.import_title"), v)
		return
	}
	dryRun := r.PostFormValue("commit") != "1"
	sh, problems, n, err := s.checkParcels(r, p, data, dryRun)
	if err != nil {
		v.Err = err
		s.render(w, r, statusOf(err), "enterprise_import", p.T("land.import_title"), v)
		return
	}
	v.Data, v.Rows, v.Checked = base64.RawURLEncoding.EncodeToString(data), len(sh.Rows), true
	for _, pr := range problems {
		v.Problems = append(v.Problems, pr.Error())
	}
	status := http.StatusOK
	if len(problems) > 0 {
		status = http.StatusUnprocessableEntity
	} else if !dryRun {
		v.Done, v.Years = true, n
	}
	s.render(w, r, status, "enterprise_import", p.T("land.import_title"), v)
}

func (s *Server) parcelImportErrors(w http.ResponseWriter, r *http.Request) {
	name, data, err := carriedWorkbook(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	sh, problems, _, err := s.checkParcels(r, s.printer(r), data, true)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var out bytes.Buffer
	if err := xlsx.MarkErrors(bytes.NewReader(data), sh.Sheet, sh.HeaderRow, problems, &out); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	if name == "" {
		name = "parcels.xlsx"
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", attachment("errors-"+name))
	w.Write(out.Bytes())
}
