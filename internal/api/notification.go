package api

import (
	"net/http"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The signed-in user's own notifications (overdue items escalated by the
// hourly job, one by one or in a daily digest): every account has them,
// each sees only its own.
func (a *API) notificationRoutes() []Route {
	return []Route{
		{"GET", "/notifications", xinlu.PermSignedIn, a.handle(a.listNotifications)},
		{"GET", "/notifications/unread-count", xinlu.PermSignedIn, a.handle(a.unreadNotifications)},
		{"GET", "/notifications/{id}", xinlu.PermSignedIn, a.handle(a.getNotification)},
		{"GET", "/notifications/{id}/items", xinlu.PermSignedIn, a.handle(a.notificationItems)},
		{"POST", "/notifications/read-all", xinlu.PermSignedIn, a.handle(a.readAllNotifications)},
		{"POST", "/notifications/{id}/read", xinlu.PermSignedIn, a.handle(a.readNotification)},
	}
}

// NotificationJSON is one notification.
type NotificationJSON struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	SubjectType string     `json:"subject_type"`
	SubjectID   int64      `json:"subject_id"`
	Level       int        `json:"level"`
	MessageKey  string     `json:"message_key"`
	Args        []string   `json:"args"`
	Message     string     `json:"message"`
	Link        string     `json:"link"`
	CreatedAt   time.Time  `json:"created_at"`
	ReadAt      *time.Time `json:"read_at"`
}

func (a *API) listNotifications(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	unread := r.URL.Query().Get("unread")
	if unread != "" && unread != "0" && unread != "1" {
		return xinlu.Invalid("unread", "error.invalid_choice")
	}
	items, total, err := a.store.ListNotifications(r.Context(), store.NotificationFilter{UserID: user(r).ID, Unread: unread == "1", Page: p})
	if err != nil {
		return err
	}
	pr := a.printer(r)
	out := make([]NotificationJSON, len(items))
	for i, n := range items {
		out[i] = notificationJSON(pr, n)
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func notificationJSON(pr *i18n.Printer, n store.Notification) NotificationJSON {
	args := n.Args
	if args == nil {
		args = []string{}
	}
	out := NotificationJSON{ID: n.ID, Kind: n.Kind, SubjectType: n.SubjectType, SubjectID: n.SubjectID, Level: n.Level,
		MessageKey: n.MessageKey, Args: args, Message: report.NotificationMessage(pr, n), Link: report.NotificationLink(n), CreatedAt: n.CreatedAt}
	if n.ReadAt.Valid {
		t := n.ReadAt.Time
		out.ReadAt = &t
	}
	return out
}

func (a *API) getNotification(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := a.store.Notification(r.Context(), user(r).ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, notificationJSON(a.printer(r), *n))
	return nil
}

// NotificationItemJSON is one overdue item a notification told of.
type NotificationItemJSON struct {
	Type string `json:"type"`
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Of   string `json:"of"`
	Due  string `json:"due"`
	Late int    `json:"late"`
	Open bool   `json:"open"`
	Link string `json:"link"`
}

func (a *API) notificationItems(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	_, items, total, err := a.store.NotificationItems(r.Context(), user(r).ID, id, p)
	if err != nil {
		return err
	}
	out := make([]NotificationItemJSON, len(items))
	for i, it := range items {
		out[i] = NotificationItemJSON{Type: it.Type, ID: it.ID, Name: it.Name, Of: it.Of, Due: it.Due, Late: it.Late, Open: it.Open,
			Link: report.NotificationItemLink(it)}
	}
	writeJSON(w, http.StatusOK, newList(out, total))
	return nil
}

func (a *API) unreadNotifications(w http.ResponseWriter, r *http.Request) error {
	n, err := a.store.UnreadCount(r.Context(), user(r).ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"unread": n})
	return nil
}

func (a *API) readNotification(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.MarkRead(r.Context(), user(r).ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) readAllNotifications(w http.ResponseWriter, r *http.Request) error {
	n, err := a.store.MarkAllRead(r.Context(), user(r).ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"marked": n})
	return nil
}
