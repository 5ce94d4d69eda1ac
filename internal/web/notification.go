package web

import (
	"net/http"

	"xinlu/internal/report"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// The signed-in user's notifications: overdue items escalated to them by
// the hourly job, one by one or in a daily digest (每日待办汇总) whose page
// lists its items. The top bar's bell shows the unread count on every page.
func (s *Server) notificationRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/notifications", Perm: xinlu.PermSignedIn, Handler: s.notificationList},
		{Method: "GET", Pattern: "/notifications/{id}", Perm: xinlu.PermSignedIn, Handler: s.notificationShow},
		{Method: "POST", Pattern: "/notifications/read-all", Perm: xinlu.PermSignedIn, Handler: s.notificationReadAll},
		{Method: "POST", Pattern: "/notifications/{id}/read", Perm: xinlu.PermSignedIn, Handler: s.notificationRead},
	}
}

type notificationRow struct {
	N       store.Notification
	Message string
	Link    string
}

type notificationListView struct {
	Unread bool // only unread ones shown
	Items  []notificationRow
	Pager  pager
	Show   *notificationShowView // one notification with its items instead of the list
}

// notificationShowView is one notification, a digest or an item's, with a
// page of the overdue items it told of.
type notificationShowView struct {
	notificationRow
	Day   string
	Items []notificationItemRow
	Pager pager
}

type notificationItemRow struct {
	store.ToldItem
	Link string
}

func (s *Server) notificationList(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	p := pageFrom(r)
	unread := r.URL.Query().Get("unread") == "1"
	items, total, err := s.store.ListNotifications(r.Context(), store.NotificationFilter{UserID: u.ID, Unread: unread, Page: p})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	pr := s.printer(r)
	rows := make([]notificationRow, len(items))
	for i, n := range items {
		rows[i] = notificationRow{N: n, Message: report.NotificationMessage(pr, n), Link: report.NotificationLink(n)}
	}
	s.render(w, r, http.StatusOK, "notifications", pr.T("notifications.title"),
		notificationListView{Unread: unread, Items: rows, Pager: newPager(r, p, total)})
}

func (s *Server) notificationShow(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := pageFrom(r)
	n, items, total, err := s.store.NotificationItems(r.Context(), u.ID, id, p)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	pr := s.printer(r)
	v := &notificationShowView{notificationRow: notificationRow{N: *n, Message: report.NotificationMessage(pr, *n), Link: report.NotificationLink(*n)},
		Day: n.Day(), Items: make([]notificationItemRow, len(items)), Pager: newPager(r, p, total)}
	for i, it := range items {
		v.Items[i] = notificationItemRow{ToldItem: it, Link: report.NotificationItemLink(it)}
	}
	title := pr.T("notifications.item.title")
	if n.Kind == store.NotifyDigest {
		title = pr.T("notifications.digest.title")
	}
	s.render(w, r, http.StatusOK, "notifications", title, notificationListView{Show: v})
}

func (s *Server) notificationRead(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	id, err := pathID(r, "id")
	if err == nil {
		err = s.store.MarkRead(r.Context(), u.ID, id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	redirect(w, r, "/notifications")
}

func (s *Server) notificationReadAll(w http.ResponseWriter, r *http.Request) {
	u := requestInfo(r.Context()).user
	if _, err := s.store.MarkAllRead(r.Context(), u.ID); err != nil {
		s.renderError(w, r, err)
		return
	}
	redirect(w, r, "/notifications")
}
