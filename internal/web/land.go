package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

func (s *Server) landRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/land", Perm: xinlu.PermLandView, Handler: s.landOverview},
		{Method: "POST", Pattern: "/land/standard", Perm: xinlu.PermLandManage, Handler: s.landStandardSave},
		{Method: "GET", Pattern: "/land/capacity", Perm: xinlu.PermLandView, Handler: s.landCapacity},
		{Method: "GET", Pattern: "/land/capacity.xlsx", Perm: xinlu.PermLandView, Handler: s.landCapacityExport},
		{Method: "GET", Pattern: "/land/demand", Perm: xinlu.PermLandView, Handler: s.landDemand},
		{Method: "GET", Pattern: "/land/demand.xlsx", Perm: xinlu.PermLandView, Handler: s.landDemandExport},
		{Method: "GET", Pattern: "/land/parks/{id}", Perm: xinlu.PermLandView, Handler: s.landPark},
		{Method: "POST", Pattern: "/land/parks/{id}/standard", Perm: xinlu.PermLandManage, Handler: s.landStandardSave},
		{Method: "POST", Pattern: "/land/utilities", Perm: xinlu.PermLandManage, Handler: s.utilityCreate},
		{Method: "POST", Pattern: "/land/utilities/{id}", Perm: xinlu.PermLandManage, Handler: s.utilityUpdate},
		{Method: "POST", Pattern: "/land/buildouts", Perm: xinlu.PermLandManage, Handler: s.buildoutCreate},
		{Method: "POST", Pattern: "/land/buildouts/{id}", Perm: xinlu.PermLandManage, Handler: s.buildoutUpdate},
		{Method: "POST", Pattern: "/land/utilities/{id}/delete", Perm: xinlu.PermLandManage, Handler: s.utilityDelete},
		{Method: "POST", Pattern: "/land/buildouts/{id}/delete", Perm: xinlu.PermLandManage, Handler: s.buildoutDelete},
		{Method: "GET", Pattern: "/land/parcels", Perm: xinlu.PermLandView, Handler: s.parcelList},
		{Method: "GET", Pattern: "/land/parcels/new", Perm: xinlu.PermLandManage, Handler: s.parcelNew},
		{Method: "POST", Pattern: "/land/parcels", Perm: xinlu.PermLandManage, Handler: s.parcelCreate},
		{Method: "GET", Pattern: "/land/parcels/{id}/edit", Perm: xinlu.PermLandManage, Handler: s.parcelEdit},
		{Method: "POST", Pattern: "/land/parcels/{id}", Perm: xinlu.PermLandManage, Handler: s.parcelUpdate},
		{Method: "POST", Pattern: "/land/parcels/{id}/delete", Perm: xinlu.PermLandManage, Handler: s.deleter(s.store.DeleteParcel, "/land/parcels")},
		{Method: "POST", Pattern: "/land/parcels/{id}/move", Perm: xinlu.PermLandManage, Handler: s.parcelMove},
		{Method: "POST", Pattern: "/projects/{id}/parcel", Perm: xinlu.PermProjectPlan, Handler: s.projectPickParcel},
	}
}

// utilityRow is a utility's figures on a date, as the pages show them.
type utilityRow struct {
	U         *xinlu.Utility
	Date      string
	Capacity  float64
	Free      float64
	Warning   bool
	UsedPct   float64 // committed + reserved, share of capacity (0–100, capped)
	CommPct   float64
	FreePct   float64 // share of capacity free (may be negative)
	Next      *xinlu.Buildout
	Buildouts []xinlu.Buildout
}

func newUtilityRow(u *xinlu.Utility, date string) utilityRow {
	r := utilityRow{U: u, Date: date, Capacity: u.CapacityAt(date), Free: u.FreeAt(date), Warning: u.Warning(date), Buildouts: u.Buildouts}
	if r.Capacity > 0 {
		r.UsedPct = math.Min(100, (u.Committed+u.Reserved)/r.Capacity*100)
		r.CommPct = math.Min(100, u.Committed/r.Capacity*100)
		r.FreePct = r.Free / r.Capacity * 100
	}
	for i := range u.Buildouts {
		b := &u.Buildouts[i]
		if b.Status != xinlu.BuildoutCommissioned && (r.Next == nil || b.PlannedOn < r.Next.PlannedOn) {
			r.Next = b
		}
	}
	return r
}

// Label is the utility's name: its kind, and the supplier for gas.
func (r utilityRow) Label(p *i18n.Printer) string {
	l := p.T("land.utility." + string(r.U.Kind))
	if r.U.Supplier != "" {
		l += "（" + r.U.Supplier + "）"
	}
	return l
}

// parkSummary is a park's line on the overview and the capacity table.
type parkSummary struct {
	Park      *xinlu.Park
	Parcels   map[xinlu.ParcelStatus]int
	FreeMu    float64
	Idle      int
	Utilities []utilityRow
	Warnings  int
}

type landOverviewView struct {
	Date      string
	Parks     []parkSummary
	Statuses  []xinlu.ParcelStatus
	Kinds     []xinlu.UtilityKind
	Standard  xinlu.LandStandard
	CanManage bool
	Err       error
}

// parkSummaries reads every park of the zone with its parcels' counts and
// its utilities on date.
func (s *Server) parkSummaries(r *http.Request, zoneID int64, date string) ([]parkSummary, error) {
	parks, _, err := s.store.ListParks(r.Context(), store.ParkFilter{ZoneID: zoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return nil, err
	}
	us, err := s.store.Utilities(r.Context(), zoneID, 0)
	if err != nil {
		return nil, err
	}
	counts, err := s.store.ParcelCounts(r.Context(), zoneID)
	if err != nil {
		return nil, err
	}
	out := make([]parkSummary, len(parks))
	at := map[int64]int{}
	for i, p := range parks {
		out[i] = parkSummary{Park: p, Parcels: map[xinlu.ParcelStatus]int{}}
		at[p.ID] = i
	}
	for i := range us {
		if j, ok := at[us[i].ParkID]; ok {
			row := newUtilityRow(&us[i], date)
			out[j].Utilities = append(out[j].Utilities, row)
			if row.Warning {
				out[j].Warnings++
			}
		}
	}
	for _, c := range counts {
		if j, ok := at[c.ParkID]; ok {
			out[j].Parcels[c.Status] += c.Count
			out[j].Idle += c.Idle
			if c.Status == xinlu.ParcelServiced || c.Status == xinlu.ParcelListed {
				out[j].FreeMu += c.AreaMu
			}
		}
	}
	return out, nil
}

// standardBlock is the standard-land thresholds as a page shows them: a
// form for those who manage land, else the figures.
type standardBlock struct {
	Action    string
	S         xinlu.LandStandard
	CSRF      string
	CanManage bool
	Err       error
}

// InvestWan and TaxWan are the thresholds in 万元 per mu, as the form takes them.
func (b standardBlock) InvestWan() string {
	return xinlu.FormatQuantity(float64(b.S.InvestPerMuYuan) / 10000)
}
func (b standardBlock) TaxWan() string {
	return xinlu.FormatQuantity(float64(b.S.TaxPerMuYuan) / 10000)
}

// StandardBlock is the zone's thresholds block.
func (v landOverviewView) StandardBlock(csrf string) standardBlock {
	return standardBlock{Action: "/land/standard", S: v.Standard, CSRF: csrf, CanManage: v.CanManage, Err: v.Err}
}

// StandardBlock is the park's thresholds block.
func (v landParkView) StandardBlock(csrf string) standardBlock {
	return standardBlock{Action: "/land/parks/" + strconv.FormatInt(v.Park.ID, 10) + "/standard", S: v.Standard, CSRF: csrf, CanManage: v.CanManage, Err: v.Err}
}

func (s *Server) todayString() string { return s.today().Format(xinlu.DateLayout) }

func (s *Server) landOverviewPage(w http.ResponseWriter, r *http.Request, status int, err error) {
	u := requestInfo(r.Context()).user
	date := s.todayString()
	parks, lerr := s.parkSummaries(r, u.ZoneID, date)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	st, _, lerr := s.store.OwnLandStandard(r.Context(), u.ZoneID, 0)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	s.render(w, r, status, "land", s.printer(r).T("land.title"), landOverviewView{Date: date, Parks: parks,
		Statuses: xinlu.ParcelStatuses, Kinds: xinlu.UtilityKinds, Standard: st, CanManage: u.Can(xinlu.PermLandManage), Err: err})
}

func (s *Server) landOverview(w http.ResponseWriter, r *http.Request) {
	s.landOverviewPage(w, r, http.StatusOK, nil)
}

// floatField reads a decimal form field; "" is 0.
func floatField(r *http.Request, errs *xinlu.FieldErrors, name string) float64 {
	v := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(name), ",", ""))
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		errs.Invalid(name, "error.number")
		return 0
	}
	return f
}

// wanPerMuField reads an amount per mu typed in 万元 and returns yuan.
func wanPerMuField(r *http.Request, errs *xinlu.FieldErrors, name string) int64 {
	f := floatField(r, errs, name)
	if f < 0 || f > 1e9 {
		errs.Invalid(name, "error.out_of_range", 0, 1_000_000_000)
		return 0
	}
	return int64(math.Round(f * 10000))
}

func (s *Server) landStandardSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	var parkID int64
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		parkID = id
	}
	var errs xinlu.FieldErrors
	st := xinlu.LandStandard{InvestPerMuYuan: wanPerMuField(r, &errs, "invest_per_mu_yuan"), TaxPerMuYuan: wanPerMuField(r, &errs, "tax_per_mu_yuan"),
		FARMin: floatField(r, &errs, "far_min"), FARMax: floatField(r, &errs, "far_max"), EnergyPerOutput: floatField(r, &errs, "energy_per_output")}
	err := errs.Err()
	if err == nil {
		err = s.store.SetLandStandard(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, parkID, st)
	}
	back := "/land"
	if parkID != 0 {
		back = "/land/parks/" + strconv.FormatInt(parkID, 10)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		if parkID != 0 {
			s.landParkPage(w, r, status, parkID, err)
			return
		}
		s.landOverviewPage(w, r, status, err)
	}, "flash.updated", back)
}

// parcelShape is a parcel drawn on the park plan.
type parcelShape struct {
	P      *xinlu.Parcel
	Points string
	CX, CY float64
}

type chartBlock struct {
	Row   utilityRow
	Chart *chartView
}

type landParkView struct {
	Park        *xinlu.Park
	Date        string
	Utilities   []chartBlock
	Parcels     []*xinlu.Parcel
	Shapes      []parcelShape
	Statuses    []xinlu.ParcelStatus
	Kinds       []xinlu.UtilityKind
	BStatuses   []xinlu.BuildoutStatus
	Standard    xinlu.LandStandard
	OwnStandard bool
	CanManage   bool
	Err         error
	Today       time.Time
}

func (s *Server) landPark(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.landParkPage(w, r, http.StatusOK, id, nil)
}

func (s *Server) landParkPage(w http.ResponseWriter, r *http.Request, status int, id int64, err error) {
	u := requestInfo(r.Context()).user
	ctx := r.Context()
	park, lerr := s.store.ParkByID(ctx, u.ZoneID, id)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	date := s.todayString()
	if d := r.URL.Query().Get("date"); d != "" {
		if _, perr := xinlu.ParseDate(d); perr == nil {
			date = d
		}
	}
	v := landParkView{Park: park, Date: date, Statuses: xinlu.ParcelStatuses, Kinds: xinlu.UtilityKinds, BStatuses: xinlu.BuildoutStatuses,
		CanManage: u.Can(xinlu.PermLandManage), Err: err, Today: s.today()}
	us, lerr := s.store.Utilities(ctx, u.ZoneID, id)
	if lerr == nil {
		p := s.printer(r)
		for i := range us {
			row := newUtilityRow(&us[i], date)
			v.Utilities = append(v.Utilities, chartBlock{Row: row, Chart: utilityChart(p, &us[i], date, i)})
		}
		v.Parcels, _, lerr = s.store.ListParcels(ctx, store.ParcelFilter{ZoneID: u.ZoneID, ParkID: id, Page: xinlu.Page{PerPage: -1}})
	}
	if lerr == nil {
		v.Standard, lerr = s.store.LandStandard(ctx, u.ZoneID, id)
	}
	if lerr == nil {
		_, v.OwnStandard, lerr = s.store.OwnLandStandard(ctx, u.ZoneID, id)
	}
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	for _, c := range v.Parcels {
		pts, perr := xinlu.ParseShape(c.Shape)
		if perr != nil {
			continue
		}
		var b strings.Builder
		var cx, cy float64
		for i, pt := range pts {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%g,%g", pt.X, pt.Y)
			cx += pt.X
			cy += pt.Y
		}
		v.Shapes = append(v.Shapes, parcelShape{P: c, Points: b.String(), CX: cx / float64(len(pts)), CY: cy / float64(len(pts))})
	}
	s.render(w, r, status, "land_park", park.Name, v)
}

// utilityChart is a utility's capacity over time against what is used:
// today, each build-out date ahead, and three years on.
func utilityChart(p *i18n.Printer, u *xinlu.Utility, date string, n int) *chartView {
	dates := []string{date}
	for _, st := range u.Steps()[1:] {
		if st.From > date {
			dates = append(dates, st.From)
		}
	}
	d, _ := xinlu.ParseDate(date)
	end := d.AddDate(3, 0, 0).Format(xinlu.DateLayout)
	if dates[len(dates)-1] < end {
		dates = append(dates, end)
	}
	unit := u.Kind.Unit()
	spec := chartSpec{Kind: "line", Categories: dates, YName: unit}
	capS := chartSeries{Name: p.T("land.capacity"), Color: "blue"}
	used := chartSeries{Name: p.T("land.used"), Color: "orange"}
	for _, dt := range dates {
		capS.Data = append(capS.Data, num(u.CapacityAt(dt)))
		used.Data = append(used.Data, num(u.Committed+u.Reserved))
	}
	spec.Series = []chartSeries{capS, used}
	table := &chartTable{Caption: p.T("land.chart_table", p.T("land.utility."+string(u.Kind)), unit), Head: []string{p.T("field.date"), capS.Name, used.Name}}
	for i, dt := range dates {
		table.Rows = append(table.Rows, []string{dt, xinlu.FormatQuantity(*capS.Data[i]), xinlu.FormatQuantity(*used.Data[i])})
	}
	return newChart("utility-chart-"+strconv.Itoa(n), spec, "", table)
}

func (s *Server) utilityCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	var errs xinlu.FieldErrors
	parkID := int64Field(r, &errs, "park_id")
	u := &xinlu.Utility{ZoneID: info.user.ZoneID, ParkID: parkID, Kind: xinlu.UtilityKind(r.PostFormValue("kind")), Supplier: r.PostFormValue("supplier"),
		BaseCapacity: floatField(r, &errs, "base_capacity"), WarnRatio: floatField(r, &errs, "warn_pct") / 100}
	err := errs.Err()
	if err == nil {
		err = s.store.CreateUtility(r.Context(), xinlu.ActorOf(info.user, info.ip), u)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.landParkPage(w, r, status, parkID, err) }, "flash.created", "/land/parks/"+strconv.FormatInt(parkID, 10))
}

func (s *Server) utilityUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	old, err := s.store.UtilityByID(r.Context(), info.user.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	u := &xinlu.Utility{ID: id, ZoneID: old.ZoneID, Supplier: r.PostFormValue("supplier"), BaseCapacity: floatField(r, &errs, "base_capacity"),
		WarnRatio: floatField(r, &errs, "warn_pct") / 100, Version: intField(r, &errs, "version")}
	err = errs.Err()
	if err == nil {
		err = s.store.UpdateUtility(r.Context(), xinlu.ActorOf(info.user, info.ip), u)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.landParkPage(w, r, status, old.ParkID, err) }, "flash.updated", "/land/parks/"+strconv.FormatInt(old.ParkID, 10))
}

// utilityDelete deletes a utility and its build-outs; a refusal (the
// ledger names it) is shown on the park page.
func (s *Server) utilityDelete(w http.ResponseWriter, r *http.Request) {
	s.landDelete(w, r, func(zoneID, id int64) (int64, error) {
		u, err := s.store.UtilityByID(r.Context(), zoneID, id)
		if err != nil {
			return 0, err
		}
		return u.ParkID, nil
	}, s.store.DeleteUtility)
}

// buildoutDelete deletes a build-out; a refusal (the reservations count
// on it) is shown on the park page.
func (s *Server) buildoutDelete(w http.ResponseWriter, r *http.Request) {
	s.landDelete(w, r, func(zoneID, id int64) (int64, error) {
		b, err := s.store.BuildoutByID(r.Context(), zoneID, id)
		if err != nil {
			return 0, err
		}
		u, err := s.store.UtilityByID(r.Context(), zoneID, b.UtilityID)
		if err != nil {
			return 0, err
		}
		return u.ParkID, nil
	}, s.store.DeleteBuildout)
}

// landDelete deletes the record {id} of a park (parkOf finds the park) and
// goes back to the park's page, which shows a refusal in words.
func (s *Server) landDelete(w http.ResponseWriter, r *http.Request, parkOf func(zoneID, id int64) (int64, error),
	del func(ctx context.Context, a xinlu.Actor, zoneID, id int64, version int) error) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	var parkID int64
	if err == nil {
		parkID, err = parkOf(info.user.ZoneID, id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	version := intField(r, &errs, "version")
	err = errs.Err()
	if err == nil {
		err = del(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id, version)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.landParkPage(w, r, status, parkID, err) }, "flash.deleted", "/land/parks/"+strconv.FormatInt(parkID, 10))
}

func (s *Server) buildoutCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	var errs xinlu.FieldErrors
	utilityID := int64Field(r, &errs, "utility_id")
	u, err := s.store.UtilityByID(r.Context(), info.user.ZoneID, utilityID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	b := &xinlu.Buildout{ZoneID: info.user.ZoneID, UtilityID: utilityID, Name: r.PostFormValue("name"), Added: floatField(r, &errs, "added"),
		PlannedOn: r.PostFormValue("planned_on")}
	err = errs.Err()
	if err == nil {
		err = s.store.CreateBuildout(r.Context(), xinlu.ActorOf(info.user, info.ip), b)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.landParkPage(w, r, status, u.ParkID, err) }, "flash.created", "/land/parks/"+strconv.FormatInt(u.ParkID, 10))
}

func (s *Server) buildoutUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	old, err := s.store.BuildoutByID(r.Context(), info.user.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	u, err := s.store.UtilityByID(r.Context(), info.user.ZoneID, old.UtilityID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	b := *old
	b.Status = xinlu.BuildoutStatus(r.PostFormValue("status"))
	b.ActualOn = strings.TrimSpace(r.PostFormValue("actual_on"))
	if pl := strings.TrimSpace(r.PostFormValue("planned_on")); pl != "" {
		b.PlannedOn = pl
	}
	if b.Status != xinlu.BuildoutCommissioned {
		b.ActualOn = ""
	}
	b.Version = intField(r, &errs, "version")
	err = errs.Err()
	if err == nil {
		err = s.store.UpdateBuildout(r.Context(), xinlu.ActorOf(info.user, info.ip), &b)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.landParkPage(w, r, status, u.ParkID, err) }, "flash.updated", "/land/parks/"+strconv.FormatInt(u.ParkID, 10))
}

type parcelListView struct {
	Items     []*xinlu.Parcel
	Pager     pager
	Parks     []*xinlu.Park
	ParkID    int64
	Status    string
	Idle      bool
	Query     string
	Statuses  []xinlu.ParcelStatus
	CanManage bool
	Today     time.Time
	Err       error
}

func (s *Server) parcelList(w http.ResponseWriter, r *http.Request) {
	s.parcelListPage(w, r, http.StatusOK, nil)
}

func (s *Server) parcelListPage(w http.ResponseWriter, r *http.Request, status int, err error) {
	u := requestInfo(r.Context()).user
	q := r.URL.Query()
	pg := pageFrom(r)
	f := store.ParcelFilter{ZoneID: u.ZoneID, Query: q.Get("q"), Idle: q.Get("idle") == "1", Page: pg}
	f.ParkID, _ = strconv.ParseInt(q.Get("park"), 10, 64)
	for _, st := range xinlu.ParcelStatuses {
		if string(st) == q.Get("status") {
			f.Status = st
		}
	}
	items, total, lerr := s.store.ListParcels(r.Context(), f)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	parks, _, lerr := s.store.ListParks(r.Context(), store.ParkFilter{ZoneID: u.ZoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	s.render(w, r, status, "land_parcels", s.printer(r).T("land.parcels_title"), parcelListView{Items: items, Pager: newPager(r, pg, total),
		Parks: parks, ParkID: f.ParkID, Status: string(f.Status), Idle: f.Idle, Query: f.Query, Statuses: xinlu.ParcelStatuses,
		CanManage: u.Can(xinlu.PermLandManage), Today: s.today(), Err: err})
}

// parcelMoveArgs is what the parcel-move form needs.
type parcelMoveArgs struct {
	P    *xinlu.Parcel
	To   string
	CSRF string
}

type parcelFormView struct {
	P     *xinlu.Parcel
	Parks []*xinlu.Park
	Uses  []string
	Err   error
}

func (s *Server) parcelForm(w http.ResponseWriter, r *http.Request, status int, c *xinlu.Parcel, err error) {
	u := requestInfo(r.Context()).user
	parks, _, lerr := s.store.ListParks(r.Context(), store.ParkFilter{ZoneID: u.ZoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	title := "land.parcel_new"
	if c.ID != 0 {
		title = "land.parcel_edit"
	}
	s.render(w, r, status, "land_parcel_form", s.printer(r).T(title), parcelFormView{P: c, Parks: parks, Uses: xinlu.LandUses, Err: err})
}

func (s *Server) parcelNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	c := &xinlu.Parcel{ZoneID: u.ZoneID, LandUse: "industrial"}
	c.ParkID, _ = strconv.ParseInt(r.URL.Query().Get("park"), 10, 64)
	s.parcelForm(w, r, http.StatusOK, c, nil)
}

func parcelFromForm(r *http.Request, c *xinlu.Parcel) error {
	var errs xinlu.FieldErrors
	c.ParkID = int64Field(r, &errs, "park_id")
	c.Code, c.LandUse, c.Shape, c.Note = r.PostFormValue("code"), r.PostFormValue("land_use"), r.PostFormValue("shape"), r.PostFormValue("note")
	c.AreaMu = floatField(r, &errs, "area_mu")
	c.FARMin, c.FARMax = floatField(r, &errs, "far_min"), floatField(r, &errs, "far_max")
	c.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { x := *c; return x.Validate() })
}

func (s *Server) parcelCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	c := &xinlu.Parcel{ZoneID: info.user.ZoneID}
	err := parcelFromForm(r, c)
	if err == nil {
		err = s.store.CreateParcel(r.Context(), xinlu.ActorOf(info.user, info.ip), c)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		c.ID = 0
		s.parcelForm(w, r, status, c, err)
	}, "flash.created", "/land/parcels")
}

func (s *Server) parcelEdit(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.store.ParcelByID(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.parcelForm(w, r, http.StatusOK, c, nil)
}

func (s *Server) parcelUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	old, err := s.store.ParcelByID(r.Context(), info.user.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c := &xinlu.Parcel{ID: id, ZoneID: info.user.ZoneID, Status: old.Status, ProjectID: old.ProjectID, AgreedStart: old.AgreedStart}
	err = parcelFromForm(r, c)
	if err == nil {
		err = s.store.UpdateParcel(r.Context(), xinlu.ActorOf(info.user, info.ip), c)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.parcelForm(w, r, status, c, err) }, "flash.updated", "/land/parcels")
}

func (s *Server) parcelMove(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	version := intField(r, &errs, "version")
	m := store.ParcelMove{To: xinlu.ParcelStatus(r.PostFormValue("status")), AgreedStart: r.PostFormValue("agreed_start")}
	if v := r.PostFormValue("project_id"); v != "" {
		m.ProjectID = int64Field(r, &errs, "project_id")
	}
	err = errs.Err()
	if err == nil {
		_, err = s.store.MoveParcel(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id, version, m)
	}
	back := "/land/parcels"
	if ref := r.PostFormValue("back"); strings.HasPrefix(ref, "/land/") {
		back = ref
	}
	if err != nil && isFormError(err) {
		s.parcelListPage(w, r, statusOf(err), err)
		return
	}
	s.afterSave(w, r, err, nil, "flash.updated", back)
}

func (s *Server) projectPickParcel(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, err := s.store.ProjectByID(r.Context(), info.user.ZoneID, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	parcel, err := formInt64(r, "parcel_id")
	if err == nil {
		err = s.store.PickParcel(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, parcel)
	}
	s.afterStep(w, r, id, "parcel", err)
}

// capacityView is the capacity table (园区水电气热承载能力一览表).
type capacityView struct {
	Date  string
	Parks []parkSummary
}

func (s *Server) landCapacity(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	date := s.todayString()
	parks, err := s.parkSummaries(r, u.ZoneID, date)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "land_capacity", s.printer(r).T("land.capacity_title"), capacityView{Date: date, Parks: parks})
}

func (s *Server) landCapacityExport(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := s.printer(r)
	date := s.todayString()
	parks, err := s.parkSummaries(r, u.ZoneID, date)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rep := &xlsx.Report{Sheet: p.T("land.capacity_sheet"), Title: p.T("land.capacity_title"), By: u.Name, Date: s.today(),
		Columns: []xlsx.Column{{Header: p.T("land.park"), Width: 22}, {Header: p.T("land.utility"), Width: 18}, {Header: p.T("land.unit"), Width: 8},
			{Header: p.T("land.capacity"), Kind: xlsx.Hundredths}, {Header: p.T("land.committed"), Kind: xlsx.Hundredths}, {Header: p.T("land.reserved"), Kind: xlsx.Hundredths},
			{Header: p.T("land.free"), Kind: xlsx.Hundredths}, {Header: p.T("land.free_pct"), Kind: xlsx.Hundredths}, {Header: p.T("land.warning"), Width: 10},
			{Header: p.T("land.next_buildout"), Width: 30}}}
	for _, pk := range parks {
		for _, row := range pk.Utilities {
			next := ""
			if row.Next != nil {
				next = row.Next.Name + " +" + xinlu.FormatQuantity(row.Next.Added) + " " + row.Next.PlannedOn
			}
			warn := ""
			if row.Warning {
				warn = p.T("land.warning")
			}
			h := func(v float64) int64 { return int64(math.Round(v * 100)) }
			rep.Rows = append(rep.Rows, []any{pk.Park.Name, row.Label(p), row.U.Kind.Unit(), h(row.Capacity), h(row.U.Committed), h(row.U.Reserved),
				h(row.Free), h(row.FreePct), warn, next})
		}
	}
	s.sendReport(w, r, rep, "land.capacity_export", "park", 0, nil, "capacity-"+s.today().Format("20060102")+".xlsx")
}

// demandRow is one project on the factor demand table (要素保障需求表).
type demandRow struct {
	P        *store.ProjectRecord
	Parcels  string
	Shortage []string
}

type demandView struct {
	Rows []demandRow
	Date string
}

// landDemand lists the projects being packaged, promoted or signed but not
// producing, with their demand and, for each, what their park cannot carry.
func (s *Server) landDemand(w http.ResponseWriter, r *http.Request) {
	rows, err := s.demandRows(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "land_demand", s.printer(r).T("land.demand_title"), demandView{Rows: rows, Date: s.todayString()})
}

func (s *Server) landDemandExport(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := s.printer(r)
	rows, err := s.demandRows(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	h := func(v float64) int64 { return int64(math.Round(v * 100)) }
	rep := &xlsx.Report{Sheet: p.T("land.demand_sheet"), Title: p.T("land.demand_title"), By: u.Name, Date: s.today(),
		Columns: []xlsx.Column{{Header: p.T("field.name"), Width: 30}, {Header: p.T("land.stage"), Width: 12}, {Header: p.T("land.park"), Width: 20},
			{Header: p.T("land.parcels_held"), Width: 16}, {Header: p.T("field.land_mu"), Kind: xlsx.Hundredths}, {Header: p.T("field.water_tpd"), Kind: xlsx.Hundredths},
			{Header: p.T("field.power_kva"), Kind: xlsx.Hundredths}, {Header: p.T("field.gas_m3pd"), Kind: xlsx.Hundredths}, {Header: p.T("field.heat_tph"), Kind: xlsx.Hundredths},
			{Header: p.T("field.promised_produce"), Kind: xlsx.Date}, {Header: p.T("land.shortage"), Width: 40}}}
	for _, d := range rows {
		pr := d.P
		rep.Rows = append(rep.Rows, []any{pr.Name, p.T("stage." + string(pr.Stage)), pr.ParkName, d.Parcels, h(pr.Plan.LandMu), h(pr.Plan.WaterTPD),
			h(pr.Plan.PowerKVA), h(pr.Plan.GasM3PD), h(pr.Plan.HeatTPH), pr.Signing.PromisedProduce, strings.Join(d.Shortage, "；")})
	}
	s.sendReport(w, r, rep, "land.demand_export", "park", 0, nil, "factor-demand-"+s.today().Format("20060102")+".xlsx")
}

func (s *Server) demandRows(r *http.Request) ([]demandRow, error) {
	u := requestInfo(r.Context()).user
	ctx := r.Context()
	date := s.todayString()
	var rows []demandRow
	p := s.printer(r)
	us, err := s.store.Utilities(ctx, u.ZoneID, 0)
	if err != nil {
		return nil, err
	}
	byPark := map[int64][]xinlu.Utility{}
	for _, x := range us {
		byPark[x.ParkID] = append(byPark[x.ParkID], x)
	}
	for _, st := range []xinlu.Stage{xinlu.StagePackaging, xinlu.StagePromotion, xinlu.StageAgency, xinlu.StageConstruction} {
		ps, _, err := s.store.ListProjects(ctx, store.ProjectFilter{ZoneID: u.ZoneID, Stage: st, Status: xinlu.ProjectActive, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
		if err != nil {
			return nil, err
		}
		for _, pr := range ps {
			row := demandRow{P: pr}
			held, _, _ := s.store.ListParcels(ctx, store.ParcelFilter{ZoneID: u.ZoneID, ProjectID: pr.ID, Page: xinlu.Page{PerPage: -1}})
			var codes []string
			for _, c := range held {
				codes = append(codes, c.Code)
			}
			row.Parcels = strings.Join(codes, "、")
			if pr.Signing.SignedOn == "" && pr.Plan.ProposedParkID != 0 {
				d := pr.Signing.PromisedProduce
				if d == "" {
					d = date
				}
				_, shorts := xinlu.Allocate(byPark[pr.Plan.ProposedParkID], pr.Plan, d)
				for _, sh := range shorts {
					if sh.Recorded {
						row.Shortage = append(row.Shortage, report.ReasonText(p, sh.Reason()))
					}
				}
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// matchView is the matching section of a project page.
type matchView struct {
	Fits    []matchPark
	Held    []*xinlu.Parcel
	Ledger  []xinlu.LedgerEntry
	CanPick bool
	Date    string
}

type matchPark struct {
	Fit     xinlu.ParkFit
	Reasons []string
	Parcels []matchParcel
	More    int
}

type matchParcel struct {
	P       *xinlu.Parcel
	Fit     bool
	Reasons []string
}

// maxParcelsShown bounds the parcels a park lists on the project page.
const maxParcelsShown = 8

func (s *Server) projectMatches(r *http.Request, p *store.ProjectRecord, canPick bool) (*matchView, error) {
	ctx := r.Context()
	v := &matchView{CanPick: canPick, Date: s.todayString()}
	var err error
	if v.Held, _, err = s.store.ListParcels(ctx, store.ParcelFilter{ZoneID: p.ZoneID, ProjectID: p.ID, Page: xinlu.Page{PerPage: -1}}); err != nil {
		return nil, err
	}
	if p.Signing.SignedOn != "" || p.Stage != xinlu.StagePackaging && p.Stage != xinlu.StagePromotion {
		v.CanPick = false
		if v.Ledger, _, err = s.store.UtilityLedger(ctx, store.LedgerFilter{ZoneID: p.ZoneID, ProjectID: p.ID, Page: xinlu.Page{PerPage: 50}}); err != nil {
			return nil, err
		}
		return v, nil
	}
	if p.Status != xinlu.ProjectActive {
		v.CanPick = false
	}
	fits, _, err := s.store.MatchProject(ctx, p.ZoneID, p.ID, v.Date)
	if err != nil {
		return nil, err
	}
	pr := s.printer(r)
	for _, f := range fits {
		mp := matchPark{Fit: f}
		for _, rs := range f.Reasons {
			mp.Reasons = append(mp.Reasons, report.ReasonText(pr, rs))
		}
		for i, pf := range f.Parcels {
			if i >= maxParcelsShown {
				mp.More = len(f.Parcels) - maxParcelsShown
				break
			}
			mc := matchParcel{P: pf.Parcel, Fit: pf.Fit}
			for _, rs := range pf.Reasons {
				mc.Reasons = append(mc.Reasons, report.ReasonText(pr, rs))
			}
			mp.Parcels = append(mp.Parcels, mc)
		}
		v.Fits = append(v.Fits, mp)
	}
	return v, nil
}
