package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Fault-tolerance claims (容错申请). Members file claims against their own
// approved penalties (heads also for their department's members) on "my
// claims"; the discipline office works the register. A claim's page and its
// steps are open to every signed-in user because the store scopes them: a
// claim the viewer may not see is not found, and the domain decides which
// step forms the viewer gets.
func (s *Server) toleranceRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/tolerance", Perm: xinlu.PermToleranceHandle, Handler: s.toleranceRegister},
		{Method: "GET", Pattern: "/tolerance/export.xlsx", Perm: xinlu.PermToleranceHandle, Handler: s.toleranceExport},
		{Method: "GET", Pattern: "/tolerance/mine", Perm: xinlu.PermToleranceFile, Handler: s.toleranceMine},
		{Method: "POST", Pattern: "/tolerance", Perm: xinlu.PermToleranceFile, Handler: s.toleranceFile},
		{Method: "GET", Pattern: "/tolerance/{id}", Perm: xinlu.PermSignedIn, Handler: s.toleranceShow},
		{Method: "POST", Pattern: "/tolerance/{id}/{action}", Perm: xinlu.PermSignedIn, Handler: s.toleranceStep},
	}
}

// penaltyChoice is an approved penalty a claim may be filed against.
type penaltyChoice struct {
	ID    int64
	Label string
}

type toleranceMineView struct {
	Items        []*xinlu.ToleranceClaim
	Pager        pager
	Penalties    []penaltyChoice
	Distinctions []string
	C            *xinlu.ToleranceClaim // the form as typed
	Err          error
}

// claimablePenalties lists the approved penalties u may file a claim
// against: their own, or within their filing scope.
func (s *Server) claimablePenalties(r *http.Request, u *xinlu.User) []penaltyChoice {
	items, _, err := s.store.ListIncentives(r.Context(), store.IncentiveFilter{Scope: u.Filter(xinlu.PermToleranceFile), Claimable: true,
		Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	if err != nil {
		return nil
	}
	p := s.printer(r)
	out := make([]penaltyChoice, len(items))
	for i, it := range items {
		label := it.MemberName + " · " + p.T("incentive.kind."+string(it.Kind)) + " · " + it.OccurredOn
		if it.Points != 0 {
			label += " · " + formatPoints(it.Points)
		}
		if it.Reason != "" {
			label += " · " + it.Reason
		}
		out[i] = penaltyChoice{it.ID, label}
	}
	return out
}

func (s *Server) toleranceMinePage(w http.ResponseWriter, r *http.Request, status int, c *xinlu.ToleranceClaim, formErr error) {
	u := requestInfo(r.Context()).user
	pg := pageFrom(r)
	items, total, err := s.store.ListClaims(r.Context(), u, store.ClaimFilter{Own: true, Page: pg})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, status, "tolerance_mine", s.printer(r).T("tolerance.nav_mine"), toleranceMineView{Items: items,
		Pager: newPager(r, pg, total), Penalties: s.claimablePenalties(r, u), Distinctions: xinlu.Distinctions, C: c, Err: formErr})
}

func (s *Server) toleranceMine(w http.ResponseWriter, r *http.Request) {
	s.toleranceMinePage(w, r, http.StatusOK, &xinlu.ToleranceClaim{}, nil)
}

func (s *Server) toleranceFile(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	c := &xinlu.ToleranceClaim{Distinction: r.PostFormValue("distinction"), Facts: r.PostFormValue("facts"), MemberID: u.MemberID}
	err := func() error {
		var err error
		if c.IncentiveID, err = formInt64(r, "incentive_id"); err != nil {
			return err
		}
		// The penalty names whose it is; one outside the filer's scope is
		// no choice at all.
		if c.IncentiveID != 0 {
			inc, err := s.store.IncentiveByID(r.Context(), u.Filter(xinlu.PermToleranceFile), c.IncentiveID)
			if err != nil {
				if xinlu.ErrorCode(err) == xinlu.ENOTFOUND {
					return xinlu.Invalid("incentive_id", "error.invalid_choice")
				}
				return err
			}
			c.MemberID = inc.MemberID
		}
		return s.store.FileClaim(r.Context(), xinlu.ActorOf(u, info.ip), u, c)
	}()
	if err != nil {
		if isFormError(err) {
			s.toleranceMinePage(w, r, statusOf(err), c, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.created")
	redirect(w, r, "/tolerance/"+strconv.FormatInt(c.ID, 10))
}

// claimQuery echoes the register's query bar.
type claimQuery struct {
	Status, Decision, Text string
	MemberID               int64
}

func (q claimQuery) Encode() string {
	v := url.Values{}
	for k, s := range map[string]string{"status": q.Status, "decision": q.Decision, "q": q.Text} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.MemberID != 0 {
		v.Set("member_id", strconv.FormatInt(q.MemberID, 10))
	}
	return v.Encode()
}

// claimFilter reads the query bar by the API's rules, leniently: unknown
// codes read as "all".
func claimFilter(r *http.Request) (store.ClaimFilter, claimQuery) {
	v := r.URL.Query()
	memberID, _ := strconv.ParseInt(v.Get("member_id"), 10, 64)
	f := store.ClaimFilter{Status: xinlu.ClaimStatus(v.Get("status")), Decision: xinlu.ClaimDecision(v.Get("decision")),
		Query: strings.TrimSpace(v.Get("q")), MemberID: memberID}.Lenient()
	return f, claimQuery{Status: string(f.Status), Decision: string(f.Decision), Text: f.Query, MemberID: f.MemberID}
}

type toleranceRegisterView struct {
	Q         claimQuery
	Items     []*xinlu.ToleranceClaim
	Pager     pager
	Statuses  []xinlu.ClaimStatus
	Decisions []xinlu.ClaimDecision
	Members   []choice
	ExportURL string
}

func (s *Server) toleranceRegister(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	f, q := claimFilter(r)
	f.Page = pageFrom(r)
	items, total, err := s.store.ListClaims(r.Context(), u, f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tolerance_register", s.printer(r).T("tolerance.register_title"), toleranceRegisterView{Q: q,
		Items: items, Pager: newPager(r, f.Page, total), Statuses: xinlu.ClaimStatuses, Decisions: xinlu.ClaimDecisions,
		Members: s.memberChoices(r, u.Filter(xinlu.PermToleranceHandle)), ExportURL: "/tolerance/export.xlsx?" + q.Encode()})
}

func (s *Server) toleranceExport(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	f, q := claimFilter(r)
	rep, err := report.ToleranceRegister(r.Context(), s.store, s.printer(r), info.user, f, s.today())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendReport(w, r, rep, "tolerance.export", "tolerance_claim", 0, map[string]any{"filter": q.Encode()}, "tolerance-"+s.today().Format("20060102")+".xlsx")
}

// claimEventView is one line of a claim's history.
type claimEventView struct {
	store.ClaimEvent
	ActionKey string // the action as a message key suffix
}

type toleranceShowView struct {
	C            *xinlu.ToleranceClaim
	Penalty      *xinlu.Incentive
	History      []claimEventView
	Steps        map[string]bool // the step forms the viewer gets
	NegativeList []string
	Decisions    []xinlu.ClaimDecision
	In           xinlu.ClaimInput // the failed step's input, to show again
	Err          error
	ErrAction    string
	Today        string
	Back         string // the register for handlers, "my claims" for the others
}

// Points formats hundredths for the penalty.
func (toleranceShowView) Points(p int64) string { return formatPoints(p) }

// Hit reports whether the failed accept step checked ground h.
func (v toleranceShowView) Hit(h string) bool { return contains(v.In.NegativeHits, h) }

// claimSteps asks the domain which steps u may take on c now, with input
// that passes the steps' own checks, so that the page offers exactly those.
func claimSteps(u *xinlu.User, c *xinlu.ToleranceClaim, today string) map[string]bool {
	t, _ := xinlu.ParseDate(today)
	out := map[string]bool{}
	for _, a := range xinlu.ClaimActions() {
		in := xinlu.ClaimInput{Note: "-", Reason: "-", Decision: xinlu.ClaimExempt, DecidingBody: "-", MeetingOn: today}
		if _, err := xinlu.CheckClaimStep(u, c, a, in, t); err == nil {
			out[strings.ReplaceAll(string(a), "-", "_")] = true
		}
	}
	return out
}

func (s *Server) tolerancePage(w http.ResponseWriter, r *http.Request, status int, id int64, in xinlu.ClaimInput, stepErr error, errAction string) {
	u := requestInfo(r.Context()).user
	c, err := s.store.ClaimByID(r.Context(), u, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	today := s.today().Format(xinlu.DateLayout)
	v := toleranceShowView{C: c, Steps: claimSteps(u, c, today), NegativeList: xinlu.NegativeList, Decisions: xinlu.ClaimDecisions,
		In: in, Err: stepErr, ErrAction: errAction, Today: today, Back: "/tolerance/mine"}
	if u.Can(xinlu.PermToleranceHandle) {
		v.Back = "/tolerance"
	} else if !u.Can(xinlu.PermToleranceFile) {
		v.Back = "/"
	}
	// Whoever sees the claim sees the penalty it is about.
	if v.Penalty, err = s.store.IncentiveByID(r.Context(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: c.ZoneID}, c.IncentiveID); err != nil {
		s.renderError(w, r, err)
		return
	}
	hist, err := s.store.ClaimHistory(r.Context(), c.ZoneID, c.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, e := range hist {
		v.History = append(v.History, claimEventView{ClaimEvent: e, ActionKey: strings.ReplaceAll(e.Action, "-", "_")})
	}
	s.render(w, r, status, "tolerance_show", s.printer(r).T("tolerance.show_title", c.ID), v)
}

func (s *Server) toleranceShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.tolerancePage(w, r, http.StatusOK, id, xinlu.ClaimInput{}, nil, "")
}

func (s *Server) toleranceStep(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// A claim the viewer may not see is not found, whatever the action.
	if _, err := s.store.ClaimByID(r.Context(), u, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	action := r.PathValue("action")
	in := xinlu.ClaimInput{Note: r.PostFormValue("note"), Decision: xinlu.ClaimDecision(r.PostFormValue("decision")),
		DecidingBody: r.PostFormValue("deciding_body"), MeetingOn: r.PostFormValue("meeting_on"), Reason: r.PostFormValue("reason"),
		NegativeHits: r.PostForm["negative_hits"]}
	version, err := formInt(r, "version")
	if err == nil {
		_, err = s.store.StepClaim(r.Context(), xinlu.ActorOf(u, info.ip), u, id, version, xinlu.ClaimAction(action), in)
	}
	if err != nil {
		if isFormError(err) {
			s.tolerancePage(w, r, statusOf(err), id, in, err, strings.ReplaceAll(action, "-", "_"))
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flashStep(w, r, "tolerance", action)
	redirect(w, r, "/tolerance/"+strconv.FormatInt(id, 10))
}
