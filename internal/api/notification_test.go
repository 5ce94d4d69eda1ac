package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"xinlu/internal/api"
	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestNotificationAPI(t *testing.T) {
	s := newCalendarServer(t)
	ctx := context.Background()
	ids := map[string]int64{}
	for _, r := range []xinlu.Role{xinlu.RoleAdmin, xinlu.RoleMember} {
		u, err := s.store.UserByUsername(ctx, string(r))
		if err != nil {
			t.Fatal(err)
		}
		ids[string(r)] = u.ID
	}
	notify := func(user, key string) *store.Notification {
		n := &store.Notification{ZoneID: s.zone.ID, UserID: ids[user], Kind: store.NotifyOverdue, SubjectType: store.SubjectProject,
			SubjectID: 42, Level: 3, MessageKey: "notifications.msg.overdue_project", Args: []string{"铝材项目", "11", "2026-09-30"}, DedupeKey: key}
		if _, err := s.store.Notify(ctx, n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	first := notify("admin", "k1")
	notify("admin", "k2")
	notify("member", "k1")
	admin, member := s.login(xinlu.RoleAdmin), s.login(xinlu.RoleMember)

	if status, body := s.call("", "GET", "/notifications/unread-count", ""); status != 401 {
		t.Fatalf("anonymous: %d %s", status, body)
	}
	if status, body := s.call(admin, "GET", "/notifications/unread-count", ""); status != 200 || !strings.Contains(body, `"unread":2`) {
		t.Fatalf("count: %d %s", status, body)
	}
	status, body := s.call(admin, "GET", "/notifications?unread=1&per_page=1", "")
	var page struct {
		Items []api.NotificationJSON `json:"items"`
		Total int                    `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil || status != 200 || page.Total != 2 || len(page.Items) != 1 {
		t.Fatalf("list: %d %s", status, body)
	}
	got := page.Items[0]
	if got.Link != "/projects/42" || got.ReadAt != nil || got.Level != 3 || !strings.Contains(got.Message, "项目“铝材项目”当前阶段已逾期 11 个工作日") {
		t.Fatalf("item: %+v", got)
	}
	if status, _ := s.call(admin, "GET", "/notifications?unread=yes", ""); status != 422 {
		t.Fatalf("bad unread: %d", status)
	}
	path := "/notifications/" + strconv.FormatInt(first.ID, 10) + "/read"
	if status, body := s.call(member, "POST", path, ""); status != 404 {
		t.Fatalf("someone else's: %d %s", status, body)
	}
	for range 2 {
		if status, body := s.call(admin, "POST", path, ""); status != 204 {
			t.Fatalf("read: %d %s", status, body)
		}
	}
	if _, body := s.call(admin, "GET", "/notifications?unread=1", ""); !strings.Contains(body, `"total":1`) {
		t.Fatalf("unread after one read: %s", body)
	}
	if _, body := s.call(admin, "GET", "/notifications", ""); !strings.Contains(body, `"total":2`) || strings.Count(body, `"read_at":null`) != 1 {
		t.Fatalf("all after one read: %s", body)
	}
	if status, body := s.call(admin, "POST", "/notifications/read-all", ""); status != 200 || !strings.Contains(body, `"marked":1`) {
		t.Fatalf("read all: %d %s", status, body)
	}
	if _, body := s.call(admin, "GET", "/notifications/unread-count", ""); !strings.Contains(body, `"unread":0`) {
		t.Fatalf("count after: %s", body)
	}
	if _, body := s.call(member, "GET", "/notifications/unread-count", ""); !strings.Contains(body, `"unread":1`) {
		t.Fatalf("the member's stays unread: %s", body)
	}
}

// TestNotificationRoutesInOpenAPI checks that openapi/notifications.json
// describes every notification route.
func TestNotificationRoutesInOpenAPI(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(doc, &spec); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, rt := range api.New(nil, nil, api.Config{}).Routes() {
		if !strings.HasPrefix(rt.Pattern, "/notifications") {
			continue
		}
		n++
		if _, ok := spec.Paths[rt.Pattern][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Pattern)
		}
	}
	if n != 6 {
		t.Errorf("%d notification routes", n)
	}
}

// TestNotificationDigestAPI: a screener with more than DigestThreshold
// overdue leads gets one digest, whose items the API pages through.
func TestNotificationDigestAPI(t *testing.T) {
	s := newCalendarServer(t)
	ctx := context.Background()
	sys := xinlu.SystemActor(s.zone.ID)
	m := &xinlu.Member{ZoneID: s.zone.ID, StaffNo: "M1", Name: "张三"}
	if err := s.store.CreateMember(ctx, sys, m); err != nil {
		t.Fatal(err)
	}
	// Leads reported on Monday 2 March: screening due Monday 9 March.
	n := store.DigestThreshold + 1
	b := &store.BulkBatch{}
	for i := range n {
		b.Leads = append(b.Leads, &xinlu.Lead{ReporterID: m.ID, Company: fmt.Sprintf("公司%02d", i), ProjectName: fmt.Sprintf("项目%02d", i),
			Industry: "other", Status: xinlu.LeadScreening, ReportedAt: time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)})
	}
	if _, err := s.store.BulkLoad(ctx, sys, s.zone.ID, b); err != nil {
		t.Fatal(err)
	}
	if b.Leads[0].ScreeningDue != "2026-03-09" {
		t.Fatalf("due %s", b.Leads[0].ScreeningDue)
	}
	if res, err := s.store.EscalateOverdue(ctx, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)); err != nil || res.Digests != 1 || res.Notifications != 1 {
		t.Fatalf("escalate: %+v %v", res, err)
	}
	tok, admin := s.login(xinlu.RoleScreener), s.login(xinlu.RoleAdmin)
	if _, body := s.call(tok, "GET", "/notifications/unread-count", ""); !strings.Contains(body, `"unread":1`) {
		t.Fatalf("count: %s", body)
	}
	status, body := s.call(tok, "GET", "/notifications", "")
	var page struct {
		Items []api.NotificationJSON `json:"items"`
		Total int                    `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil || status != 200 || page.Total != 1 {
		t.Fatalf("list: %d %s", status, body)
	}
	d := page.Items[0]
	id := strconv.FormatInt(d.ID, 10)
	if d.Kind != "digest" || d.Level != 1 || d.SubjectType != "" || d.Link != "/notifications/"+id ||
		d.Message != "每日待办汇总（2026-03-10）：您有 21 项逾期事项：线索甄别 21 项" {
		t.Fatalf("digest: %+v", d)
	}
	if status, body := s.call(tok, "GET", "/notifications/"+id, ""); status != 200 || !strings.Contains(body, `"kind":"digest"`) {
		t.Fatalf("get: %d %s", status, body)
	}
	status, body = s.call(tok, "GET", "/notifications/"+id+"/items?per_page=5&page=5", "")
	var items struct {
		Items []api.NotificationItemJSON `json:"items"`
		Total int                        `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &items); err != nil || status != 200 || items.Total != n || len(items.Items) != 1 {
		t.Fatalf("items: %d %s", status, body)
	}
	it := items.Items[0]
	if it.Type != "lead" || it.Link != "/leads/"+strconv.FormatInt(it.ID, 10) || it.Due != "2026-03-09" || it.Late != 1 || !it.Open ||
		!strings.HasPrefix(it.Name, "项目") || !strings.HasPrefix(it.Of, "公司") {
		t.Fatalf("item: %+v", it)
	}
	for _, path := range []string{"/notifications/" + id, "/notifications/" + id + "/items"} {
		if status, body := s.call(admin, "GET", path, ""); status != 404 {
			t.Fatalf("someone else's %s: %d %s", path, status, body)
		}
	}
	if status, _ := s.call(tok, "GET", "/notifications/"+id+"/items?page=0", ""); status != 422 {
		t.Fatalf("bad page: %d", status)
	}
}
