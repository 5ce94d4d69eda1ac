package web

import (
	"bytes"
	"net/http"
	"strconv"

	"xinlu/internal/docx"
	"xinlu/internal/httpx"
	"xinlu/internal/report"
	"xinlu/internal/xinlu"
)

// The monthly briefing (月度通报): a list of issued briefings with a month
// to draft, the document page (print and Word), and the director's issue.
func (s *Server) briefingRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/briefings", Perm: xinlu.PermBriefingView, Handler: s.briefingsPage},
		{Method: "GET", Pattern: "/briefings/draft", Perm: xinlu.PermBriefingView, Handler: s.briefingDraft},
		{Method: "GET", Pattern: "/briefings/draft/docx", Perm: xinlu.PermBriefingView, Handler: s.briefingDraftDocx},
		{Method: "POST", Pattern: "/briefings", Perm: xinlu.PermBriefingIssue, Handler: s.briefingIssue},
		{Method: "GET", Pattern: "/briefings/{id}", Perm: xinlu.PermBriefingView, Handler: s.briefingShow},
		{Method: "GET", Pattern: "/briefings/{id}/docx", Perm: xinlu.PermBriefingView, Handler: s.briefingDocx},
	}
}

type briefingsView struct {
	Month  string // the month to draft: last month by default
	Issued []*xinlu.Briefing
	Err    error
}

func (s *Server) briefingsPage(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	v := briefingsView{Month: s.today().AddDate(0, 0, -s.today().Day()).Format("2006-01")}
	list, err := s.store.Briefings(r.Context(), u.ZoneID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Issued = list
	s.render(w, r, http.StatusOK, "briefings", s.printer(r).T("briefing.title"), v)
}

type briefingView struct {
	Doc            *report.BriefingDoc
	CommentHeading string
	CanIssue       bool
	Comment        string
	Err            error
}

func (s *Server) briefingRender(w http.ResponseWriter, r *http.Request, status int, d *report.BriefingDoc, comment string, err error) {
	u := requestInfo(r.Context()).user
	v := briefingView{Doc: d, CommentHeading: d.CommentHeading(s.printer(r)), CanIssue: !d.Issued && u.Can(xinlu.PermBriefingIssue), Comment: comment, Err: err}
	s.render(w, r, status, "briefing", d.Title, v)
}

func (s *Server) briefingDraft(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	d, err := report.DraftBriefing(r.Context(), s.store, s.printer(r), u.ZoneID, r.URL.Query().Get("month"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Issued {
		redirect(w, r, "/briefings/"+strconv.FormatInt(d.ID, 10))
		return
	}
	s.briefingRender(w, r, http.StatusOK, d, "", nil)
}

func (s *Server) briefingShow(w http.ResponseWriter, r *http.Request) {
	d, err := s.issuedBriefing(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.briefingRender(w, r, http.StatusOK, d, "", nil)
}

func (s *Server) issuedBriefing(r *http.Request) (*report.BriefingDoc, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	b, err := s.store.BriefingByID(r.Context(), requestInfo(r.Context()).user.ZoneID, id)
	if err != nil {
		return nil, err
	}
	return report.IssuedBriefing(r.Context(), s.store, s.printer(r), b), nil
}

func (s *Server) briefingIssue(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	month, comment := r.PostFormValue("month"), r.PostFormValue("comment")
	b, err := s.store.IssueBriefing(r.Context(), xinlu.ActorOf(info.user, info.ip), info.user, month, comment)
	if err != nil {
		// A bad comment shows the draft again with the comment as typed;
		// a month that cannot be drafted, or is issued already, is an error page.
		if isFormError(err) {
			if d, derr := report.DraftBriefing(r.Context(), s.store, s.printer(r), info.user.ZoneID, month); derr == nil && !d.Issued {
				s.briefingRender(w, r, statusOf(err), d, comment, err)
				return
			}
		}
		s.renderError(w, r, err)
		return
	}
	s.flash(w, "briefing.issued_flash")
	redirect(w, r, "/briefings/"+strconv.FormatInt(b.ID, 10))
}

func (s *Server) briefingDraftDocx(w http.ResponseWriter, r *http.Request) {
	d, err := report.DraftBriefing(r.Context(), s.store, s.printer(r), requestInfo(r.Context()).user.ZoneID, r.URL.Query().Get("month"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendBriefing(w, r, d)
}

func (s *Server) briefingDocx(w http.ResponseWriter, r *http.Request) {
	d, err := s.issuedBriefing(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendBriefing(w, r, d)
}

// sendBriefing answers the briefing as a Word document (with the red head
// unless red_head=0), audited.
func (s *Server) sendBriefing(w http.ResponseWriter, r *http.Request, d *report.BriefingDoc) {
	info := requestInfo(r.Context())
	var buf bytes.Buffer
	if err := d.Docx(s.printer(r), r.URL.Query().Get("red_head") != "0").Write(&buf); err != nil {
		s.renderError(w, r, xinlu.Internal(err))
		return
	}
	if err := s.store.Audit(r.Context(), xinlu.ActorOf(info.user, info.ip), "briefing.export", "briefing", d.ID,
		map[string]any{"month": d.Month, "issued": d.Issued}); err != nil {
		s.renderError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", docx.ContentType)
	h.Set("Content-Disposition", httpx.AttachmentAs(d.Title+".docx", "briefing-"+d.Month+".docx"))
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
