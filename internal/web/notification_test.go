package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// notifyUser gives the user of role r an overdue-lead notification.
func (a *app) notifyUser(r xinlu.Role, key string) *store.Notification {
	a.t.Helper()
	n := &store.Notification{ZoneID: a.zone.ID, UserID: a.users[r].ID, Kind: store.NotifyOverdue, SubjectType: store.SubjectLead,
		SubjectID: 7, Level: 2, MessageKey: "notifications.msg.overdue_lead", Args: []string{"铝材项目", "铝材有限公司", "6", "2026-09-30"}, DedupeKey: key}
	if _, err := a.store.Notify(context.Background(), n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

func TestNotificationBellListAndRead(t *testing.T) {
	a := newApp(t)
	c := a.as(xinlu.RoleScreener)
	// No notifications: the bell is there without a number, the list is empty.
	home := c.get("/")
	if !strings.Contains(home.body, `id="notification-bell"`) || strings.Contains(home.body, `id="notification-count"`) {
		t.Fatalf("bell without notifications: %s", home.body)
	}
	if r := c.get("/notifications"); r.StatusCode != 200 || !strings.Contains(r.body, `id="empty-state"`) || !strings.Contains(r.body, "暂无消息") {
		t.Fatalf("empty list: %d %s", r.StatusCode, r.body)
	}
	first := a.notifyUser(xinlu.RoleScreener, "k1")
	a.notifyUser(xinlu.RoleScreener, "k2")
	a.notifyUser(xinlu.RoleMember, "k1") // someone else's
	if r := c.get("/"); !strings.Contains(r.body, `id="notification-count">2<`) {
		t.Fatalf("bell count: %s", r.body)
	}
	list := c.get("/notifications")
	if list.StatusCode != 200 || strings.Count(list.body, `class="notification notification-unread"`) != 2 ||
		!strings.Contains(list.body, `线索“铝材项目”（铝材有限公司）甄别已逾期 6 个工作日`) || !strings.Contains(list.body, `href="/leads/7"`) {
		t.Fatalf("list: %s", list.body)
	}
	csrf := c.csrfToken("/notifications")
	id := strconvFormat(first.ID)
	if r := c.postForm("/notifications/"+id+"/read", url.Values{"csrf": {csrf}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("read: %d %s", r.StatusCode, r.body)
	}
	if r := c.get("/notifications"); !strings.Contains(r.body, `id="notification-count">1<`) ||
		strings.Count(r.body, `class="notification notification-unread"`) != 1 || !strings.Contains(r.body, `id="notification-`+id+`"`) {
		t.Fatalf("after one read: %s", r.body)
	}
	if r := c.get("/notifications?unread=1"); strings.Contains(r.body, `id="notification-`+id+`"`) {
		t.Fatalf("unread list shows a read one: %s", r.body)
	}
	// Another user's notification is not found.
	other, _, _ := a.store.ListNotifications(context.Background(), store.NotificationFilter{UserID: a.users[xinlu.RoleMember].ID})
	if r := c.postForm("/notifications/"+strconvFormat(other[0].ID)+"/read", url.Values{"csrf": {csrf}}); r.StatusCode != http.StatusNotFound {
		t.Fatalf("someone else's: %d", r.StatusCode)
	}
	if r := c.postForm("/notifications/read-all", url.Values{"csrf": {csrf}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("read all: %d", r.StatusCode)
	}
	if r := c.get("/notifications?unread=1"); strings.Contains(r.body, `id="notification-count"`) || !strings.Contains(r.body, "没有未读消息") {
		t.Fatalf("after read all: %s", r.body)
	}
	if n, _ := a.store.UnreadCount(context.Background(), a.users[xinlu.RoleMember].ID); n != 1 {
		t.Fatalf("the member's stays unread: %d", n)
	}
	// Pages: one per page.
	if r := c.get("/notifications?per_page=1&page=2"); strings.Count(r.body, `<li class="notification`) != 1 {
		t.Fatalf("page 2: %s", r.body)
	}
}
