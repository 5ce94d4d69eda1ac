package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Incentive ledger (奖惩台账), its settings, and the consequences of bottom
// placements (处理建议). The ledger is scoped by the viewer's incentive.view
// scope; approving is the approvers' (the store refuses one's own proposal
// and a record no longer proposed, naming its status).
func (s *Server) incentiveRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/incentives", Perm: xinlu.PermIncentiveView, Handler: s.incentiveList},
		{Method: "GET", Pattern: "/incentives/export.xlsx", Perm: xinlu.PermIncentiveView, Handler: s.incentiveExport},
		{Method: "GET", Pattern: "/incentives/new", Perm: xinlu.PermIncentiveManage, Handler: s.incentiveNew},
		{Method: "POST", Pattern: "/incentives", Perm: xinlu.PermIncentiveManage, Handler: s.incentiveCreate},
		{Method: "GET", Pattern: "/incentives/settings", Perm: xinlu.PermIncentiveView, Handler: s.incentiveSettings},
		{Method: "POST", Pattern: "/incentives/settings", Perm: xinlu.PermIncentiveManage, Handler: s.incentiveSettingsSave},
		{Method: "POST", Pattern: "/incentives/{id}/{action}", Perm: xinlu.PermIncentiveApprove, Handler: s.incentiveStep},
		{Method: "GET", Pattern: "/consequences", Perm: xinlu.PermConsequenceDecide, Handler: s.consequenceList},
		{Method: "POST", Pattern: "/consequences/{id}/{action}", Perm: xinlu.PermConsequenceDecide, Handler: s.consequenceStep},
	}
}

// formatPoints shows points kept in hundredths with two decimals and a
// sign for bonuses: "+2.00", "-3.50", "" for none.
func formatPoints(p int64) string {
	if p == 0 {
		return ""
	}
	sign := "+"
	if p < 0 {
		sign, p = "-", -p
	}
	return sign + strconv.FormatInt(p/100, 10) + "." + strconv.FormatInt(p%100/10, 10) + strconv.FormatInt(p%10, 10)
}

// formPoints reads points typed with up to two decimals ("2.5", "-3") as
// hundredths; "" is 0.
func formPoints(r *http.Request, name string) (int64, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) || math.IsNaN(f) {
		return 0, xinlu.Invalid(name, "error.number")
	}
	// A number too large is kept at a bound past every range, so that the
	// domain refuses it stating the field's range rather than "not a number".
	return int64(math.Round(max(min(f, 1e9), -1e9) * 100)), nil
}

// pointsInput shows hundredths in a form field: "2.5", "-3".
func pointsInput(p int64) string {
	if p == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(p)/100, 'f', -1, 64)
}

// incentiveQuery echoes the ledger's query bar.
type incentiveQuery struct {
	MemberID                             int64
	Kind, Status, Source, From, To, Text string
}

func (q incentiveQuery) Encode() string {
	v := url.Values{}
	for k, s := range map[string]string{"kind": q.Kind, "status": q.Status, "source": q.Source, "from": q.From, "to": q.To, "q": q.Text} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.MemberID != 0 {
		v.Set("member_id", strconv.FormatInt(q.MemberID, 10))
	}
	return v.Encode()
}

// incentiveFilter reads the query bar by the API's rules, leniently:
// unknown codes and bad dates read as "all".
func incentiveFilter(r *http.Request, u *xinlu.User) (store.IncentiveFilter, incentiveQuery) {
	v := r.URL.Query()
	memberID, _ := strconv.ParseInt(v.Get("member_id"), 10, 64)
	f := store.IncentiveFilter{Scope: u.Filter(xinlu.PermIncentiveView), MemberID: memberID, Kind: xinlu.IncentiveKind(v.Get("kind")),
		Status: xinlu.IncentiveStatus(v.Get("status")), Source: v.Get("source"), From: strings.TrimSpace(v.Get("from")),
		To: strings.TrimSpace(v.Get("to")), Query: strings.TrimSpace(v.Get("q"))}.Lenient()
	return f, incentiveQuery{MemberID: f.MemberID, Kind: string(f.Kind), Status: string(f.Status), Source: f.Source, From: f.From,
		To: f.To, Text: f.Query}
}

type incentiveListView struct {
	Q          incentiveQuery
	Items      []*xinlu.Incentive
	Pager      pager
	Err        error
	ErrID      int64 // the record whose step failed
	Kinds      []xinlu.IncentiveKind
	Statuses   []xinlu.IncentiveStatus
	Members    []choice // for the member filter; empty for who sees only themself
	CanManage  bool
	CanApprove bool
	UserID     int64
	ExportURL  string
	Evidence   map[store.RecordRef]string // the evidence records, named
}

// EvidenceName is the name of an incentive's evidence record, or "".
func (v incentiveListView) EvidenceName(i *xinlu.Incentive) string {
	return v.Evidence[store.RecordRef{Entity: evidenceEntity[i.EvidenceType], ID: i.EvidenceID}]
}

// evidenceEntity is the record kind of each evidence type.
var evidenceEntity = map[string]string{xinlu.EvidenceProject: "project", xinlu.EvidenceLead: "lead", xinlu.EvidenceApproval: "approval_item"}

// Points formats hundredths for the table.
func (incentiveListView) Points(p int64) string { return formatPoints(p) }

func (s *Server) incentiveList(w http.ResponseWriter, r *http.Request) {
	s.incentivePage(w, r, http.StatusOK, nil, 0)
}

// incentivePage renders the ledger, with err beside the record id when a
// step on it failed.
func (s *Server) incentivePage(w http.ResponseWriter, r *http.Request, status int, stepErr error, errID int64) {
	u := requestInfo(r.Context()).user
	f, q := incentiveFilter(r, u)
	f.Page = pageFrom(r)
	items, total, err := s.store.ListIncentives(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := incentiveListView{Q: q, Items: items, Pager: newPager(r, f.Page, total), Err: stepErr, ErrID: errID,
		Kinds: xinlu.IncentiveKinds, Statuses: xinlu.IncentiveStatuses, CanManage: u.Can(xinlu.PermIncentiveManage),
		CanApprove: u.Can(xinlu.PermIncentiveApprove), UserID: u.ID, ExportURL: "/incentives/export.xlsx?" + q.Encode()}
	if f.Scope.Scope > xinlu.ScopeOwn {
		v.Members = s.memberChoices(r, f.Scope)
	}
	var refs []store.RecordRef
	for _, i := range items {
		if e := evidenceEntity[i.EvidenceType]; e != "" {
			refs = append(refs, store.RecordRef{Entity: e, ID: i.EvidenceID})
		}
	}
	if v.Evidence, err = s.store.RecordNames(r.Context(), u.ZoneID, refs); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, status, "incentives", s.printer(r).T("incentives.title"), v)
}

// memberChoices lists the members a scope reaches, for pickers.
func (s *Server) memberChoices(r *http.Request, scope xinlu.ScopeFilter) []choice {
	ms, err := s.store.RosterMembers(r.Context(), store.MemberFilter{Scope: scope})
	if err != nil {
		return nil
	}
	out := make([]choice, len(ms))
	for i, m := range ms {
		out[i] = choice{m.ID, m.Name, m.DepartmentName}
	}
	return out
}

func (s *Server) incentiveExport(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	f, q := incentiveFilter(r, info.user)
	rep, err := report.IncentiveLedger(r.Context(), s.store, s.printer(r), info.user, f, s.today())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendReport(w, r, rep, "incentive.export", "incentive", 0, map[string]any{"filter": q.Encode()}, "incentives-"+s.today().Format("20060102")+".xlsx")
}

func (s *Server) incentiveStep(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// A record outside the zone is not found, whatever the action.
	if _, err := s.store.IncentiveByID(r.Context(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: u.ZoneID}, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err == nil {
		_, err = s.store.StepIncentive(r.Context(), xinlu.ActorOf(u, info.ip), u, id, version,
			xinlu.IncentiveAction(r.PathValue("action")), r.PostFormValue("note"))
	}
	if err != nil {
		if isFormError(err) {
			s.incentivePage(w, r, statusOf(err), err, id)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, "/incentives?"+backQuery(r))
}

// backQuery carries the list's filters through a step form (hidden "back").
func backQuery(r *http.Request) string {
	q, err := url.ParseQuery(r.PostFormValue("back"))
	if err != nil {
		return ""
	}
	return q.Encode()
}

type incentiveFormView struct {
	I            *xinlu.Incentive
	PointsInput  string
	Members      []choice
	Kinds        []xinlu.IncentiveKind
	EvidenceKind []string
	Err          error
}

func (s *Server) incentiveForm(w http.ResponseWriter, r *http.Request, status int, i *xinlu.Incentive, points string, err error) {
	u := requestInfo(r.Context()).user
	s.render(w, r, status, "incentive_form", s.printer(r).T("incentives.new"), incentiveFormView{I: i, PointsInput: points,
		Members: s.memberChoices(r, u.Filter(xinlu.PermIncentiveManage)), Kinds: xinlu.IncentiveKinds, EvidenceKind: xinlu.EvidenceTypes, Err: err})
}

func (s *Server) incentiveNew(w http.ResponseWriter, r *http.Request) {
	s.incentiveForm(w, r, http.StatusOK, &xinlu.Incentive{Kind: xinlu.IncentiveReward, EvidenceType: xinlu.EvidenceEvent,
		OccurredOn: s.today().Format(xinlu.DateLayout)}, "", nil)
}

func (s *Server) incentiveCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	i := &xinlu.Incentive{Kind: xinlu.IncentiveKind(r.PostFormValue("kind")), Reason: r.PostFormValue("reason"),
		EvidenceType: r.PostFormValue("evidence_type"), EvidenceText: r.PostFormValue("evidence_text"),
		OccurredOn: strings.TrimSpace(r.PostFormValue("occurred_on"))}
	points := strings.TrimSpace(r.PostFormValue("points"))
	err := func() error {
		var errs xinlu.FieldErrors
		i.MemberID = int64Field(r, &errs, "member_id")
		i.AmountYuan = int64Field(r, &errs, "amount_yuan")
		var err error
		i.Points, err = formPoints(r, "points")
		errs.Add(err)
		i.EvidenceID = int64Field(r, &errs, "evidence_id")
		if err := withValidation(errs, func() error { c := *i; return c.Validate() }); err != nil {
			return err
		}
		return s.store.CreateIncentive(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, i)
	}()
	s.afterSave(w, r, err, func(status int, err error) {
		s.incentiveForm(w, r, status, i, points, err)
	}, "flash.created", "/incentives")
}

type incentiveSettingsView struct {
	S         store.Settings
	Missed    string // the deduction in points, as typed or stored
	CanManage bool
	Err       error
	Runs      []int                     // the runs of bottom placements the ladder form offers
	Actions   []xinlu.ConsequenceAction // the consequences to choose from
}

// StepAt is the ladder's action after run bottom placements in a row, "".
func (v incentiveSettingsView) StepAt(run int) string {
	for _, st := range v.S.Ladder.Periodic {
		if st.Consecutive == run {
			return string(st.Action)
		}
	}
	return ""
}

func (s *Server) incentiveSettingsPage(w http.ResponseWriter, r *http.Request, status int, st store.Settings, missed string, err error) {
	u := requestInfo(r.Context()).user
	if missed == "" {
		missed = pointsInput(st.MissedPoints)
	}
	s.render(w, r, status, "incentive_settings", s.printer(r).T("incentives.settings_title"),
		incentiveSettingsView{S: st, Missed: missed, CanManage: u.Can(xinlu.PermIncentiveManage), Err: err,
			Runs: []int{1, 2, 3, 4, 5, 6}, Actions: xinlu.ConsequenceActions})
}

func (s *Server) incentiveSettings(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	st, err := s.store.AppraisalSettings(r.Context(), u.ZoneID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.incentiveSettingsPage(w, r, http.StatusOK, st, "", nil)
}

func (s *Server) incentiveSettingsSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	st := &store.Settings{ZoneID: info.user.ZoneID}
	missed := strings.TrimSpace(r.PostFormValue("missed_points"))
	err := func() error {
		var errs xinlu.FieldErrors
		st.SignRewardYuan = int64Field(r, &errs, "sign_reward_yuan")
		st.FundsPermille = int64Field(r, &errs, "funds_permille")
		var err error
		st.MissedPoints, err = formPoints(r, "missed_points")
		errs.Add(err)
		st.Version = intField(r, &errs, "version")
		st.Ladder = xinlu.Ladder{AnnualBottom: xinlu.ConsequenceAction(r.PostFormValue("annual_bottom")),
			TwoYearsBottom: xinlu.ConsequenceAction(r.PostFormValue("two_years_bottom"))}
		for run := 1; run <= xinlu.MaxLadderRun; run++ {
			if action := r.PostFormValue("ladder_" + strconv.Itoa(run)); action != "" {
				st.Ladder.Periodic = append(st.Ladder.Periodic, xinlu.LadderStep{Consecutive: run, Action: xinlu.ConsequenceAction(action)})
			}
		}
		if err := withValidation(errs, func() error { c := *st; return c.Validate() }); err != nil {
			return err
		}
		return s.store.SaveAppraisalSettings(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, st)
	}()
	s.afterSave(w, r, err, func(status int, err error) {
		s.incentiveSettingsPage(w, r, status, *st, missed, err)
	}, "flash.updated", "/incentives/settings")
}

// --- consequences ---

type consequenceListView struct {
	Status   string
	Text     string
	Statuses []string
	Items    []*store.Consequence
	Pager    pager
	Err      error
	ErrID    int64
	Back     string
}

func (s *Server) consequenceList(w http.ResponseWriter, r *http.Request) {
	s.consequencePage(w, r, http.StatusOK, nil, 0)
}

func (s *Server) consequencePage(w http.ResponseWriter, r *http.Request, status int, stepErr error, errID int64) {
	u := requestInfo(r.Context()).user
	q := r.URL.Query()
	f := store.ConsequenceFilter{Scope: u.Filter(xinlu.PermConsequenceDecide), Query: strings.TrimSpace(q.Get("q")), Page: pageFrom(r)}
	if contains(xinlu.ConsequenceStatuses, q.Get("status")) {
		f.Status = q.Get("status")
	}
	items, total, err := s.store.ListConsequences(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	back := url.Values{}
	if f.Status != "" {
		back.Set("status", f.Status)
	}
	if f.Query != "" {
		back.Set("q", f.Query)
	}
	s.render(w, r, status, "consequences", s.printer(r).T("consequences.title"), consequenceListView{Status: f.Status, Text: f.Query,
		Statuses: xinlu.ConsequenceStatuses, Items: items, Pager: newPager(r, f.Page, total), Err: stepErr, ErrID: errID, Back: back.Encode()})
}

func (s *Server) consequenceStep(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, err := s.store.ConsequenceByID(r.Context(), u.Filter(xinlu.PermConsequenceDecide), id); err != nil {
		s.renderError(w, r, err)
		return
	}
	confirm, err := xinlu.ConsequenceDecision(r.PathValue("action"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err == nil {
		_, err = s.store.DecideConsequence(r.Context(), xinlu.ActorOf(u, info.ip), u, id, version, confirm, r.PostFormValue("reason"))
	}
	if err != nil {
		if isFormError(err) {
			s.consequencePage(w, r, statusOf(err), err, id)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, "/consequences?"+backQuery(r))
}
