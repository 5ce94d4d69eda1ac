package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"xinlu/internal/httpx"
	"xinlu/internal/i18n"
	"xinlu/internal/store"
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
	F       auditFilterView
	Items   []auditRow
	Actions []auditActionGroup
	Pager   pager
	Err     error
}

// auditRow is one audit row as the page shows it: the record it is about
// named, and linked when the reader may open it.
type auditRow struct {
	xinlu.AuditEntry
	Subject string
	Link    string
}

// auditActionGroup is one module of the action filter.
type auditActionGroup struct {
	Module  string
	Actions []string
}

// auditLinks are the pages of the records the audit page links to, with
// the permission that opens them.
var auditLinks = map[string]struct {
	prefix string
	perm   xinlu.Permission
}{
	"lead":             {"/leads/", xinlu.PermLeadView},
	"project":          {"/projects/", xinlu.PermProjectView},
	"member":           {"/members/", xinlu.PermStaffView},
	"team":             {"/teams/", xinlu.PermOrgView},
	"appraisal_period": {"/appraisal/periods/", xinlu.PermAppraisalView},
	"tolerance_claim":  {"/tolerance/", xinlu.PermSignedIn},
}

// auditActionWords is the words for an audit action, or its code when it
// has none (a row is shown even when its words are missing).
func auditActionWords(p *i18n.Printer, action string) string {
	if p.Has("audit.action." + action) {
		return p.T("audit.action." + action)
	}
	return action
}

// auditEntityWords is the words for an audit entity, or its code.
func auditEntityWords(p *i18n.Printer, entity string) string {
	if p.Has("audit.entity." + entity) {
		return p.T("audit.entity." + entity)
	}
	return entity
}

// auditActionGroups groups xinlu.AuditActions by module for the filter.
func auditActionGroups() []auditActionGroup {
	var out []auditActionGroup
	for _, a := range xinlu.AuditActions {
		m := xinlu.AuditModule(a)
		if len(out) == 0 || out[len(out)-1].Module != m {
			out = append(out, auditActionGroup{Module: m})
		}
		out[len(out)-1].Actions = append(out[len(out)-1].Actions, a)
	}
	return out
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
	view := auditListView{F: v, Err: err, Actions: auditActionGroups()}
	if err == nil {
		f.Page = pageFrom(r)
		items, total, err := s.store.ListAudit(r.Context(), f)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if view.Items, err = s.auditRows(r, u, items); err != nil {
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

// auditRows names the records of items and links those u may open.
func (s *Server) auditRows(r *http.Request, u *xinlu.User, items []xinlu.AuditEntry) ([]auditRow, error) {
	refs := make([]store.RecordRef, len(items))
	for i, e := range items {
		refs[i] = store.RecordRef{Entity: e.Entity, ID: e.EntityID}
	}
	names, err := s.store.RecordNames(r.Context(), u.ZoneID, refs)
	if err != nil {
		return nil, err
	}
	rows := make([]auditRow, len(items))
	for i, e := range items {
		rows[i] = auditRow{AuditEntry: e, Subject: names[refs[i]]}
		if l, ok := auditLinks[e.Entity]; ok && rows[i].Subject != "" && u.Can(l.perm) {
			rows[i].Link = l.prefix + strconv.FormatInt(e.EntityID, 10)
		}
	}
	return rows, nil
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
			{Header: p.T("field.action"), Width: 22}, {Header: p.T("audit.action_code"), Width: 22},
			{Header: p.T("field.entity"), Width: 12}, {Header: p.T("audit.entity_id"), Width: 8}, {Header: p.T("audit.subject"), Width: 24},
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
		rows, err := s.auditRows(r, info.user, items)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		for _, e := range rows {
			rep.Rows = append(rep.Rows, []any{fmt.Sprint(e.ID), e.At.In(shanghai).Format("2006-01-02 15:04:05"), e.ActorName,
				auditActionWords(p, e.Action), e.Action, auditEntityWords(p, e.Entity), fmt.Sprint(e.EntityID), e.Subject,
				e.IP, e.Before, e.After, e.Hash})
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
