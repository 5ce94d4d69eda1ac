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

// Fault-tolerance claim endpoints. Reading a claim and taking its steps is
// open to every signed-in user because the store scopes them: handlers see
// the zone's claims, everyone else the claims they filed or that are about
// them (others are 404); the domain decides who may take which step (403)
// and in which status (409 naming it).
func (a *API) toleranceRoutes() []Route {
	return []Route{
		{"GET", "/tolerance-claims", xinlu.PermSignedIn, a.handle(a.listClaims)},
		{"POST", "/tolerance-claims", xinlu.PermToleranceFile, a.handle(a.fileClaim)},
		{"GET", "/tolerance-claims/export.xlsx", xinlu.PermToleranceHandle, a.handle(a.exportClaims)},
		{"GET", "/tolerance-claims/{id}", xinlu.PermSignedIn, a.handle(a.getClaim)},
		{"POST", "/tolerance-claims/{id}/{action}", xinlu.PermSignedIn, a.handle(a.stepClaim)},
	}
}

// ClaimJSON is a fault-tolerance claim as the API shows it.
type ClaimJSON struct {
	ID           int64            `json:"id"`
	ZoneID       int64            `json:"zone_id"`
	MemberID     int64            `json:"member_id"`
	MemberName   string           `json:"member_name"`
	FiledBy      int64            `json:"filed_by"`
	IncentiveID  int64            `json:"incentive_id"`
	Distinction  string           `json:"distinction"`
	Facts        string           `json:"facts"`
	Status       string           `json:"status"`
	NegativeHits []string         `json:"negative_hits"`
	AcceptNote   string           `json:"accept_note"`
	Decision     string           `json:"decision"`
	DecidingBody string           `json:"deciding_body"`
	MeetingOn    string           `json:"meeting_on"`
	DecisionNote string           `json:"decision_note"`
	DecidedBy    int64            `json:"decided_by"`
	Appealed     bool             `json:"appealed"`
	AppealReason string           `json:"appeal_reason"`
	Version      int              `json:"version"`
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
	History      []ClaimEventJSON `json:"history,omitempty"`
}

// ClaimEventJSON is one step of a claim's history.
type ClaimEventJSON struct {
	At           time.Time `json:"at"`
	Actor        string    `json:"actor"`
	Action       string    `json:"action"`
	Status       string    `json:"status"`
	Note         string    `json:"note,omitempty"`
	Decision     string    `json:"decision,omitempty"`
	DecidingBody string    `json:"deciding_body,omitempty"`
	MeetingOn    string    `json:"meeting_on,omitempty"`
	NegativeHits []string  `json:"negative_hits,omitempty"`
}

func claimJSON(c *xinlu.ToleranceClaim) ClaimJSON {
	hits := c.NegativeHits
	if hits == nil {
		hits = []string{}
	}
	return ClaimJSON{ID: c.ID, ZoneID: c.ZoneID, MemberID: c.MemberID, MemberName: c.MemberName, FiledBy: c.FiledBy,
		IncentiveID: c.IncentiveID, Distinction: c.Distinction, Facts: c.Facts, Status: string(c.Status), NegativeHits: hits,
		AcceptNote: c.AcceptNote, Decision: string(c.Decision), DecidingBody: c.DecidingBody, MeetingOn: c.MeetingOn,
		DecisionNote: c.DecisionNote, DecidedBy: c.DecidedBy, Appealed: c.Appealed, AppealReason: c.AppealReason,
		Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// claimFilterOf reads the register's query: status, decision, member_id,
// q, mine, page and per_page.
func claimFilterOf(r *http.Request) (store.ClaimFilter, error) {
	q := r.URL.Query()
	p, err := pageOf(r)
	if err != nil {
		return store.ClaimFilter{}, err
	}
	f := store.ClaimFilter{Status: xinlu.ClaimStatus(q.Get("status")), Decision: xinlu.ClaimDecision(q.Get("decision")),
		Query: q.Get("q"), Page: p}
	if f.MemberID, err = queryInt64(r, "member_id"); err != nil {
		return f, err
	}
	switch q.Get("mine") {
	case "", "false", "0":
	case "true", "1":
		f.Own = true
	default:
		return f, xinlu.Invalid("mine", "error.invalid_choice")
	}
	return f, f.Check()
}

func (a *API) listClaims(w http.ResponseWriter, r *http.Request) error {
	f, err := claimFilterOf(r)
	if err != nil {
		return err
	}
	items, total, err := a.store.ListClaims(r.Context(), user(r), f)
	if err != nil {
		return err
	}
	out := make([]ClaimJSON, len(items))
	for i, c := range items {
		out[i] = claimJSON(c)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) getClaim(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := user(r)
	c, err := a.store.ClaimByID(r.Context(), u, id)
	if err != nil {
		return err
	}
	hist, err := a.store.ClaimHistory(r.Context(), c.ZoneID, c.ID)
	if err != nil {
		return err
	}
	out := claimJSON(c)
	for _, e := range hist {
		out.History = append(out.History, ClaimEventJSON{At: e.At, Actor: e.ActorName, Action: e.Action, Status: string(e.Status),
			Note: e.Note, Decision: string(e.Decision), DecidingBody: e.Body, MeetingOn: e.MeetingOn, NegativeHits: e.Hits})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// claimInput is the body of POST /tolerance-claims.
type claimInput struct {
	MemberID    int64  `json:"member_id"`
	IncentiveID int64  `json:"incentive_id"`
	Distinction string `json:"distinction"`
	Facts       string `json:"facts"`
}

func (a *API) fileClaim(w http.ResponseWriter, r *http.Request) error {
	var in claimInput
	if err := decode(r, &in); err != nil {
		return err
	}
	u := user(r)
	if in.MemberID == 0 {
		in.MemberID = u.MemberID // one's own penalty unless told otherwise
	}
	c := &xinlu.ToleranceClaim{MemberID: in.MemberID, IncentiveID: in.IncentiveID, Distinction: in.Distinction, Facts: in.Facts}
	if err := a.store.FileClaim(r.Context(), actor(r), u, c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, claimJSON(c))
	return nil
}

// claimStepInput is the body of POST /tolerance-claims/{id}/{action}: the
// version and what the action needs — accept: negative_hits, note;
// not-accept: note; decide: decision, deciding_body, meeting_on, note;
// appeal: reason; investigate and notify: an optional note.
type claimStepInput struct {
	Version      *int     `json:"version"`
	NegativeHits []string `json:"negative_hits"`
	Note         string   `json:"note"`
	Decision     string   `json:"decision"`
	DecidingBody string   `json:"deciding_body"`
	MeetingOn    string   `json:"meeting_on"`
	Reason       string   `json:"reason"`
}

func (a *API) stepClaim(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u := user(r)
	// A claim the caller may not see is not found, whatever the body says.
	if _, err := a.store.ClaimByID(r.Context(), u, id); err != nil {
		return err
	}
	var in claimStepInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	c, err := a.store.StepClaim(r.Context(), actor(r), u, id, v, xinlu.ClaimAction(r.PathValue("action")), xinlu.ClaimInput{
		NegativeHits: in.NegativeHits, Note: in.Note, Decision: xinlu.ClaimDecision(in.Decision),
		DecidingBody: in.DecidingBody, MeetingOn: in.MeetingOn, Reason: in.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, claimJSON(c))
	return nil
}

func claimFilterQuery(f store.ClaimFilter) string {
	v := url.Values{}
	for k, s := range map[string]string{"status": string(f.Status), "decision": string(f.Decision), "q": f.Query} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.MemberID != 0 {
		v.Set("member_id", strconv.FormatInt(f.MemberID, 10))
	}
	return v.Encode()
}

func (a *API) exportClaims(w http.ResponseWriter, r *http.Request) error {
	f, err := claimFilterOf(r)
	if err != nil {
		return err
	}
	u := user(r)
	today := a.staffToday()
	rep, err := report.ToleranceRegister(r.Context(), a.store, a.printer(r), u, f, today)
	if err != nil {
		return err
	}
	return a.sendReport(w, r, rep, "tolerance.export", "tolerance_claim", 0, map[string]any{"filter": claimFilterQuery(f)}, "tolerance-"+today.Format("20060102")+".xlsx")
}
