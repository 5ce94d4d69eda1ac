package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"

	"xinlu/internal/httpx"
	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// A checked import of factor data from Excel (parcels, utilities,
// enterprises with their yearly figures): the template, the upload checked
// row by row (a dry run), a column mapping step when the header is not the
// template's (the mapping remembered for the zone and the file's layout),
// the workbook back with 错误原因, and the import all or nothing.
type workbookImport struct {
	action, back, hint, title, file string
	// kind names the import's remembered mappings (and their audit rows).
	kind     string
	fields   []xlsx.Field
	template func(io.Writer) error
	// check reads the workbook with opts and checks it against the store,
	// writing when dryRun is false and every row is right.
	check func(r *http.Request, p *i18n.Printer, data []byte, opts xlsx.FactorOptions, dryRun bool) (*checkedWorkbook, error)
}

// checkedWorkbook is a checked factor workbook: the sheet and header row
// for MarkErrors, how the header was read, the problems in words, the rows
// read, and the records created and written.
type checkedWorkbook struct {
	sheet            string
	header           int
	head             xlsx.FactorHeader
	problems         []xlsx.RowError
	rows             int
	created, written int
}

func (s *Server) factorImports() []*workbookImport {
	return []*workbookImport{
		{action: "/land/parcels/import", back: "/land/parcels", hint: "land.import_hint", title: "land.import_title", file: "parcels",
			kind: "parcel", fields: xlsx.ParcelFields(), template: xlsx.WriteParcelTemplate, check: s.checkParcels},
		{action: "/land/utilities/import", back: "/land", hint: "land.utility_import_hint", title: "land.utility_import_title", file: "utilities",
			kind: "utility", fields: xlsx.UtilityFields(), template: xlsx.WriteUtilityTemplate, check: s.checkUtilities},
		{action: "/enterprises/import", back: "/enterprises", hint: "enterprise.import_hint", title: "enterprise.import_title", file: "enterprises",
			kind: "enterprise", fields: xlsx.EnterpriseFields(), template: xlsx.WriteEnterpriseTemplate, check: s.checkEnterprises},
	}
}

func (s *Server) parcelImportRoutes() []Route {
	var rs []Route
	for _, im := range s.factorImports() {
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
	return enterpriseImportView{Action: im.action, Back: im.back, Hint: im.hint, Fields: im.fields}
}

// factorOptions are the header choices of a factor import: the mapping the
// user chose on the page (and its JSON to carry on), and the zone's
// mappings remembered for the import.
func (s *Server) factorOptions(r *http.Request, im *workbookImport) (xlsx.FactorOptions, string, error) {
	m, carried, err := formMapping(r, im.fields)
	if err != nil {
		return xlsx.FactorOptions{}, "", err
	}
	remembered, err := s.store.ImportMappings(r.Context(), requestInfo(r.Context()).user.ZoneID, im.kind)
	if err != nil {
		return xlsx.FactorOptions{}, "", err
	}
	opts := xlsx.FactorOptions{Mapping: m, Remembered: map[string]xlsx.Mapping{}}
	for k, v := range remembered {
		opts.Remembered[k] = v
	}
	return opts, carried, nil
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
	var opts xlsx.FactorOptions
	if err == nil {
		v.Data = base64.RawURLEncoding.EncodeToString(data)
		opts, v.Mapping, err = s.factorOptions(r, im)
	}
	if err != nil {
		v.Err = err
		s.render(w, r, statusOf(err), "enterprise_import", p.T(im.title), v)
		return
	}
	dryRun := r.PostFormValue("commit") != "1"
	res, err := im.check(r, p, data, opts, dryRun)
	if err != nil {
		v.Err = err
		var he *xlsx.HeaderError
		if errors.As(err, &he) {
			v.NeedsMapping, v.HeaderRow, v.MappingColumns = true, he.Row, he.Columns
		} else {
			v.Data = ""
		}
		s.render(w, r, statusOf(err), "enterprise_import", p.T(im.title), v)
		return
	}
	v.Rows, v.Checked = res.rows, true
	v.MappingColumns, v.NotImported, v.Remembered = res.head.Columns, res.head.NotImported, opts.Mapping == nil && res.head.Mapping != nil
	for _, pr := range res.problems {
		v.Problems = append(v.Problems, pr.Error())
	}
	status := http.StatusOK
	if len(res.problems) > 0 {
		status = http.StatusUnprocessableEntity
	} else if !dryRun {
		if opts.Mapping != nil {
			info := requestInfo(r.Context())
			pairs := map[string]string(opts.Mapping)
			if err := s.store.RememberImportMapping(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, im.kind, res.head.Layout, res.head.Header, pairs); err != nil {
				s.renderError(w, r, err)
				return
			}
		}
		v.Done, v.Created, v.Years = true, res.created, res.written
	}
	s.render(w, r, status, "enterprise_import", p.T(im.title), v)
}

func (s *Server) importErrors(w http.ResponseWriter, r *http.Request, im *workbookImport) {
	name, data, err := carriedWorkbook(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	opts, _, err := s.factorOptions(r, im)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	res, err := im.check(r, s.printer(r), data, opts, true)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var out bytes.Buffer
	if err := xlsx.MarkErrors(bytes.NewReader(data), res.sheet, res.header, res.problems, &out); err != nil {
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

// checked is what a factor check answers: the sheet's own problems first,
// then the store's; nothing counts as written when any is found.
func checked(sheet string, header int, head xlsx.FactorHeader, own []xlsx.RowError, p *i18n.Printer, probs []store.RowProblem, rows, created, written int) *checkedWorkbook {
	c := &checkedWorkbook{sheet: sheet, header: header, head: head, problems: append(own, problemsInWords(p, probs)...), rows: rows,
		created: created, written: written}
	if len(c.problems) > 0 {
		c.created, c.written = 0, 0
	}
	return c
}

func (s *Server) checkParcels(r *http.Request, p *i18n.Printer, data []byte, opts xlsx.FactorOptions, dryRun bool) (*checkedWorkbook, error) {
	info := requestInfo(r.Context())
	sh, err := xlsx.ReadParcelsWith(data, opts)
	if err != nil {
		return nil, err
	}
	rows := make([]store.ParcelImportRow, len(sh.Rows))
	for i, x := range sh.Rows {
		rows[i] = store.ParcelImportRow{Row: x.Row, ParkName: x.Park, Parcel: xinlu.Parcel{Code: x.Code, AreaMu: x.AreaMu, LandUse: x.LandUse,
			Status: xinlu.ParcelStatus(x.Status), FARMin: x.FARMin, FARMax: x.FARMax, Shape: x.Shape, Note: x.Note}}
	}
	n, probs, err := s.store.ImportParcels(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, rows, dryRun || len(sh.Problems) > 0)
	if err != nil {
		return nil, err
	}
	return checked(sh.Sheet, sh.HeaderRow, sh.FactorHeader, sh.Problems, p, probs, len(sh.Rows), 0, n), nil
}

func (s *Server) checkUtilities(r *http.Request, p *i18n.Printer, data []byte, opts xlsx.FactorOptions, dryRun bool) (*checkedWorkbook, error) {
	info := requestInfo(r.Context())
	sh, err := xlsx.ReadUtilitiesWith(data, opts)
	if err != nil {
		return nil, err
	}
	rows := make([]store.UtilityImportRow, len(sh.Rows))
	for i, x := range sh.Rows {
		rows[i] = store.UtilityImportRow{Row: x.Row, ParkName: x.Park, Utility: xinlu.Utility{Kind: xinlu.UtilityKind(x.Kind), Supplier: x.Supplier,
			BaseCapacity: x.Capacity, WarnRatio: x.WarnPct / 100}}
	}
	n, probs, err := s.store.ImportUtilities(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, rows, dryRun || len(sh.Problems) > 0)
	if err != nil {
		return nil, err
	}
	return checked(sh.Sheet, sh.HeaderRow, sh.FactorHeader, sh.Problems, p, probs, len(sh.Rows), 0, n), nil
}

// checkEnterprises reads an enterprise figures workbook and checks every
// row against the store, importing enterprises and their years when dryRun
// is false and nothing is wrong.
func (s *Server) checkEnterprises(r *http.Request, p *i18n.Printer, data []byte, opts xlsx.FactorOptions, dryRun bool) (*checkedWorkbook, error) {
	info := requestInfo(r.Context())
	sh, err := xlsx.ReadEnterprisesWith(data, opts)
	if err != nil {
		return nil, err
	}
	rows := make([]store.EnterpriseImportRow, len(sh.Rows))
	for i, x := range sh.Rows {
		rows[i] = store.EnterpriseImportRow{Row: x.Row, Enterprise: xinlu.Enterprise{Name: x.Name, CreditCode: x.CreditCode, Industry: x.Industry},
			ParkName: x.Park, Year: xinlu.EnterpriseYear{Year: x.Year, OutputYuan: x.OutputYuan, TaxYuan: x.TaxYuan, EnergyTce: x.EnergyTce,
				EmissionsT: x.EmissionsT, LandMu: x.LandMu, Employees: x.Employees}}
	}
	created, years, probs, err := s.store.ImportEnterprises(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, rows, dryRun || len(sh.Problems) > 0)
	if err != nil {
		return nil, err
	}
	return checked(sh.Sheet, sh.HeaderRow, sh.FactorHeader, sh.Problems, p, probs, len(sh.Rows), created, years), nil
}
