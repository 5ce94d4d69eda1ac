package api

import (
	"bytes"
	"net/http"
	"time"

	"xinlu/internal/docx"
	"xinlu/internal/httpx"
	"xinlu/internal/report"
	"xinlu/internal/xinlu"
)

func (a *API) briefingRoutes() []Route {
	return []Route{
		{"GET", "/briefings", xinlu.PermBriefingView, a.handle(a.listBriefings)},
		{"GET", "/briefings/draft", xinlu.PermBriefingView, a.handle(a.draftBriefing)},
		{"POST", "/briefings", xinlu.PermBriefingIssue, a.handle(a.issueBriefing)},
		{"GET", "/briefings/{id}", xinlu.PermBriefingView, a.handle(a.getBriefing)},
		{"GET", "/briefings/{id}/docx", xinlu.PermBriefingView, a.handle(a.briefingDocx)},
	}
}

// BriefingJSON is an issued briefing: the director's comment and the
// figures as they were on issue.
type BriefingJSON struct {
	ID       int64                  `json:"id"`
	Month    string                 `json:"month"`
	Comment  string                 `json:"comment"`
	IssuedBy string                 `json:"issued_by"`
	IssuedAt time.Time              `json:"issued_at"`
	Figures  *xinlu.BriefingFigures `json:"figures,omitempty"`
}

func briefingJSON(b *xinlu.Briefing, figures bool) BriefingJSON {
	j := BriefingJSON{ID: b.ID, Month: b.Month, Comment: b.Comment, IssuedBy: b.IssuedBy, IssuedAt: b.IssuedAt}
	if figures {
		j.Figures = &b.Figures
	}
	return j
}

func (a *API) listBriefings(w http.ResponseWriter, r *http.Request) error {
	list, err := a.store.Briefings(r.Context(), user(r).ZoneID)
	if err != nil {
		return err
	}
	out := make([]BriefingJSON, len(list))
	for i, b := range list {
		out[i] = briefingJSON(b, false)
	}
	writeJSON(w, http.StatusOK, newList(out, len(out)))
	return nil
}

func (a *API) draftBriefing(w http.ResponseWriter, r *http.Request) error {
	f, err := a.store.BriefingFigures(r.Context(), user(r).ZoneID, r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

func (a *API) issueBriefing(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Month   string `json:"month"`
		Comment string `json:"comment"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	b, err := a.store.IssueBriefing(r.Context(), actor(r), user(r), in.Month, in.Comment)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, briefingJSON(b, true))
	return nil
}

func (a *API) getBriefing(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := a.store.BriefingByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, briefingJSON(b, true))
	return nil
}

// briefingDocx answers an issued briefing as a Word document (red head
// unless red_head=0), audited.
func (a *API) briefingDocx(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := a.store.BriefingByID(r.Context(), user(r).ZoneID, id)
	if err != nil {
		return err
	}
	p := a.printer(r)
	d := report.IssuedBriefing(r.Context(), a.store, p, b)
	var buf bytes.Buffer
	if err := d.Docx(p, r.URL.Query().Get("red_head") != "0").Write(&buf); err != nil {
		return xinlu.Internal(err)
	}
	if err := a.store.Audit(r.Context(), actor(r), "briefing.export", "briefing", b.ID, map[string]any{"month": b.Month, "issued": true}); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", docx.ContentType)
	h.Set("Content-Disposition", httpx.AttachmentAs(d.Title+".docx", "briefing-"+b.Month+".docx"))
	h.Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}
