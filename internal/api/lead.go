package api

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"xinlu/internal/httpx"
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
		{"GET", "/leads/{id}/files", xinlu.PermLeadView, a.handle(a.listLeadFiles)},
		{"POST", "/leads/{id}/files", xinlu.PermLeadView, a.handle(a.uploadLeadFile)},
		{"GET", "/leads/{id}/files/{file}", xinlu.PermLeadView, a.handle(a.downloadLeadFile)},
		{"DELETE", "/leads/{id}/files/{file}", xinlu.PermLeadView, a.handle(a.deleteLeadFile)},
		{"POST", "/leads/{id}/reveal", xinlu.PermReveal, a.handle(a.revealLeadContact)},
		// Credit disputes: whoever sees the lead, or is a party to its
		// credit, lists them; a co-reporter raises one; the screening task
		// force, never a party, decides (uphold | reject).
		{"GET", "/leads/{id}/disputes", xinlu.PermLeadView, a.handle(a.listLeadDisputes)},
		{"POST", "/leads/{id}/disputes", xinlu.PermLeadReport, a.handle(a.raiseLeadDispute)},
		{"POST", "/leads/{id}/disputes/{dispute}/{action}", xinlu.PermLeadScreen, a.handle(a.decideLeadDispute)},
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
	InvestmentYuan *int64           `json:"investment_yuan"` // null: unknown (待定)
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
	Relation   string  `json:"relation"` // same (company) | branch (one is a branch, plant or office of the other) | sibling (two branches of one company)
	ReportedBy string  `json:"reported_by,omitempty"`
}

func matchesJSON(ms []xinlu.Match) []MatchJSON {
	out := make([]MatchJSON, len(ms))
	for i, m := range ms {
		out[i] = MatchJSON{Kind: m.Kind, ID: m.ID, Company: m.Company, Project: m.Project, Status: m.Status,
			Score: float64(int(m.Score*1000+0.5)) / 1000, Relation: string(m.Relation), ReportedBy: m.ReportedBy}
	}
	return out
}

// leadInput is the body of POST /leads.
type leadInput struct {
	Company        string `json:"company"`
	ProjectName    string `json:"project_name"`
	Industry       string `json:"industry"`
	InvestmentYuan *int64 `json:"investment_yuan"` // null or absent: unknown (待定)
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
	if err := a.store.LeadContactViewed(r.Context(), actor(r), user(r), l, "api"); err != nil {
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
	// The answer shows the contact phone to those who see it in full.
	if err := a.store.LeadContactViewed(r.Context(), actor(r), user(r), l, "api"); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, leadJSON(l))
	return nil
}

// --- attachments ---

// LeadFileJSON is an attachment of a lead, without its bytes.
type LeadFileJSON struct {
	ID           int64     `json:"id"`
	LeadID       int64     `json:"lead_id"`
	Name         string    `json:"name"`
	ContentType  string    `json:"content_type"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"`
	UploadedBy   int64     `json:"uploaded_by"`
	UploaderName string    `json:"uploader_name"`
	CreatedAt    time.Time `json:"created_at"`
}

func leadFileJSON(f *xinlu.LeadFile) LeadFileJSON {
	return LeadFileJSON{ID: f.ID, LeadID: f.LeadID, Name: f.Name, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256,
		UploadedBy: f.UploadedBy, UploaderName: f.UploaderName, CreatedAt: f.CreatedAt}
}

func (a *API) listLeadFiles(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fs, err := a.store.LeadFilesFor(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	out := make([]LeadFileJSON, len(fs))
	for i, f := range fs {
		out[i] = leadFileJSON(f)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

// uploadLeadFile takes one file, the multipart part named "file".
func (a *API) uploadLeadFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return xinlu.Invalid("file", "leads.multipart_required")
	}
	files, err := httpx.ReadLeadFiles(w, r, "file", 1)
	if xinlu.AsError(err).Key == "leads.file_count" {
		return xinlu.Invalid("file", "leads.one_file")
	}
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return xinlu.Invalid("file", "error.required")
	}
	fs, err := a.store.AddLeadFiles(r.Context(), actor(r), user(r), id, files)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, leadFileJSON(fs[0]))
	return nil
}

func (a *API) downloadLeadFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fileID, err := pathID(r, "file")
	if err != nil {
		return err
	}
	f, data, err := a.store.LeadFileData(r.Context(), actor(r), user(r), id, fileID)
	if err != nil {
		return err
	}
	httpx.WriteLeadFile(w, f, data)
	return nil
}

func (a *API) deleteLeadFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fileID, err := pathID(r, "file")
	if err != nil {
		return err
	}
	if err := a.store.DeleteLeadFile(r.Context(), actor(r), user(r), id, fileID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// --- reveal of the contact phone ---

// LeadRevealJSON is a lead's contact phone in full, and the fields revealed.
type LeadRevealJSON struct {
	ID           int64    `json:"id"`
	ContactPhone string   `json:"contact_phone"`
	Fields       []string `json:"fields"`
}

func (a *API) revealLeadContact(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in revealInput
	if err := decode(r, &in); err != nil {
		return err
	}
	l, err := a.store.RevealLeadContact(r.Context(), actor(r), user(r), id, in.Reason)
	if err != nil {
		return err
	}
	fields := []string{}
	if l.ContactPhone != "" {
		fields = append(fields, "contact_phone")
	}
	writeJSON(w, http.StatusOK, LeadRevealJSON{ID: l.ID, ContactPhone: l.ContactPhone, Fields: fields})
	return nil
}
