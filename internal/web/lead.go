package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"xinlu/internal/httpx"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// leadRoutes: any member reports a lead from a phone and follows its fate;
// the screening task force screens them; leaders override vetoes.
func (s *Server) leadRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/leads/new", Perm: xinlu.PermLeadReport, Handler: s.leadNew},
		{Method: "POST", Pattern: "/leads", Perm: xinlu.PermLeadReport, Handler: s.leadCreate},
		{Method: "GET", Pattern: "/leads/mine", Perm: xinlu.PermLeadReport, Handler: s.leadMine},
		{Method: "GET", Pattern: "/leads", Perm: xinlu.PermLeadScreen, Handler: s.leadList},
		{Method: "GET", Pattern: "/leads/{id}", Perm: xinlu.PermLeadView, Handler: s.leadShow},
		{Method: "POST", Pattern: "/leads/{id}/{action}", Perm: xinlu.PermLeadView, Handler: s.leadStep},
		// Attachments: whoever sees the lead downloads them; the store decides
		// who adds and deletes (xinlu.CheckLeadFileUpload, CheckLeadFileDelete).
		{Method: "POST", Pattern: "/leads/{id}/files", Perm: xinlu.PermLeadView, Handler: s.leadFileUpload},
		{Method: "GET", Pattern: "/leads/{id}/files/{file}", Perm: xinlu.PermLeadView, Handler: s.leadFileDownload},
		{Method: "POST", Pattern: "/leads/{id}/files/{file}/delete", Perm: xinlu.PermLeadView, Handler: s.leadFileDelete},
		// The contact phone in full, with a reason, audited.
		{Method: "GET", Pattern: "/leads/{id}/reveal", Perm: xinlu.PermReveal, Handler: s.leadRevealForm},
		{Method: "POST", Pattern: "/leads/{id}/reveal", Perm: xinlu.PermReveal, Handler: s.leadRevealSubmit},
		// Credit disputes: a co-reporter raises one; the screening task
		// force, never a party, decides it (uphold | reject).
		{Method: "POST", Pattern: "/leads/{id}/disputes", Perm: xinlu.PermLeadReport, Handler: s.leadDisputeRaise},
		{Method: "POST", Pattern: "/leads/{id}/disputes/{dispute}/{action}", Perm: xinlu.PermLeadScreen, Handler: s.leadDisputeDecide},
	}
}

// leadTone is the colour of a lead status tag (UX.md's five colours).
func leadTone(st xinlu.LeadStatus) string {
	switch st {
	case xinlu.LeadAccepted:
		return "green"
	case xinlu.LeadReported, xinlu.LeadScreening:
		return "blue"
	case xinlu.LeadInfoRequested:
		return "orange"
	}
	// Rejected, merged and dormant leads are closed: grey. Red is kept for
	// what is overdue.
	return "grey"
}

// leadOpen reports whether a lead still waits for screening, so that its
// deadline light means something.
func leadOpen(st xinlu.LeadStatus) bool { return xinlu.LeadOpen(st) }

// lightTone maps a deadline light to a tag colour.
func lightTone(l xinlu.Light) string {
	switch l {
	case xinlu.LightGreen:
		return "green"
	case xinlu.LightYellow:
		return "orange"
	case xinlu.LightRed:
		return "red"
	}
	return "grey"
}

// leadRow is one lead as lists show it.
type leadRow struct {
	L          *xinlu.Lead
	Tone       string
	Light      xinlu.Light
	LightTone  string
	Project    string // the name of the project the lead became
	MergedInto string // the lead it was merged into, named
}

// leadRows gives each lead its tone and, while it is open, the light of its
// screening deadline by the zone's calendar and light rules (read once);
// when either cannot be read the lights are left out.
func (s *Server) leadRows(r *http.Request, zoneID int64, items []*xinlu.Lead) []leadRow {
	cal, err := s.store.LeadCalendar(r.Context(), zoneID)
	var rules xinlu.LightRules
	if err == nil {
		rules, err = s.store.LightRules(r.Context(), zoneID)
	}
	today := s.store.LeadToday()
	var refs []store.RecordRef
	for _, l := range items {
		if l.ProjectID != 0 {
			refs = append(refs, store.RecordRef{Entity: "project", ID: l.ProjectID})
		}
		if l.MergedInto != 0 {
			refs = append(refs, store.RecordRef{Entity: "lead", ID: l.MergedInto})
		}
	}
	var names map[store.RecordRef]string
	if len(refs) > 0 {
		names, _ = s.store.RecordNames(r.Context(), zoneID, refs) // without names the rows show numbers
	}
	out := make([]leadRow, len(items))
	for i, l := range items {
		row := leadRow{L: l, Tone: leadTone(l.Status), Project: names[store.RecordRef{Entity: "project", ID: l.ProjectID}],
			MergedInto: names[store.RecordRef{Entity: "lead", ID: l.MergedInto}]}
		if err == nil && leadOpen(l.Status) {
			row.Light = rules.Light(cal, l.ScreeningDue, today)
			row.LightTone = lightTone(row.Light)
		}
		out[i] = row
	}
	return out
}

// --- report ---

type leadFormView struct {
	L          *xinlu.Lead
	Industries []string
	Channels   []string
	FileMB     int // each attachment at most
	TotalMB    int // the attachments of one report together at most (the server's upload limit)
	MaxFiles   int
	Accept     string
	Err        error
}

// leadFileAccept is the file inputs' accept list: a hint to the picker (a
// phone offers its camera for images); the server decides by content.
const leadFileAccept = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps,application/pdf,image/jpeg,image/png"

// leadUploadMB is how many MB of files one form may carry: the server's
// upload limit (limitBody), or all of a lead's files when it is larger.
func (s *Server) leadUploadMB() int {
	return int(min(s.cfg.MaxUploadSize, int64(xinlu.MaxLeadFiles)*xinlu.MaxLeadFileSize) >> 20)
}

func (s *Server) leadForm(w http.ResponseWriter, r *http.Request, status int, l *xinlu.Lead, err error) {
	s.render(w, r, status, "lead_new", s.printer(r).T("leads.new_title"), leadFormView{
		L: l, Industries: xinlu.Industries, Channels: xinlu.LeadChannels, FileMB: xinlu.MaxLeadFileSize >> 20,
		TotalMB: s.leadUploadMB(), MaxFiles: xinlu.MaxLeadFiles, Accept: leadFileAccept, Err: err})
}

func (s *Server) leadNew(w http.ResponseWriter, r *http.Request) {
	s.leadForm(w, r, http.StatusOK, &xinlu.Lead{Channel: "personal"}, nil)
}

// yuanFromWan reads an amount typed in 万元 (decimals allowed) as yuan; empty
// or a placeholder (待定, 面议, TBD …) is unknown (nil), an approximation
// keeps its figure (xinlu.ParseAmountText).
func yuanFromWan(r *http.Request, name string) (*int64, error) {
	raw := r.PostFormValue(name)
	at, err := xinlu.ParseAmountText(raw)
	switch {
	case err != nil:
		return nil, xinlu.Invalid(name, "amount.not_a_number", strings.TrimSpace(raw))
	case at.Unknown:
		return nil, nil
	}
	v := strings.ReplaceAll(at.Number, ",", "")
	whole, frac, _ := strings.Cut(v, ".")
	if whole == "" {
		whole = "0"
	}
	digits := func(s string) bool { return strings.Trim(s, "0123456789") == "" }
	switch {
	case strings.HasPrefix(whole, "-") && len(whole) > 1 && digits(whole[1:]) && digits(frac), digits(whole) && digits(frac) && len(whole) > 9:
		// A number, out of range: say the range, keep the number typed.
		return nil, xinlu.Invalid(name, "lead.investment_range")
	case len(frac) > 4 || !digits(whole) || !digits(frac):
		return nil, xinlu.Invalid(name, "error.number")
	}
	frac += strings.Repeat("0", 4-len(frac))
	var n int64
	for _, c := range whole + frac {
		n = n*10 + int64(c-'0')
	}
	return &n, nil
}

func (s *Server) leadCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	// The report form is multipart when it carries attachments: read them
	// first, under their own limits, then the fields.
	files, ferr := httpx.ReadLeadFiles(w, r, "files", xinlu.MaxLeadFiles)
	l := &xinlu.Lead{ZoneID: info.user.ZoneID, Company: r.PostFormValue("company"), ProjectName: r.PostFormValue("project_name"),
		Industry: r.PostFormValue("industry"), Channel: r.PostFormValue("channel"), ContactName: r.PostFormValue("contact_name"),
		ContactPhone: r.PostFormValue("contact_phone"), Description: r.PostFormValue("description")}
	var errs xinlu.FieldErrors
	var err error
	if l.InvestmentYuan, err = yuanFromWan(r, "investment"); err != nil {
		errs.Add(err)
		err = withValidation(errs, func() error { c := *l; return c.Validate() })
		s.leadForm(w, r, statusOf(err), l, err)
		return
	}
	if ferr != nil {
		if isFormError(ferr) {
			s.leadForm(w, r, statusOf(ferr), l, ferr)
			return
		}
		s.renderError(w, r, ferr)
		return
	}
	if _, err = s.store.ReportLead(r.Context(), xinlu.ActorOf(info.user, info.ip), l, files...); err != nil {
		if isFormError(err) {
			s.leadForm(w, r, statusOf(err), l, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.created")
	redirect(w, r, "/leads/"+strconv.FormatInt(l.ID, 10)+"?reported=1")
}

// --- lists ---

type leadMineView struct {
	Items []leadRow
	Pager pager
}

func (s *Server) leadMine(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	scope := xinlu.ScopeFilter{Scope: xinlu.ScopeOwn, ZoneID: u.ZoneID, MemberID: u.MemberID}
	items, total, err := s.store.ListLeads(r.Context(), store.LeadFilter{Scope: scope, Page: p})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "leads_mine", s.printer(r).T("leads.nav_mine"), leadMineView{
		Items: s.leadRows(r, u.ZoneID, items), Pager: newPager(r, p, total)})
}

type leadListView struct {
	Status, Industry, Query string
	ReportedYear            int    // leads reported in that year only (from the cockpit); 0: any
	ReporterID              int64  // one member's leads only (from the cockpit); 0: anyone's
	Light                   string // red or yellow leads only (from the cockpit); "": any
	CanReport               bool
	Statuses                []xinlu.LeadStatus
	Industries              []string
	Items                   []leadRow
	Pager                   pager
}

// leadList is the list of the leads the user may see: the screening task
// force's (/leads), and the list a cockpit figure of leads opens
// (/cockpit/leads), filtered by the year reported, the reporter and the
// light of the screening deadline.
func (s *Server) leadList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	q := r.URL.Query()
	v := leadListView{Status: q.Get("status"), Industry: q.Get("industry"), Query: q.Get("q"),
		Statuses: xinlu.LeadStatuses, Industries: xinlu.Industries, CanReport: u.Can(xinlu.PermLeadReport)}
	if v.Status != "" && !slices.Contains(xinlu.LeadStatuses, xinlu.LeadStatus(v.Status)) {
		v.Status = ""
	}
	if _, chosen := q["status"]; !chosen {
		// The screening list opens on the leads waiting for screening;
		// 全部 (status=) lists every lead.
		v.Status = string(xinlu.LeadReported)
	}
	if v.Industry != "" && !slices.Contains(xinlu.Industries, v.Industry) {
		v.Industry = ""
	}
	if y, err := strconv.Atoi(q.Get("reported_year")); err == nil && y >= xinlu.MinTargetYear && y <= xinlu.MaxTargetYear {
		v.ReportedYear = y
	}
	if id, err := strconv.ParseInt(q.Get("reporter_id"), 10, 64); err == nil && id > 0 {
		v.ReporterID = id
	}
	scope := u.Filter(xinlu.PermLeadView)
	if l := xinlu.Light(q.Get("light")); (l == xinlu.LightRed || l == xinlu.LightYellow) && scope.ZoneID != 0 {
		v.Light = string(l)
	}
	items, total, err := s.store.ListLeads(r.Context(), store.LeadFilter{Scope: scope,
		Status: xinlu.LeadStatus(v.Status), Industry: v.Industry, Query: v.Query, ReportedYear: v.ReportedYear,
		ReporterID: v.ReporterID, Light: xinlu.Light(v.Light), Page: p})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Items, v.Pager = s.leadRows(r, u.ZoneID, items), newPager(r, p, total)
	s.render(w, r, http.StatusOK, "leads", s.printer(r).T("leads.nav_screen"), v)
}

// --- one lead ---

// leadDup is a possible duplicate as the lead page shows it.
type leadDup struct {
	xinlu.Match
	Percent int
}

// reasonForm is a step that takes a written reason.
type reasonForm struct {
	Action, Label, ReasonLabel string
	Required, Danger, Veto     bool
}

// reasonSteps are the steps with a reason, in the order the page shows them.
var reasonSteps = []reasonForm{
	{Action: "request-info", Label: "leads.action.request_info", ReasonLabel: "leads.reason_for.request_info", Required: true},
	{Action: "reject", Label: "leads.action.reject", ReasonLabel: "leads.reason_for.reject", Required: true, Danger: true},
	{Action: "veto", Label: "leads.action.veto", ReasonLabel: "leads.reason_for.veto", Required: true, Danger: true, Veto: true},
	{Action: "override-veto", Label: "leads.action.override_veto", ReasonLabel: "leads.reason_for.override_veto", Required: true},
	{Action: "shelve", Label: "leads.action.shelve", ReasonLabel: "leads.reason_for.shelve"},
}

type leadShowView struct {
	Row         leadRow
	Dups        []leadDup
	ReasonForms []reasonForm
	CoReporters []store.CoReporter
	Reported    bool // just reported: the duplicates are the point
	IsReporter  bool
	Can         map[string]bool
	VetoGrounds []string
	Files       []leadFileRow
	OwnFiles    int  // attached to this lead itself (the rest came with merged leads)
	CanUpload   bool // the viewer may add files now
	MaxFiles    int
	FileMB      int
	TotalMB     int // one upload's files together at most
	Accept      string
	CanReveal   bool // the phone is masked and within the viewer's reveal scope
	Disputes    disputeSection
	Err         error
	ErrAction   string // the step whose form failed: it shows what was typed
}

// leadFileRow is an attachment as the lead page lists it.
type leadFileRow struct {
	F         *xinlu.LeadFile
	Size      string
	CanDelete bool
	FromLead  bool // attached to a lead merged into this one (F.LeadID)
}

// fileSize writes a byte count for people: 820 B, 12.5 KB, 3.2 MB.
func fileSize(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// leadAllowed says which steps u may take on l now, by asking the domain
// with placeholder inputs that pass its input checks.
func leadAllowed(u *xinlu.User, l *xinlu.Lead) map[string]bool {
	out := map[string]bool{}
	for _, a := range xinlu.LeadActions() {
		step := xinlu.LeadStep{Action: a, Reason: "--", VetoGround: xinlu.VetoGrounds[0], MergeInto: l.ID + 1}
		if _, err := xinlu.CheckLeadStep(u, l, step); err == nil {
			out[string(a)] = true
		}
	}
	return out
}

func (s *Server) leadPage(w http.ResponseWriter, r *http.Request, status int, id int64, stepErr error) {
	s.leadPageWith(w, r, status, id, stepErr, nil)
}

// leadPageWith is the lead page with a credit-dispute form shown again
// (its input and error), when form is not nil.
func (s *Server) leadPageWith(w http.ResponseWriter, r *http.Request, status int, id int64, stepErr error, form *disputeForm) {
	info := requestInfo(r.Context())
	u := info.user
	l, err := s.store.LeadFor(r.Context(), u, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.store.LeadContactViewed(r.Context(), xinlu.ActorOf(u, info.ip), u, l, "page"); err != nil {
		s.renderError(w, r, err)
		return
	}
	dups, err := s.store.LeadDuplicates(r.Context(), l)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	cos, err := s.store.LeadCoReporters(r.Context(), u.ZoneID, l.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	files, err := s.store.ListLeadFiles(r.Context(), xinlu.LeadFileScope(u, l), l.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := leadShowView{Row: s.leadRows(r, u.ZoneID, []*xinlu.Lead{l})[0], CoReporters: cos,
		Reported: r.URL.Query().Get("reported") == "1", IsReporter: u.MemberID != 0 && u.MemberID == l.ReporterID,
		Can: leadAllowed(u, l), VetoGrounds: xinlu.VetoGrounds, Err: stepErr,
		MaxFiles: xinlu.MaxLeadFiles, FileMB: xinlu.MaxLeadFileSize >> 20, TotalMB: s.leadUploadMB(), Accept: leadFileAccept}
	if stepErr != nil {
		v.ErrAction = r.PathValue("action")
	}
	for _, f := range files {
		if f.LeadID == l.ID {
			v.OwnFiles++
		}
		v.Files = append(v.Files, leadFileRow{F: f, Size: fileSize(f.Size), CanDelete: xinlu.CheckLeadFileDelete(u, l, f) == nil,
			FromLead: f.LeadID != l.ID})
	}
	v.CanUpload = xinlu.CheckLeadFileUpload(u, l) == nil && v.OwnFiles < xinlu.MaxLeadFiles
	if l.ContactPhone != "" && !xinlu.LeadContactVisible(u, l) && u.Can(xinlu.PermReveal) {
		v.CanReveal = s.store.LeadRevealable(r.Context(), u, l.ID)
	}
	for _, d := range dups {
		if d.Kind == "project" && d.ID == l.ProjectID {
			continue // the project this lead became is no duplicate of it
		}
		v.Dups = append(v.Dups, leadDup{Match: d, Percent: int(d.Score*100 + 0.5)})
	}
	for _, f := range reasonSteps {
		if v.Can[f.Action] {
			v.ReasonForms = append(v.ReasonForms, f)
		}
	}
	v.Disputes = s.leadDisputeSection(r, u, l, form)
	if form != nil && (form.LeadID != v.Disputes.LeadID || !v.Disputes.Show) && v.Err == nil {
		v.Err = form.Err // the form came from elsewhere: its error on top
	}
	s.render(w, r, status, "lead_show", l.Company, v)
}

func (s *Server) leadShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.leadPage(w, r, http.StatusOK, id, nil)
}

func (s *Server) leadStep(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	step := xinlu.LeadStep{Action: xinlu.LeadAction(r.PathValue("action")), Reason: r.PostFormValue("reason"),
		VetoGround: r.PostFormValue("veto_ground")}
	version, err := formInt(r, "version")
	if err == nil {
		step.MergeInto, err = formInt64(r, "merge_into")
	}
	if err == nil {
		var typed int64
		if typed, err = formInt64(r, "merge_into_id"); typed != 0 {
			step.MergeInto = typed
		}
	}
	if err == nil {
		_, err = s.store.StepLead(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, version, step)
	}
	if err != nil {
		if isFormError(err) {
			s.leadPage(w, r, statusOf(err), id, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flashStep(w, r, "lead", string(step.Action))
	redirect(w, r, "/leads/"+strconv.FormatInt(id, 10))
}

// --- attachments ---

// leadFileUpload adds the files chosen on the lead page (field "files").
// A bad file shows the lead page again with the reason; nothing is kept.
func (s *Server) leadFileUpload(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	files, err := httpx.ReadLeadFiles(w, r, "files", xinlu.MaxLeadFiles)
	if err == nil {
		_, err = s.store.AddLeadFiles(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, files)
	}
	if err != nil {
		if isFormError(err) {
			s.leadPage(w, r, statusOf(err), id, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.lead_files_uploaded")
	redirect(w, r, "/leads/"+strconv.FormatInt(id, 10)+"#lead-files")
}

// leadFileDownload serves an attachment to whoever may see the lead,
// after the audit row of the download.
func (s *Server) leadFileDownload(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	var fileID int64
	if err == nil {
		fileID, err = pathID(r, "file")
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, data, err := s.store.LeadFileData(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, fileID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	httpx.WriteLeadFile(w, f, data)
}

// leadFileDelete deletes an attachment: its uploader or a screener.
func (s *Server) leadFileDelete(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	var fileID int64
	if err == nil {
		fileID, err = pathID(r, "file")
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.store.DeleteLeadFile(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, fileID); err != nil {
		if isFormError(err) {
			s.leadPage(w, r, statusOf(err), id, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.deleted")
	redirect(w, r, "/leads/"+strconv.FormatInt(id, 10)+"#lead-files")
}

// --- reveal of the contact phone ---

type leadRevealView struct {
	L        *xinlu.Lead
	Revealed bool // the phone is in full: shown once, after the audit row
	Reason   string
	MinLen   int
	Err      error
}

// leadRevealForm asks for the reason; the lead must be within the caller's
// reveal scope (a head: leads reported in the department; the appraisal
// office: the zone's).
func (s *Server) leadRevealForm(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	l, err := s.store.LeadByID(r.Context(), u.Filter(xinlu.PermReveal), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.leadRevealPage(w, r, http.StatusOK, l, leadRevealView{})
}

func (s *Server) leadRevealPage(w http.ResponseWriter, r *http.Request, status int, l *xinlu.Lead, v leadRevealView) {
	u := requestInfo(r.Context()).user
	if !v.Revealed && !xinlu.LeadContactVisible(u, l) {
		l.ContactPhone = xinlu.MaskPhone(l.ContactPhone)
	}
	v.L, v.MinLen = l, xinlu.MinRevealReason
	s.render(w, r, status, "lead_reveal", s.printer(r).T("leads.reveal_title"), v)
}

// leadRevealSubmit writes the audit row (lead, field and reason, never the
// value) and then shows the phone in full, once: the answer is not cached
// (no-store, as every signed-in page) and the lead page masks it again.
func (s *Server) leadRevealSubmit(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	reason := r.PostFormValue("reason")
	l, err := s.store.RevealLeadContact(r.Context(), xinlu.ActorOf(u, info.ip), u, id, reason)
	if err != nil {
		if xinlu.ErrorCode(err) != xinlu.EINVALID {
			s.renderError(w, r, err)
			return
		}
		shown, lerr := s.store.LeadByID(r.Context(), u.Filter(xinlu.PermReveal), id)
		if lerr != nil {
			s.renderError(w, r, lerr)
			return
		}
		s.leadRevealPage(w, r, statusOf(err), shown, leadRevealView{Reason: reason, Err: err})
		return
	}
	s.leadRevealPage(w, r, http.StatusOK, l, leadRevealView{Revealed: true})
}
