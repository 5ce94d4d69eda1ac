package web

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"xinlu/internal/i18n"
	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The cockpit (驾驶舱): the director's page of the year's figures, read
// from the summary rows by report.BuildCockpit (the API answers the same),
// with every figure linking to the list of its records; the meeting-room
// screen (大屏) shows the headline figures full screen; the roll-up sets the
// zones side by side for the city's or province's viewer.

func (s *Server) cockpitRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/cockpit", Perm: xinlu.PermCockpitView, Handler: s.cockpitPage},
		{Method: "GET", Pattern: "/cockpit/screen", Perm: xinlu.PermCockpitView, Handler: s.cockpitScreen},
		{Method: "GET", Pattern: "/cockpit/zones", Perm: xinlu.PermCockpitView, Handler: s.cockpitZones},
		{Method: "GET", Pattern: "/cockpit/leads", Perm: xinlu.PermCockpitView, Handler: s.leadList},
		{Method: "GET", Pattern: "/cockpit/records/{kind}", Perm: xinlu.PermCockpitView, Handler: s.cockpitRecords},
		{Method: "POST", Pattern: "/cockpit/targets", Perm: xinlu.PermCockpitTargets, Handler: s.cockpitTargets},
		{Method: "POST", Pattern: "/cockpit/supervise/{id}", Perm: xinlu.PermProjectPromote, Handler: s.cockpitSupervise},
	}
}

// rollsUp: the user's cockpit reaches every zone (the roll-up's menu item).
func rollsUp(u *xinlu.User) bool { return u.Filter(xinlu.PermCockpitView).Scope >= xinlu.ScopeAllZones }

// cockpitView is the cockpit page: the figures and their charts, the year
// target form (the director's, with what was typed and its errors), and
// whether the user may issue supervision orders from it (their own zone).
type cockpitView struct {
	C          *report.Cockpit
	Years      []int
	Own        bool // the user's own zone: the forms are offered
	CanTargets bool
	CanOrder   bool
	Err        error
	Typed      map[string]string // the target form's fields as typed, or as stored
	Due        string            // a supervision order's due date, prefilled
	Funnel     *chartView
	Trend      *chartView
	Amounts    *chartView
	Industry   *chartView
	Bands      *chartView
	ZoneQuery  string // "zone_id=N&" for a viewer reading another zone
}

// Pct is a share as a whole percentage.
func (cockpitView) Pct(v any) int {
	switch f := v.(type) {
	case *float64:
		if f == nil {
			return 0
		}
		return int(*f*100 + 0.5)
	case float64:
		return int(f*100 + 0.5)
	}
	return 0
}

// Qty shows an indicator's quantity, "—" without one.
func (cockpitView) Qty(v *float64) string {
	if v == nil {
		return "—"
	}
	return formatQty(*v)
}

// Days shows a median of working days, "—" without one.
func (cockpitView) Days(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// cockpitRequest reads ?year= and ?zone_id= as the API does: the zone the
// user may read (their own unless they read every zone).
func (s *Server) cockpitRequest(r *http.Request) (zone int64, year int, err error) {
	u := requestInfo(r.Context()).user
	year = s.today().Year()
	q := r.URL.Query()
	if y := q.Get("year"); y != "" {
		n, perr := strconv.Atoi(y)
		if perr != nil || n < xinlu.MinTargetYear || n > xinlu.MaxTargetYear {
			return 0, 0, xinlu.NotFound("error.page_not_found")
		}
		year = n
	}
	var requested int64
	if z := q.Get("zone_id"); z != "" {
		if requested, err = strconv.ParseInt(z, 10, 64); err != nil || requested <= 0 {
			return 0, 0, xinlu.NotFound("error.page_not_found")
		}
	}
	zone, err = xinlu.CockpitZone(u, requested)
	if err != nil {
		return 0, 0, err
	}
	if _, err := s.store.ZoneByID(r.Context(), zone); err != nil {
		return 0, 0, xinlu.NotFound("error.page_not_found")
	}
	return zone, year, nil
}

func (s *Server) cockpitPage(w http.ResponseWriter, r *http.Request) {
	s.cockpitRender(w, r, http.StatusOK, nil)
}

func (s *Server) cockpitRender(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	u := requestInfo(r.Context()).user
	zone, year, err := s.cockpitRequest(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if formErr != nil {
		if y, err := strconv.Atoi(r.PostFormValue("year")); err == nil && y >= xinlu.MinTargetYear && y <= xinlu.MaxTargetYear {
			year = y
		}
	}
	c, err := report.CockpitOf(r.Context(), s.store, zone, year)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.printer(r)
	v := cockpitView{C: c, Own: zone == u.ZoneID, Err: formErr, Typed: map[string]string{}}
	v.CanTargets = v.Own && u.Can(xinlu.PermCockpitTargets)
	v.CanOrder = v.Own && u.Can(xinlu.PermProjectPromote)
	if !v.Own {
		v.ZoneQuery = "zone_id=" + strconv.FormatInt(zone, 10) + "&"
		c = withoutLinks(c)
		v.C = c
	}
	today := s.today()
	for y := today.Year(); y >= today.Year()-4; y-- {
		v.Years = append(v.Years, y)
	}
	for _, t := range c.Targets {
		if formErr != nil {
			v.Typed[string(t.Measure)] = r.PostFormValue(string(t.Measure))
			continue
		}
		if t.Target == nil {
			continue
		}
		if t.Amount {
			v.Typed[string(t.Measure)] = strings.ReplaceAll(formatWan(*t.Target), ",", "")
		} else {
			v.Typed[string(t.Measure)] = strconv.FormatInt(*t.Target, 10)
		}
	}
	if cal, err := s.store.Calendar(r.Context(), zone); err == nil {
		v.Due = cal.AddWorkdays(today, cockpitOrderDays).Format(xinlu.DateLayout)
	}
	v.Funnel, v.Trend, v.Amounts, v.Industry, v.Bands = cockpitCharts(p, c, v.ZoneQuery)
	s.render(w, r, status, "cockpit", p.T("cockpit.title"), v)
}

// cockpitOrderDays is how many working days a supervision order issued from
// the cockpit gives, prefilled.
const cockpitOrderDays = 5

// cockpitCharts are the cockpit's charts: the funnel (each step opens its
// list), the 24 months' counts and amounts, the signings by industry and
// the appraisal bands. Their figures are in the page's tables.
func cockpitCharts(p *i18n.Printer, c *report.Cockpit, zq string) (funnel, trend, amounts, industry, bands *chartView) {
	f := chartSpec{Kind: "funnel", Integer: true}
	fs := chartSeries{Name: strconv.Itoa(c.Year)}
	for _, st := range c.Funnel {
		f.Categories = append(f.Categories, p.T("cockpit.step."+st.Step))
		fs.Data = append(fs.Data, num(float64(st.Count)))
		f.Links = append(f.Links, st.Link)
	}
	f.Series = []chartSeries{fs}
	funnel = newChart("cockpit-funnel", f, p.T("cockpit.funnel_caption"), nil)

	t := chartSpec{Kind: "line", Integer: true, YName: p.T("cockpit.count_axis")}
	a := chartSpec{Kind: "bar", YName: p.T("cockpit.wan_axis")}
	series := map[string]*chartSeries{}
	for _, k := range []string{"leads", "created", "signed", "started", "produced"} {
		series[k] = &chartSeries{Name: p.T("cockpit.trend." + k)}
	}
	contract := &chartSeries{Name: p.T("cockpit.measure.contract_yuan"), Color: "blue"}
	funds := &chartSeries{Name: p.T("cockpit.measure.funds_yuan"), Color: "green"}
	for _, m := range c.Months {
		t.Categories = append(t.Categories, m.Month)
		a.Categories = append(a.Categories, m.Month)
		for k, v := range map[string]int64{"leads": m.Leads, "created": m.Created, "signed": m.Signed, "started": m.Started, "produced": m.Produced} {
			series[k].Data = append(series[k].Data, num(float64(v)))
		}
		contract.Data = append(contract.Data, num(float64(m.ContractYuan)/10000))
		funds.Data = append(funds.Data, num(float64(m.FundsYuan)/10000))
	}
	for _, k := range []string{"leads", "created", "signed", "started", "produced"} {
		t.Series = append(t.Series, *series[k])
	}
	a.Series = []chartSeries{*contract, *funds}
	trend = newChart("cockpit-trend", t, p.T("cockpit.trend_caption"), nil)
	amounts = newChart("cockpit-amounts", a, p.T("cockpit.trend_caption"), nil)

	for _, b := range c.Breakdowns {
		if b.Dim != "industry" || len(b.Rows) == 0 {
			continue
		}
		ind := chartSpec{Kind: "bar", YName: p.T("cockpit.wan_axis")}
		sr := chartSeries{Name: p.T("cockpit.measure.contract_yuan"), Color: "blue"}
		for _, row := range b.Rows {
			ind.Categories = append(ind.Categories, p.T("industry."+row.Key))
			sr.Data = append(sr.Data, num(float64(row.ContractYuan)/10000))
			ind.Links = append(ind.Links, row.Link)
		}
		ind.Series = []chartSeries{sr}
		industry = newChart("cockpit-industry", ind, p.T("cockpit.breakdown_caption"), nil)
	}
	if c.Appraisal != nil {
		bs := chartSpec{Kind: "bar", Integer: true, YName: p.T("chart.members_axis")}
		sr := chartSeries{Name: c.Appraisal.Label}
		for _, b := range []xinlu.Band{xinlu.BandTop, xinlu.BandMiddle, xinlu.BandBottom, xinlu.BandExcluded} {
			bs.Categories = append(bs.Categories, p.T("appraisal.band."+string(b)))
			sr.Data = append(sr.Data, num(float64(c.Appraisal.Bands[string(b)])))
			sr.PointColors = append(sr.PointColors, bandTone(b))
		}
		bs.Series = []chartSeries{sr}
		bands = newChart("cockpit-bands", bs, p.T("cockpit.bands_caption", c.Appraisal.Label), nil)
	}
	return funnel, trend, amounts, industry, bands
}

// cockpitTargets saves the year targets from the cockpit's form: amounts
// in 万元, counts, an empty field for no target; every bad field is
// reported at once beside it, and the form keeps what was typed.
func (s *Server) cockpitTargets(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	year, err := strconv.Atoi(r.PostFormValue("year"))
	t := xinlu.YearTargets{Year: year, Values: map[xinlu.CockpitMeasure]int64{}}
	var errs xinlu.FieldErrors
	if err != nil {
		errs.Invalid("year", "cockpit.year_range", xinlu.MinTargetYear, xinlu.MaxTargetYear)
	}
	for _, m := range xinlu.CockpitMeasures {
		raw := strings.TrimSpace(r.PostFormValue(string(m)))
		if raw == "" {
			continue
		}
		var v int64
		var perr error
		if m.IsAmount() {
			v, perr = wanText(string(m), raw)
		} else {
			v, perr = strconv.ParseInt(strings.ReplaceAll(raw, ",", ""), 10, 64)
			if perr != nil {
				perr = xinlu.Invalid(string(m), "error.number")
			}
		}
		if perr != nil {
			errs = append(errs, xinlu.AsError(perr))
			continue
		}
		t.Values[m] = v
	}
	if len(errs) > 0 {
		// Every error at once: the fields that parsed are checked too.
		seen := map[string]bool{}
		for _, e := range errs {
			seen[e.Field] = true
		}
		for _, e := range xinlu.ErrorsOf(t.Validate()) {
			if !seen[e.Field] {
				errs = append(errs, e)
			}
		}
	}
	err = errs.Err()
	if err == nil {
		err = s.store.SetYearTargets(r.Context(), xinlu.ActorOf(u, info.ip), u.ZoneID, t)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.cockpitRender(w, r, status, err) }, "flash.updated",
		"/cockpit?year="+strconv.Itoa(year))
}

// cockpitSupervise issues a supervision order (督办) on a red project to
// its sponsor, with the task and due date the cockpit prefilled: one click.
// The order appears on the project and in the sponsor's notifications.
func (s *Server) cockpitSupervise(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p, err := s.store.ProjectByID(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if p.SponsorID == 0 {
		s.renderError(w, r, xinlu.Invalid("assignee_id", "cockpit.no_sponsor"))
		return
	}
	err = s.store.AddSupervisionOrder(r.Context(), xinlu.ActorOf(u, info.ip), u, id,
		storeOrder(r.PostFormValue("task"), p.SponsorID, r.PostFormValue("due")))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "cockpit.supervised")
	redirect(w, r, "/projects/"+strconv.FormatInt(id, 10)+"#supervision-orders")
}

// cockpitScreen is the meeting-room screen: the headline figures on a dark
// 1920×1080 canvas that refreshes itself every five minutes (the refresh
// is a request like any other, so it keeps the session open); no forms.
func (s *Server) cockpitScreen(w http.ResponseWriter, r *http.Request) {
	zone, year, err := s.cockpitRequest(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := report.CockpitOf(r.Context(), s.store, zone, year)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.printer(r)
	v := cockpitView{C: c}
	v.Funnel, v.Trend, v.Amounts, v.Industry, v.Bands = cockpitCharts(p, c, "")
	for _, ch := range []*chartView{v.Funnel, v.Trend, v.Amounts, v.Industry} {
		if ch != nil {
			ch.Theme = "dark"
		}
	}
	s.render(w, r, http.StatusOK, "cockpit_screen", p.T("cockpit.screen_title"), v)
}

// rollupView is the roll-up: every zone the user's cockpit reaches.
type rollupView struct {
	Year  int
	Years []int
	Zones []report.RollupZone
	Sort  string
	Spark map[int64]*chartView
}

// rollupSorts are the columns the roll-up sorts by (largest first); "" is
// by zone code.
var rollupSorts = []string{"leads", "signed", "contract_yuan", "funds_yuan", "started", "produced", "red_projects", "assessment"}

func (s *Server) cockpitZones(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	_, year, err := s.cockpitRequest(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	zones, err := report.RollupOf(r.Context(), s.store, u, year)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	zones = slices.Clone(zones) // shared: sorted here on a copy
	v := rollupView{Year: year, Zones: zones, Spark: map[int64]*chartView{}}
	if sortBy := r.URL.Query().Get("sort"); contains(rollupSorts, sortBy) {
		v.Sort = sortBy
		sortRollup(v.Zones, sortBy)
	}
	today := s.today()
	for y := today.Year(); y >= today.Year()-4; y-- {
		v.Years = append(v.Years, y)
	}
	p := s.printer(r)
	for _, z := range zones {
		sp := chartSpec{Kind: "line", Spark: true}
		sr := chartSeries{Name: p.T("cockpit.measure.contract_yuan"), Color: "blue"}
		for i, y := range z.MonthlyYuan {
			sp.Categories = append(sp.Categories, strconv.Itoa(i+1))
			sr.Data = append(sr.Data, num(float64(y)/10000))
		}
		sp.Series = []chartSeries{sr}
		v.Spark[z.ZoneID] = newChart("spark-"+strconv.FormatInt(z.ZoneID, 10), sp, "", nil)
	}
	s.render(w, r, http.StatusOK, "cockpit_zones", p.T("cockpit.zones_title"), v)
}

// withoutLinks is a copy of a cockpit's figures without their lists:
// another zone's cockpit is read-only, and the lists the user opens are of
// their own scope. (The cockpit given is shared: it is not changed.)
func withoutLinks(in *report.Cockpit) *report.Cockpit {
	c := *in
	c.Targets = slices.Clone(in.Targets)
	for i := range c.Targets {
		c.Targets[i].Link = ""
	}
	c.Funnel = slices.Clone(in.Funnel)
	for i := range c.Funnel {
		c.Funnel[i].Link = ""
	}
	c.Breakdowns = slices.Clone(in.Breakdowns)
	for i := range c.Breakdowns {
		c.Breakdowns[i].Rows = slices.Clone(c.Breakdowns[i].Rows)
		for j := range c.Breakdowns[i].Rows {
			c.Breakdowns[i].Rows[j].Link = ""
		}
	}
	c.Alerts = slices.Clone(in.Alerts)
	for i := range c.Alerts {
		c.Alerts[i].Link = ""
		c.Alerts[i].Items = slices.Clone(c.Alerts[i].Items)
		for j := range c.Alerts[i].Items {
			c.Alerts[i].Items[j].Link, c.Alerts[i].Items[j].ProjectID = "", 0
		}
	}
	c.Members = slices.Clone(in.Members)
	for i := range c.Members {
		c.Members[i].Link, c.Members[i].FundsLink = "", ""
	}
	if in.Appraisal != nil {
		a := *in.Appraisal
		a.Link = ""
		c.Appraisal = &a
	}
	c.Indicators = slices.Clone(in.Indicators)
	for i := range c.Indicators {
		c.Indicators[i].Link = ""
	}
	if in.Factors != nil {
		f := *in.Factors
		f.CastingLink = ""
		f.Parks = slices.Clone(in.Factors.Parks)
		for i := range f.Parks {
			f.Parks[i].Link = ""
		}
		c.Factors = &f
	}
	return &c
}

// storeOrder is a supervision order to issue.
func storeOrder(task string, assignee int64, due string) store.SupervisionOrder {
	return store.SupervisionOrder{Task: task, AssigneeID: assignee, Due: due}
}

// sortRollup orders the zones by a figure, largest first, then by code.
func sortRollup(zs []report.RollupZone, by string) {
	val := func(z report.RollupZone) int64 {
		switch by {
		case "leads":
			return z.Leads
		case "signed":
			return z.Signed
		case "contract_yuan":
			return z.ContractYuan
		case "funds_yuan":
			return z.FundsYuan
		case "started":
			return z.Started
		case "produced":
			return z.Produced
		case "assessment": // hundredths of a point; zones without a sheet last
			if z.Assessment == nil {
				return -1
			}
			return int64(math.Round(z.Assessment.Score * 100))
		}
		return int64(z.RedProjects)
	}
	slices.SortStableFunc(zs, func(a, b report.RollupZone) int { return cmp.Compare(val(b), val(a)) })
}

// cockpitRecordsView is the list behind a cockpit figure that has no
// ledger of its own: the year's funds in place, the red or yellow approval
// items or supervision orders.
type cockpitRecordsView struct {
	Kind    string
	Year    int
	Light   string
	Items   []store.CockpitRecord
	SumYuan int64
	Pager   pager
}

// cockpitRecords lists the records a cockpit figure counts; its total is
// the figure (?year= for funds, with ?sponsor_id= for a member's; ?light=
// red or yellow for approval items and orders).
func (s *Server) cockpitRecords(w http.ResponseWriter, r *http.Request) {
	zone, year, err := s.cockpitRequest(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := store.CockpitRecordFilter{Kind: r.PathValue("kind"), Year: year, Page: pageFrom(r)}
	switch l := xinlu.Light(q.Get("light")); l {
	case "", xinlu.LightRed, xinlu.LightYellow:
		f.Light = l
	default:
		s.renderError(w, r, xinlu.NotFound("error.page_not_found"))
		return
	}
	if v := q.Get("sponsor_id"); v != "" {
		if f.SponsorID, err = strconv.ParseInt(v, 10, 64); err != nil || f.SponsorID <= 0 {
			s.renderError(w, r, xinlu.NotFound("error.page_not_found"))
			return
		}
	}
	lt, err := s.store.ZoneLights(r.Context(), zone)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	items, total, sum, err := s.store.CockpitRecords(r.Context(), lt, f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := cockpitRecordsView{Kind: f.Kind, Year: year, Light: string(f.Light), Items: items, SumYuan: sum, Pager: newPager(r, f.Page, total)}
	p := s.printer(r)
	title := p.T("cockpit.records."+f.Kind, year)
	s.render(w, r, http.StatusOK, "cockpit_records", title, v)
}
