package api

import (
	"net/http"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func (a *API) securityRoutes() []Route {
	return []Route{
		{"GET", "/security/sessions", xinlu.PermSecurityManage, a.handle(a.listSessions)},
		{"DELETE", "/security/sessions/{id}", xinlu.PermSecurityManage, a.handle(a.endSession)},
		{"GET", "/security/alarms", xinlu.PermSecurityManage, a.handle(a.listAlarms)},
		{"POST", "/security/alarms/{id}/ack", xinlu.PermSecurityManage, a.handle(a.ackAlarm)},
	}
}

// SessionJSON is a live session or token as the security administrator sees it.
type SessionJSON struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	Username   string    `json:"username"`
	Kind       string    `json:"kind"`
	Label      string    `json:"label"`
	IP         string    `json:"ip"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

func (a *API) listSessions(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	uid, err := queryInt64(r, "user_id")
	if err != nil {
		return err
	}
	items, total, err := a.store.ListSessions(r.Context(), store.SessionFilter{ZoneID: user(r).ZoneID, UserID: uid, Page: p})
	if err != nil {
		return err
	}
	out := make([]SessionJSON, len(items))
	for i, s := range items {
		out[i] = SessionJSON{ID: s.ID, UserID: s.UserID, Username: s.Username, Kind: s.Kind, Label: s.Label, IP: s.IP,
			CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt}
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) endSession(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.EndSession(r.Context(), actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// AlarmJSON is one security alarm.
type AlarmJSON struct {
	ID             int64      `json:"id"`
	Kind           string     `json:"kind"`
	Subject        string     `json:"subject"`
	Detail         string     `json:"detail"`
	Count          int        `json:"count"`
	CreatedAt      time.Time  `json:"created_at"`
	LastAt         time.Time  `json:"last_at"`
	AcknowledgedBy string     `json:"acknowledged_by"`
	AcknowledgedAt *time.Time `json:"acknowledged_at"`
}

func (a *API) listAlarms(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	all := r.URL.Query().Get("all")
	if all != "" && all != "0" && all != "1" {
		return xinlu.Invalid("all", "error.invalid_choice")
	}
	items, total, err := a.store.ListAlarms(r.Context(), store.AlarmFilter{ZoneID: user(r).ZoneID, Open: all != "1", Page: p})
	if err != nil {
		return err
	}
	out := make([]AlarmJSON, len(items))
	for i, al := range items {
		out[i] = AlarmJSON{ID: al.ID, Kind: al.Kind, Subject: al.Subject, Detail: al.Detail, Count: al.Count,
			CreatedAt: al.CreatedAt, LastAt: al.LastAt, AcknowledgedBy: al.AcknowledgedBy}
		if al.AcknowledgedAt.Valid {
			t := al.AcknowledgedAt.Time
			out[i].AcknowledgedAt = &t
		}
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) ackAlarm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.AcknowledgeAlarm(r.Context(), actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
