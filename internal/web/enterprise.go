package web

import (
	"math"
	"net/http"
	"strconv"

	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

func (s *Server) enterpriseRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/enterprises", Perm: xinlu.PermLandView, Handler: s.enterpriseList},
		{Method: "GET", Pattern: "/enterprises/{id}", Perm: xinlu.PermLandView, Handler: s.enterpriseShow},
		{Method: "GET", Pattern: "/enterprises.xlsx", Perm: xinlu.PermLandView, Handler: s.enterpriseExport},
		{Method: "POST", Pattern: "/enterprises/{id}/years", Perm: xinlu.PermLandManage, Handler: s.enterpriseYearSave},
		{Method: "GET", Pattern: "/efficiency", Perm: xinlu.PermLandView, Handler: s.efficiencyPage},
		{Method: "GET", Pattern: "/efficiency/{year}/export.xlsx", Perm: xinlu.PermLandView, Handler: s.efficiencyExport},
		{Method: "POST", Pattern: "/efficiency/scheme", Perm: xinlu.PermLandManage, Handler: s.efficiencySchemeSave},
	}
}

type enterpriseListView struct {
	Items     []*xinlu.Enterprise
	Pager     pager
	Query     string
	CanManage bool
}

func (s *Server) enterpriseList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	pg := pageFrom(r)
	q := r.URL.Query().Get("q")
	items, total, err := s.store.ListEnterprises(r.Context(), u.ZoneID, q, pg)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "enterprises", s.printer(r).T("enterprise.title"), enterpriseListView{Items: items, Pager: newPager(r, pg, total),
		Query: q, CanManage: u.Can(xinlu.PermLandManage)})
}

type enterpriseYearRow struct {
	Y     xinlu.EnterpriseYear
	Class string
	Score float64
	Rank  int
}

type enterpriseShowView struct {
	E         *xinlu.Enterprise
	Years     []enterpriseYearRow
	CanManage bool
	Err       error
	ThisYear  int
}

func (s *Server) enterpriseShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.enterprisePage(w, r, http.StatusOK, id, nil)
}

func (s *Server) enterprisePage(w http.ResponseWriter, r *http.Request, status int, id int64, err error) {
	u := requestInfo(r.Context()).user
	ctx := r.Context()
	e, lerr := s.store.EnterpriseByID(ctx, u.ZoneID, id)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	ys, lerr := s.store.EnterpriseYears(ctx, u.ZoneID, id)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	hist, lerr := s.store.ClassHistory(ctx, u.ZoneID, id)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	v := enterpriseShowView{E: e, CanManage: u.Can(xinlu.PermLandManage), Err: err, ThisYear: s.today().Year() - 1}
	for i := len(ys) - 1; i >= 0; i-- {
		row := enterpriseYearRow{Y: ys[i]}
		if h, ok := hist[ys[i].Year]; ok {
			row.Class, row.Score, row.Rank = h.Class, h.Score, h.Rank
		}
		v.Years = append(v.Years, row)
	}
	s.render(w, r, status, "enterprise_show", e.Name, v)
}

func (s *Server) enterpriseYearSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	y := xinlu.EnterpriseYear{EnterpriseID: id, Year: intField(r, &errs, "year"), OutputYuan: wanField(r, &errs, "output_yuan"),
		TaxYuan: wanField(r, &errs, "tax_yuan"), EnergyTce: floatField(r, &errs, "energy_tce"), EmissionsT: floatField(r, &errs, "emissions_t"),
		LandMu: floatField(r, &errs, "land_mu"), Employees: intField(r, &errs, "employees")}
	err = errs.Err()
	if err == nil {
		err = s.store.SaveEnterpriseYear(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, y)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.enterprisePage(w, r, status, id, err) }, "flash.updated", "/enterprises/"+strconv.FormatInt(id, 10))
}

// wanField reads an amount typed in 万元 and returns yuan.
func wanField(r *http.Request, errs *xinlu.FieldErrors, name string) int64 {
	f := floatField(r, errs, name)
	if f < 0 || f > 1e9 {
		errs.Invalid(name, "error.out_of_range", 0, 1_000_000_000)
		return 0
	}
	return int64(math.Round(f * 10000))
}

type enterpriseImportView struct {
	Action   string // the import's address; its template and errors are below it
	Back     string
	Hint     string
	Name     string
	Data     string // the workbook, carried for the errors download and the commit
	Problems []string
	Rows     int
	Checked  bool
	Done     bool
	Created  int
	Years    int
	Err      error
	// The column mapping step: the fields, the mapping chosen (JSON, carried
	// on), the header's columns, and whether the file needs a mapping
	// (HeaderRow: the row taken as the header).
	Fields         []xlsx.Field
	Mapping        string
	MappingColumns []xlsx.HeaderColumn
	NotImported    []xlsx.NotImported
	NeedsMapping   bool
	Remembered     bool
	HeaderRow      int
}

type efficiencyView struct {
	Year       int
	Years      []int
	Results    []xinlu.EffResult
	Counts     map[string]int
	Classes    []string
	Indicators []string
	Scheme     xinlu.EfficiencyScheme
	CanManage  bool
	Err        error
}

func (s *Server) efficiencyPage(w http.ResponseWriter, r *http.Request) {
	s.efficiencyRender(w, r, http.StatusOK, nil)
}

func (s *Server) efficiencyRender(w http.ResponseWriter, r *http.Request, status int, err error) {
	u := requestInfo(r.Context()).user
	ctx := r.Context()
	v := efficiencyView{Classes: xinlu.EffClasses, Indicators: xinlu.EffIndicators, CanManage: u.Can(xinlu.PermLandManage), Err: err, Counts: map[string]int{}}
	var lerr error
	if v.Years, lerr = s.store.EfficiencyYears(ctx, u.ZoneID); lerr == nil {
		v.Scheme, lerr = s.store.EfficiencyScheme(ctx, u.ZoneID)
	}
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	if len(v.Years) > 0 {
		v.Year = v.Years[0]
		if y, perr := strconv.Atoi(r.URL.Query().Get("year")); perr == nil {
			v.Year = y
		}
		if v.Results, lerr = s.store.Efficiency(ctx, u.ZoneID, v.Year); lerr != nil {
			s.renderError(w, r, lerr)
			return
		}
		for _, res := range v.Results {
			v.Counts[res.Class]++
		}
	}
	s.render(w, r, status, "efficiency", s.printer(r).T("efficiency.title"), v)
}

func (s *Server) efficiencySchemeSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	var errs xinlu.FieldErrors
	sc := xinlu.EfficiencyScheme{Weights: map[string]float64{}}
	for _, k := range xinlu.EffIndicators {
		sc.Weights[k] = floatField(r, &errs, "weight_"+k)
	}
	sc.A, sc.B, sc.C = floatField(r, &errs, "class_a"), floatField(r, &errs, "class_b"), floatField(r, &errs, "class_c")
	err := errs.Err()
	if err == nil {
		err = s.store.SetEfficiencyScheme(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, sc)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.efficiencyRender(w, r, status, err) }, "flash.updated", "/efficiency")
}

func (s *Server) efficiencyExport(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := s.printer(r)
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		s.renderError(w, r, xinlu.NotFound("error.not_found"))
		return
	}
	rs, err := s.store.Efficiency(r.Context(), u.ZoneID, year)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rep := &xlsx.Report{Sheet: p.T("efficiency.sheet"), Title: p.T("efficiency.report_title", year), By: u.Name, Date: s.today(),
		Columns: []xlsx.Column{{Header: p.T("efficiency.rank"), Kind: xlsx.Int, Width: 8}, {Header: p.T("field.enterprise"), Width: 30},
			{Header: p.T("land.park"), Width: 20}, {Header: p.T("efficiency.tax_per_mu_wan"), Kind: xlsx.Hundredths},
			{Header: p.T("efficiency.output_per_mu_wan"), Kind: xlsx.Hundredths}, {Header: p.T("efficiency.output_per_energy_wan"), Kind: xlsx.Hundredths},
			{Header: p.T("efficiency.output_per_head_wan"), Kind: xlsx.Hundredths}, {Header: p.T("efficiency.score"), Kind: xlsx.Hundredths},
			{Header: p.T("efficiency.class"), Width: 8}}}
	h := func(yuan float64) int64 { return int64(math.Round(yuan / 100)) } // yuan → 万元 in hundredths
	for _, x := range rs {
		rep.Rows = append(rep.Rows, []any{int64(x.Rank), x.Enterprise.Name, x.Enterprise.ParkName, h(x.Values[xinlu.EffTaxPerMu]),
			h(x.Values[xinlu.EffOutputPerMu]), h(x.Values[xinlu.EffOutputPerEnergy]), h(x.Values[xinlu.EffOutputPerHead]),
			int64(math.Round(x.Score * 100)), x.Class})
	}
	s.sendReport(w, r, rep, "efficiency.export", "zone", u.ZoneID, map[string]any{"year": year}, "efficiency-"+strconv.Itoa(year)+".xlsx")
}

// enterpriseExport is the enterprise list with each one's latest year.
func (s *Server) enterpriseExport(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := s.printer(r)
	es, _, err := s.store.ListEnterprises(r.Context(), u.ZoneID, r.URL.Query().Get("q"), xinlu.Page{PerPage: -1})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rep := &xlsx.Report{Sheet: p.T("enterprise.sheet"), Title: p.T("enterprise.title"), By: u.Name, Date: s.today(),
		Columns: []xlsx.Column{{Header: p.T("field.enterprise"), Width: 30}, {Header: p.T("field.industry"), Width: 14}, {Header: p.T("land.park"), Width: 20},
			{Header: p.T("field.credit_code"), Width: 22}, {Header: p.T("field.year"), Kind: xlsx.Int}, {Header: p.T("enterprise.output_wan"), Kind: xlsx.Money},
			{Header: p.T("enterprise.tax_wan"), Kind: xlsx.Money}, {Header: p.T("field.land_mu"), Kind: xlsx.Hundredths}, {Header: p.T("field.employees"), Kind: xlsx.Int}}}
	for _, e := range es {
		ys, err := s.store.EnterpriseYears(r.Context(), u.ZoneID, e.ID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		row := []any{e.Name, p.T("industry." + e.Industry), e.ParkName, e.CreditCode} // no figures yet: the row ends here
		if n := len(ys); n > 0 {
			y := ys[n-1]
			row = append(row, int64(y.Year), y.OutputYuan, y.TaxYuan, int64(math.Round(y.LandMu*100)), int64(y.Employees))
		}
		rep.Rows = append(rep.Rows, row)
	}
	s.sendReport(w, r, rep, "enterprise.export", "zone", u.ZoneID, nil, "enterprises-"+s.today().Format("20060102")+".xlsx")
}
