package api

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Appraisal: schemes, periods and their steps, scores, results, appeals,
// base pay, and the publication list and payroll as Excel. Scores and
// points travel as numbers with two decimals (87.5); coefficients as
// ratios (1.2).
func (a *API) appraisalRoutes() []Route {
	return []Route{
		{"GET", "/appraisal/schemes", xinlu.PermAppraisalView, a.handle(a.listSchemes)},
		{"POST", "/appraisal/schemes", xinlu.PermAppraisalManage, a.handle(a.createScheme)},
		{"GET", "/appraisal/schemes/{id}", xinlu.PermAppraisalView, a.handle(a.getScheme)},
		{"PUT", "/appraisal/schemes/{id}", xinlu.PermAppraisalManage, a.handle(a.updateScheme)},
		{"DELETE", "/appraisal/schemes/{id}", xinlu.PermAppraisalManage, a.deleter(a.store.DeleteScheme)},
		{"GET", "/appraisal/periods", xinlu.PermAppraisalView, a.handle(a.listPeriods)},
		{"POST", "/appraisal/periods", xinlu.PermAppraisalManage, a.handle(a.createPeriod)},
		{"GET", "/appraisal/periods/{id}", xinlu.PermAppraisalView, a.handle(a.getPeriod)},
		{"PUT", "/appraisal/periods/{id}", xinlu.PermAppraisalManage, a.handle(a.updatePeriod)},
		{"DELETE", "/appraisal/periods/{id}", xinlu.PermAppraisalManage, a.deleter(a.store.DeletePeriod)},
		{"POST", "/appraisal/periods/{id}/scores", xinlu.PermAppraisalView, a.handle(a.saveScores)},
		{"POST", "/appraisal/periods/{id}/absences", xinlu.PermAppraisalManage, a.handle(a.saveAbsence)},
		{"POST", "/appraisal/periods/{id}/{action}", xinlu.PermAppraisalView, a.handle(a.stepPeriod)},
		{"GET", "/appraisal/periods/{id}/results", xinlu.PermAppraisalView, a.handle(a.listResults)},
		{"GET", "/appraisal/periods/{id}/results/{member}", xinlu.PermAppraisalView, a.handle(a.getResult)},
		{"GET", "/appraisal/periods/{id}/publication.xlsx", xinlu.PermAppraisalView, a.handle(a.exportPublication)},
		{"GET", "/appraisal/periods/{id}/payroll.xlsx", xinlu.PermAppraisalView, a.handle(a.exportPayroll)},
		{"GET", "/appraisal/periods/{id}/appeals", xinlu.PermAppraisalView, a.handle(a.listAppeals)},
		{"POST", "/appraisal/periods/{id}/appeals", xinlu.PermAppraisalView, a.handle(a.fileAppeal)},
		{"POST", "/appraisal/appeals/{id}/{action}", xinlu.PermAppraisalManage, a.handle(a.answerAppeal)},
		{"GET", "/appraisal/base-pay", xinlu.PermAppraisalPool, a.handle(a.listBasePay)},
		{"PUT", "/appraisal/base-pay", xinlu.PermAppraisalPool, a.handle(a.saveBasePay)},
	}
}

// hundredths converts a score as typed (87.5) to hundredths.
func hundredths(v float64) int64 { return int64(math.Round(v * 100)) }

func fromHundredths(v int64) float64 { return float64(v) / 100 }

// IndicatorJSON is one indicator of a scheme. target is the value that
// scores 100 (computed) or the cap on points (points).
type IndicatorJSON struct {
	ID      int64   `json:"id,omitempty"`
	Name    string  `json:"name"`
	Kind    string  `json:"kind"`
	Metric  string  `json:"metric,omitempty"`
	Target  float64 `json:"target,omitempty"`
	Weight  int     `json:"weight"`
	KeyTask bool    `json:"key_task,omitempty"`
}

// SchemeJSON is a scheme with its indicators.
type SchemeJSON struct {
	ID           int64           `json:"id"`
	ZoneID       int64           `json:"zone_id"`
	Name         string          `json:"name"`
	PositionKind string          `json:"position_kind"`
	Indicators   []IndicatorJSON `json:"indicators"`
	Version      int             `json:"version"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

func schemeJSON(sc *xinlu.Scheme) SchemeJSON {
	out := SchemeJSON{ID: sc.ID, ZoneID: sc.ZoneID, Name: sc.Name, PositionKind: string(sc.PositionKind), Version: sc.Version,
		CreatedAt: sc.CreatedAt, UpdatedAt: sc.UpdatedAt, Indicators: []IndicatorJSON{}}
	for _, i := range sc.Indicators {
		target := float64(i.Target)
		if i.Kind == xinlu.IndicatorPoints {
			target = fromHundredths(i.Target)
		}
		out.Indicators = append(out.Indicators, IndicatorJSON{ID: i.ID, Name: i.Name, Kind: string(i.Kind), Metric: i.Metric,
			Target: target, Weight: i.Weight, KeyTask: i.KeyTask})
	}
	return out
}

type schemeInput struct {
	Name         string          `json:"name"`
	PositionKind string          `json:"position_kind"`
	Indicators   []IndicatorJSON `json:"indicators"`
	Version      *int            `json:"version"`
}

func (in schemeInput) scheme(zoneID int64) *xinlu.Scheme {
	sc := &xinlu.Scheme{ZoneID: zoneID, Name: in.Name, PositionKind: xinlu.PositionKind(in.PositionKind)}
	for _, i := range in.Indicators {
		target := int64(math.Round(i.Target))
		if xinlu.IndicatorKind(i.Kind) == xinlu.IndicatorPoints {
			target = hundredths(i.Target)
		}
		sc.Indicators = append(sc.Indicators, xinlu.Indicator{Name: i.Name, Kind: xinlu.IndicatorKind(i.Kind), Metric: i.Metric,
			Target: target, Weight: i.Weight, KeyTask: i.KeyTask})
	}
	return sc
}

func (a *API) listSchemes(w http.ResponseWriter, r *http.Request) error {
	scs, err := a.store.ListSchemes(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	out := make([]SchemeJSON, len(scs))
	for i, sc := range scs {
		out[i] = schemeJSON(sc)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) getScheme(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sc, err := a.store.SchemeByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, schemeJSON(sc))
	return nil
}

func (a *API) createScheme(w http.ResponseWriter, r *http.Request) error {
	var in schemeInput
	if err := decode(r, &in); err != nil {
		return err
	}
	sc := in.scheme(user(r).ZoneID)
	if err := a.store.CreateScheme(r.Context(), actor(r), sc); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, schemeJSON(sc))
	return nil
}

func (a *API) updateScheme(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.SchemeByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	cur := schemeJSON(old)
	in := schemeInput{Name: cur.Name, PositionKind: cur.PositionKind, Indicators: cur.Indicators}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	sc := in.scheme(user(r).ZoneID)
	sc.ID, sc.Version = id, v
	if err := a.store.UpdateScheme(r.Context(), actor(r), sc); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, schemeJSON(sc))
	return nil
}

// RuleJSON is a period's distribution rule.
type RuleJSON struct {
	Grouping     string   `json:"grouping"`
	TopRatio     float64  `json:"top_ratio"`
	BottomRatio  float64  `json:"bottom_ratio"`
	MinGroupSize int      `json:"min_group_size"`
	TieBreakers  []string `json:"tie_breakers"`
}

// CoefficientsJSON are the band coefficients as ratios.
type CoefficientsJSON struct {
	Top    float64 `json:"top"`
	Middle float64 `json:"middle"`
	Bottom float64 `json:"bottom"`
}

// PeriodJSON is an appraisal period.
type PeriodJSON struct {
	ID              int64            `json:"id"`
	ZoneID          int64            `json:"zone_id"`
	Kind            string           `json:"kind"`
	Label           string           `json:"label"`
	StartsOn        string           `json:"starts_on"`
	EndsOn          string           `json:"ends_on"`
	State           string           `json:"state"`
	Rule            RuleJSON         `json:"rule"`
	Coefficients    CoefficientsJSON `json:"coefficients"`
	PublicationDays int              `json:"publication_days"`
	PublishedOn     string           `json:"published_on,omitempty"`
	PublicationEnds string           `json:"publication_ends,omitempty"`
	PoolYuan        int64            `json:"pool_yuan"`
	PoolDecision    string           `json:"pool_decision,omitempty"`
	PoolNote        string           `json:"pool_note,omitempty"`
	Version         int              `json:"version"`
	CreatedAt       time.Time        `json:"created_at"`
	UpdatedAt       time.Time        `json:"updated_at"`
}

func periodJSON(p *xinlu.Period) PeriodJSON {
	return PeriodJSON{ID: p.ID, ZoneID: p.ZoneID, Kind: string(p.Kind), Label: p.Label, StartsOn: p.StartsOn, EndsOn: p.EndsOn,
		State: string(p.State), Rule: RuleJSON{Grouping: string(p.Rule.Grouping), TopRatio: p.Rule.TopRatio, BottomRatio: p.Rule.BottomRatio,
			MinGroupSize: p.Rule.MinGroupSize, TieBreakers: append([]string{}, p.Rule.TieBreakers...)},
		Coefficients:    CoefficientsJSON{fromHundredths(p.Coefficients.Top), fromHundredths(p.Coefficients.Middle), fromHundredths(p.Coefficients.Bottom)},
		PublicationDays: p.PublicationDays, PublishedOn: p.PublishedOn, PublicationEnds: p.PublicationEnds,
		PoolYuan: p.PoolYuan, PoolDecision: p.PoolDecision, PoolNote: p.PoolNote, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

type periodInput struct {
	Kind            string            `json:"kind"`
	Label           string            `json:"label"`
	Rule            *RuleJSON         `json:"rule"`
	Coefficients    *CoefficientsJSON `json:"coefficients"`
	PublicationDays int               `json:"publication_days"`
	Version         *int              `json:"version"`
}

func (in periodInput) period(zoneID int64) *xinlu.Period {
	p := &xinlu.Period{ZoneID: zoneID, Kind: xinlu.PeriodKind(in.Kind), Label: in.Label, PublicationDays: in.PublicationDays,
		Rule: xinlu.DefaultDistributionRule(), Coefficients: xinlu.DefaultCoefficients()}
	if in.Rule != nil {
		p.Rule = xinlu.DistributionRule{Grouping: xinlu.Grouping(in.Rule.Grouping), TopRatio: in.Rule.TopRatio,
			BottomRatio: in.Rule.BottomRatio, MinGroupSize: in.Rule.MinGroupSize, TieBreakers: in.Rule.TieBreakers}
		if in.Rule.TieBreakers == nil {
			p.Rule.TieBreakers = xinlu.DefaultDistributionRule().TieBreakers
		}
	}
	if in.Coefficients != nil {
		p.Coefficients = xinlu.Coefficients{Top: hundredths(in.Coefficients.Top), Middle: hundredths(in.Coefficients.Middle),
			Bottom: hundredths(in.Coefficients.Bottom)}
	}
	return p
}

func (a *API) listPeriods(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	u := user(r)
	q := r.URL.Query()
	f := store.PeriodFilter{ZoneID: u.ZoneID, Kind: xinlu.PeriodKind(q.Get("kind")), State: xinlu.PeriodState(q.Get("state")),
		States: xinlu.VisibleStates(u), Page: pg}
	if f.Kind != "" && !slices.Contains(xinlu.PeriodKinds, f.Kind) {
		return xinlu.Invalid("kind", "error.invalid_choice")
	}
	if f.State != "" && !slices.Contains(xinlu.PeriodStates, f.State) {
		return xinlu.Invalid("state", "error.invalid_choice")
	}
	ps, total, err := a.store.ListPeriods(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]PeriodJSON, len(ps))
	for i, p := range ps {
		out[i] = periodJSON(p)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

// periodFor returns the period of the path as the caller may see it.
func (a *API) periodFor(r *http.Request) (*xinlu.Period, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.store.PeriodFor(r.Context(), user(r), id)
}

func (a *API) getPeriod(w http.ResponseWriter, r *http.Request) error {
	p, err := a.periodFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, periodJSON(p))
	return nil
}

func (a *API) createPeriod(w http.ResponseWriter, r *http.Request) error {
	var in periodInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p := in.period(user(r).ZoneID)
	if err := a.store.CreatePeriod(r.Context(), actor(r), p); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, periodJSON(p))
	return nil
}

func (a *API) updatePeriod(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.PeriodByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	cur := periodJSON(old)
	in := periodInput{Kind: cur.Kind, Label: cur.Label, Rule: &cur.Rule, Coefficients: &cur.Coefficients, PublicationDays: cur.PublicationDays}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	p := in.period(user(r).ZoneID)
	p.ID, p.Version = id, v
	if err := a.store.UpdatePeriod(r.Context(), actor(r), p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, periodJSON(p))
	return nil
}

type periodStepInput struct {
	Version  *int    `json:"version"`
	MemberID int64   `json:"member_id"`
	Band     string  `json:"band"`
	Reason   string  `json:"reason"`
	PoolYuan int64   `json:"pool_yuan"`
	Decision string  `json:"decision"`
	Grade    string  `json:"grade"`
	Note     *string `json:"note"`
}

func (a *API) stepPeriod(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	action := xinlu.PeriodAction(r.PathValue("action"))
	var in periodStepInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	p, err := a.store.StepPeriod(r.Context(), actor(r), user(r), id, action, store.PeriodInput{Version: v, MemberID: in.MemberID,
		Band: xinlu.Band(in.Band), Reason: in.Reason, PoolYuan: in.PoolYuan, Decision: in.Decision, Grade: in.Grade})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, periodJSON(p))
	return nil
}

type scoreInput struct {
	MemberID    int64   `json:"member_id"`
	IndicatorID int64   `json:"indicator_id"`
	Score       float64 `json:"score"`
	Note        string  `json:"note"`
}

func (a *API) saveScores(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Scores []scoreInput `json:"scores"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	rs := make([]store.Rating, len(in.Scores))
	for i, s := range in.Scores {
		rs[i] = store.Rating{MemberID: s.MemberID, IndicatorID: s.IndicatorID, Score: hundredths(s.Score), Note: s.Note}
	}
	n, err := a.store.SaveRatings(r.Context(), actor(r), user(r), id, rs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"saved": n})
	return nil
}

func (a *API) saveAbsence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		MemberID   int64 `json:"member_id"`
		AbsentDays int   `json:"absent_days"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.store.SetAbsence(r.Context(), actor(r), user(r), id, in.MemberID, in.AbsentDays); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

// ResultJSON is one member's line of a period. Pay fields are present only
// for the member themself and those who run or pay the appraisal.
type ResultJSON struct {
	MemberID          int64            `json:"member_id"`
	MemberName        string           `json:"member_name"`
	StaffNo           string           `json:"staff_no"`
	DepartmentID      int64            `json:"department_id,omitempty"`
	DepartmentName    string           `json:"department_name,omitempty"`
	PositionKind      string           `json:"position_kind"`
	Group             string           `json:"group"`
	GroupSize         int              `json:"group_size"`
	TopQuota          int              `json:"top_quota"`
	BottomQuota       int              `json:"bottom_quota"`
	Score             float64          `json:"score"`
	Points            float64          `json:"points"`
	Missing           int              `json:"missing,omitempty"`
	Rank              int              `json:"rank"`
	Band              string           `json:"band"`
	Rule              string           `json:"rule"`
	CalibratedFrom    string           `json:"calibrated_from,omitempty"`
	CalibrationReason string           `json:"calibration_reason,omitempty"`
	Exclusion         string           `json:"exclusion,omitempty"`
	Grade             string           `json:"grade,omitempty"`
	Coefficient       *float64         `json:"coefficient,omitempty"`
	BaseYuan          *int64           `json:"base_yuan,omitempty"`
	PayYuan           *int64           `json:"pay_yuan,omitempty"`
	Breakdown         *xinlu.Breakdown `json:"breakdown,omitempty"`
	Records           []RecordJSON     `json:"records,omitempty"`
	Version           int              `json:"version"`
}

// RecordJSON is one record behind a computed indicator.
type RecordJSON struct {
	IndicatorID int64  `json:"indicator_id"`
	Kind        string `json:"kind"`
	ID          int64  `json:"id"`
	ProjectID   int64  `json:"project_id,omitempty"`
	Label       string `json:"label"`
	Date        string `json:"date"`
	Yuan        int64  `json:"yuan,omitempty"`
}

func resultJSON(u *xinlu.User, r *store.Result) ResultJSON {
	out := ResultJSON{MemberID: r.MemberID, MemberName: r.MemberName, StaffNo: r.StaffNo, DepartmentID: r.DepartmentID,
		DepartmentName: r.DepartmentName, PositionKind: r.PositionKind, Group: r.Group, GroupSize: r.GroupSize, TopQuota: r.TopQuota,
		BottomQuota: r.BottomQuota, Score: fromHundredths(r.Score), Points: fromHundredths(r.Points), Missing: r.Missing, Rank: r.Rank, Band: string(r.Band),
		Rule: r.Rule, CalibratedFrom: r.CalibratedFrom, CalibrationReason: r.CalibrationReason, Exclusion: r.Exclusion, Grade: r.Grade,
		Version: r.Version}
	if xinlu.SeesPay(u, r.MemberID) {
		c, base, pay := fromHundredths(r.Coefficient), r.BaseYuan, r.PayYuan
		out.Coefficient, out.BaseYuan, out.PayYuan = &c, &base, &pay
	}
	return out
}

func (a *API) listResults(w http.ResponseWriter, r *http.Request) error {
	p, err := a.periodFor(r)
	if err != nil {
		return err
	}
	u := user(r)
	if err := xinlu.CheckResults(u, p); err != nil {
		return err
	}
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	dept, err := queryInt64(r, "department_id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	band := xinlu.Band(q.Get("band"))
	if band != "" && !slices.Contains(xinlu.Bands, band) {
		return xinlu.Invalid("band", "error.invalid_choice")
	}
	rs, total, err := a.store.ListResults(r.Context(), store.ResultFilter{PeriodID: p.ID, Scope: u.Filter(xinlu.PermAppraisalView),
		DepartmentID: dept, Band: band, Group: q.Get("group"), Query: q.Get("q"), Missing: q.Get("missing") == "1", Page: pg})
	if err != nil {
		return err
	}
	out := make([]ResultJSON, len(rs))
	for i, res := range rs {
		out[i] = resultJSON(u, res)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) getResult(w http.ResponseWriter, r *http.Request) error {
	p, err := a.periodFor(r)
	if err != nil {
		return err
	}
	u := user(r)
	if err := xinlu.CheckResults(u, p); err != nil {
		return err
	}
	member, err := pathID(r, "member")
	if err != nil {
		return err
	}
	res, err := a.store.ResultOf(r.Context(), u.Filter(xinlu.PermAppraisalView), p.ID, member)
	if err != nil {
		return err
	}
	out := resultJSON(u, res)
	out.Breakdown = &res.Breakdown
	for _, l := range res.Breakdown.Lines {
		if l.Kind != string(xinlu.IndicatorComputed) {
			continue
		}
		recs, err := a.store.MetricRecords(r.Context(), p, member, l.Metric, 100)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			out.Records = append(out.Records, RecordJSON{IndicatorID: l.IndicatorID, Kind: rec.Kind, ID: rec.ID, ProjectID: rec.ProjectID,
				Label: rec.Label, Date: rec.Date, Yuan: rec.Yuan})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) zoneName(ctx context.Context, zoneID int64) string {
	if z, err := a.store.ZoneByID(ctx, zoneID); err == nil {
		return z.Name
	}
	return ""
}

func (a *API) exportPublication(w http.ResponseWriter, r *http.Request) error {
	p, err := a.periodFor(r)
	if err != nil {
		return err
	}
	u := user(r)
	if err := xinlu.CheckResults(u, p); err != nil {
		return err
	}
	rep, err := report.Publication(r.Context(), a.store, a.printer(r), u, p, a.zoneName(r.Context(), u.ZoneID), a.staffToday())
	if err != nil {
		return err
	}
	return a.sendReport(w, r, rep, "appraisal.publication.export", "appraisal_period", p.ID, nil, "publication-"+p.Label+".xlsx")
}

func (a *API) exportPayroll(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	p, err := a.periodFor(r)
	if err != nil {
		return err
	}
	if !xinlu.SeesUnpublished(u) {
		return xinlu.Forbidden()
	}
	rep, err := report.Payroll(r.Context(), a.store, a.printer(r), u, p, a.zoneName(r.Context(), u.ZoneID), a.staffToday())
	if err != nil {
		return err
	}
	return a.sendReport(w, r, rep, "appraisal.payroll.export", "appraisal_period", p.ID, nil, "payroll-"+p.Label+".xlsx")
}

// AppealJSON is an appeal.
type AppealJSON struct {
	ID         int64      `json:"id"`
	PeriodID   int64      `json:"period_id"`
	MemberID   int64      `json:"member_id"`
	MemberName string     `json:"member_name"`
	Reason     string     `json:"reason"`
	Status     string     `json:"status"`
	Response   string     `json:"response,omitempty"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
	Version    int        `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
}

func appealJSON(ap *store.Appeal) AppealJSON {
	return AppealJSON{ID: ap.ID, PeriodID: ap.PeriodID, MemberID: ap.MemberID, MemberName: ap.MemberName, Reason: ap.Reason,
		Status: ap.Status, Response: ap.Response, DecidedAt: ap.DecidedAt, Version: ap.Version, CreatedAt: ap.CreatedAt}
}

func (a *API) listAppeals(w http.ResponseWriter, r *http.Request) error {
	p, err := a.periodFor(r)
	if err != nil {
		return err
	}
	u := user(r)
	aps, err := a.store.ListAppeals(r.Context(), xinlu.AppealScope(u), p.ID)
	if err != nil {
		return err
	}
	out := make([]AppealJSON, len(aps))
	for i, ap := range aps {
		out[i] = appealJSON(ap)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) fileAppeal(w http.ResponseWriter, r *http.Request) error {
	p, err := a.periodFor(r)
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	ap, err := a.store.FileAppeal(r.Context(), actor(r), user(r), p.ID, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, appealJSON(ap))
	return nil
}

func (a *API) answerAppeal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	upheld, err := xinlu.AppealAnswer(r.PathValue("action"))
	if err != nil {
		return err
	}
	var in struct {
		Response string `json:"response"`
		Version  *int   `json:"version"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	ap, err := a.store.AnswerAppeal(r.Context(), actor(r), user(r), id, upheld, in.Response, v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, appealJSON(ap))
	return nil
}

// BasePayJSON is a member's base performance pay.
type BasePayJSON struct {
	MemberID       int64  `json:"member_id"`
	StaffNo        string `json:"staff_no"`
	Name           string `json:"name"`
	DepartmentName string `json:"department_name"`
	BaseYuan       int64  `json:"base_yuan"`
	Set            bool   `json:"set"`
}

func (a *API) listBasePay(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	bs, total, err := a.store.ListBasePay(r.Context(), user(r).ZoneID, r.URL.Query().Get("q"), pg)
	if err != nil {
		return err
	}
	out := make([]BasePayJSON, len(bs))
	for i, b := range bs {
		out[i] = BasePayJSON{b.MemberID, b.StaffNo, b.Name, b.DepartmentName, b.BaseYuan, b.Set}
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) saveBasePay(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Items []struct {
			StaffNo  string `json:"staff_no"`
			BaseYuan int64  `json:"base_yuan"`
		} `json:"items"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if len(in.Items) == 0 || len(in.Items) > 5000 {
		return xinlu.Invalid("items", "appraisal.items_range", 5000)
	}
	pay := map[string]int64{}
	for i, it := range in.Items {
		if _, dup := pay[it.StaffNo]; dup {
			return xinlu.Invalid("items["+strconv.Itoa(i)+"].staff_no", "appraisal.staff_no_twice", it.StaffNo)
		}
		pay[it.StaffNo] = it.BaseYuan
	}
	n, err := a.store.SetBasePay(r.Context(), actor(r), user(r), pay)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"changed": n})
	return nil
}
