package api

import (
	"math"
	"net/http"
	"strings"
	"time"

	"xinlu/internal/httpx"
	"xinlu/internal/report"
	"xinlu/internal/xinlu"
)

// Study campaigns (学习活动) and reflections (心得体会): the organisation
// office runs campaigns, members write reflections, heads and named
// reviewers return or accept them after seeing the copying check. See
// store.SaveCampaign, store.SaveReflection and store.SimilarReflections.

func (a *API) studyRoutes() []Route {
	return []Route{
		{"GET", "/study/campaigns", xinlu.PermSignedIn, a.handle(a.listCampaigns)},
		{"POST", "/study/campaigns", xinlu.PermStudyManage, a.handle(a.createCampaign)},
		{"GET", "/study/campaigns/{id}", xinlu.PermSignedIn, a.handle(a.getCampaign)},
		{"PUT", "/study/campaigns/{id}", xinlu.PermStudyManage, a.handle(a.updateCampaign)},
		{"POST", "/study/campaigns/{id}/{action}", xinlu.PermStudyManage, a.handle(a.stepCampaign)},
		{"GET", "/study/campaigns/{id}/reflections", xinlu.PermSignedIn, a.handle(a.listReflections)},
		{"POST", "/study/campaigns/{id}/reflections", xinlu.PermStudyWrite, a.handle(a.saveReflection)},
		{"GET", "/study/campaigns/{id}/completion", xinlu.PermSignedIn, a.handle(a.campaignCompletion)},
		{"POST", "/study/campaigns/{id}/reflections/file", xinlu.PermStudyWrite, a.handle(a.uploadReflection)},
		{"GET", "/study/campaigns/{id}/materials", xinlu.PermSignedIn, a.handle(a.listMaterials)},
		{"POST", "/study/campaigns/{id}/materials", xinlu.PermStudyManage, a.handle(a.addMaterial)},
		{"DELETE", "/study/campaigns/{id}/materials/{file}", xinlu.PermStudyManage, a.handle(a.deleteMaterial)},
		{"GET", "/study/files/{id}", xinlu.PermSignedIn, a.handle(a.downloadStudyFile)},
		{"GET", "/study/settings", xinlu.PermStudySettings, a.handle(a.getStudySettings)},
		{"PUT", "/study/settings", xinlu.PermStudySettings, a.handle(a.putStudySettings)},
		{"GET", "/study/campaigns/{id}/sessions", xinlu.PermSignedIn, a.handle(a.listStudySessions)},
		{"POST", "/study/campaigns/{id}/sessions", xinlu.PermSignedIn, a.handle(a.createStudySession)},
		{"GET", "/study/sessions/{id}", xinlu.PermSignedIn, a.handle(a.getStudySession)},
		{"PUT", "/study/sessions/{id}", xinlu.PermSignedIn, a.handle(a.updateStudySession)},
		{"DELETE", "/study/sessions/{id}", xinlu.PermSignedIn, a.handle(a.deleteStudySession)},
		{"GET", "/study/reflections/{id}", xinlu.PermSignedIn, a.handle(a.getReflection)},
		{"POST", "/study/reflections/{id}/{action}", xinlu.PermSignedIn, a.handle(a.stepReflection)},
		{"GET", "/study/reflections/{id}/similar", xinlu.PermSignedIn, a.handle(a.similarReflections)},
	}
}

// CampaignJSON is a study campaign as the API shows it.
type CampaignJSON struct {
	ID            int64                `json:"id"`
	Title         string               `json:"campaign_title"`
	Theme         string               `json:"theme"`
	SourceText    string               `json:"source_text"`
	Audience      xinlu.Audience       `json:"audience"`
	DepartmentIDs []int64              `json:"department_ids"`
	MemberIDs     []int64              `json:"member_ids"`
	TeamIDs       []int64              `json:"team_ids"`
	ReviewerIDs   []int64              `json:"reviewer_ids"`
	OpensOn       string               `json:"opens_on"`
	ClosesOn      string               `json:"closes_on"`
	MinLength     int                  `json:"min_length"`
	Graded        bool                 `json:"graded"`
	Status        xinlu.CampaignStatus `json:"status"`
	Version       int                  `json:"version"`
	UpdatedAt     time.Time            `json:"updated_at"`
}

func campaignJSON(c *xinlu.Campaign) CampaignJSON {
	ids := func(v []int64) []int64 {
		if v == nil {
			return []int64{}
		}
		return v
	}
	return CampaignJSON{ID: c.ID, Title: c.Title, Theme: c.Theme, SourceText: c.SourceText, Audience: c.Audience,
		DepartmentIDs: ids(c.DepartmentIDs), MemberIDs: ids(c.MemberIDs), TeamIDs: ids(c.TeamIDs), ReviewerIDs: ids(c.ReviewerIDs),
		OpensOn: c.OpensOn, ClosesOn: c.ClosesOn, MinLength: c.MinLength, Graded: c.Graded, Status: c.Status,
		Version: c.Version, UpdatedAt: c.UpdatedAt}
}

// campaignInput is the body of POST and PUT /study/campaigns.
type campaignInput struct {
	Version       *int           `json:"version"`
	Title         string         `json:"campaign_title"`
	Theme         string         `json:"theme"`
	SourceText    string         `json:"source_text"`
	Audience      xinlu.Audience `json:"audience"`
	DepartmentIDs []int64        `json:"department_ids"`
	MemberIDs     []int64        `json:"member_ids"`
	TeamIDs       []int64        `json:"team_ids"`
	ReviewerIDs   []int64        `json:"reviewer_ids"`
	OpensOn       string         `json:"opens_on"`
	ClosesOn      string         `json:"closes_on"`
	MinLength     int            `json:"min_length"`
	Graded        bool           `json:"graded"`
}

func (in *campaignInput) campaign(id int64) *xinlu.Campaign {
	return &xinlu.Campaign{ID: id, Title: in.Title, Theme: in.Theme, SourceText: in.SourceText, Audience: in.Audience,
		DepartmentIDs: in.DepartmentIDs, MemberIDs: in.MemberIDs, TeamIDs: in.TeamIDs, ReviewerIDs: in.ReviewerIDs,
		OpensOn: in.OpensOn, ClosesOn: in.ClosesOn, MinLength: in.MinLength, Graded: in.Graded}
}

func (a *API) listCampaigns(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.store.Campaigns(r.Context(), user(r))
	if err != nil {
		return err
	}
	out := make([]CampaignJSON, len(cs))
	for i, c := range cs {
		out[i] = campaignJSON(c)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) createCampaign(w http.ResponseWriter, r *http.Request) error {
	var in campaignInput
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := a.store.SaveCampaign(r.Context(), actor(r), user(r), in.campaign(0), 0)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, campaignJSON(c))
	return nil
}

func (a *API) getCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.store.Campaign(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, campaignJSON(c))
	return nil
}

func (a *API) updateCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, err := a.store.Campaign(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	j := campaignJSON(old)
	in := campaignInput{Title: j.Title, Theme: j.Theme, SourceText: j.SourceText, Audience: j.Audience,
		DepartmentIDs: j.DepartmentIDs, MemberIDs: j.MemberIDs, TeamIDs: j.TeamIDs, ReviewerIDs: j.ReviewerIDs, OpensOn: j.OpensOn,
		ClosesOn: j.ClosesOn, MinLength: j.MinLength, Graded: j.Graded}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	c, err := a.store.SaveCampaign(r.Context(), actor(r), user(r), in.campaign(id), v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, campaignJSON(c))
	return nil
}

// versionInput is the body of an action that only names the version.
type versionInput struct {
	Version *int `json:"version"`
}

func (a *API) stepCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in versionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	c, err := a.store.CampaignAction(r.Context(), actor(r), user(r), id, v, xinlu.CampaignAction(r.PathValue("action")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, campaignJSON(c))
	return nil
}

// ReflectionJSON is a reflection as the API shows it.
type ReflectionJSON struct {
	ID             int64                  `json:"id"`
	CampaignID     int64                  `json:"campaign_id"`
	CampaignTitle  string                 `json:"campaign_title"`
	MemberID       int64                  `json:"member_id"`
	MemberName     string                 `json:"member_name"`
	DepartmentID   int64                  `json:"department_id"`
	DepartmentName string                 `json:"department_name"`
	Body           string                 `json:"body"`
	Length         int                    `json:"length"`
	Status         xinlu.ReflectionStatus `json:"status"`
	Late           bool                   `json:"late"`
	SubmittedOn    string                 `json:"submitted_on"`
	ReviewComment  string                 `json:"comment"`
	Grade          xinlu.Grade            `json:"review_grade"`
	Excellent      bool                   `json:"excellent"`
	ReviewerName   string                 `json:"reviewer_name"`
	Version        int                    `json:"version"`
	UpdatedAt      time.Time              `json:"updated_at"`
	// File is the file the reflection was handed in as (GET of one
	// reflection only).
	File *StudyFileJSON `json:"file,omitempty"`
}

func reflectionJSON(x *xinlu.Reflection) ReflectionJSON {
	return ReflectionJSON{ID: x.ID, CampaignID: x.CampaignID, CampaignTitle: x.CampaignTitle, MemberID: x.MemberID,
		MemberName: x.MemberName, DepartmentID: x.DepartmentID, DepartmentName: x.DepartmentName, Body: x.Body,
		Length: xinlu.ReflectionLength(x.Body), Status: x.Status, Late: x.Late, SubmittedOn: x.SubmittedOn,
		ReviewComment: x.ReviewComment, Grade: x.Grade, Excellent: x.Excellent, ReviewerName: x.ReviewerName, Version: x.Version, UpdatedAt: x.UpdatedAt}
}

func (a *API) listReflections(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rs, err := a.store.CampaignReflections(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	out := make([]ReflectionJSON, len(rs))
	for i, x := range rs {
		out[i] = reflectionJSON(x)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

// reflectionInput is the body of POST /study/campaigns/{id}/reflections:
// the caller's own text, version 0 (or none) for a first draft.
type reflectionInput struct {
	Version int    `json:"version"`
	Body    string `json:"body"`
}

func (a *API) saveReflection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in reflectionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.store.SaveReflection(r.Context(), actor(r), user(r), id, in.Version, in.Body)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if in.Version == 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, reflectionJSON(x))
	return nil
}

func (a *API) getReflection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, _, err := a.store.Reflection(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	out := reflectionJSON(x)
	f, err := a.store.ReflectionFile(r.Context(), x)
	if err != nil {
		return err
	}
	if f != nil {
		j := studyFileJSON(f)
		out.File = &j
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// reviewInput is the body of POST /study/reflections/{id}/{action}.
type reviewInput struct {
	Version *int        `json:"version"`
	Comment string      `json:"comment"`
	Grade   xinlu.Grade `json:"review_grade"`
}

func (a *API) stepReflection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in reviewInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	var x *xinlu.Reflection
	switch action := r.PathValue("action"); action {
	case "submit":
		x, err = a.store.SubmitReflection(r.Context(), actor(r), user(r), id, v)
	case "excellent", "ordinary":
		x, err = a.store.PickExcellent(r.Context(), actor(r), user(r), id, v, action == "excellent")
	default:
		x, err = a.store.ReviewReflection(r.Context(), actor(r), user(r), id, v,
			xinlu.Review{Action: xinlu.ReviewAction(action), Comment: in.Comment, Grade: in.Grade})
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, reflectionJSON(x))
	return nil
}

// SimilarJSON is one text a reflection overlaps.
type SimilarJSON struct {
	Kind          xinlu.SimilarKind  `json:"kind"`
	ID            int64              `json:"id"`
	Label         string             `json:"label"`
	MemberID      int64              `json:"member_id,omitempty"`
	Percent       int                `json:"percent"`
	Level         xinlu.SimilarLevel `json:"level"`
	Longest       int                `json:"longest"`
	LongestText   string             `json:"longest_text"`
	Passages      [][2]int           `json:"passages"`
	OtherPassages [][2]int           `json:"other_passages"`
}

func passagesJSON(ps []xinlu.Passage) [][2]int {
	out := make([][2]int, len(ps))
	for i, p := range ps {
		out[i] = [2]int{p.Start, p.End}
	}
	return out
}

func (a *API) similarReflections(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rep, err := a.store.SimilarReflections(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	st, err := a.store.StudySettings(r.Context(), rep.Reflection.ZoneID)
	if err != nil {
		return err
	}
	out := make([]SimilarJSON, len(rep.Matches))
	for i, m := range rep.Matches {
		out[i] = SimilarJSON{Kind: m.Kind, ID: m.ID, Label: m.Label, MemberID: m.MemberID, Percent: xinlu.SimilarPercent(m.Score), Level: st.Level(m.Score),
			Longest: m.Longest, LongestText: m.LongestText, Passages: passagesJSON(m.Passages), OtherPassages: passagesJSON(m.OtherPassages)}
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

// CompletionJSON is a campaign's completion.
type CompletionJSON struct {
	CampaignID  int64                      `json:"campaign_id"`
	Departments []DepartmentCompletionJSON `json:"departments"`
	Total       DepartmentCompletionJSON   `json:"total"`
	Members     []MemberCompletionJSON     `json:"members"`
}

// DepartmentCompletionJSON counts one department.
type DepartmentCompletionJSON struct {
	DepartmentID   int64  `json:"department_id,omitempty"`
	DepartmentName string `json:"department_name,omitempty"`
	Asked          int    `json:"asked"`
	OnTime         int    `json:"on_time"`
	Late           int    `json:"late"`
	Missing        int    `json:"missing"`
	Returned       int    `json:"returned"`
	Pending        int    `json:"pending"`
	Accepted       int    `json:"accepted"`
}

// MemberCompletionJSON is one member's standing.
type MemberCompletionJSON struct {
	MemberID       int64                 `json:"member_id"`
	Name           string                `json:"name"`
	DepartmentName string                `json:"department_name"`
	State          xinlu.CompletionState `json:"state"`
	Late           bool                  `json:"late"`
	Overdue        bool                  `json:"overdue"`
	ReflectionID   int64                 `json:"reflection_id,omitempty"`
	Grade          xinlu.Grade           `json:"review_grade,omitempty"`
}

func deptCompletionJSON(d xinlu.DepartmentCompletion) DepartmentCompletionJSON {
	return DepartmentCompletionJSON{DepartmentID: d.DepartmentID, DepartmentName: d.DepartmentName, Asked: d.Asked,
		OnTime: d.OnTime, Late: d.Late, Missing: d.Missing, Returned: d.Returned, Pending: d.Pending, Accepted: d.Accepted}
}

func (a *API) campaignCompletion(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, comp, err := a.store.StudyCompletion(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	out := CompletionJSON{CampaignID: c.ID, Total: deptCompletionJSON(comp.Total),
		Departments: []DepartmentCompletionJSON{}, Members: []MemberCompletionJSON{}}
	for _, d := range comp.Departments {
		out.Departments = append(out.Departments, deptCompletionJSON(d))
	}
	for _, m := range comp.Members {
		out.Members = append(out.Members, MemberCompletionJSON{MemberID: m.MemberID, Name: m.Name, DepartmentName: m.DepartmentName,
			State: m.State, Late: m.Late, Overdue: m.Overdue, ReflectionID: m.ReflectionID, Grade: m.Grade})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// StudyFileJSON is a kept file, without its bytes. text_length 0: no text
// could be read from it (a scan).
type StudyFileJSON struct {
	ID           int64     `json:"id"`
	CampaignID   int64     `json:"campaign_id"`
	ReflectionID int64     `json:"reflection_id,omitempty"`
	Name         string    `json:"name"`
	ContentType  string    `json:"content_type"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"`
	TextLength   int       `json:"text_length"`
	CreatedAt    time.Time `json:"created_at"`
}

func studyFileJSON(f *xinlu.StudyFile) StudyFileJSON {
	return StudyFileJSON{ID: f.ID, CampaignID: f.CampaignID, ReflectionID: f.ReflectionID, Name: f.Name, ContentType: f.ContentType,
		Size: f.Size, SHA256: f.SHA256, TextLength: f.TextLength, CreatedAt: f.CreatedAt}
}

// studyUpload reads the one file part "file" of a multipart body and its
// text.
func studyUpload(w http.ResponseWriter, r *http.Request) (xinlu.StudyFileUpload, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return xinlu.StudyFileUpload{}, xinlu.Invalid("file", "leads.multipart_required")
	}
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

// ReflectionUploadJSON answers an uploaded reflection: the reflection
// (its text read from the file) and the file kept.
type ReflectionUploadJSON struct {
	Reflection ReflectionJSON `json:"reflection"`
	File       StudyFileJSON  `json:"file"`
}

func (a *API) uploadReflection(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	up, err := studyUpload(w, r)
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	x, f, err := a.store.UploadReflection(r.Context(), actor(r), user(r), id, version, up)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ReflectionUploadJSON{Reflection: reflectionJSON(x), File: studyFileJSON(f)})
	return nil
}

// formVersion reads the multipart form's version: 0 (or none) for a first
// draft.
func formVersion(r *http.Request) (int, error) {
	v := strings.TrimSpace(r.FormValue("version"))
	if v == "" {
		return 0, nil
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' || n > 1<<24 {
			return 0, xinlu.Invalid("version", "error.number")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

func (a *API) listMaterials(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fs, err := a.store.CampaignMaterials(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	out := make([]StudyFileJSON, len(fs))
	for i, f := range fs {
		out[i] = studyFileJSON(f)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) addMaterial(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	up, err := studyUpload(w, r)
	if err != nil {
		return err
	}
	f, err := a.store.AddCampaignMaterial(r.Context(), actor(r), user(r), id, up)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, studyFileJSON(f))
	return nil
}

func (a *API) deleteMaterial(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	file, err := pathID(r, "file")
	if err != nil {
		return err
	}
	if err := a.store.DeleteCampaignMaterial(r.Context(), actor(r), user(r), id, file); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) downloadStudyFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, data, err := a.store.StudyFileData(r.Context(), actor(r), user(r), id)
	if err != nil {
		return err
	}
	httpx.WriteLeadFile(w, &xinlu.LeadFile{Name: f.Name, ContentType: f.ContentType}, data)
	return nil
}

// AttendanceJSON is one member's attendance at a session.
type AttendanceJSON struct {
	MemberID int64                  `json:"member_id"`
	Name     string                 `json:"name,omitempty"`
	Status   xinlu.AttendanceStatus `json:"status"`
	Reason   string                 `json:"reason,omitempty"`
}

// StudySessionJSON is a discussion session as the API shows it.
type StudySessionJSON struct {
	ID             int64            `json:"id"`
	CampaignID     int64            `json:"campaign_id"`
	DepartmentID   int64            `json:"department_id"`
	DepartmentName string           `json:"department_name"`
	HeldOn         string           `json:"held_on"`
	Place          string           `json:"place"`
	ChairID        int64            `json:"chair_id"`
	ChairName      string           `json:"chair_name"`
	Minutes        string           `json:"minutes"`
	SpeakerIDs     []int64          `json:"speaker_ids"`
	Attendance     []AttendanceJSON `json:"attendance"`
	Present        int              `json:"present"`
	Leave          int              `json:"leave"`
	Absent         int              `json:"absent"`
	Version        int              `json:"version"`
	UpdatedAt      time.Time        `json:"updated_at"`
}

func sessionJSON(ss *xinlu.StudySession) StudySessionJSON {
	out := StudySessionJSON{ID: ss.ID, CampaignID: ss.CampaignID, DepartmentID: ss.DepartmentID, DepartmentName: ss.DepartmentName,
		HeldOn: ss.HeldOn, Place: ss.Place, ChairID: ss.ChairID, ChairName: ss.ChairName, Minutes: ss.Minutes,
		SpeakerIDs: ss.SpeakerIDs, Attendance: []AttendanceJSON{}, Present: ss.Count(xinlu.AttendPresent),
		Leave: ss.Count(xinlu.AttendLeave), Absent: ss.Count(xinlu.AttendAbsent), Version: ss.Version, UpdatedAt: ss.UpdatedAt}
	if out.SpeakerIDs == nil {
		out.SpeakerIDs = []int64{}
	}
	for _, at := range ss.Attendance {
		out.Attendance = append(out.Attendance, AttendanceJSON{MemberID: at.MemberID, Name: at.Name, Status: at.Status, Reason: at.Reason})
	}
	return out
}

// sessionInput is the body of POST /study/campaigns/{id}/sessions and
// PUT /study/sessions/{id}.
type sessionInput struct {
	Version      *int             `json:"version"`
	DepartmentID int64            `json:"department_id"`
	HeldOn       string           `json:"held_on"`
	Place        string           `json:"place"`
	ChairID      int64            `json:"chair_id"`
	Minutes      string           `json:"minutes"`
	SpeakerIDs   []int64          `json:"speaker_ids"`
	Attendance   []AttendanceJSON `json:"attendance"`
}

func (in *sessionInput) session(id int64) *xinlu.StudySession {
	ss := &xinlu.StudySession{ID: id, DepartmentID: in.DepartmentID, HeldOn: in.HeldOn, Place: in.Place, ChairID: in.ChairID,
		Minutes: in.Minutes, SpeakerIDs: in.SpeakerIDs}
	for _, at := range in.Attendance {
		ss.Attendance = append(ss.Attendance, xinlu.Attendance{MemberID: at.MemberID, Status: at.Status, Reason: at.Reason})
	}
	return ss
}

func (a *API) listStudySessions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, ss, err := a.store.StudySessions(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	out := make([]StudySessionJSON, len(ss))
	for i, x := range ss {
		out[i] = sessionJSON(x)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) createStudySession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in sessionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	ss, err := a.store.SaveStudySession(r.Context(), actor(r), user(r), id, in.session(0), 0)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sessionJSON(ss))
	return nil
}

func (a *API) getStudySession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ss, _, err := a.store.StudySession(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sessionJSON(ss))
	return nil
}

// updateStudySession changes a session: fields left out keep their values; the
// attendance, when given, is the whole attendance.
func (a *API) updateStudySession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	old, _, err := a.store.StudySession(r.Context(), user(r), id)
	if err != nil {
		return err
	}
	j := sessionJSON(old)
	in := sessionInput{DepartmentID: j.DepartmentID, HeldOn: j.HeldOn, Place: j.Place, ChairID: j.ChairID, Minutes: j.Minutes,
		SpeakerIDs: j.SpeakerIDs, Attendance: j.Attendance}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	ss, err := a.store.SaveStudySession(r.Context(), actor(r), user(r), old.CampaignID, in.session(id), v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sessionJSON(ss))
	return nil
}

// StudySettingsJSON is a zone's study settings. excellent_points is in
// points (2.5 is two and a half).
type StudySettingsJSON struct {
	WarnPercent     int       `json:"warn_percent"`
	FlagPercent     int       `json:"flag_percent"`
	ExcellentPoints float64   `json:"excellent_points"`
	Version         int       `json:"version"`
	UpdatedAt       time.Time `json:"updated_at,omitzero"`
}

func studySettingsJSON(st xinlu.StudySettings) StudySettingsJSON {
	return StudySettingsJSON{WarnPercent: st.WarnPercent, FlagPercent: st.FlagPercent, ExcellentPoints: float64(st.ExcellentPoints) / 100,
		Version: st.Version, UpdatedAt: st.UpdatedAt}
}

func (a *API) getStudySettings(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	if err := xinlu.CheckStudySettingsEdit(u); err != nil {
		return err
	}
	st, err := a.store.StudySettings(r.Context(), u.ZoneID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, studySettingsJSON(st))
	return nil
}

// studySettingsInput is the body of PUT /study/settings: fields left out
// keep their values.
type studySettingsInput struct {
	Version         *int    `json:"version"`
	WarnPercent     int     `json:"warn_percent"`
	FlagPercent     int     `json:"flag_percent"`
	ExcellentPoints float64 `json:"excellent_points"`
}

func (a *API) putStudySettings(w http.ResponseWriter, r *http.Request) error {
	u := user(r)
	if err := xinlu.CheckStudySettingsEdit(u); err != nil {
		return err
	}
	old, err := a.store.StudySettings(r.Context(), u.ZoneID)
	if err != nil {
		return err
	}
	in := studySettingsInput{WarnPercent: old.WarnPercent, FlagPercent: old.FlagPercent, ExcellentPoints: float64(old.ExcellentPoints) / 100}
	if err := decodeOver(r, &in); err != nil {
		return err
	}
	v, err := requireVersion(in.Version)
	if err != nil {
		return err
	}
	points := max(min(in.ExcellentPoints, 1e9), -1e9) * 100
	st := xinlu.StudySettings{WarnPercent: in.WarnPercent, FlagPercent: in.FlagPercent, ExcellentPoints: int64(math.Round(points)), Version: v}
	if err := a.store.SaveStudySettings(r.Context(), actor(r), u, &st); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, studySettingsJSON(st))
	return nil
}

func (a *API) deleteStudySession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.DeleteStudySession(r.Context(), actor(r), user(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
