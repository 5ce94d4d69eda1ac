package web

import (
	"net/http"
	"strconv"
	"strings"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (s *Server) teamRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/teams", Perm: xinlu.PermOrgView, Handler: s.teamList},
		{Method: "GET", Pattern: "/teams/new", Perm: xinlu.PermOrgManage, Handler: s.teamNew},
		{Method: "POST", Pattern: "/teams", Perm: xinlu.PermOrgManage, Handler: s.teamCreate},
		{Method: "GET", Pattern: "/teams/{id}", Perm: xinlu.PermOrgView, Handler: s.teamShow},
		{Method: "GET", Pattern: "/teams/{id}/edit", Perm: xinlu.PermOrgManage, Handler: s.teamEdit},
		{Method: "POST", Pattern: "/teams/{id}", Perm: xinlu.PermOrgManage, Handler: s.teamUpdate},
		{Method: "POST", Pattern: "/teams/{id}/delete", Perm: xinlu.PermOrgManage, Handler: s.deleter(s.store.DeleteTeam, "/teams")},
		{Method: "POST", Pattern: "/teams/{id}/members", Perm: xinlu.PermOrgManage, Handler: s.teamMemberAdd},
		{Method: "POST", Pattern: "/teams/{id}/members/{member_id}/lead", Perm: xinlu.PermOrgManage, Handler: s.teamMemberLead},
		{Method: "POST", Pattern: "/teams/{id}/members/{member_id}/delete", Perm: xinlu.PermOrgManage, Handler: s.teamMemberRemove},
	}
}

func teamPath(id int64) string { return "/teams/" + strconv.FormatInt(id, 10) }

type teamListView struct {
	Query   string
	Kind    xinlu.TeamKind
	Kinds   []xinlu.TeamKind
	Items   []*xinlu.Team
	Pager   pager
	CanEdit bool
}

func (s *Server) teamList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	q := r.URL.Query().Get("q")
	kind := xinlu.TeamKind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = ""
	}
	items, total, err := s.store.ListTeams(r.Context(), store.TeamFilter{ZoneID: u.ZoneID, Query: q, Kind: kind, Page: p})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "teams", s.printer(r).T("team.title"), teamListView{
		Query: q, Kind: kind, Kinds: xinlu.TeamKinds, Items: items, Pager: newPager(r, p, total),
		CanEdit: u.Can(xinlu.PermOrgManage)})
}

type teamFormView struct {
	T     *xinlu.Team
	Kinds []xinlu.TeamKind
	Err   error
}

func (s *Server) teamForm(w http.ResponseWriter, r *http.Request, status int, t *xinlu.Team, err error) {
	title := "team.new"
	if t.ID != 0 {
		title = "team.edit"
	}
	s.render(w, r, status, "team_form", s.printer(r).T(title), teamFormView{T: t, Kinds: xinlu.TeamKinds, Err: err})
}

func (s *Server) teamNew(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	kind := xinlu.TeamKind(r.URL.Query().Get("kind"))
	if !kind.Valid() {
		kind = ""
	}
	s.teamForm(w, r, http.StatusOK, &xinlu.Team{ZoneID: u.ZoneID, Kind: kind}, nil)
}

// teamFromForm parses the form; a bad version comes back as a field error.
func teamFromForm(r *http.Request, t *xinlu.Team) error {
	t.Kind = xinlu.TeamKind(r.PostFormValue("kind"))
	t.Name, t.Description = r.PostFormValue("name"), r.PostFormValue("description")
	var errs xinlu.FieldErrors
	t.Version = intField(r, &errs, "version")
	return withValidation(errs, func() error { c := *t; return c.Validate() })
}

func (s *Server) teamCreate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	t := &xinlu.Team{ZoneID: info.user.ZoneID}
	err := teamFromForm(r, t)
	if err == nil {
		err = s.store.CreateTeam(r.Context(), xinlu.ActorOf(info.user, info.ip), t)
	}
	if err != nil {
		if isFormError(err) {
			t.ID = 0
			s.teamForm(w, r, statusOf(err), t, err)
			return
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.created")
	redirect(w, r, teamPath(t.ID)) // straight on to adding members
}

func (s *Server) teamEdit(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	t, err := s.store.TeamByID(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.teamForm(w, r, http.StatusOK, t, nil)
}

func (s *Server) teamUpdate(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	t := &xinlu.Team{ID: id, ZoneID: info.user.ZoneID}
	err = teamFromForm(r, t)
	if err == nil {
		err = s.store.UpdateTeam(r.Context(), xinlu.ActorOf(info.user, info.ip), t)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.teamForm(w, r, status, t, err)
	}, "flash.updated", teamPath(id))
}

// teamShowView is a team's page: its members and, for those who may change
// it, the form to add one.
type teamShowView struct {
	T       *xinlu.Team
	Members []*xinlu.TeamMember
	Choices []store.MemberChoice
	Add     xinlu.TeamMember // the add form as last submitted
	Err     error            // the add form's error
	CanEdit bool
}

func (s *Server) teamPage(w http.ResponseWriter, r *http.Request, status int, id int64, add xinlu.TeamMember, formErr error) {
	u := requestInfo(r.Context()).user
	t, err := s.store.TeamByID(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	members, err := s.store.TeamMembers(r.Context(), u.ZoneID, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := teamShowView{T: t, Members: members, Add: add, Err: formErr, CanEdit: u.Can(xinlu.PermOrgManage)}
	if v.CanEdit {
		if v.Choices, err = s.store.TeamMemberChoices(r.Context(), u.ZoneID, id); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	s.render(w, r, status, "team_show", t.Name, v)
}

func (s *Server) teamShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.teamPage(w, r, http.StatusOK, id, xinlu.TeamMember{}, nil)
}

// isLeadFromForm reads the is_lead checkbox ("on") or hidden 1/0 field.
func isLeadFromForm(r *http.Request) bool {
	switch strings.ToLower(strings.TrimSpace(r.PostFormValue("is_lead"))) {
	case "on", "1", "true":
		return true
	}
	return false
}

func (s *Server) teamMemberAdd(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	tm := xinlu.TeamMember{TeamID: id, IsLead: isLeadFromForm(r)}
	tm.MemberID, err = formInt64(r, "member_id")
	if err == nil {
		err = s.store.AddTeamMember(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, &tm)
	}
	s.afterSave(w, r, err, func(status int, err error) {
		s.teamPage(w, r, status, id, tm, err)
	}, "flash.created", teamPath(id))
}

func (s *Server) teamMemberLead(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	memberID, err := pathID(r, "member_id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	tm := &xinlu.TeamMember{TeamID: id, MemberID: memberID, IsLead: isLeadFromForm(r)}
	if err := s.store.SetTeamLead(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, tm); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.updated")
	redirect(w, r, teamPath(id))
}

func (s *Server) teamMemberRemove(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	memberID, err := pathID(r, "member_id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.store.RemoveTeamMember(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user.ZoneID, id, memberID); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.deleted")
	redirect(w, r, teamPath(id))
}
