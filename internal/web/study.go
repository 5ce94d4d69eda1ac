package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"xinlu/internal/docx"
	"xinlu/internal/httpx"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Study campaigns (学习活动). The organisation office keeps the campaigns
// (list, form, open/close/archive, completion and its Excel); members
// write their reflections on "my reflections" in an editor that saves the
// draft to the server as they type and keeps a copy in the browser;
// department heads and named reviewers read each submitted reflection
// beside its copying report before returning or accepting it. Pages open
// to every signed-in user are scoped by the store.
func (s *Server) studyRoutes() []Route {
	return append([]Route{
		{Method: "GET", Pattern: "/study/campaigns", Perm: xinlu.PermSignedIn, Handler: s.studyCampaigns},
		{Method: "GET", Pattern: "/study/campaigns/new", Perm: xinlu.PermStudyManage, Handler: s.studyCampaignNew},
		{Method: "POST", Pattern: "/study/campaigns", Perm: xinlu.PermStudyManage, Handler: s.studyCampaignCreate},
		{Method: "GET", Pattern: "/study/campaigns/{id}", Perm: xinlu.PermSignedIn, Handler: s.studyCampaignShow},
		{Method: "GET", Pattern: "/study/campaigns/{id}/edit", Perm: xinlu.PermStudyManage, Handler: s.studyCampaignEdit},
		{Method: "POST", Pattern: "/study/campaigns/{id}", Perm: xinlu.PermStudyManage, Handler: s.studyCampaignUpdate},
		{Method: "POST", Pattern: "/study/campaigns/{id}/{action}", Perm: xinlu.PermStudyManage, Handler: s.studyCampaignStep},
		{Method: "GET", Pattern: "/study/campaigns/{id}/completion.xlsx", Perm: xinlu.PermSignedIn, Handler: s.studyCompletionExport},
		{Method: "GET", Pattern: "/study/campaigns/{id}/compilation", Perm: xinlu.PermStudyManage, Handler: s.studyCompilation},
		{Method: "GET", Pattern: "/study/campaigns/{id}/compilation.docx", Perm: xinlu.PermStudyManage, Handler: s.studyCompilationDocx},
		{Method: "GET", Pattern: "/study/settings", Perm: xinlu.PermStudySettings, Handler: s.studySettings},
		{Method: "POST", Pattern: "/study/settings", Perm: xinlu.PermStudySettings, Handler: s.studySettingsSave},
		{Method: "GET", Pattern: "/study/mine", Perm: xinlu.PermStudyWrite, Handler: s.studyMine},
		{Method: "GET", Pattern: "/study/campaigns/{id}/write", Perm: xinlu.PermStudyWrite, Handler: s.studyWrite},
		{Method: "POST", Pattern: "/study/campaigns/{id}/write", Perm: xinlu.PermStudyWrite, Handler: s.studyWriteSave},
		{Method: "POST", Pattern: "/study/campaigns/{id}/draft", Perm: xinlu.PermStudyWrite, Handler: s.studyDraftSave},
		{Method: "POST", Pattern: "/study/campaigns/{id}/upload", Perm: xinlu.PermStudyWrite, Handler: s.studyUpload},
		{Method: "POST", Pattern: "/study/campaigns/{id}/materials", Perm: xinlu.PermStudyManage, Handler: s.studyMaterialAdd},
		{Method: "POST", Pattern: "/study/campaigns/{id}/materials/{file}/delete", Perm: xinlu.PermStudyManage, Handler: s.studyMaterialDelete},
		{Method: "GET", Pattern: "/study/files/{id}", Perm: xinlu.PermSignedIn, Handler: s.studyFileDownload},
		{Method: "GET", Pattern: "/study/reflections/{id}", Perm: xinlu.PermSignedIn, Handler: s.studyReflection},
		{Method: "POST", Pattern: "/study/reflections/{id}/{action}", Perm: xinlu.PermSignedIn, Handler: s.studyReview},
	}, s.studySessionRoutes()...)
}

// studyReviews: the account manages campaigns or reviews reflections.
func studyReviews(u *xinlu.User) bool {
	return u.Can(xinlu.PermStudyManage) || u.Can(xinlu.PermStudyReview)
}

type studyCampaignsView struct {
	Items  []*xinlu.Campaign
	Manage bool
}

func (s *Server) studyCampaigns(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	items, err := s.store.Campaigns(r.Context(), u)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "study_campaigns", s.printer(r).T("study.nav_campaigns"),
		studyCampaignsView{Items: items, Manage: u.Can(xinlu.PermStudyManage)})
}

type studyFormView struct {
	C           *xinlu.Campaign
	Err         error
	Departments []choice
	Teams       []choice
	Members     []choice
	Audiences   []xinlu.Audience
	Open        bool // the campaign is open: grading is fixed
}

func (s *Server) studyFormPage(w http.ResponseWriter, r *http.Request, status int, c *xinlu.Campaign, formErr error) {
	u := requestInfo(r.Context()).user
	ds, _, _ := s.store.ListDepartments(r.Context(), store.DepartmentFilter{ZoneID: u.ZoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	depts := make([]choice, len(ds))
	for i, d := range ds {
		depts[i] = choice{ID: d.ID, Name: d.Name}
	}
	ts, _, _ := s.store.ListTeams(r.Context(), store.TeamFilter{ZoneID: u.ZoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
	teams := make([]choice, len(ts))
	for i, t := range ts {
		teams[i] = choice{ID: t.ID, Name: t.Name}
	}
	title := "study.new_title"
	if c.ID != 0 {
		title = "study.edit_title"
	}
	s.render(w, r, status, "study_campaign_form", s.printer(r).T(title), studyFormView{C: c, Err: formErr, Departments: depts, Teams: teams,
		Members: s.memberChoices(r, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: u.ZoneID}), Audiences: xinlu.Audiences,
		Open: c.Status == xinlu.CampaignOpen})
}

func (s *Server) studyCampaignNew(w http.ResponseWriter, r *http.Request) {
	today := s.today()
	s.studyFormPage(w, r, http.StatusOK, &xinlu.Campaign{Audience: xinlu.AudienceZone, MinLength: xinlu.DefaultMinReflection,
		OpensOn: today.Format(xinlu.DateLayout), ClosesOn: today.AddDate(0, 0, 14).Format(xinlu.DateLayout)}, nil)
}

// formIDs reads the ids of a multiple choice; a bad one is left out.
func formIDs(r *http.Request, name string) []int64 {
	var out []int64
	for _, v := range r.PostForm[name] {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// campaignFromForm reads the campaign form over c, reporting a bad minimum
// length as a field error along with the rest.
func campaignFromForm(r *http.Request, c *xinlu.Campaign) error {
	r.ParseForm()
	c.Title, c.Theme, c.SourceText = r.PostFormValue("campaign_title"), r.PostFormValue("theme"), r.PostFormValue("source_text")
	c.Audience = xinlu.Audience(r.PostFormValue("audience"))
	c.DepartmentIDs, c.MemberIDs, c.ReviewerIDs = formIDs(r, "department_ids"), formIDs(r, "member_ids"), formIDs(r, "reviewer_ids")
	c.TeamIDs = formIDs(r, "team_ids")
	c.OpensOn, c.ClosesOn = r.PostFormValue("opens_on"), r.PostFormValue("closes_on")
	c.Graded = r.PostFormValue("graded") == "1"
	n, err := formInt(r, "min_length")
	if err != nil {
		c.MinLength = -1
		return xinlu.Invalid("min_length", "error.number")
	}
	c.MinLength = n
	return nil
}

// saveCampaignForm saves the form as c at version and answers the
// campaign's page, or the form again with every error.
func (s *Server) saveCampaignForm(w http.ResponseWriter, r *http.Request, c *xinlu.Campaign, version int) {
	info := requestInfo(r.Context())
	var errs xinlu.FieldErrors
	errs.Add(campaignFromForm(r, c))
	typed := *c
	if len(errs) > 0 {
		// Report the number along with the rest of the form's errors.
		v := typed
		v.MinLength = 0
		errs.Add(v.Validate())
		s.studyFormPage(w, r, http.StatusUnprocessableEntity, &typed, errs.Err())
		return
	}
	saved, err := s.store.SaveCampaign(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, c, version)
	if err != nil {
		if isFormError(err) {
			s.studyFormPage(w, r, statusOf(err), &typed, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	if version == 0 {
		s.flash(w, "flash.created")
	} else {
		s.flash(w, "flash.updated")
	}
	redirect(w, r, "/study/campaigns/"+strconv.FormatInt(saved.ID, 10))
}

func (s *Server) studyCampaignCreate(w http.ResponseWriter, r *http.Request) {
	s.saveCampaignForm(w, r, &xinlu.Campaign{}, 0)
}

func (s *Server) studyCampaignEdit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.store.Campaign(r.Context(), requestInfo(r.Context()).user, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.studyFormPage(w, r, http.StatusOK, c, nil)
}

func (s *Server) studyCampaignUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	old, err := s.store.Campaign(r.Context(), requestInfo(r.Context()).user, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c := *old
	s.saveCampaignForm(w, r, &c, version)
}

func (s *Server) studyCampaignStep(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err == nil {
		_, err = s.store.CampaignAction(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, version, xinlu.CampaignAction(r.PathValue("action")))
	}
	if err != nil {
		s.campaignRefused(w, r, id, err)
		return
	}
	s.flashStep(w, r, "study", r.PathValue("action"))
	redirect(w, r, "/study/campaigns/"+strconv.FormatInt(id, 10))
}

// campaignRefused answers a refused write on campaign id: a form error on
// the campaign's page beside its forms, anything else as an error page.
func (s *Server) campaignRefused(w http.ResponseWriter, r *http.Request, id int64, err error) {
	if isFormError(err) {
		s.studyCampaignPage(w, r, statusOf(err), id, err)
		return
	}
	s.renderError(w, r, err)
}

type studyCampaignView struct {
	C           *xinlu.Campaign
	Manage      bool
	Completion  *xinlu.Completion
	Reflections []*xinlu.Reflection
	Mine        *xinlu.Reflection
	Asked       bool
	Actions     []xinlu.CampaignAction
	Err         error
	Materials   []*xinlu.StudyFile
	EditFiles   bool // the office may add and delete materials now
	MaxFiles    int
	Sessions    []*xinlu.StudySession
	Record      bool // the viewer may record a discussion session
}

func (s *Server) studyCampaignPage(w http.ResponseWriter, r *http.Request, status int, id int64, stepErr error) {
	u := requestInfo(r.Context()).user
	c, err := s.store.Campaign(r.Context(), u, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := studyCampaignView{C: c, Manage: u.Can(xinlu.PermStudyManage), Err: stepErr, Asked: c.Asks(u.MemberID, u.DepartmentID),
		EditFiles: xinlu.CheckMaterialEdit(u, c) == nil, MaxFiles: xinlu.MaxCampaignMaterials}
	if v.Materials, err = s.store.CampaignMaterials(r.Context(), u, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, v.Sessions, err = s.store.StudySessions(r.Context(), u, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Record = canRecordSessions(u, c)
	if v.Manage {
		for _, a := range xinlu.CampaignActions {
			if _, err := xinlu.CheckCampaignAction(u, c, a); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				v.Actions = append(v.Actions, a)
			}
		}
	}
	if _, comp, err := s.store.StudyCompletion(r.Context(), u, id); err == nil {
		v.Completion = comp
	}
	if v.Reflections, err = s.store.CampaignReflections(r.Context(), u, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Reflections = slices.DeleteFunc(v.Reflections, func(x *xinlu.Reflection) bool { return x.MemberID == u.MemberID })
	if v.Mine, err = s.store.MyReflection(r.Context(), u, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, status, "study_campaign", c.Title, v)
}

func (s *Server) studyCampaignShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.studyCampaignPage(w, r, http.StatusOK, id, nil)
}

func (s *Server) studyCompletionExport(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rep, err := report.StudyCompletionReport(r.Context(), s.store, s.printer(r), info.user, id, s.today())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendReport(w, r, rep, "study.completion.export", "study_campaign", id, nil, "study-completion-"+strconv.FormatInt(id, 10)+".xlsx")
}

// compilationFor reads the compilation the request asks for: every
// accepted reflection, or the excellent ones (excellent=1).
func (s *Server) compilationFor(r *http.Request) (*report.Compilation, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return report.StudyCompilation(r.Context(), s.store, s.printer(r), requestInfo(r.Context()).user, id,
		r.URL.Query().Get("excellent") == "1", s.today())
}

// studyCompilation is the compilation as a page to read and print.
func (s *Server) studyCompilation(w http.ResponseWriter, r *http.Request) {
	c, err := s.compilationFor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.printer(r)
	s.render(w, r, http.StatusOK, "study_compilation", p.T("study.compilation_title", c.Campaign.Title), c)
}

// studyCompilationDocx is the compilation as a Word document, audited.
func (s *Server) studyCompilationDocx(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	c, err := s.compilationFor(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := c.Docx(s.printer(r)).Write(&buf); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	if err := s.store.Audit(r.Context(), xinlu.ActorOf(info.user, info.ip), "study.compilation.export", "study_campaign", c.Campaign.ID,
		map[string]any{"excellent": c.Excellent, "reflections": c.Count()}); err != nil {
		s.renderError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", docx.ContentType)
	h.Set("Content-Disposition", httpx.AttachmentAs(s.printer(r).T("study.compilation_title", c.Campaign.Title)+".docx",
		"study-compilation-"+strconv.FormatInt(c.Campaign.ID, 10)+".docx"))
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// studyMineItem is one campaign on "my reflections", with mine in it.
type studyMineItem struct {
	C *xinlu.Campaign
	R *xinlu.Reflection
}

func (s *Server) studyMine(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	cs, err := s.store.Campaigns(r.Context(), u)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var items []studyMineItem
	for _, c := range cs {
		if c.Status == xinlu.CampaignDraft || !c.Asks(u.MemberID, u.DepartmentID) {
			continue
		}
		mine, err := s.store.MyReflection(r.Context(), u, c.ID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		items = append(items, studyMineItem{C: c, R: mine})
	}
	s.render(w, r, http.StatusOK, "study_mine", s.printer(r).T("study.nav_mine"), items)
}

type studyWriteView struct {
	C     *xinlu.Campaign
	R     *xinlu.Reflection // nil before the first save
	Body  string            // the text shown: as stored, or as typed
	Count int               // Body's length as the minimum counts it
	Err   error
	Edit  bool // the reflection may still be changed
	File  *xinlu.StudyFile
	// NoText names an uploaded file no text could be read from.
	NoText string
}

func (s *Server) studyWritePage(w http.ResponseWriter, r *http.Request, status int, id int64, typed *string, formErr error) {
	u := requestInfo(r.Context()).user
	c, err := s.store.Campaign(r.Context(), u, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !c.Asks(u.MemberID, u.DepartmentID) {
		s.renderError(w, r, xinlu.NotFound("error.not_found"))
		return
	}
	mine, err := s.store.MyReflection(r.Context(), u, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := studyWriteView{C: c, R: mine, Err: formErr, Edit: c.Status == xinlu.CampaignOpen && (mine == nil || mine.Status.Editable())}
	if mine != nil {
		v.Body = mine.Body
		if v.File, err = s.store.ReflectionFile(r.Context(), mine); err != nil {
			s.renderError(w, r, err)
			return
		}
		if v.File != nil && v.File.TextLength == 0 && r.URL.Query().Get("notext") == "1" {
			v.NoText = v.File.Name
		}
	}
	if typed != nil {
		v.Body = *typed
	}
	v.Count = xinlu.ReflectionLength(v.Body)
	s.render(w, r, status, "study_write", c.Title, v)
}

func (s *Server) studyWrite(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.studyWritePage(w, r, http.StatusOK, id, nil, nil)
}

// studyWriteSave saves the editor's text and, with the submit button,
// submits it; a refusal shows the editor again with the text as typed.
func (s *Server) studyWriteSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	body := r.PostFormValue("body")
	version, err := formInt(r, "version")
	var saved *xinlu.Reflection
	if err == nil {
		saved, err = s.store.SaveReflection(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, version, body)
	}
	if err == nil && r.PostFormValue("submit") == "1" {
		_, err = s.store.SubmitReflection(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, saved.ID, saved.Version)
	}
	if err != nil {
		if isFormError(err) {
			s.studyWritePage(w, r, statusOf(err), id, &body, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	if r.PostFormValue("submit") == "1" {
		s.flash(w, "flash.study.submit")
		redirect(w, r, "/study/mine")
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, "/study/campaigns/"+strconv.FormatInt(id, 10)+"/write")
}

// readStudyUpload reads the one file of a multipart form's "file" field
// and its text.
func readStudyUpload(w http.ResponseWriter, r *http.Request) (xinlu.StudyFileUpload, error) {
	files, err := httpx.ReadLeadFiles(w, r, "file", 1)
	if xinlu.AsError(err).Key == "leads.file_count" {
		return xinlu.StudyFileUpload{}, xinlu.Invalid("file", "leads.one_file")
	}
	if err != nil {
		return xinlu.StudyFileUpload{}, err
	}
	if len(files) == 0 {
		return xinlu.StudyFileUpload{}, xinlu.Invalid("file", "error.required")
	}
	return report.ReadStudyFile(files[0])
}

// studyUpload takes the member's reflection as a .docx or .pdf file: its
// text becomes the reflection's; a file with no text is kept and the
// editor says so.
func (s *Server) studyUpload(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	up, err := readStudyUpload(w, r)
	var file *xinlu.StudyFile
	if err == nil {
		var version int
		if version, err = formInt(r, "version"); err == nil {
			_, file, err = s.store.UploadReflection(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, version, up)
		}
	}
	if err != nil {
		if isFormError(err) {
			s.studyWritePage(w, r, statusOf(err), id, nil, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	to := "/study/campaigns/" + strconv.FormatInt(id, 10) + "/write"
	if file.TextLength == 0 {
		redirect(w, r, to+"?notext=1")
		return
	}
	s.flash(w, "flash.study.upload")
	redirect(w, r, to)
}

func (s *Server) studyMaterialAdd(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	up, err := readStudyUpload(w, r)
	if err == nil {
		_, err = s.store.AddCampaignMaterial(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, up)
	}
	if err != nil {
		s.campaignRefused(w, r, id, err)
		return
	}
	s.flash(w, "flash.study.material")
	redirect(w, r, "/study/campaigns/"+strconv.FormatInt(id, 10)+"#materials")
}

func (s *Server) studyMaterialDelete(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	var fileID int64
	if err == nil {
		fileID, err = pathID(r, "file")
	}
	if err == nil {
		err = s.store.DeleteCampaignMaterial(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, fileID)
	}
	if err != nil {
		s.campaignRefused(w, r, id, err)
		return
	}
	s.flash(w, "flash.deleted")
	redirect(w, r, "/study/campaigns/"+strconv.FormatInt(id, 10)+"#materials")
}

// studyFileDownload serves a material or a reflection's file to whoever
// may see it, after the audit row.
func (s *Server) studyFileDownload(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, data, err := s.store.StudyFileData(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	httpx.WriteLeadFile(w, &xinlu.LeadFile{Name: f.Name, ContentType: f.ContentType}, data)
}

// studyDraftSave is the editor's autosave: the text at the version the
// page holds, answered as JSON with the new version and the length.
func (s *Server) studyDraftSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	id, err := pathID(r, "id")
	var saved *xinlu.Reflection
	if err == nil {
		var version int
		if version, err = formInt(r, "version"); err == nil {
			saved, err = s.store.SaveReflection(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, version, r.PostFormValue("body"))
		}
	}
	if err != nil {
		w.WriteHeader(statusOf(err))
		json.NewEncoder(w).Encode(map[string]any{"error": s.printer(r).Error(err)})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"version": saved.Version, "length": xinlu.ReflectionLength(saved.Body),
		"saved_at": saved.UpdatedAt.In(shanghai).Format("15:04:05")})
}

// segment is a run of a text, shared with another text or not.
type segment struct {
	Text   string
	Shared bool
}

// segments cuts text at passages (sorted, not overlapping).
func segments(text string, ps []xinlu.Passage) []segment {
	runes := []rune(text)
	var out []segment
	at := 0
	for _, p := range ps {
		if p.Start < at || p.End > len(runes) {
			continue
		}
		if p.Start > at {
			out = append(out, segment{Text: string(runes[at:p.Start])})
		}
		out = append(out, segment{Text: string(runes[p.Start:p.End]), Shared: true})
		at = p.End
	}
	if at < len(runes) {
		out = append(out, segment{Text: string(runes[at:])})
	}
	return out
}

// studyMatchView is one text the reflection overlaps, for side-by-side
// reading.
type studyMatchView struct {
	Level   xinlu.SimilarLevel
	Kind    xinlu.SimilarKind
	Label   string
	Percent int
	Longest int
	Mine    []segment
	Other   []segment
}

type studyReflectionView struct {
	R       *xinlu.Reflection
	C       *xinlu.Campaign
	Length  int
	Review  bool // the viewer may return or accept it now
	Summary string
	Matches []studyMatchView
	Grades  []xinlu.Grade
	In      xinlu.Review
	Err     error
	File    *xinlu.StudyFile
	// Flagged: a match reaches the zone's flag threshold; Settings are
	// the thresholds the levels were read against.
	Flagged  bool
	Settings xinlu.StudySettings
}

// maxSideBySide is how many matches are shown side by side.
const maxSideBySide = 3

func (s *Server) studyReflectionPage(w http.ResponseWriter, r *http.Request, status int, id int64, in xinlu.Review, formErr error) {
	u := requestInfo(r.Context()).user
	x, c, err := s.store.Reflection(r.Context(), u, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.printer(r)
	v := studyReflectionView{R: x, C: c, Length: xinlu.ReflectionLength(x.Body), Grades: xinlu.Grades, In: in, Err: formErr}
	if v.File, err = s.store.ReflectionFile(r.Context(), x); err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Review = xinlu.CanReview(u, c, x) && x.Status.Awaiting() && (c.Status == xinlu.CampaignOpen || c.Status == xinlu.CampaignClosed)
	if x.Status != xinlu.ReflectionDraft && (u.Can(xinlu.PermStudyManage) || xinlu.CanReview(u, c, x)) {
		rep, err := s.store.SimilarReflections(r.Context(), u, id)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if v.Settings, err = s.store.StudySettings(r.Context(), x.ZoneID); err != nil {
			s.renderError(w, r, err)
			return
		}
		var parts []string
		for i, m := range rep.Matches {
			pct := xinlu.SimilarPercent(m.Score)
			level := v.Settings.Level(m.Score)
			v.Flagged = v.Flagged || level == xinlu.SimilarFlag
			if i >= maxSideBySide {
				parts = append(parts, p.T("study.similar_more", len(rep.Matches)-i))
				break
			}
			switch m.Kind {
			case xinlu.SimilarReflection:
				parts = append(parts, p.T("study.similar_reflection", m.Label, pct))
			case xinlu.SimilarSource:
				parts = append(parts, p.T("study.similar_source", pct))
			case xinlu.SimilarEarlier:
				parts = append(parts, p.T("study.similar_earlier", m.Label, pct))
			}
			v.Matches = append(v.Matches, studyMatchView{Level: level, Kind: m.Kind, Label: m.Label, Percent: pct, Longest: m.Longest,
				Mine: segments(x.Body, m.Passages), Other: segments(rep.Texts[store.SimilarKey(m.Kind, m.ID)], m.OtherPassages)})
		}
		if len(parts) == 0 {
			v.Summary = p.T("study.similar_none")
		} else {
			v.Summary = strings.Join(parts, p.T("study.similar_sep"))
		}
	}
	s.render(w, r, status, "study_reflection", x.MemberName+" · "+c.Title, v)
}

func (s *Server) studyReflection(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.studyReflectionPage(w, r, http.StatusOK, id, xinlu.Review{}, nil)
}

func (s *Server) studyReview(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if _, _, err := s.store.Reflection(r.Context(), info.user, id); err != nil {
		s.renderError(w, r, err)
		return
	}
	action := r.PathValue("action")
	in := xinlu.Review{Action: xinlu.ReviewAction(action), Comment: r.PostFormValue("comment"), Grade: xinlu.Grade(r.PostFormValue("review_grade"))}
	version, err := formInt(r, "version")
	if err == nil {
		if action == "excellent" || action == "ordinary" {
			var x *xinlu.Reflection
			if x, err = s.store.PickExcellent(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, version, action == "excellent"); err == nil {
				// The pick is made from the campaign's list: back to it.
				s.flashStep(w, r, "study", action)
				redirect(w, r, "/study/campaigns/"+strconv.FormatInt(x.CampaignID, 10)+"#reflections")
				return
			}
		} else {
			_, err = s.store.ReviewReflection(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id, version, in)
		}
	}
	if err != nil {
		if isFormError(err) {
			s.studyReflectionPage(w, r, statusOf(err), id, in, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flashStep(w, r, "study", action)
	redirect(w, r, "/study/reflections/"+strconv.FormatInt(id, 10))
}

type studySettingsView struct {
	S                  xinlu.StudySettings
	Warn, Flag, Points string // the fields as shown: stored, or as typed on a refusal
	Err                error
}

func (s *Server) studySettingsPage(w http.ResponseWriter, r *http.Request, status int, st xinlu.StudySettings, raw map[string]string, formErr error) {
	v := studySettingsView{S: st, Err: formErr, Warn: strconv.Itoa(st.WarnPercent), Flag: strconv.Itoa(st.FlagPercent),
		Points: strconv.FormatFloat(float64(st.ExcellentPoints)/100, 'f', -1, 64)}
	if raw != nil {
		v.Warn, v.Flag, v.Points = raw["warn_percent"], raw["flag_percent"], raw["excellent_points"]
	}
	s.render(w, r, status, "study_settings", s.printer(r).T("study.settings_title"), v)
}

func (s *Server) studySettings(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	if err := xinlu.CheckStudySettingsEdit(u); err != nil {
		s.renderError(w, r, err)
		return
	}
	st, err := s.store.StudySettings(r.Context(), u.ZoneID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.studySettingsPage(w, r, http.StatusOK, st, nil, nil)
}

// studySettingsSave saves the thresholds and the points (typed in whole
// or decimal points); every bad field is reported at once, as typed.
func (s *Server) studySettingsSave(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	u := info.user
	if err := xinlu.CheckStudySettingsEdit(u); err != nil {
		s.renderError(w, r, err)
		return
	}
	r.ParseForm()
	raw := map[string]string{}
	for _, f := range []string{"warn_percent", "flag_percent", "excellent_points"} {
		raw[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	var errs xinlu.FieldErrors
	st := xinlu.StudySettings{}
	version, err := formInt(r, "version")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	st.Version = version
	for _, f := range []struct {
		name string
		to   *int
	}{{"warn_percent", &st.WarnPercent}, {"flag_percent", &st.FlagPercent}} {
		n, err := strconv.Atoi(raw[f.name])
		if err != nil {
			errs.Invalid(f.name, "error.number")
			continue
		}
		*f.to = n
	}
	if p, err := formPoints(r, "excellent_points"); err != nil {
		errs.Add(err)
	} else {
		st.ExcellentPoints = p
	}
	if len(errs) > 0 {
		// Report the numbers that read along with the range errors of the rest.
		v := st
		for _, e := range errs {
			switch e.Field {
			case "warn_percent":
				v.WarnPercent = 1
			case "flag_percent":
				v.FlagPercent = 100
			}
		}
		for _, e := range xinlu.ErrorsOf(v.Validate()) {
			if !errs.Has(e.Field) {
				errs = append(errs, e)
			}
		}
		s.studySettingsPage(w, r, http.StatusUnprocessableEntity, st, raw, errs.Err())
		return
	}
	if err := s.store.SaveStudySettings(r.Context(), xinlu.ActorOf(u, info.ip), u, &st); err != nil {
		if isFormError(err) {
			s.studySettingsPage(w, r, statusOf(err), st, raw, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, "/study/settings")
}
