package web

import (
	"fmt"
	"net/http"
	"time"

	"xinlu/internal/httpx"
	"xinlu/internal/xinlu"
	"xinlu/internal/xlsx"
)

func (s *Server) auditRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/audit", Perm: xinlu.PermAuditView, Handler: s.auditList},
		{Method: "GET", Pattern: "/audit/export.xlsx", Perm: xinlu.PermAuditView, Handler: s.auditExport},
	}
}

// auditFilterView echoes the filter fields back into the query bar.
type auditFilterView struct {
	Actor, Action, Entity, From, To string
}

type auditListView struct {
	F     auditFilterView
	Items []xinlu.AuditEntry
	Pager pager
	Err   error
}

// auditFilter reads the query bar; dates are days in Asia/Shanghai, To inclusive.
func auditFilter(r *http.Request, zoneID int64, s *Server) (xinlu.AuditFilter, auditFilterView, error) {
	q := r.URL.Query()
	v := auditFilterView{Actor: q.Get("actor"), Action: q.Get("action"), Entity: q.Get("entity"), From: q.Get("from"), To: q.Get("to")}
	f := xinlu.AuditFilter{ZoneID: zoneID, Action: v.Action, Entity: v.Entity}
	if v.Actor != "" {
		u, err := s.store.UserByUsername(r.Context(), v.Actor)
		if err != nil || u.ZoneID != zoneID {
			f.ActorID = -1 // nobody: an unknown actor matches no rows
		} else {
			f.ActorID = u.ID
		}
	}
	for _, d := range []struct {
		val   string
		field string
		dst   *time.Time
		plus  int
	}{{v.From, "from", &f.From, 0}, {v.To, "to", &f.To, 1}} {
		if d.val == "" {
			continue
		}
		t, err := time.ParseInLocation(xinlu.DateLayout, d.val, shanghai)
		if err != nil {
			return f, v, xinlu.Invalid(d.field, "error.date_format")
		}
		*d.dst = t.AddDate(0, 0, d.plus).UTC()
	}
	return f, v, nil
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	f, v, err := auditFilter(r, u.ZoneID, s)
	view := auditListView{F: v, Err: err}
	if err == nil {
		f.Page = pageFrom(r)
		var total int
		view.Items, total, err = s.store.ListAudit(r.Context(), f)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		view.Pager = newPager(r, f.Page.Normalize(), total)
	}
	status := http.StatusOK
	if view.Err != nil {
		status = statusOf(view.Err)
	}
	s.render(w, r, status, "audit", s.printer(r).T("nav.audit"), view)
}

// maxAuditExport bounds one export; narrow the filter for more.
const maxAuditExport = 50000

func (s *Server) auditExport(w http.ResponseWriter, r *http.Request) {
	info := requestInfo(r.Context())
	f, v, err := auditFilter(r, info.user.ZoneID, s)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.printer(r)
	rep := &xlsx.Report{Sheet: p.T("nav.audit"), Title: p.T("audit.export_title"), Date: s.today(),
		Columns: []xlsx.Column{
			{Header: "ID", Width: 8}, {Header: p.T("audit.at"), Width: 18}, {Header: p.T("field.actor"), Width: 12},
			{Header: p.T("field.action"), Width: 22}, {Header: p.T("field.entity"), Width: 12}, {Header: p.T("audit.entity_id"), Width: 8},
			{Header: p.T("field.ip"), Width: 14}, {Header: p.T("audit.before"), Width: 40}, {Header: p.T("audit.after"), Width: 40},
			{Header: p.T("audit.hash"), Width: 20},
		}}
	if z, err := s.store.ZoneByID(r.Context(), info.user.ZoneID); err == nil {
		rep.Unit = z.Name
	}
	rep.By = info.user.Name
	for page := 1; len(rep.Rows) < maxAuditExport; page++ {
		f.Page = xinlu.Page{Page: page, PerPage: xinlu.MaxPerPage}
		items, _, err := s.store.ListAudit(r.Context(), f)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		for _, e := range items {
			rep.Rows = append(rep.Rows, []any{fmt.Sprint(e.ID), e.At.In(shanghai).Format("2006-01-02 15:04:05"), e.ActorName,
				e.Action, e.Entity, fmt.Sprint(e.EntityID), e.IP, e.Before, e.After, e.Hash})
		}
		if len(items) < xinlu.MaxPerPage {
			break
		}
	}
	if err := s.store.Audit(r.Context(), xinlu.ActorOf(info.user, info.ip), "audit.export", "audit_log", 0,
		map[string]any{"filter": v, "rows": len(rep.Rows)}); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsx.ContentType)
	w.Header().Set("Content-Disposition", httpx.Attachment("audit-"+s.today().Format("20060102")+".xlsx"))
	w.Header().Set("Cache-Control", "no-store")
	if err := rep.Write(w); err != nil {
		s.log.Error("audit export", "err", err)
	}
}
