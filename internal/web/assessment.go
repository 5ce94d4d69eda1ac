package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The provincial self-assessment (开发区考核自评): the sheet of a year with
// its scores, evidence and the zone's rank in its category; the planning
// group and the director keep the sheet.
func (s *Server) assessmentRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/assessment", Perm: xinlu.PermAssessmentView, Handler: s.assessmentPage},
		{Method: "GET", Pattern: "/assessment/export.xlsx", Perm: xinlu.PermAssessmentView, Handler: s.assessmentExport},
		{Method: "POST", Pattern: "/assessment/category", Perm: xinlu.PermAssessmentManage, Handler: s.assessmentCategory},
		{Method: "POST", Pattern: "/assessment/default", Perm: xinlu.PermAssessmentManage, Handler: s.assessmentDefault},
		{Method: "GET", Pattern: "/assessment/indicators/new", Perm: xinlu.PermAssessmentManage, Handler: s.assessmentNew},
		{Method: "POST", Pattern: "/assessment/indicators", Perm: xinlu.PermAssessmentManage, Handler: s.assessmentCreate},
		{Method: "GET", Pattern: "/assessment/indicators/{id}/edit", Perm: xinlu.PermAssessmentManage, Handler: s.assessmentEdit},
		{Method: "POST", Pattern: "/assessment/indicators/{id}", Perm: xinlu.PermAssessmentManage, Handler: s.assessmentUpdate},
		{Method: "POST", Pattern: "/assessment/indicators/{id}/delete", Perm: xinlu.PermAssessmentManage, Handler: s.assessmentDelete},
	}
}

type assessmentView struct {
	Year       int
	Years      []int
	Sheet      *store.AssessmentSheet
	Zones      []xinlu.ZoneScore // the zones of the same category, ranked
	Mine       *xinlu.ZoneScore
	Categories []string
	CanManage  bool
	Zone       string
	Err        error
}

// Qty is a figure of the sheet with at most two decimals.
func (assessmentView) Qty(v float64) string { return formatQty(v) }

func (s *Server) yearParam(r *http.Request) int {
	year := s.today().Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	if y, err := strconv.Atoi(r.PostFormValue("year")); err == nil && y >= 2000 && y <= 2100 && r.Method == http.MethodPost {
		year = y
	}
	return year
}

func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request) {
	s.assessmentRender(w, r, http.StatusOK, nil)
}

func (s *Server) assessmentRender(w http.ResponseWriter, r *http.Request, status int, err error) {
	u := requestInfo(r.Context()).user
	today := s.today()
	v := assessmentView{Year: s.yearParam(r), Categories: xinlu.ZoneCategories, CanManage: u.Can(xinlu.PermAssessmentManage), Err: err}
	for y := today.Year() + 1; y >= today.Year()-3; y-- {
		v.Years = append(v.Years, y)
	}
	sheet, lerr := s.store.Assessment(r.Context(), u.ZoneID, v.Year)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	v.Sheet = sheet
	scores, lerr := s.store.AssessmentScores(r.Context(), v.Year)
	if lerr != nil {
		s.renderError(w, r, lerr)
		return
	}
	for i := range scores {
		if scores[i].ZoneID == u.ZoneID {
			v.Mine = &scores[i]
		}
	}
	if v.Mine != nil {
		for _, z := range scores {
			if z.Category == v.Mine.Category {
				v.Zones = append(v.Zones, z)
			}
		}
	}
	if z, zerr := s.store.ZoneByID(r.Context(), u.ZoneID); zerr == nil {
		v.Zone = z.Name
	}
	s.render(w, r, status, "assessment", s.printer(r).T("assessment.title"), v)
}

func (s *Server) assessmentDone(w http.ResponseWriter, r *http.Request, err error, flash string, year int) {
	s.afterSave(w, r, err, func(status int, err error) { s.assessmentRender(w, r, status, err) }, flash, "/assessment?year="+strconv.Itoa(year))
}

func (s *Server) assessmentCategory(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	err := s.store.SetZoneCategory(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, r.PostFormValue("category"))
	s.assessmentDone(w, r, err, "flash.updated", s.yearParam(r))
}

func (s *Server) assessmentDefault(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	var errs xinlu.FieldErrors
	year := intField(r, &errs, "year")
	err := errs.Err()
	if err == nil {
		_, err = s.store.LoadDefaultAssessment(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, year)
	}
	s.assessmentDone(w, r, err, "flash.created", s.yearParam(r))
}

func (s *Server) assessmentExport(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	year := s.yearParam(r)
	rep, _, err := report.AssessmentReport(r.Context(), s.store, s.printer(r), u, year, s.today())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendReport(w, r, rep, "assessment.export", "zone", u.ZoneID, map[string]any{"year": year}, "self-assessment-"+strconv.Itoa(year)+".xlsx")
}

type assessmentFormView struct {
	A       *xinlu.AssessmentIndicator
	Sources []string
	Err     error
}

// ValueText is the stored entered value as the form shows it.
func (v assessmentFormView) ValueText() string {
	if v.A.Value == nil {
		return ""
	}
	return strconv.FormatFloat(*v.A.Value, 'f', -1, 64)
}

// Num is a number as the form shows it.
func (assessmentFormView) Num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// LinksText is the links one per line.
func (v assessmentFormView) LinksText() string { return strings.Join(v.A.Links, "\n") }

func (s *Server) assessmentForm(w http.ResponseWriter, r *http.Request, status int, a *xinlu.AssessmentIndicator, err error) {
	title := "assessment.new"
	if a.ID != 0 {
		title = "assessment.edit"
	}
	s.render(w, r, status, "assessment_form", s.printer(r).T(title), assessmentFormView{A: a, Sources: xinlu.AssessmentSources, Err: err})
}

func (s *Server) assessmentNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	s.assessmentForm(w, r, http.StatusOK, &xinlu.AssessmentIndicator{ZoneID: u.ZoneID, Year: s.yearParam(r)}, nil)
}

func (s *Server) assessmentEdit(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	a, err := s.store.AssessmentIndicatorByID(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.assessmentForm(w, r, http.StatusOK, a, nil)
}

// optionalFloat reads a number that may be left empty (nil).
func optionalFloat(r *http.Request, errs *xinlu.FieldErrors, name string) *float64 {
	v := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(name), ",", ""))
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		errs.Invalid(name, "error.number")
		return nil
	}
	return &f
}

func assessmentFromForm(r *http.Request, a *xinlu.AssessmentIndicator) error {
	a.Name, a.Unit, a.Source, a.Evidence = r.PostFormValue("name"), r.PostFormValue("unit"), r.PostFormValue("source"), r.PostFormValue("evidence")
	a.LowerGood, a.Deduction = r.PostFormValue("lower_good") == "1", r.PostFormValue("deduction") == "1"
	a.Links = []string{r.PostFormValue("links")}
	var errs xinlu.FieldErrors
	a.Year = intField(r, &errs, "year")
	a.Weight = floatField(r, &errs, "weight")
	a.Target = floatField(r, &errs, "target")
	a.Value = optionalFloat(r, &errs, "value")
	a.SortOrder = intField(r, &errs, "sort_order")
	a.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { c := *a; return c.Validate() })
}

func (s *Server) assessmentCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	a := &xinlu.AssessmentIndicator{ZoneID: info.user.ZoneID}
	err := assessmentFromForm(r, a)
	if err == nil {
		err = s.store.SaveAssessmentIndicator(r.Context(), xinlu.ActorOf(info.user, info.ip), a)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.assessmentForm(w, r, status, a, err) }, "flash.created",
		"/assessment?year="+strconv.Itoa(a.Year))
}

func (s *Server) assessmentUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	a := &xinlu.AssessmentIndicator{ID: id, ZoneID: info.user.ZoneID}
	err = assessmentFromForm(r, a)
	if err == nil {
		err = s.store.SaveAssessmentIndicator(r.Context(), xinlu.ActorOf(info.user, info.ip), a)
	}
	s.afterSave(w, r, err, func(status int, err error) { s.assessmentForm(w, r, status, a, err) }, "flash.updated",
		"/assessment?year="+strconv.Itoa(a.Year))
}

func (s *Server) assessmentDelete(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var errs xinlu.FieldErrors
	version := intField(r, &errs, "version")
	if err = errs.Err(); err == nil {
		err = s.store.DeleteAssessmentIndicator(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id, version)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.deleted")
	redirect(w, r, "/assessment?year="+strconv.Itoa(s.yearParam(r)))
}
