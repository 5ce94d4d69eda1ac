package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

// Appraisal pages: schemes, periods with their steps, the results table
// with calibration, scoring sheets, a member's breakdown with the records
// behind it, the publication notice for print, appeals and base pay.
func (s *Server) appraisalRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/appraisal/schemes", Perm: xinlu.PermAppraisalManage, Handler: s.schemeList},
		{Method: "GET", Pattern: "/appraisal/schemes/new", Perm: xinlu.PermAppraisalManage, Handler: s.schemeNew},
		{Method: "POST", Pattern: "/appraisal/schemes", Perm: xinlu.PermAppraisalManage, Handler: s.schemeCreate},
		{Method: "GET", Pattern: "/appraisal/schemes/{id}/edit", Perm: xinlu.PermAppraisalManage, Handler: s.schemeEdit},
		{Method: "POST", Pattern: "/appraisal/schemes/{id}", Perm: xinlu.PermAppraisalManage, Handler: s.schemeUpdate},
		{Method: "POST", Pattern: "/appraisal/schemes/{id}/delete", Perm: xinlu.PermAppraisalManage, Handler: s.deleter(s.store.DeleteScheme, "/appraisal/schemes")},
		{Method: "GET", Pattern: "/appraisal/periods", Perm: xinlu.PermAppraisalView, Handler: s.periodList},
		{Method: "POST", Pattern: "/appraisal/periods", Perm: xinlu.PermAppraisalManage, Handler: s.periodCreate},
		{Method: "GET", Pattern: "/appraisal/periods/{id}", Perm: xinlu.PermAppraisalView, Handler: s.periodShow},
		{Method: "POST", Pattern: "/appraisal/periods/{id}/delete", Perm: xinlu.PermAppraisalManage, Handler: s.deleter(s.store.DeletePeriod, "/appraisal/periods")},
		{Method: "POST", Pattern: "/appraisal/periods/{id}/step/{action}", Perm: xinlu.PermAppraisalView, Handler: s.periodStep},
		{Method: "GET", Pattern: "/appraisal/periods/{id}/scores", Perm: xinlu.PermAppraisalView, Handler: s.scoreSheet},
		{Method: "POST", Pattern: "/appraisal/periods/{id}/scores", Perm: xinlu.PermAppraisalView, Handler: s.scoreSave},
		{Method: "GET", Pattern: "/appraisal/periods/{id}/results/{member}", Perm: xinlu.PermAppraisalView, Handler: s.resultShow},
		{Method: "GET", Pattern: "/appraisal/periods/{id}/publication", Perm: xinlu.PermAppraisalView, Handler: s.publicationNotice},
		{Method: "GET", Pattern: "/appraisal/periods/{id}/publication.xlsx", Perm: xinlu.PermAppraisalView, Handler: s.publicationExport},
		{Method: "GET", Pattern: "/appraisal/periods/{id}/payroll.xlsx", Perm: xinlu.PermAppraisalView, Handler: s.payrollExport},
		{Method: "POST", Pattern: "/appraisal/periods/{id}/appeals", Perm: xinlu.PermAppraisalView, Handler: s.appealFile},
		{Method: "POST", Pattern: "/appraisal/periods/{id}/absences", Perm: xinlu.PermAppraisalManage, Handler: s.absenceSave},
		{Method: "POST", Pattern: "/appraisal/appeals/{id}/{action}", Perm: xinlu.PermAppraisalManage, Handler: s.appealAnswer},
		{Method: "GET", Pattern: "/appraisal/mine", Perm: xinlu.PermAppraisalView, Handler: s.appraisalMine},
		{Method: "GET", Pattern: "/appraisal/base-pay", Perm: xinlu.PermAppraisalPool, Handler: s.basePayList},
		{Method: "POST", Pattern: "/appraisal/base-pay", Perm: xinlu.PermAppraisalPool, Handler: s.basePaySave},
	}
}

// --- schemes ---

type schemeListView struct {
	Items []*xinlu.Scheme
}

func (s *Server) schemeList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	items, err := s.store.ListSchemes(r.Context(), u.ZoneID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "appraisal_schemes", s.printer(r).T("appraisal.schemes_title"), schemeListView{Items: items})
}

// schemeRows is how many indicator rows the scheme form offers.
const schemeRows = 10

type schemeFormView struct {
	S             *xinlu.Scheme
	Rows          []xinlu.Indicator
	Kinds         []xinlu.IndicatorKind
	Metrics       []string
	PositionKinds []xinlu.PositionKind
	Err           error
}

func (s *Server) schemeForm(w http.ResponseWriter, r *http.Request, status int, sc *xinlu.Scheme, err error) {
	title := "appraisal.scheme_new"
	if sc.ID != 0 {
		title = "appraisal.scheme_edit"
	}
	rows := append([]xinlu.Indicator(nil), sc.Indicators...)
	for len(rows) < schemeRows {
		rows = append(rows, xinlu.Indicator{})
	}
	s.render(w, r, status, "appraisal_scheme_form", s.printer(r).T(title), schemeFormView{S: sc, Rows: rows,
		Kinds: xinlu.IndicatorKinds, Metrics: xinlu.Metrics, PositionKinds: xinlu.PositionKinds, Err: err})
}

func (s *Server) schemeNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	s.schemeForm(w, r, http.StatusOK, &xinlu.Scheme{ZoneID: u.ZoneID, PositionKind: xinlu.PositionStaff}, nil)
}

// schemeFromForm reads the scheme and its indicator rows; rows without a
// name are skipped. Points caps are typed in points and kept in hundredths.
func schemeFromForm(r *http.Request, sc *xinlu.Scheme) error {
	sc.Name = r.PostFormValue("name")
	sc.PositionKind = xinlu.PositionKind(r.PostFormValue("position_kind"))
	var err error
	if sc.Version, err = formInt(r, "version"); err != nil {
		return err
	}
	sc.Indicators = nil
	names := r.PostForm["ind_name"]
	get := func(field string, i int) string {
		if vs := r.PostForm[field]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	key := r.PostFormValue("key_task")
	// Every row is read, so that the form comes back whole; the first
	// unreadable number is the error shown.
	var first error
	for i, name := range names {
		if strings.TrimSpace(name) == "" {
			continue
		}
		field := fmt.Sprintf("indicators[%d]", len(sc.Indicators))
		ind := xinlu.Indicator{Name: name, Kind: xinlu.IndicatorKind(get("ind_kind", i)), Metric: get("ind_metric", i), KeyTask: key == strconv.Itoa(i)}
		if v := get("ind_weight", i); v != "" {
			if n, err := strconv.Atoi(v); err != nil {
				first = cmp.Or(first, error(xinlu.Invalid(field+".weight", "error.number")))
			} else {
				ind.Weight = n
			}
		}
		if v := get("ind_target", i); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			switch {
			case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
				first = cmp.Or(first, error(xinlu.Invalid(field+".target", "error.number")))
			case ind.Kind == xinlu.IndicatorPoints:
				ind.Target = int64(math.Round(f * 100))
			default:
				ind.Target = int64(math.Round(f))
			}
		}
		sc.Indicators = append(sc.Indicators, ind)
	}
	return first
}

func (s *Server) schemeCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	sc := &xinlu.Scheme{ZoneID: info.user.ZoneID}
	err := schemeFromForm(r, sc)
	if err == nil {
		err = s.store.CreateScheme(r.Context(), xinlu.ActorOf(info.user, info.ip), sc)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		sc.ID = 0
		s.schemeForm(w, r, status, sc, err)
	}, "flash.created", "/appraisal/schemes")
}

func (s *Server) schemeEdit(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	sc, err := s.store.SchemeByID(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.schemeForm(w, r, http.StatusOK, sc, nil)
}

func (s *Server) schemeUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	sc := &xinlu.Scheme{ID: id, ZoneID: info.user.ZoneID}
	err = schemeFromForm(r, sc)
	if err == nil {
		err = s.store.UpdateScheme(r.Context(), xinlu.ActorOf(info.user, info.ip), sc)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.schemeForm(w, r, status, sc, err)
	}, "flash.updated", "/appraisal/schemes")
}

// --- periods ---

type periodListView struct {
	Items     []*xinlu.Period
	Pager     pager
	CanManage bool
	New       *xinlu.Period
	Kinds     []xinlu.PeriodKind
	Groupings []xinlu.Grouping
	Err       error
	Typed     url.Values // the failed submission, shown back as typed
	Ties      []string   // the tie-breaker orders offered
}

// Value is the failed submission's value of a numeric field, or def.
func (v periodListView) Value(name, def string) string {
	if v.Typed != nil {
		return v.Typed.Get(name)
	}
	return def
}

func (s *Server) periodList(w http.ResponseWriter, r *http.Request) {
	s.periodListPage(w, r, http.StatusOK, nil, nil, nil)
}

// periodListPage shows the periods and the new-period form: the defaults,
// or what was typed (typed) when a submission failed.
func (s *Server) periodListPage(w http.ResponseWriter, r *http.Request, status int, draft *xinlu.Period, formErr error, typed url.Values) {
	u := requestInfo(r.Context()).user
	pg := pageFrom(r)
	visible, total, err := s.store.ListPeriods(r.Context(), store.PeriodFilter{ZoneID: u.ZoneID, Page: pg, States: xinlu.VisibleStates(u)})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if draft == nil {
		taken := map[string]bool{}
		recent, _, err := s.store.ListPeriods(r.Context(), store.PeriodFilter{ZoneID: u.ZoneID, Kind: xinlu.PeriodMonth,
			Page: xinlu.Page{Page: 1, PerPage: 50}})
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		for _, p := range recent {
			taken[p.Label] = true
		}
		draft = &xinlu.Period{Kind: xinlu.PeriodMonth, Label: nextPeriodLabel(s.store.Now().In(shanghai), taken),
			Rule: xinlu.DefaultDistributionRule(), Coefficients: xinlu.DefaultCoefficients(), PublicationDays: 5}
	}
	s.render(w, r, status, "appraisal_periods", s.printer(r).T("appraisal.periods_title"), periodListView{
		Items: visible, Pager: newPager(r, pg, total), CanManage: u.Can(xinlu.PermAppraisalManage), New: draft,
		Kinds: xinlu.PeriodKinds, Groupings: xinlu.Groupings, Err: formErr, Typed: typed,
		Ties: []string{"key_task,deductions", "deductions,key_task", "key_task", "deductions", "none"}})
}

// parsedBad reports whether the error of a domain field comes from a form
// field that did not read as a number (the coefficients are one domain
// field of three form fields).
func parsedBad(errs xinlu.FieldErrors, field string) bool {
	return field == "coefficients" && (errs.Has("coef_top") || errs.Has("coef_middle") || errs.Has("coef_bottom"))
}

// nextPeriodLabel is the label the new-period form proposes: last month,
// or the first month after it that has no period yet.
func nextPeriodLabel(now time.Time, taken map[string]bool) string {
	m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()).AddDate(0, -1, 0)
	for range 24 {
		if l := m.Format("2006-01"); !taken[l] {
			return l
		}
		m = m.AddDate(0, 1, 0)
	}
	return ""
}

// formPercent reads a percentage field (20) as a ratio (0.2).
func formPercent(r *http.Request, name string) (float64, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, xinlu.Invalid(name, "error.number")
	}
	return f / 100, nil
}

// formRatio reads a decimal such as 1.2 in hundredths.
func formRatio(r *http.Request, name string) (int64, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, xinlu.Invalid(name, "error.number")
	}
	return int64(math.Round(f * 100)), nil
}

func (s *Server) periodCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	p := &xinlu.Period{ZoneID: info.user.ZoneID, Kind: xinlu.PeriodKind(r.PostFormValue("kind")), Label: r.PostFormValue("label"),
		Rule: xinlu.DistributionRule{Grouping: xinlu.Grouping(r.PostFormValue("grouping"))}}
	if ties := r.PostFormValue("tie_breakers"); ties != "" && ties != "none" {
		p.Rule.TieBreakers = strings.Split(ties, ",")
	}
	// Every field is read and checked, so that the form comes back with
	// what was typed and every error at once.
	var errs xinlu.FieldErrors
	keep := errs.Add
	var err error
	if p.Rule.TopRatio, err = formPercent(r, "top_ratio"); err != nil {
		keep(err)
	}
	if p.Rule.BottomRatio, err = formPercent(r, "bottom_ratio"); err != nil {
		keep(err)
	}
	if p.Rule.MinGroupSize, err = formInt(r, "min_group_size"); err != nil {
		keep(err)
	}
	if p.PublicationDays, err = formInt(r, "publication_days"); err != nil {
		keep(err)
	}
	if p.Coefficients.Top, err = formRatio(r, "coef_top"); err != nil {
		keep(err)
	}
	if p.Coefficients.Middle, err = formRatio(r, "coef_middle"); err != nil {
		keep(err)
	}
	if p.Coefficients.Bottom, err = formRatio(r, "coef_bottom"); err != nil {
		keep(err)
	}
	if len(errs) > 0 {
		check := *p // the fields that did read, checked too
		for _, e := range xinlu.ErrorsOf(check.Validate()) {
			if !errs.Has(e.Field) && !parsedBad(errs, e.Field) {
				errs = append(errs, e)
			}
		}
		err = errs.Err()
	} else {
		err = s.store.CreatePeriod(r.Context(), xinlu.ActorOf(info.user, info.ip), p)
	}
	if err != nil {
		if isFormError(err) {
			s.periodListPage(w, r, statusOf(err), p, err, r.PostForm)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.created")
	redirect(w, r, "/appraisal/periods/"+strconv.FormatInt(p.ID, 10))
}

// periodStepView is one step button offered on a period's page.
type periodStepView struct {
	Action  string
	Label   string
	Confirm bool
}

type periodView struct {
	P            *xinlu.Period
	ScoreChart   *chartView // the score distribution with the band lines
	Results      []*store.Result
	Pager        pager
	Band         string
	Query        string
	OnlyMissing  bool
	MissingCount int // members with indicators nobody scored
	Steps        []periodStepView
	Calibrate    bool
	Correct      bool
	Absences     bool
	SeesPay      bool
	SetPool      bool
	DecidePool   bool
	PayTotal     int64
	Appeals      []*store.Appeal
	CanAppeal    bool
	AnswerOpen   bool
	CanScore     bool
	ShowResults  bool
	Bands        []xinlu.Band
	Err          error
	ErrAction    string
	AppealReason string
	user         *xinlu.User
}

// Answers reports whether the viewer may answer member's appeal: not their own.
func (v periodView) Answers(member int64) bool { return xinlu.CheckAnswerer(v.user, member) == nil }

// Offers reports whether the page offers the step named action.
func (v periodView) Offers(action string) bool {
	for _, st := range v.Steps {
		if st.Action == action {
			return true
		}
	}
	return false
}

var periodStepOrder = []xinlu.PeriodAction{xinlu.PeriodOpen, xinlu.PeriodCalculate, xinlu.PeriodReview, xinlu.PeriodPublish,
	xinlu.PeriodRecheckA, xinlu.PeriodFinalize, xinlu.PeriodApply, xinlu.PeriodArchive}

func (s *Server) periodFor(r *http.Request) (*xinlu.Period, error) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.store.PeriodFor(r.Context(), u, id)
}

func (s *Server) periodShow(w http.ResponseWriter, r *http.Request) {
	s.periodPage(w, r, http.StatusOK, nil, "")
}

func (s *Server) periodPage(w http.ResponseWriter, r *http.Request, status int, formErr error, errAction string) {
	u := requestInfo(r.Context()).user
	ctx := r.Context()
	p, err := s.periodFor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := periodView{P: p, Bands: xinlu.Bands, Err: formErr, ErrAction: errAction, SeesPay: xinlu.SeesUnpublished(u)}
	if errAction == "appeal" {
		v.AppealReason = r.PostFormValue("reason")
	}
	pt := s.printer(r)
	for _, a := range periodStepOrder {
		if xinlu.PeriodStepOffered(u, p, a) {
			v.Steps = append(v.Steps, periodStepView{Action: string(a), Label: pt.T("appraisal.step." + string(a)),
				Confirm: a != xinlu.PeriodCalculate})
		}
	}
	v.Calibrate = xinlu.PeriodStepOffered(u, p, xinlu.PeriodCalibrate)
	v.Absences = xinlu.CheckPeriodWork(u, p, xinlu.WorkAbsence) == nil
	v.Correct = xinlu.PeriodStepOffered(u, p, xinlu.PeriodCorrect)
	v.SetPool = xinlu.PeriodStepOffered(u, p, xinlu.PeriodSetPool)
	v.CanScore = xinlu.CheckPeriodWork(u, p, xinlu.WorkScore) == nil
	v.ShowResults = xinlu.ResultsVisible(u, p)
	if v.ShowResults {
		q := r.URL.Query()
		v.Band, v.Query, v.OnlyMissing = q.Get("band"), q.Get("q"), q.Get("missing") == "1"
		pg := pageFrom(r)
		var total int
		v.Results, total, err = s.store.ListResults(ctx, store.ResultFilter{PeriodID: p.ID, Scope: u.Filter(xinlu.PermAppraisalView),
			Band: xinlu.Band(v.Band), Query: v.Query, Missing: v.OnlyMissing, Page: pg})
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		v.Pager = newPager(r, pg, total)
		dist, err := s.store.ScoreDistribution(ctx, p.ID, u.Filter(xinlu.PermAppraisalView))
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if dist.Members > 1 {
			v.ScoreChart = scoreChart(pt, p, dist)
		}
		// Unscored members matter until the results are published; after
		// that the warning would only alarm.
		if xinlu.SeesUnpublished(u) && slices.Contains(missingWarned, p.State) {
			if _, v.MissingCount, err = s.store.ListResults(ctx, store.ResultFilter{PeriodID: p.ID, Scope: u.Filter(xinlu.PermAppraisalView),
				Missing: true, Page: xinlu.Page{Page: 1, PerPage: 1}}); err != nil {
				s.renderError(w, r, err)
				return
			}
		}
		if v.SeesPay {
			if v.PayTotal, err = s.store.PayTotal(ctx, p.ID); err != nil {
				s.renderError(w, r, err)
				return
			}
		}
	}
	v.DecidePool = xinlu.PeriodStepOffered(u, p, xinlu.PeriodPoolDecide) && p.PoolYuan > 0 && v.PayTotal > p.PoolYuan && p.PoolDecision == ""
	scope := xinlu.AppealScope(u)
	if v.Appeals, err = s.store.ListAppeals(ctx, scope, p.ID); err != nil {
		s.renderError(w, r, err)
		return
	}
	v.AnswerOpen, v.user = xinlu.CheckPeriodWork(u, p, xinlu.WorkAnswer) == nil, u
	c := xinlu.AppealCheck{Today: s.today()}
	for _, ap := range v.Appeals {
		c.Open = c.Open || (ap.MemberID == u.MemberID && ap.Status == "filed")
	}
	if u.MemberID != 0 {
		_, err := s.store.ResultOf(ctx, scope, p.ID, u.MemberID)
		c.HasResult = err == nil
	}
	v.CanAppeal = xinlu.CheckAppeal(u, p, c) == nil
	s.render(w, r, status, "appraisal_period", pt.T("appraisal.period_title", p.Label), v)
}

// missingWarned are the states in which the period page warns of members
// without every score.
var missingWarned = []xinlu.PeriodState{xinlu.PeriodScoring, xinlu.PeriodCalculated, xinlu.PeriodCalibration, xinlu.PeriodRecheck}

func (s *Server) periodStep(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	p, err := s.periodFor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	action := xinlu.PeriodAction(r.PathValue("action"))
	err = func() error {
		version, err := formInt(r, "version")
		if err != nil {
			return err
		}
		in := store.PeriodInput{Version: version, Reason: r.PostFormValue("reason"), Decision: r.PostFormValue("decision"),
			Band: xinlu.Band(r.PostFormValue("band")), Grade: r.PostFormValue("grade")}
		if r.PostFormValue("member_id") != "" {
			if in.MemberID, err = formInt64(r, "member_id"); err != nil {
				return err
			}
		}
		if r.PostFormValue("pool_yuan") != "" {
			if in.PoolYuan, err = formInt64(r, "pool_yuan"); err != nil {
				return err
			}
		}
		_, err = s.store.StepPeriod(r.Context(), xinlu.ActorOf(u, info.ip), u, p.ID, action, in)
		return err
	}()
	if err != nil {
		if isFormError(err) {
			s.periodPage(w, r, statusOf(err), err, string(action))
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flashStep(w, r, "period", string(action))
	redirect(w, r, "/appraisal/periods/"+strconv.FormatInt(p.ID, 10))
}

// --- scoring ---

type scoreRow struct {
	M      *xinlu.Member
	Fields []scoreField
}

type scoreField struct {
	Indicator xinlu.Indicator
	Name      string // the form field: s_<member>_<indicator>
	Value     string
}

type scoreSheetView struct {
	P       *xinlu.Period
	Rows    []scoreRow
	Pager   pager
	Query   string
	Saved   int
	Err     error
	Missing bool
}

func (s *Server) scoreSheet(w http.ResponseWriter, r *http.Request) {
	s.scoreSheetPage(w, r, http.StatusOK, nil)
}

func (s *Server) scoreSheetPage(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	u := requestInfo(r.Context()).user
	ctx := r.Context()
	p, err := s.periodFor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	kinds := xinlu.RatedKinds(u)
	if len(kinds) == 0 || u.MemberID == 0 {
		s.renderError(w, r, xinlu.Forbidden())
		return
	}
	schemes, err := s.store.ListSchemes(ctx, u.ZoneID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	positions, _, err := s.store.ListPositions(ctx, store.PositionFilter{ZoneID: u.ZoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	kindOf := map[int64]xinlu.PositionKind{}
	for _, ps := range positions {
		kindOf[ps.ID] = ps.Kind
	}
	byKind := map[xinlu.PositionKind]*xinlu.Scheme{}
	for _, sc := range schemes {
		byKind[sc.PositionKind] = sc
	}
	// The widest scope among the kinds the user rates decides who is listed.
	scope := xinlu.ScopeFilter{}
	for _, perm := range kinds {
		if f := u.Filter(perm); f.Scope > scope.Scope {
			scope = f
		}
	}
	pg := pageFrom(r)
	q := r.URL.Query().Get("q")
	members, total, err := s.store.ListMembers(ctx, store.MemberFilter{Scope: scope, Query: q, Status: xinlu.MemberActive, Page: pg})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	mine, err := s.store.MyRatings(ctx, u, p.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := scoreSheetView{P: p, Pager: newPager(r, pg, total), Query: q, Err: formErr}
	v.Saved, _ = strconv.Atoi(r.URL.Query().Get("saved"))
	for _, m := range members {
		if m.ID == u.MemberID {
			continue
		}
		kind := kindOf[m.PositionID]
		if kind == "" {
			kind = xinlu.PositionStaff
		}
		sc := byKind[kind]
		if sc == nil {
			continue
		}
		row := scoreRow{M: m}
		for _, ind := range sc.Indicators {
			perm, ok := kinds[ind.Kind]
			if !ok {
				continue
			}
			// A peer rater scores the department's members only.
			if perm == xinlu.PermAppraisalPeer && kinds[xinlu.IndicatorAssessed] == "" && m.DepartmentID != u.DepartmentID {
				continue
			}
			f := scoreField{Indicator: ind, Name: fmt.Sprintf("s_%d_%d", m.ID, ind.ID)}
			if typed, ok := r.PostForm[f.Name]; ok && formErr != nil && len(typed) > 0 {
				f.Value = typed[0] // a refused save shows what was typed
			} else if val, ok := mine[[2]int64{m.ID, ind.ID}]; ok {
				f.Value = strconv.FormatFloat(float64(val)/100, 'f', -1, 64)
			}
			row.Fields = append(row.Fields, f)
		}
		if len(row.Fields) > 0 {
			v.Rows = append(v.Rows, row)
		}
	}
	s.render(w, r, status, "appraisal_scores", s.printer(r).T("appraisal.scores_title", p.Label), v)
}

func (s *Server) scoreSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	p, err := s.periodFor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, xinlu.Invalid("", "appraisal.form_invalid"))
		return
	}
	// Every cell is read and checked, so that the sheet comes back with
	// everything typed and each bad cell marked.
	var rs []store.Rating
	var errs xinlu.FieldErrors
	keys := make([]string, 0, len(r.PostForm))
	for key := range r.PostForm {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		vals := r.PostForm[key]
		if !strings.HasPrefix(key, "s_") || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		var m, ind int64
		if _, err := fmt.Sscanf(key, "s_%d_%d", &m, &ind); err != nil {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(vals[0]), 64)
		if err != nil || !(f >= 0 && f <= 100) {
			errs.Invalid(key, "appraisal.score_range")
			continue
		}
		rs = append(rs, store.Rating{MemberID: m, IndicatorID: ind, Score: int64(math.Round(f * 100))})
	}
	var n int
	err = errs.Err()
	if err == nil {
		n, err = s.store.SaveRatings(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, p.ID, rs)
	}
	if err != nil {
		if isFormError(err) {
			s.scoreSheetPage(w, r, statusOf(err), err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	back := url.Values{"saved": {strconv.Itoa(n)}}
	if q := r.URL.Query().Get("q"); q != "" {
		back.Set("q", q)
	}
	if pg := r.URL.Query().Get("page"); pg != "" {
		back.Set("page", pg)
	}
	redirect(w, r, "/appraisal/periods/"+strconv.FormatInt(p.ID, 10)+"/scores?"+back.Encode())
}

// --- one result ---

type recordLine struct {
	Line    xinlu.ScoreLine
	Records []store.MetricRecord
}

type resultView struct {
	P       *xinlu.Period
	R       *store.Result
	Lines   []recordLine
	SeesPay bool
}

func (s *Server) resultShow(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	ctx := r.Context()
	p, err := s.periodFor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := xinlu.CheckResults(u, p); err != nil {
		s.renderError(w, r, err)
		return
	}
	member, err := pathID(r, "member")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	res, err := s.store.ResultOf(ctx, u.Filter(xinlu.PermAppraisalView), p.ID, member)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := resultView{P: p, R: res, SeesPay: xinlu.SeesPay(u, member)}
	for _, l := range res.Breakdown.Lines {
		rl := recordLine{Line: l}
		if l.Kind == string(xinlu.IndicatorComputed) {
			if rl.Records, err = s.store.MetricRecords(ctx, p, member, l.Metric, 100); err != nil {
				s.renderError(w, r, err)
				return
			}
		}
		v.Lines = append(v.Lines, rl)
	}
	s.render(w, r, http.StatusOK, "appraisal_result", s.printer(r).T("appraisal.result_title", res.MemberName, p.Label), v)
}

// --- publication ---

type publicationView struct {
	P         *xinlu.Period
	Rows      []noticeRow
	ShowGroup bool // some ranking group is not a department: the column is headed 排名分组
	Zone      string
	Date      string // the issuing date, written out: 2026年12月7日
	Contact   string
	Phone     string
	Err       error
}

// noticeRow is one published result on the printed notice.
type noticeRow struct {
	Rank                    any
	Name, Department, Group string
	Score                   int64
	Band                    string
}

// noticeRows turns the publication list (rank, name, department, group,
// score, band) into the notice's rows, which print one grouping column:
// the ranking group, which is the member's department unless the period
// ranks otherwise (leaders apart, by position kind, zone-wide); it reports
// whether some group is not a department.
func noticeRows(rows [][]any) ([]noticeRow, bool) {
	out := make([]noticeRow, 0, len(rows))
	differs := false
	for _, r := range rows {
		n := noticeRow{Rank: r[0], Name: fmt.Sprint(r[1]), Department: fmt.Sprint(r[2]), Group: fmt.Sprint(r[3]), Band: fmt.Sprint(r[5])}
		n.Score, _ = r[4].(int64)
		differs = differs || n.Group != n.Department
		out = append(out, n)
	}
	return out, differs
}

// periodReport builds the publication list (or, with payroll, the payroll)
// of the period named in the path, for those who may see its results (the
// payroll: those who see everyone's pay); otherwise it answers the error
// and reports false.
func (s *Server) periodReport(w http.ResponseWriter, r *http.Request, payroll bool) (*xinlu.Period, *xlsx.Report, string, bool) {
	u := requestInfo(r.Context()).user
	p, err := s.periodFor(r)
	if err != nil {
		s.renderError(w, r, err)
		return nil, nil, "", false
	}
	switch {
	case payroll && !xinlu.SeesUnpublished(u):
		s.renderError(w, r, xinlu.Forbidden())
		return nil, nil, "", false
	case !xinlu.ResultsVisible(u, p):
		s.renderError(w, r, xinlu.CheckResults(u, p))
		return nil, nil, "", false
	}
	zone := ""
	if z, err := s.store.ZoneByID(r.Context(), u.ZoneID); err == nil {
		zone = z.Name
	}
	build := report.Publication
	if payroll {
		build = report.Payroll
	}
	rep, err := build(r.Context(), s.store, s.printer(r), u, p, zone, s.today())
	if err != nil {
		s.renderError(w, r, err)
		return nil, nil, "", false
	}
	return p, rep, zone, true
}

func (s *Server) publicationNotice(w http.ResponseWriter, r *http.Request) {
	if p, rep, zone, ok := s.periodReport(w, r, false); ok {
		q, today := r.URL.Query(), s.today()
		v := publicationView{P: p, Zone: zone, Date: s.printer(r).T("appraisal.notice_date", today.Year(), int(today.Month()), today.Day())}
		// The contact line: the office's person and telephone, typed on
		// the page before printing (the signed-in person by default).
		var errs xinlu.FieldErrors
		for _, f := range []struct {
			name string
			dst  *string
		}{{"contact", &v.Contact}, {"tel", &v.Phone}} {
			val, err := xinlu.Name(f.name, q.Get(f.name))
			if err == nil && utf8.RuneCountInString(val) > 40 {
				err = xinlu.Invalid(f.name, "error.too_long", 40)
			}
			if err != nil {
				errs.Add(err)
				continue
			}
			*f.dst = val
		}
		if _, given := q["contact"]; !given {
			v.Contact = requestInfo(r.Context()).user.Name
		}
		v.Rows, v.ShowGroup = noticeRows(rep.Rows)
		status := http.StatusOK
		if v.Err = errs.Err(); v.Err != nil {
			status = http.StatusUnprocessableEntity
		}
		s.render(w, r, status, "appraisal_publication", rep.Title, v)
	}
}

func (s *Server) publicationExport(w http.ResponseWriter, r *http.Request) {
	if p, rep, _, ok := s.periodReport(w, r, false); ok {
		s.sendReport(w, r, rep, "appraisal.publication.export", "appraisal_period", p.ID, nil, "publication-"+p.Label+".xlsx")
	}
}

func (s *Server) payrollExport(w http.ResponseWriter, r *http.Request) {
	if p, rep, _, ok := s.periodReport(w, r, true); ok {
		s.sendReport(w, r, rep, "appraisal.payroll.export", "appraisal_period", p.ID, nil, "payroll-"+p.Label+".xlsx")
	}
}

// absenceSave records a member's absent working days in the period, by
// staff number.
func (s *Server) absenceSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	p, err := s.periodFor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	err = func() error {
		// Both fields are checked, so that both errors show at once.
		var errs xinlu.FieldErrors
		days, err := formInt(r, "absent_days")
		errs.Add(err)
		member, err := s.store.MemberIDByStaffNo(r.Context(), info.user.ZoneID, r.PostFormValue("staff_no"))
		if err != nil && !isFormError(err) {
			return err
		}
		errs.Add(err)
		if err := errs.Err(); err != nil {
			return err
		}
		return s.store.SetAbsence(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, p.ID, member, days)
	}()
	if err != nil {
		if isFormError(err) {
			s.periodPage(w, r, statusOf(err), err, "absence")
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, "/appraisal/periods/"+strconv.FormatInt(p.ID, 10))
}

// --- appeals ---

func (s *Server) appealFile(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	p, err := s.periodFor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	_, err = s.store.FileAppeal(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, p.ID, r.PostFormValue("reason"))
	if err != nil {
		if isFormError(err) {
			s.periodPage(w, r, statusOf(err), err, "appeal")
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.appeal_filed")
	redirect(w, r, "/appraisal/periods/"+strconv.FormatInt(p.ID, 10))
}

func (s *Server) appealAnswer(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	period, err := formInt64(r, "period_id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	upheld, err := xinlu.AppealAnswer(r.PathValue("action"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err == nil {
		_, err = s.store.AnswerAppeal(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, upheld, r.PostFormValue("response"), version)
	}
	if err != nil {
		if isFormError(err) {
			r.SetPathValue("id", strconv.FormatInt(period, 10))
			s.periodPage(w, r, statusOf(err), err, "answer")
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, "/appraisal/periods/"+strconv.FormatInt(period, 10))
}

// --- my appraisal ---

type mineView struct {
	HistoryChart *chartView // score and band by period
	Results      []*store.Result
	Periods      []*xinlu.Period
	Incentives   []*xinlu.Incentive
	Consequences []*store.Consequence
	Claims       []*xinlu.ToleranceClaim
	Appeals      []*store.Appeal
	AppealLabels []string
	NoLink       bool
}

func (s *Server) appraisalMine(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	v := mineView{NoLink: u.MemberID == 0}
	if u.MemberID != 0 {
		ctx := r.Context()
		own := xinlu.ScopeFilter{Scope: xinlu.ScopeOwn, ZoneID: u.ZoneID, MemberID: u.MemberID}
		err := func() (err error) {
			if v.Results, v.Periods, err = s.store.MemberHistory(ctx, u.ZoneID, u.MemberID); err != nil {
				return err
			}
			v.HistoryChart = historyChart(s.printer(r), v.Results, v.Periods)
			if v.Incentives, _, err = s.store.ListIncentives(ctx, store.IncentiveFilter{Scope: own, Page: xinlu.Page{PerPage: 50}}); err != nil {
				return err
			}
			if v.Consequences, err = s.store.ConsequencesOf(ctx, u.ZoneID, u.MemberID); err != nil {
				return err
			}
			if v.Claims, _, err = s.store.ListClaims(ctx, u, store.ClaimFilter{Own: true, Page: xinlu.Page{PerPage: 50}}); err != nil {
				return err
			}
			v.Appeals, v.AppealLabels, err = s.store.MemberAppeals(ctx, u.ZoneID, u.MemberID)
			return err
		}()
		if err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "appraisal_mine", s.printer(r).T("appraisal.nav_mine"), v)
}

// --- base pay ---

type basePayView struct {
	Items []*store.BasePay
	Pager pager
	Query string
	Err   error
}

func (s *Server) basePayList(w http.ResponseWriter, r *http.Request) {
	s.basePayPage(w, r, http.StatusOK, nil)
}

func (s *Server) basePayPage(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	u := requestInfo(r.Context()).user
	pg := pageFrom(r)
	q := r.URL.Query().Get("q")
	items, total, err := s.store.ListBasePay(r.Context(), u.ZoneID, q, pg)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, status, "appraisal_base_pay", s.printer(r).T("appraisal.base_pay_title"), basePayView{Items: items,
		Pager: newPager(r, pg, total), Query: q, Err: formErr})
}

func (s *Server) basePaySave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, xinlu.Invalid("", "appraisal.form_invalid"))
		return
	}
	// Every row is read and checked, so that the page comes back with
	// everything typed and each bad row marked.
	pay := map[string]int64{}
	var errs xinlu.FieldErrors
	keys := make([]string, 0, len(r.PostForm))
	for key := range r.PostForm {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		vals := r.PostForm[key]
		staffNo, ok := strings.CutPrefix(key, "pay_")
		if !ok || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(strings.ReplaceAll(vals[0], ",", "")), 10, 64)
		if err != nil || n < 0 || n > xinlu.MaxBasePayYuan {
			errs.Invalid(key, "appraisal.base_pay_range", staffNo)
			continue
		}
		pay[staffNo] = n
	}
	err := errs.Err()
	if err == nil {
		_, err = s.store.SetBasePay(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, pay)
	}
	if err != nil {
		if isFormError(err) {
			s.basePayPage(w, r, statusOf(err), err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, "/appraisal/base-pay?"+r.URL.RawQuery)
}
