package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Incentive ledger and consequence endpoints. The ledger is scoped by the
// caller's incentive.view scope (own, department or zone); approving and
// rejecting is the approvers', and the store refuses a step the record's
// status does not allow with 409 naming the status.
func (a *API) incentiveRoutes() []Route {
	return []Route{
		{"GET", "/incentives", xinlu.PermIncentiveView, a.handle(a.listIncentives)},
		{"POST", "/incentives", xinlu.PermIncentiveManage, a.handle(a.createIncentive)},
		{"GET", "/incentives/export.xlsx", xinlu.PermIncentiveView, a.handle(a.exportIncentives)},
		{"GET", "/incentives/settings", xinlu.PermIncentiveView, a.handle(a.getIncentiveSettings)},
		{"PUT", "/incentives/settings", xinlu.PermIncentiveManage, a.handle(a.saveIncentiveSettings)},
		{"GET", "/incentives/{id}", xinlu.PermIncentiveView, a.handle(a.getIncentive)},
		{"POST", "/incentives/{id}/{action}", xinlu.PermIncentiveApprove, a.handle(a.stepIncentive)},
		{"GET", "/consequences", xinlu.PermConsequenceDecide, a.handle(a.listConsequences)},
		{"POST", "/consequences/{id}/{action}", xinlu.PermConsequenceDecide, a.handle(a.decideConsequence)},
	}
}

// IncentiveJSON is a ledger record as the API shows it: amounts in yuan,
// points in hundredths (-250 is a deduction of 2.5 points).
type IncentiveJSON struct {
	ID            int64     `json:"id"`
	ZoneID        int64     `json:"zone_id"`
	MemberID      int64     `json:"member_id"`
	MemberName    string    `json:"member_name"`
	Kind          string    `json:"kind"`
	AmountYuan    int64     `json:"amount_yuan"`
	Points        int64     `json:"points"`
	Reason        string    `json:"reason"`
	EvidenceType  string    `json:"evidence_type"`
	EvidenceID    int64     `json:"evidence_id"`
	EvidenceText  string    `json:"evidence_text"`
	OccurredOn    string    `json:"occurred_on"`
	Status        string    `json:"status"`
	Auto          string    `json:"auto"`
	AutoKind      string    `json:"auto_kind"`
	ProposedBy    int64     `json:"proposed_by"`
	DecidedBy     int64     `json:"decided_by"`
	DecisionNote  string    `json:"decision_note"`
	NeutralisedBy int64     `json:"neutralised_by"`
	Effective     bool      `json:"effective"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func incentiveJSON(i *xinlu.Incentive) IncentiveJSON {
	return IncentiveJSON{ID: i.ID, ZoneID: i.ZoneID, MemberID: i.MemberID, MemberName: i.MemberName, Kind: string(i.Kind),
		AmountYuan: i.AmountYuan, Points: i.Points, Reason: i.Reason, EvidenceType: i.EvidenceType, EvidenceID: i.EvidenceID,
		EvidenceText: i.EvidenceText, OccurredOn: i.OccurredOn, Status: string(i.Status), Auto: i.Auto, AutoKind: i.AutoKind(),
		ProposedBy: i.ProposedBy, DecidedBy: i.DecidedBy, DecisionNote: i.DecisionNote, NeutralisedBy: i.NeutralisedBy,
		Effective: i.Effective(), Version: i.Version, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
}

// incentiveInput is the body of POST /incentives.
type incentiveInput struct {
	MemberID     int64  `json:"member_id"`
	Kind         string `json:"kind"`
	AmountYuan   int64  `json:"amount_yuan"`
	Points       int64  `json:"points"`
	Reason       string `json:"reason"`
	EvidenceType string `json:"evidence_type"`
	EvidenceID   int64  `json:"evidence_id"`
	EvidenceText string `json:"evidence_text"`
	OccurredOn   string `json:"occurred_on"`
}

// incentiveFilterOf reads the ledger's query: member_id, kind, status,
// source (auto|manual), from, to, q, claimable, page and per_page.
func incentiveFilterOf(r *http.Request) (store.IncentiveFilter, error) {
	q := r.URL.Query()
	p, err := pageOf(r)
	if err != nil {
		return store.IncentiveFilter{}, err
	}
	f := store.IncentiveFilter{Scope: user(r).Filter(xinlu.PermIncentiveView), Kind: xinlu.IncentiveKind(q.Get("kind")),
		Status: xinlu.IncentiveStatus(q.Get("status")), Source: q.Get("source"), From: q.Get("from"), To: q.Get("to"),
		Query: q.Get("q"), Page: p}
	if f.MemberID, err = queryInt64(r, "member_id"); err != nil {
		return f, err
	}
	switch q.Get("claimable") {
	case "", "false", "0":
	case "true", "1":
		f.Claimable = true
	default:
		return f, xinlu.Invalid("claimable", "error.invalid_choice")
	}
	return f, f.Check()
}

func (a *API) listIncentives(w http.ResponseWriter, r *http.Request) error {
	f, err := incentiveFilterOf(r)
	if err != nil {
		return err
	}
	items, total, err := a.store.ListIncentives(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]IncentiveJSON, len(items))
	for i, it := range items {
		out[i] = incentiveJSON(it)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) getIncentive(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	i, err := a.store.IncentiveByID(r.Context(), user(r).Filter(xinlu.PermIncentiveView), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, incentiveJSON(i))
	return nil
}

func (a *API) createIncentive(w http.ResponseWriter, r *http.Request) error {
	var in incentiveInput
	if err := decode(r, &in); err != nil {
		return err
	}
	i := &xinlu.Incentive{MemberID: in.MemberID, Kind: xinlu.IncentiveKind(in.Kind), AmountYuan: in.AmountYuan, Points: in.Points,
		Reason: in.Reason, EvidenceType: in.EvidenceType, EvidenceID: in.EvidenceID, EvidenceText: in.EvidenceText, OccurredOn: in.OccurredOn}
	if err := a.store.CreateIncentive(r.Context(), actor(r), user(r), i); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, incentiveJSON(i))
	return nil
}

// incentiveStepInput is the body of approve and reject: the version and
// the approver's note (a rejection needs one).
type incentiveStepInput struct {
	Version *int   `json:"version"`
	Note    string `json:"note"`
}

// consequenceStepInput is the body of confirm and dismiss: the version and
// the reason (a dismissal needs one).
type consequenceStepInput struct {
	Version *int   `json:"version"`
	Reason  string `json:"reason"`
}

func (a *API) stepIncentive(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := user(r)
	// A record outside the zone is not found, whatever the body says.
	if _, err := a.store.IncentiveByID(r.Context(), xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: u.ZoneID}, id); err != nil {
		return err
	}
	var in incentiveStepInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	i, err := a.store.StepIncentive(r.Context(), actor(r), u, id, v, xinlu.IncentiveAction(r.PathValue("action")), in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, incentiveJSON(i))
	return nil
}

// incentiveFilterQuery is the filter as a query string, for the audit row.
func incentiveFilterQuery(f store.IncentiveFilter) string {
	v := url.Values{}
	for k, s := range map[string]string{"kind": string(f.Kind), "status": string(f.Status), "source": f.Source,
		"from": f.From, "to": f.To, "q": f.Query} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.MemberID != 0 {
		v.Set("member_id", strconv.FormatInt(f.MemberID, 10))
	}
	return v.Encode()
}

func (a *API) exportIncentives(w http.ResponseWriter, r *http.Request) error {
	f, err := incentiveFilterOf(r)
	if err != nil {
		return err
	}
	u := user(r)
	today := a.staffToday()
	rep, err := report.IncentiveLedger(r.Context(), a.store, a.printer(r), u, f, today)
	if err != nil {
		return err
	}
	return a.sendReport(w, r, rep, "incentive.export", "incentive", 0, map[string]any{"filter": incentiveFilterQuery(f)}, "incentives-"+today.Format("20060102")+".xlsx")
}

// SettingsJSON is a zone's incentive settings: the signing reward in yuan,
// the per-mille of funds in place, the deduction for a missed milestone in
// hundredths of a point.
type SettingsJSON struct {
	SignRewardYuan int64      `json:"sign_reward_yuan"`
	FundsPermille  int64      `json:"funds_permille"`
	MissedPoints   int64      `json:"missed_points"`
	Ladder         LadderJSON `json:"ladder"`
	Version        int        `json:"version"`
}

// LadderJSON is the consequence ladder: the action after a run of bottom
// placements in months or quarters, and after one and two bottom years
// ("" proposes nothing).
type LadderJSON struct {
	Steps          []LadderStepJSON `json:"steps"`
	AnnualBottom   string           `json:"annual_bottom"`
	TwoYearsBottom string           `json:"two_years_bottom"`
}

// LadderStepJSON is one step of the ladder.
type LadderStepJSON struct {
	Consecutive int    `json:"consecutive"`
	Action      string `json:"action"`
}

type settingsInput struct {
	SignRewardYuan int64       `json:"sign_reward_yuan"`
	FundsPermille  int64       `json:"funds_permille"`
	MissedPoints   int64       `json:"missed_points"`
	Ladder         *LadderJSON `json:"ladder"`
	Version        *int        `json:"version"`
}

func settingsJSON(st store.Settings) SettingsJSON {
	l := LadderJSON{Steps: []LadderStepJSON{}, AnnualBottom: string(st.Ladder.AnnualBottom), TwoYearsBottom: string(st.Ladder.TwoYearsBottom)}
	for _, step := range st.Ladder.Periodic {
		l.Steps = append(l.Steps, LadderStepJSON{Consecutive: step.Consecutive, Action: string(step.Action)})
	}
	return SettingsJSON{SignRewardYuan: st.SignRewardYuan, FundsPermille: st.FundsPermille, MissedPoints: st.MissedPoints, Ladder: l, Version: st.Version}
}

func (a *API) getIncentiveSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := a.store.AppraisalSettings(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, settingsJSON(st))
	return nil
}

func (a *API) saveIncentiveSettings(w http.ResponseWriter, r *http.Request) error {
	// What the body leaves out keeps its value (a stale version fails the save).
	current, err := a.store.AppraisalSettings(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	in := settingsInput{SignRewardYuan: current.SignRewardYuan, FundsPermille: current.FundsPermille, MissedPoints: current.MissedPoints}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	st := &store.Settings{SignRewardYuan: in.SignRewardYuan, FundsPermille: in.FundsPermille, MissedPoints: in.MissedPoints, Version: v}
	if in.Ladder == nil {
		st.Ladder = current.Ladder
	} else {
		st.Ladder = xinlu.Ladder{AnnualBottom: xinlu.ConsequenceAction(in.Ladder.AnnualBottom), TwoYearsBottom: xinlu.ConsequenceAction(in.Ladder.TwoYearsBottom)}
		for _, step := range in.Ladder.Steps {
			st.Ladder.Periodic = append(st.Ladder.Periodic, xinlu.LadderStep{Consecutive: step.Consecutive, Action: xinlu.ConsequenceAction(step.Action)})
		}
	}
	if err := a.store.SaveAppraisalSettings(r.Context(), actor(r), user(r), st); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, settingsJSON(*st))
	return nil
}

// ConsequenceJSON is a consequence of bottom placements as the API shows it.
type ConsequenceJSON struct {
	ID          int64      `json:"id"`
	ZoneID      int64      `json:"zone_id"`
	MemberID    int64      `json:"member_id"`
	MemberName  string     `json:"member_name"`
	PeriodID    int64      `json:"period_id"`
	PeriodLabel string     `json:"period_label"`
	Action      string     `json:"action"`
	Status      string     `json:"status"`
	Reason      string     `json:"reason"`
	DecidedBy   int64      `json:"decided_by"`
	DecidedAt   *time.Time `json:"decided_at"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
}

func consequenceJSON(c *store.Consequence) ConsequenceJSON {
	return ConsequenceJSON{ID: c.ID, ZoneID: c.ZoneID, MemberID: c.MemberID, MemberName: c.MemberName, PeriodID: c.PeriodID,
		PeriodLabel: c.PeriodLabel, Action: string(c.Action), Status: c.Status, Reason: c.Reason, DecidedBy: c.DecidedBy,
		DecidedAt: c.DecidedAt, Version: c.Version, CreatedAt: c.CreatedAt}
}

func (a *API) listConsequences(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	f := store.ConsequenceFilter{Scope: user(r).Filter(xinlu.PermConsequenceDecide), Status: r.URL.Query().Get("status"),
		Query: r.URL.Query().Get("q"), Page: p}
	if f.PeriodID, err = queryInt64(r, "period_id"); err != nil {
		return err
	}
	if f.MemberID, err = queryInt64(r, "member_id"); err != nil {
		return err
	}
	items, total, err := a.store.ListConsequences(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]ConsequenceJSON, len(items))
	for i, c := range items {
		out[i] = consequenceJSON(c)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) decideConsequence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := user(r)
	if _, err := a.store.ConsequenceByID(r.Context(), u.Filter(xinlu.PermConsequenceDecide), id); err != nil {
		return err
	}
	confirm, err := xinlu.ConsequenceDecision(r.PathValue("action"))
	if err != nil {
		return err
	}
	var in consequenceStepInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	c, err := a.store.DecideConsequence(r.Context(), actor(r), u, id, v, confirm, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, consequenceJSON(c))
	return nil
}
