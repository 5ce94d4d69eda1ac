package api

import (
	"net/http"
	"time"

	"xinlu/internal/xinlu"
)

func (a *API) auditRoutes() []Route {
	return []Route{
		{"GET", "/audit", xinlu.PermAuditView, a.handle(a.listAudit)},
	}
}

// AuditJSON is one audit row as the API shows it.
type AuditJSON struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"`
	Entity    string    `json:"entity"`
	EntityID  int64     `json:"entity_id"`
	Before    string    `json:"before"`
	After     string    `json:"after"`
	IP        string    `json:"ip"`
	PrevHash  string    `json:"prev_hash"`
	Hash      string    `json:"hash"`
}

func (a *API) listAudit(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := xinlu.AuditFilter{ZoneID: user(r).ZoneID, Action: q.Get("action"), Entity: q.Get("entity"), Page: p}
	if f.ActorID, err = queryInt64(r, "actor_id"); err != nil {
		return err
	}
	if f.EntityID, err = queryInt64(r, "entity_id"); err != nil {
		return err
	}
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(t.name); v != "" {
			ts, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return xinlu.Invalid(t.name, "audit.time_format")
			}
			*t.dst = ts
		}
	}
	rows, total, err := a.store.ListAudit(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]AuditJSON, len(rows))
	for i, e := range rows {
		out[i] = AuditJSON{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorName: e.ActorName, Action: e.Action, Entity: e.Entity,
			EntityID: e.EntityID, Before: e.Before, After: e.After, IP: e.IP, PrevHash: e.PrevHash, Hash: e.Hash}
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}
