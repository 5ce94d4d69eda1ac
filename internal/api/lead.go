package api

import (
	"net/http"
	"slices"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// leadRoutes: report a lead, list and read leads within the caller's lead
// scope, and take screening steps. Which step a caller may take is decided
// by xinlu.CheckLeadStep (403 without the right, 409 naming the status).
func (a *API) leadRoutes() []Route {
	return []Route{
		{"POST", "/leads", xinlu.PermLeadReport, a.handle(a.createLead)},
		{"GET", "/leads", xinlu.PermLeadView, a.handle(a.listLeads)},
		{"GET", "/leads/{id}", xinlu.PermLeadView, a.handle(a.getLead)},
		{"POST", "/leads/{id}/{action}", xinlu.PermLeadView, a.handle(a.stepLead)},
	}
}

// LeadJSON is a lead as the API shows it. The contact phone is masked
// unless the caller is its reporter, a screener or a leader; lists leave it out.
type LeadJSON struct {
	ID             int64            `json:"id"`
	ZoneID         int64            `json:"zone_id"`
	ReporterID     int64            `json:"reporter_id"`
	ReporterName   string           `json:"reporter_name"`
	Company        string           `json:"company"`
	CompanyKey     string           `json:"company_key"`
	ProjectName    string           `json:"project_name"`
	Industry       string           `json:"industry"`
	InvestmentYuan int64            `json:"investment_yuan"`
	Channel        string           `json:"channel"`
	ContactName    string           `json:"contact_name"`
	ContactPhone   string           `json:"contact_phone,omitempty"`
	Description    string           `json:"description"`
	Status         xinlu.LeadStatus `json:"status"`
	Reason         string           `json:"reason"`
	VetoGround     string           `json:"veto_ground"`
	VetoReason     string           `json:"veto_reason"`
	MergedInto     int64            `json:"merged_into,omitempty"`
	ProjectID      int64            `json:"project_id,omitempty"`
	ReportedAt     time.Time        `json:"reported_at"`
	ScreeningDue   string           `json:"screening_due"`
	Version        int              `json:"version"`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
}

func leadJSON(l *xinlu.Lead) LeadJSON {
	return LeadJSON{ID: l.ID, ZoneID: l.ZoneID, ReporterID: l.ReporterID, ReporterName: l.ReporterName, Company: l.Company,
		CompanyKey: l.CompanyKey, ProjectName: l.ProjectName, Industry: l.Industry, InvestmentYuan: l.InvestmentYuan,
		Channel: l.Channel, ContactName: l.ContactName, ContactPhone: l.ContactPhone, Description: l.Description,
		Status: l.Status, Reason: l.Reason, VetoGround: l.VetoGround, VetoReason: l.VetoReason, MergedInto: l.MergedInto,
		ProjectID: l.ProjectID, ReportedAt: l.ReportedAt, ScreeningDue: l.ScreeningDue, Version: l.Version,
		CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt}
}

// MatchJSON is a possible duplicate of a lead.
type MatchJSON struct {
	Kind       string  `json:"kind"` // lead | project
	ID         int64   `json:"id"`
	Company    string  `json:"company"`
	Project    string  `json:"project"`
	Status     string  `json:"status"` // a lead's status or a project's stage
	Score      float64 `json:"score"`
	ReportedBy string  `json:"reported_by,omitempty"`
}

func matchesJSON(ms []xinlu.Match) []MatchJSON {
	out := make([]MatchJSON, len(ms))
	for i, m := range ms {
		out[i] = MatchJSON{Kind: m.Kind, ID: m.ID, Company: m.Company, Project: m.Project, Status: m.Status,
			Score: float64(int(m.Score*1000+0.5)) / 1000, ReportedBy: m.ReportedBy}
	}
	return out
}

// leadInput is the body of POST /leads.
type leadInput struct {
	Company        string `json:"company"`
	ProjectName    string `json:"project_name"`
	Industry       string `json:"industry"`
	InvestmentYuan int64  `json:"investment_yuan"`
	Channel        string `json:"channel"`
	ContactName    string `json:"contact_name"`
	ContactPhone   string `json:"contact_phone"`
	Description    string `json:"description"`
}

// leadCreated is the answer to POST /leads.
type leadCreated struct {
	LeadJSON
	PossibleDuplicates []MatchJSON `json:"possible_duplicates"`
}

func (a *API) createLead(w http.ResponseWriter, r *http.Request) error {
	var in leadInput
	if err := decode(r, &in); err != nil {
		return err
	}
	u := user(r)
	l := &xinlu.Lead{ZoneID: u.ZoneID, Company: in.Company, ProjectName: in.ProjectName, Industry: in.Industry,
		InvestmentYuan: in.InvestmentYuan, Channel: in.Channel, ContactName: in.ContactName, ContactPhone: in.ContactPhone,
		Description: in.Description}
	dups, err := a.store.ReportLead(r.Context(), actor(r), l)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, leadCreated{LeadJSON: leadJSON(l), PossibleDuplicates: matchesJSON(dups)})
	return nil
}

func (a *API) listLeads(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	status, industry := xinlu.LeadStatus(q.Get("status")), q.Get("industry")
	if status != "" && !slices.Contains(xinlu.LeadStatuses, status) {
		return xinlu.Invalid("status", "error.invalid_choice")
	}
	if industry != "" && !slices.Contains(xinlu.Industries, industry) {
		return xinlu.Invalid("industry", "error.invalid_choice")
	}
	reporter, err := queryInt64(r, "reporter_id")
	if err != nil {
		return err
	}
	u := user(r)
	ls, total, err := a.store.ListLeads(r.Context(), store.LeadFilter{Scope: u.Filter(xinlu.PermLeadView),
		Status: status, Industry: industry, Query: q.Get("q"), ReporterID: reporter, Page: p})
	if err != nil {
		return err
	}
	out := make([]LeadJSON, len(ls))
	for i, l := range ls {
		out[i] = leadJSON(l)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

// leadDetail is a lead with its possible duplicates.
type leadDetail struct {
	LeadJSON
	PossibleDuplicates []MatchJSON `json:"possible_duplicates"`
}

func (a *API) getLead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := a.store.LeadFor(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	dups, err := a.store.LeadDuplicates(r.Context(), l)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, leadDetail{LeadJSON: leadJSON(l), PossibleDuplicates: matchesJSON(dups)})
	return nil
}

// leadStepInput is the body of POST /leads/{id}/{action}.
type leadStepInput struct {
	Version    *int   `json:"version"`
	Reason     string `json:"reason"`
	VetoGround string `json:"veto_ground"`
	MergeInto  int64  `json:"merge_into"`
}

func (a *API) stepLead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in leadStepInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	step := xinlu.LeadStep{Action: xinlu.LeadAction(r.PathValue("action")), Reason: in.Reason, VetoGround: in.VetoGround, MergeInto: in.MergeInto}
	l, err := a.store.StepLead(r.Context(), actor(r), user(r), id, v, step)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, leadJSON(l))
	return nil
}
