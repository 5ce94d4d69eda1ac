package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// notifyEnv is the project environment (National Day holidays, a make-up
// Saturday) with accounts: a screener, the sponsor (linked to the project's
// sponsor member), another leadership-group user, an agent (linked to the
// approval's agent member), a director and a plain member.
type notifyEnv struct {
	*projectEnv
	accounts map[string]*xinlu.User
	project  *store.ProjectRecord
	approval *store.ApprovalItem
	lead     *xinlu.Lead
}

func newNotifyEnv(t *testing.T, s *store.Store) *notifyEnv {
	t.Helper()
	ctx := context.Background()
	e := &notifyEnv{projectEnv: newProjectEnv(t, s), accounts: map[string]*xinlu.User{}}
	agent := &xinlu.Member{ZoneID: e.zone.ID, StaffNo: "A1", Name: "李代办"}
	reporter := &xinlu.Member{ZoneID: e.zone.ID, StaffNo: "M1", Name: "张三"}
	for _, m := range []*xinlu.Member{agent, reporter} {
		if err := s.CreateMember(ctx, e.sys, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []struct {
		name   string
		member int64
		role   xinlu.Role
	}{
		{"screener", 0, xinlu.RoleScreener},
		{"sponsor", e.sponsor.ID, xinlu.RoleSponsor},
		{"leader", 0, xinlu.RoleSponsor},
		{"agent", agent.ID, xinlu.RoleAgent},
		{"director", 0, xinlu.RoleDirector},
		{"member", reporter.ID, xinlu.RoleMember},
	} {
		u := &xinlu.User{ZoneID: e.zone.ID, Username: a.name, Name: a.name, MemberID: a.member, PasswordHash: "x", Roles: []xinlu.Role{a.role}}
		if err := s.CreateUser(ctx, e.sys, u); err != nil {
			t.Fatal(err)
		}
		e.accounts[a.name] = u
	}
	// A signed project with the sponsor, due on Wednesday 30 September.
	p := &store.ProjectRecord{}
	p.ZoneID, p.Name, p.Company, p.Industry, p.Stage, p.SponsorID = e.zone.ID, "铝材项目", "铝材有限公司", "other", xinlu.StageAgency, e.sponsor.ID
	p.Signing = *goodSigning()
	if err := s.CreateProject(ctx, e.sys, p); err != nil {
		t.Fatal(err)
	}
	setDue(t, s, p.ID, "2026-09-30")
	e.project = p
	// An approval item of two working days from Monday 28 September: due 30 September.
	it := &store.ApprovalItem{Name: "立项备案", LimitDays: 2, AgentID: agent.ID}
	if err := s.AddApproval(ctx, e.actor(xinlu.RoleAgent), e.users[xinlu.RoleAgent], p.ID, it); err != nil {
		t.Fatal(err)
	}
	if it.DueOn != "2026-09-30" {
		t.Fatalf("approval due %s", it.DueOn)
	}
	e.approval = it
	// A lead reported Wednesday 23 September: screening due five working days later, 30 September.
	l := &xinlu.Lead{ZoneID: e.zone.ID, ReporterID: reporter.ID, Company: "线索有限公司", ProjectName: "线索项目", Industry: "other",
		ReportedAt: time.Date(2026, 9, 23, 4, 0, 0, 0, time.UTC)}
	if _, err := s.ReportLead(ctx, e.sys, l); err != nil {
		t.Fatal(err)
	}
	if l.ScreeningDue != "2026-09-30" {
		t.Fatalf("screening due %s", l.ScreeningDue)
	}
	e.lead = l
	return e
}

func day(s string) time.Time {
	d, err := xinlu.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// levels lists, per account, "subject:level" of its notifications.
func (e *notifyEnv) levels(t *testing.T, name string) []string {
	t.Helper()
	items, total, err := e.s.ListNotifications(context.Background(), store.NotificationFilter{UserID: e.accounts[name].ID, Page: xinlu.Page{PerPage: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if total != len(items) {
		t.Fatalf("total %d, items %d", total, len(items))
	}
	var out []string
	for _, n := range items {
		kind := n.SubjectType
		if n.MessageKey == "notifications.msg.overdue_approval" {
			kind = "approval"
		}
		out = append(out, kind+":"+string(rune('0'+n.Level)))
	}
	slices.Sort(out)
	return out
}

func TestEscalateOverdueAcrossHoliday(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newNotifyEnv(t, s)
		escalate := func(on string) store.EscalationResult {
			t.Helper()
			res, err := s.EscalateOverdue(ctx, day(on))
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		want := func(name string, levels ...string) {
			t.Helper()
			if got := e.levels(t, name); !slices.Equal(got, levels) {
				t.Fatalf("%s: got %v, want %v", name, got, levels)
			}
		}
		// On the due day nothing is red.
		if res := escalate("2026-09-30"); res.Notifications != 0 || res.Items != 0 {
			t.Fatalf("due day: %+v", res)
		}
		// Thursday 8 October, the first working day after the holiday: one day late, level 1.
		res := escalate("2026-10-08")
		if res.Items != 3 {
			t.Fatalf("red items %+v", res)
		}
		want("agent", "approval:1")
		want("sponsor", "project:1")
		want("screener", "lead:1")
		want("leader")
		want("director")
		want("member")
		// Running again tells nobody twice.
		if res := escalate("2026-10-08"); res.Notifications != 0 {
			t.Fatalf("second run notified %d", res.Notifications)
		}
		// Tuesday 13 October: 5 working days late (the holiday and the
		// make-up Saturday counted by the calendar), still level 1.
		if res := escalate("2026-10-13"); res.Notifications != 0 {
			t.Fatalf("13 October notified %d", res.Notifications)
		}
		// Wednesday 14 October: 6 working days late, level 2: the sponsor
		// for the approval and the project, the leadership group for the lead.
		escalate("2026-10-14")
		want("agent", "approval:1")
		want("sponsor", "approval:2", "lead:2", "project:1", "project:2")
		want("leader", "lead:2")
		want("director")
		// Tuesday 20 October: 10 late, still level 2; 21 October: 11, the director.
		if res := escalate("2026-10-20"); res.Notifications != 0 {
			t.Fatalf("20 October notified %d", res.Notifications)
		}
		escalate("2026-10-21")
		want("director", "approval:3", "lead:3", "project:3")
		want("member")
		if res := escalate("2026-10-21"); res.Notifications != 0 {
			t.Fatalf("second run notified %d", res.Notifications)
		}
		// Read state and counts.
		sp := e.accounts["sponsor"].ID
		n, err := s.UnreadCount(ctx, sp)
		if err != nil || n != 4 {
			t.Fatalf("unread %d %v", n, err)
		}
		items, _, err := s.ListNotifications(ctx, store.NotificationFilter{UserID: sp})
		if err != nil {
			t.Fatal(err)
		}
		if items[0].ID < items[len(items)-1].ID {
			t.Fatal("not newest first")
		}
		if err := s.MarkRead(ctx, sp, items[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkRead(ctx, e.accounts["director"].ID, items[0].ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("someone else's notification: %v", err)
		}
		if n, _ := s.UnreadCount(ctx, sp); n != 3 {
			t.Fatalf("unread after one read %d", n)
		}
		unread, total, _ := s.ListNotifications(ctx, store.NotificationFilter{UserID: sp, Unread: true})
		if total != 3 || len(unread) != 3 {
			t.Fatalf("unread list %d", total)
		}
		if k, err := s.MarkAllRead(ctx, sp); err != nil || k != 3 {
			t.Fatalf("mark all %d %v", k, err)
		}
		if n, _ := s.UnreadCount(ctx, sp); n != 0 {
			t.Fatalf("unread after all read %d", n)
		}
		// A new deadline that runs out is a new escalation.
		setDue(t, s, e.project.ID, "2026-10-22")
		if res := escalate("2026-10-23"); res.Notifications != 1 {
			t.Fatalf("new deadline: %+v", res)
		}
	})
}

func TestNotifyIsIdempotent(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newNotifyEnv(t, s)
		uid := e.accounts["member"].ID
		n := &store.Notification{ZoneID: e.zone.ID, UserID: uid, Kind: "test", SubjectType: store.SubjectLead, SubjectID: e.lead.ID,
			MessageKey: "notifications.msg.overdue_lead", Args: []string{"a", "b", "1", "2026-10-01"}, DedupeKey: "test:1"}
		for i, want := range []bool{true, false} {
			created, err := s.Notify(ctx, n)
			if err != nil || created != want {
				t.Fatalf("notify %d: %v %v", i, created, err)
			}
		}
		items, _, err := s.ListNotifications(ctx, store.NotificationFilter{UserID: uid})
		if err != nil || len(items) != 1 || !slices.Equal(items[0].Args, n.Args) || items[0].ReadAt.Valid {
			t.Fatalf("items %+v %v", items, err)
		}
	})
}
