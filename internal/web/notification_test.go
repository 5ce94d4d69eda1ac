package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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

// TestNotificationDigestPage: more than DigestThreshold overdue leads reach
// the screener as one digest, whose page lists them with links, a page at
// a time.
func TestNotificationDigestPage(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	n := store.DigestThreshold + 5
	b := &store.BulkBatch{}
	for i := range n {
		b.Leads = append(b.Leads, &xinlu.Lead{ReporterID: a.users[xinlu.RoleMember].MemberID, Company: fmt.Sprintf("汇总公司%02d", i),
			ProjectName: fmt.Sprintf("汇总项目%02d", i), Industry: "other", Status: xinlu.LeadReported, ReportedAt: time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)})
	}
	if _, err := a.store.BulkLoad(ctx, xinlu.SystemActor(a.zone.ID), a.zone.ID, b); err != nil {
		t.Fatal(err)
	}
	if res, err := a.store.EscalateOverdue(ctx, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)); err != nil || res.Digests != 1 {
		t.Fatalf("escalate: %+v %v", res, err)
	}
	c := a.as(xinlu.RoleScreener)
	list := c.get("/notifications")
	items, _, _ := a.store.ListNotifications(ctx, store.NotificationFilter{UserID: a.users[xinlu.RoleScreener].ID})
	if len(items) != 1 || items[0].Kind != store.NotifyDigest {
		t.Fatalf("notifications: %+v", items)
	}
	id := strconvFormat(items[0].ID)
	if !strings.Contains(list.body, `id="notification-count">1<`) || !strings.Contains(list.body, `class="notification notification-unread notification-digest"`) ||
		!strings.Contains(list.body, `href="/notifications/`+id+`"`) || !strings.Contains(list.body, "每日待办汇总（2026-03-10）：您有 25 项逾期事项：线索甄别 25 项") {
		t.Fatalf("list: %s", list.body)
	}
	page := c.get("/notifications/" + id + "?per_page=10")
	if page.StatusCode != 200 || strings.Count(page.body, `<tr id="item-lead-`) != 10 || !strings.Contains(page.body, `href="/leads/`+strconvFormat(b.Leads[0].ID)+`"`) ||
		!strings.Contains(page.body, "汇总项目00") || !strings.Contains(page.body, "汇总公司00") || !strings.Contains(page.body, "2026-03-09") ||
		!strings.Contains(page.body, "仍逾期") || !strings.Contains(page.body, `id="mark-read"`) || !strings.Contains(page.body, "<title>每日待办汇总") {
		t.Fatalf("digest page: %d %s", page.StatusCode, page.body)
	}
	if last := c.get("/notifications/" + id + "?per_page=10&page=3"); strings.Count(last.body, `<tr id="item-lead-`) != 5 {
		t.Fatalf("page 3: %s", last.body)
	}
	// Someone else's digest is not found; read, it loses its button.
	if r := a.as(xinlu.RoleDirector).get("/notifications/" + id); r.StatusCode != http.StatusNotFound {
		t.Fatalf("someone else's: %d", r.StatusCode)
	}
	if r := c.postForm("/notifications/"+id+"/read", url.Values{"csrf": {c.csrfToken("/notifications")}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("read: %d", r.StatusCode)
	}
	if r := c.get("/notifications/" + id); strings.Contains(r.body, `id="mark-read"`) || strings.Contains(r.body, `id="notification-count"`) {
		t.Fatalf("after read: %s", r.body)
	}
	// A notification that told of no recorded item has a page without items.
	one := a.notifyUser(xinlu.RoleScreener, "k1")
	if r := c.get("/notifications/" + strconvFormat(one.ID)); r.StatusCode != 200 || !strings.Contains(r.body, `id="empty-state"`) ||
		!strings.Contains(r.body, "线索“铝材项目”（铝材有限公司）甄别已逾期 6 个工作日") {
		t.Fatalf("a notification without told items: %d %s", r.StatusCode, r.body)
	}
}
