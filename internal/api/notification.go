package api

import (
	"fmt"
	"net/http"
	"time"

	"xinlu/internal/i18n"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The signed-in user's own notifications (overdue items escalated by the
// hourly job): every account has them, each sees only its own.
func (a *API) notificationRoutes() []Route {
	return []Route{
		{"GET", "/notifications", xinlu.PermSignedIn, a.handle(a.listNotifications)},
		{"GET", "/notifications/unread-count", xinlu.PermSignedIn, a.handle(a.unreadNotifications)},
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

// NotificationLink is the page of a notification's subject.
func NotificationLink(n store.Notification) string {
	switch n.SubjectType {
	case store.SubjectLead:
		return fmt.Sprintf("/leads/%d", n.SubjectID)
	case store.SubjectProject:
		return fmt.Sprintf("/projects/%d", n.SubjectID)
	}
	return "/notifications"
}

// NotificationMessage renders a notification's message in p's language.
func NotificationMessage(p *i18n.Printer, n store.Notification) string {
	args := make([]any, len(n.Args))
	for i, v := range n.Args {
		args[i] = v
	}
	return p.T(n.MessageKey, args...)
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
		args := n.Args
		if args == nil {
			args = []string{}
		}
		out[i] = NotificationJSON{ID: n.ID, Kind: n.Kind, SubjectType: n.SubjectType, SubjectID: n.SubjectID, Level: n.Level,
			MessageKey: n.MessageKey, Args: args, Message: NotificationMessage(pr, n), Link: NotificationLink(n), CreatedAt: n.CreatedAt}
		if n.ReadAt.Valid {
			t := n.ReadAt.Time
			out[i].ReadAt = &t
		}
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
