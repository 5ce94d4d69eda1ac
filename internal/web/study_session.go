package web

import (
	"net/http"
	"strconv"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// Discussion sessions (专题讨论, 座谈会) of a study campaign: listed on the
// campaign's page; the office records them for any department, a head for
// their own, on one form with a row per member of the department for the
// attendance and whether they spoke.
func (s *Server) studySessionRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/study/campaigns/{id}/sessions/new", Perm: xinlu.PermSignedIn, Handler: s.studySessionNew},
		{Method: "POST", Pattern: "/study/campaigns/{id}/sessions", Perm: xinlu.PermSignedIn, Handler: s.studySessionCreate},
		{Method: "GET", Pattern: "/study/campaigns/{id}/sessions.xlsx", Perm: xinlu.PermSignedIn, Handler: s.studySessionExport},
		{Method: "GET", Pattern: "/study/sessions/{id}", Perm: xinlu.PermSignedIn, Handler: s.studySessionShow},
		{Method: "POST", Pattern: "/study/sessions/{id}", Perm: xinlu.PermSignedIn, Handler: s.studySessionUpdate},
		{Method: "POST", Pattern: "/study/sessions/{id}/delete", Perm: xinlu.PermSignedIn, Handler: s.studySessionDelete},
	}
}

// canRecordSessions reports whether u may record a session of some
// department in c: the office, or a head for their own department.
func canRecordSessions(u *xinlu.User, c *xinlu.Campaign) bool {
	return xinlu.CheckSessionEdit(u, c, u.DepartmentID) == nil
}

type studySessionView struct {
	C           *xinlu.Campaign
	S           *xinlu.StudySession
	Members     []xinlu.StudyMember // the department's members in the campaign
	Departments []choice            // when the department is still to pick
	Chairs      []choice
	Statuses    []xinlu.AttendanceStatus
	Edit        bool
	Err         error
}

// attendance returns the row of member m in v.S, present by default on a
// new session.
func (v studySessionView) Attendance(m int64) xinlu.Attendance {
	for _, a := range v.S.Attendance {
		if a.MemberID == m {
			return a
		}
	}
	if v.S.ID == 0 {
		return xinlu.Attendance{MemberID: m, Status: xinlu.AttendPresent}
	}
	return xinlu.Attendance{MemberID: m, Status: xinlu.AttendAbsent}
}

// Spoke reports whether member m is among the speakers.
func (v studySessionView) Spoke(m int64) bool {
	for _, id := range v.S.SpeakerIDs {
		if id == m {
			return true
		}
	}
	return false
}

func (s *Server) studySessionPage(w http.ResponseWriter, r *http.Request, status int, c *xinlu.Campaign, ss *xinlu.StudySession, formErr error) {
	u := requestInfo(r.Context()).user
	v := studySessionView{C: c, S: ss, Statuses: xinlu.AttendanceStatuses, Err: formErr}
	p := s.printer(r)
	title := p.T("study.session_new_title")
	if ss.ID != 0 {
		title = p.T("study.session_title", ss.DepartmentName)
	}
	if ss.DepartmentID == 0 {
		ds, _, _ := s.store.ListDepartments(r.Context(), store.DepartmentFilter{ZoneID: u.ZoneID, Page: xinlu.Page{PerPage: xinlu.MaxPerPage}})
		for _, d := range ds {
			if xinlu.CheckSessionEdit(u, c, d.ID) == nil {
				v.Departments = append(v.Departments, choice{ID: d.ID, Name: d.Name})
			}
		}
		s.render(w, r, status, "study_session", title, v)
		return
	}
	v.Edit = xinlu.CheckSessionEdit(u, c, ss.DepartmentID) == nil
	members, err := s.store.SessionMembers(r.Context(), c, ss.DepartmentID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Members = members
	if v.Edit {
		v.Chairs = s.memberChoices(r, xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: u.ZoneID})
	}
	s.render(w, r, status, "study_session", title, v)
}

func (s *Server) studySessionNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.store.Campaign(r.Context(), u, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := xinlu.CheckSessionEdit(u, c, u.DepartmentID); err != nil {
		s.renderError(w, r, err)
		return
	}
	ss := &xinlu.StudySession{HeldOn: s.today().Format(xinlu.DateLayout)}
	if d, err := strconv.ParseInt(r.URL.Query().Get("department_id"), 10, 64); err == nil && d > 0 {
		if err := xinlu.CheckSessionEdit(u, c, d); err != nil {
			s.renderError(w, r, err)
			return
		}
		ss.DepartmentID = d
	} else if !u.Can(xinlu.PermStudyManage) {
		ss.DepartmentID = u.DepartmentID // a head records their own department's
	}
	s.studySessionPage(w, r, http.StatusOK, c, ss, nil)
}

// sessionFromForm reads the session form over ss: the attendance of each
// member listed in the form (attendance_<id>, reason_<id>), the speakers.
func sessionFromForm(r *http.Request, ss *xinlu.StudySession) error {
	r.ParseForm()
	ss.HeldOn, ss.Place, ss.Minutes = r.PostFormValue("held_on"), r.PostFormValue("place"), r.PostFormValue("minutes")
	ss.SpeakerIDs = formIDs(r, "speaker_ids")
	ss.Attendance = nil
	for _, id := range formIDs(r, "member_ids") {
		key := strconv.FormatInt(id, 10)
		ss.Attendance = append(ss.Attendance, xinlu.Attendance{MemberID: id,
			Status: xinlu.AttendanceStatus(r.PostFormValue("attendance_" + key)), Reason: r.PostFormValue("reason_" + key)})
	}
	chair, err := formInt64(r, "chair_id")
	ss.ChairID = chair
	if err != nil {
		ss.ChairID = 0
	}
	return nil
}

func (s *Server) saveSessionForm(w http.ResponseWriter, r *http.Request, c *xinlu.Campaign, ss *xinlu.StudySession, version int) {
	info := requestInfo(r.Context())
	sessionFromForm(r, ss)
	typed := *ss
	saved, err := s.store.SaveStudySession(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, c.ID, ss, version)
	if err != nil {
		if isFormError(err) {
			s.studySessionPage(w, r, statusOf(err), c, &typed, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	if version == 0 {
		s.flash(w, "flash.study.session")
	} else {
		s.flash(w, "flash.updated")
	}
	redirect(w, r, "/study/sessions/"+strconv.FormatInt(saved.ID, 10))
}

func (s *Server) studySessionCreate(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	c, err := s.store.Campaign(r.Context(), u, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	dept, err := formInt64(r, "department_id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.saveSessionForm(w, r, c, &xinlu.StudySession{DepartmentID: dept}, 0)
}

func (s *Server) studySessionShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	ss, c, err := s.store.StudySession(r.Context(), requestInfo(r.Context()).user, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.studySessionPage(w, r, http.StatusOK, c, ss, nil)
}

func (s *Server) studySessionUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	old, c, err := s.store.StudySession(r.Context(), requestInfo(r.Context()).user, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	version, err := formInt(r, "version")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	ss := *old
	s.saveSessionForm(w, r, c, &ss, version)
}

func (s *Server) studySessionExport(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rep, err := report.StudySessionRegister(r.Context(), s.store, s.printer(r), info.user, id, s.today())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendReport(w, r, rep, "study.sessions.export", "study_campaign", id, nil, "study-sessions-"+strconv.FormatInt(id, 10)+".xlsx")
}

// studySessionDelete deletes a session recorded by mistake and goes back
// to the campaign's sessions.
func (s *Server) studySessionDelete(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	ss, _, err := s.store.StudySession(r.Context(), info.user, id)
	if err == nil {
		err = s.store.DeleteStudySession(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.deleted")
	redirect(w, r, "/study/campaigns/"+strconv.FormatInt(ss.CampaignID, 10)+"#sessions")
}
