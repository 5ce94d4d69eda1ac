package web

import (
	"net/http"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The security administrator's pages: live sessions and alarms.
func (s *Server) securityRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/security/sessions", Perm: xinlu.PermSecurityManage, Handler: s.sessionList},
		{Method: "POST", Pattern: "/security/sessions/{id}/end", Perm: xinlu.PermSecurityManage, Handler: s.sessionEnd},
		{Method: "POST", Pattern: "/security/users/{id}/end-sessions", Perm: xinlu.PermSecurityManage, Handler: s.userSessionsEnd},
		{Method: "GET", Pattern: "/security/alarms", Perm: xinlu.PermSecurityManage, Handler: s.alarmList},
		{Method: "POST", Pattern: "/security/alarms/{id}/ack", Perm: xinlu.PermSecurityManage, Handler: s.alarmAck},
	}
}

type sessionListView struct {
	Items []store.SessionInfo
	Pager pager
	Self  int64 // the viewer's own user id
}

func (s *Server) sessionList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	items, total, err := s.store.ListSessions(r.Context(), store.SessionFilter{ZoneID: u.ZoneID, Page: p})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "security_sessions", s.printer(r).T("nav.sessions"),
		sessionListView{Items: items, Pager: newPager(r, p, total), Self: u.ID})
}

func (s *Server) sessionEnd(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err == nil {
		err = s.store.EndSession(r.Context(), xinlu.ActorOf(info.user, info.ip), id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.session_ended")
	redirect(w, r, "/security/sessions")
}

func (s *Server) userSessionsEnd(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err == nil {
		_, err = s.store.EndUserSessions(r.Context(), xinlu.ActorOf(info.user, info.ip), id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.session_ended")
	redirect(w, r, "/security/sessions")
}

type alarmListView struct {
	All   bool
	Items []store.Alarm
	Pager pager
}

func (s *Server) alarmList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	all := r.URL.Query().Get("all") == "1"
	items, total, err := s.store.ListAlarms(r.Context(), store.AlarmFilter{ZoneID: u.ZoneID, Open: !all, Page: p})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "security_alarms", s.printer(r).T("nav.alarms"), alarmListView{All: all, Items: items, Pager: newPager(r, p, total)})
}

func (s *Server) alarmAck(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	id, err := pathID(r, "id")
	if err == nil {
		err = s.store.AcknowledgeAlarm(r.Context(), xinlu.ActorOf(info.user, info.ip), id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "flash.alarm_acknowledged")
	redirect(w, r, "/security/alarms")
}
