package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
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

// escalate runs the hourly escalation as on day on (YYYY-MM-DD).
func (e *notifyEnv) escalate(t *testing.T, on string) store.EscalationResult {
	t.Helper()
	res, err := e.s.EscalateOverdue(context.Background(), day(on))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// wantLevels fails unless name's notifications are levels (see levels).
func (e *notifyEnv) wantLevels(t *testing.T, name string, levels ...string) {
	t.Helper()
	if got := e.levels(t, name); !slices.Equal(got, levels) {
		t.Fatalf("%s: got %v, want %v", name, got, levels)
	}
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
		escalate := func(on string) store.EscalationResult { return e.escalate(t, on) }
		want := func(name string, levels ...string) { t.Helper(); e.wantLevels(t, name, levels...) }
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

// bulkLeads loads n open leads reported at at (their screening due five
// working days later), as the reporter of the notify environment.
func (e *notifyEnv) bulkLeads(t *testing.T, n int, at time.Time) []*xinlu.Lead {
	t.Helper()
	b := &store.BulkBatch{}
	for i := range n {
		b.Leads = append(b.Leads, &xinlu.Lead{ReporterID: e.accounts["member"].MemberID, Company: fmt.Sprintf("批量公司%03d", i),
			ProjectName: fmt.Sprintf("批量项目%03d", i), Industry: "other", Status: xinlu.LeadScreening, ReportedAt: at})
	}
	if _, err := e.s.BulkLoad(context.Background(), e.sys, e.zone.ID, b); err != nil {
		t.Fatal(err)
	}
	return b.Leads
}

// notes lists an account's notifications, newest first.
func (e *notifyEnv) notes(t *testing.T, name string) []store.Notification {
	t.Helper()
	items, _, err := e.s.ListNotifications(context.Background(), store.NotificationFilter{UserID: e.accounts[name].ID, Page: xinlu.Page{PerPage: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// digests lists, per account, "level:args" of its digests, oldest first.
func (e *notifyEnv) digests(t *testing.T, name string) []string {
	t.Helper()
	var out []string
	for _, n := range slices.Backward(e.notes(t, name)) {
		if n.Kind == store.NotifyDigest {
			out = append(out, fmt.Sprintf("%d:%s", n.Level, strings.Join(n.Args, ",")))
		}
	}
	return out
}

// TestEscalationDigest: more than DigestThreshold new overdue items of one
// level make one digest per user, level and day, listing its items.
func TestEscalationDigest(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newNotifyEnv(t, s)
		// 25 more leads due with the environment's on 30 September.
		first := e.bulkLeads(t, 25, e.lead.ReportedAt)
		if first[0].ScreeningDue != "2026-09-30" {
			t.Fatalf("due %s", first[0].ScreeningDue)
		}
		escalate := func(on string) store.EscalationResult { return e.escalate(t, on) }
		want := func(name string, digests ...string) {
			t.Helper()
			if got := e.digests(t, name); !slices.Equal(got, digests) {
				t.Fatalf("%s: digests %v, want %v", name, got, digests)
			}
		}
		// 8 October, level 1: the screener's 26 leads are one digest; the
		// agent and the sponsor, one item each, are told one by one.
		res := escalate("2026-10-08")
		if res != (store.EscalationResult{Items: 28, Notifications: 3, Digests: 1, Told: 28}) {
			t.Fatalf("8 October: %+v", res)
		}
		want("screener", "1:26,26,0,0,2026-10-08")
		if n := e.notes(t, "screener"); len(n) != 1 || n[0].SubjectType != "" || n[0].DedupeKey != "digest:2026-10-08:level1" {
			t.Fatalf("screener: %+v", n)
		}
		if got := e.levels(t, "agent"); !slices.Equal(got, []string{"approval:1"}) {
			t.Fatalf("agent %v", got)
		}
		if got := e.levels(t, "sponsor"); !slices.Equal(got, []string{"project:1"}) {
			t.Fatalf("sponsor %v", got)
		}
		// The same day again: nothing new.
		if res := escalate("2026-10-08"); res.Notifications != 0 || res.Told != 0 || res.Items != 28 {
			t.Fatalf("second run: %+v", res)
		}
		// The digest's items, a page at a time, the screener's only.
		digest := e.notes(t, "screener")[0]
		scr := e.accounts["screener"].ID
		n, items, total, err := s.NotificationItems(ctx, scr, digest.ID, xinlu.Page{Page: 3, PerPage: 10})
		if err != nil || n.ID != digest.ID || total != 26 || len(items) != 6 {
			t.Fatalf("page 3: %v %d %d", err, total, len(items))
		}
		_, items, _, _ = s.NotificationItems(ctx, scr, digest.ID, xinlu.Page{Page: 1, PerPage: 100})
		ids := map[int64]bool{e.lead.ID: true}
		for _, l := range first {
			ids[l.ID] = true
		}
		for _, it := range items {
			if it.Type != store.SubjectLead || !ids[it.ID] || it.LinkType != store.SubjectLead || it.LinkID != it.ID || it.Due != "2026-09-30" ||
				it.Late != 1 || !it.Open || it.Name == "" || it.Of == "" {
				t.Fatalf("item %+v", it)
			}
			delete(ids, it.ID)
		}
		if len(ids) != 0 {
			t.Fatalf("not listed: %v", ids)
		}
		if _, _, _, err := s.NotificationItems(ctx, e.accounts["director"].ID, digest.ID, xinlu.Page{}); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("someone else's digest: %v", err)
		}
		// An item notification lists its one item, closed once its deadline moves.
		proj := e.notes(t, "sponsor")[0]
		if _, items, total, err := s.NotificationItems(ctx, e.accounts["sponsor"].ID, proj.ID, xinlu.Page{}); err != nil || total != 1 ||
			items[0].Type != store.SubjectProject || items[0].LinkID != e.project.ID || items[0].Name != "铝材项目" || !items[0].Open {
			t.Fatalf("project item: %+v %v", items, err)
		}
		// A lead overdue since 30 September found later the same day waits
		// for the next day, when it is told on its own (one is below the threshold).
		late := e.bulkLeads(t, 1, e.lead.ReportedAt)
		if res := escalate("2026-10-08"); res.Notifications != 0 || res.Items != 29 {
			t.Fatalf("later the same day: %+v", res)
		}
		if res := escalate("2026-10-09"); res.Notifications != 1 || res.Digests != 0 {
			t.Fatalf("9 October: %+v", res)
		}
		if got := e.notes(t, "screener")[0]; got.Kind != store.NotifyOverdue || got.SubjectID != late[0].ID {
			t.Fatalf("the late lead: %+v", got)
		}
		// 22 leads reported on 30 September, due 13 October. On 14 October
		// they are new to the screener (a new digest), while the first 27
		// reach level 2: a digest each for the sponsor (with the project and
		// the approval) and the other leader.
		e.bulkLeads(t, 22, time.Date(2026, 9, 30, 4, 0, 0, 0, time.UTC))
		res = escalate("2026-10-14")
		if res.Digests != 3 || res.Notifications != 3 || res.Told != 22+29+27 {
			t.Fatalf("14 October: %+v", res)
		}
		want("screener", "1:26,26,0,0,2026-10-08", "1:22,22,0,0,2026-10-14")
		want("sponsor", "2:29,27,1,1,2026-10-14")
		want("leader", "2:27,27,0,0,2026-10-14")
		want("director")
		if got := e.levels(t, "agent"); !slices.Equal(got, []string{"approval:1"}) {
			t.Fatalf("agent %v", got)
		}
		// 21 October: the first ones reach the director, the second batch the leaders.
		res = escalate("2026-10-21")
		if res.Digests != 3 || res.Told != 29+22+22 {
			t.Fatalf("21 October: %+v", res)
		}
		want("director", "3:29,27,1,1,2026-10-21")
		want("sponsor", "2:29,27,1,1,2026-10-14", "2:22,22,0,0,2026-10-21")
		want("leader", "2:27,27,0,0,2026-10-14", "2:22,22,0,0,2026-10-21")
		if res := escalate("2026-10-21"); res.Notifications != 0 || res.Told != 0 {
			t.Fatalf("second run: %+v", res)
		}
		// Digests count as unread notifications like the others.
		if n, err := s.UnreadCount(ctx, e.accounts["sponsor"].ID); err != nil || n != 3 {
			t.Fatalf("sponsor unread %d %v", n, err)
		}
		// The director's digest lists the approval item under its project.
		dir := e.notes(t, "director")[0]
		_, items, total, err = s.NotificationItems(ctx, e.accounts["director"].ID, dir.ID, xinlu.Page{PerPage: 100})
		if err != nil || total != 29 {
			t.Fatalf("director's items %d %v", total, err)
		}
		kinds := map[string]int{}
		for _, it := range items {
			kinds[it.Type]++
			if it.Type == store.SubjectApproval && (it.LinkType != store.SubjectProject || it.LinkID != e.project.ID || it.Name != "立项备案" || it.Of != "铝材项目") {
				t.Fatalf("approval item %+v", it)
			}
			if it.Late != 11 {
				t.Fatalf("late %+v", it)
			}
		}
		if kinds[store.SubjectLead] != 27 || kinds[store.SubjectProject] != 1 || kinds[store.SubjectApproval] != 1 {
			t.Fatalf("kinds %v", kinds)
		}
		// The project's deadline moved: its item is no longer open.
		setDue(t, s, e.project.ID, "2026-12-31")
		_, items, _, _ = s.NotificationItems(ctx, e.accounts["director"].ID, dir.ID, xinlu.Page{PerPage: 100})
		for _, it := range items {
			if it.Open != (it.Type != store.SubjectProject) {
				t.Fatalf("open %+v", it)
			}
		}
	})
}

// TestEscalationAtThresholdIsItemByItem: DigestThreshold new items are
// still told one by one.
func TestEscalationAtThresholdIsItemByItem(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		e := newNotifyEnv(t, s)
		e.bulkLeads(t, store.DigestThreshold-1, e.lead.ReportedAt)
		res, err := s.EscalateOverdue(context.Background(), day("2026-10-08"))
		if err != nil || res.Digests != 0 || res.Notifications != store.DigestThreshold+2 {
			t.Fatalf("%+v %v", res, err)
		}
		if got := e.levels(t, "screener"); len(got) != store.DigestThreshold || got[0] != "lead:1" {
			t.Fatalf("screener %v", got)
		}
	})
}

// TestEscalationFollowsZoneThresholds: the sponsor and the director are
// told after the zone's own numbers of working days red, read on each run,
// so that a change applies from the next run on; another zone keeps the
// defaults. The items are due Wednesday 30 September; after the National
// Day holiday the working days late are 8 Oct (1), 9 (2), 10 (the make-up
// Saturday, 3), 12 (4), 13 (5) and 14 October (6).
func TestEscalationFollowsZoneThresholds(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newNotifyEnv(t, s)
		admin := pipelineAdmin(e.zone.ID)
		settings := func(sponsor, director int) {
			t.Helper()
			st, err := s.PipelineSettings(ctx, e.zone.ID)
			if err != nil {
				t.Fatal(err)
			}
			st.Light.SponsorAfter, st.Light.DirectorAfter = sponsor, director
			if err := s.SavePipelineSettings(ctx, xinlu.ActorOf(admin, ""), admin, &st); err != nil {
				t.Fatal(err)
			}
		}
		escalate := func(on string) store.EscalationResult { return e.escalate(t, on) }
		want := func(name string, levels ...string) { t.Helper(); e.wantLevels(t, name, levels...) }
		// A second zone with the default thresholds and a project of the
		// same due date (no holidays in its calendar: 9 working days late
		// on 13 October).
		z, sys := seedZone(t, s, "DF")
		otherDirector := &xinlu.User{ZoneID: z.ID, Username: "director2", Name: "director2", PasswordHash: "x", Roles: []xinlu.Role{xinlu.RoleDirector}}
		if err := s.CreateUser(ctx, sys, otherDirector); err != nil {
			t.Fatal(err)
		}
		p := &store.ProjectRecord{}
		p.ZoneID, p.Name, p.Company, p.Industry, p.Stage = z.ID, "外区项目", "外区公司", "other", xinlu.StagePackaging
		if err := s.CreateProject(ctx, sys, p); err != nil {
			t.Fatal(err)
		}
		setDue(t, s, p.ID, "2026-09-30")
		otherLevels := func() []int {
			t.Helper()
			items, _, err := s.ListNotifications(ctx, store.NotificationFilter{UserID: otherDirector.ID})
			if err != nil {
				t.Fatal(err)
			}
			var out []int
			for _, n := range items {
				out = append(out, n.Level)
			}
			return out
		}

		// The sponsor after more than 2 working days, the director after more than 4.
		settings(2, 4)
		escalate("2026-10-08")
		want("agent", "approval:1")
		want("sponsor", "project:1")
		want("screener", "lead:1")
		if res := escalate("2026-10-09"); res.Notifications != 0 { // 2 late: not more than 2
			t.Fatalf("9 October notified %d", res.Notifications)
		}
		escalate("2026-10-10") // 3 late: the sponsor, where the defaults wait for 6
		want("sponsor", "approval:2", "lead:2", "project:1", "project:2")
		want("leader", "lead:2")
		want("director")
		if res := escalate("2026-10-12"); res.Notifications != 0 { // 4 late: not more than 4
			t.Fatalf("12 October notified %d", res.Notifications)
		}
		escalate("2026-10-13") // 5 late: the director, where the defaults wait for 11
		want("director", "approval:3", "lead:3", "project:3")
		// The other zone's project, 9 working days late on the 13th, went
		// to its director on no day: its defaults wait for more than 10.
		if got := otherLevels(); len(got) != 0 {
			t.Fatalf("the other zone's director: %v", got)
		}

		// A new deadline with raised thresholds: the project, due 13
		// October, is 1 late on the 14th, 5 on the 20th, 6 on the 21st.
		settings(5, 6)
		setDue(t, s, e.project.ID, "2026-10-13")
		escalate("2026-10-20")
		want("sponsor", "approval:2", "lead:2", "project:1", "project:1", "project:2")
		escalate("2026-10-21") // 6 late: more than 5, the sponsor; not more than 6
		want("sponsor", "approval:2", "lead:2", "project:1", "project:1", "project:2", "project:2")
		want("director", "approval:3", "lead:3", "project:3")
		// Lowered again, the next run tells the director of the 6 days.
		settings(3, 5)
		escalate("2026-10-21")
		want("director", "approval:3", "lead:3", "project:3", "project:3")
	})
}

// TestEscalationTellsEachPersonOnce: when the job first meets items already
// at level 3 (it did not run for weeks), a person named at several levels
// (the sponsor at 1 and 2 of a project) is told once, at the highest, and
// not again at a lower level afterwards.
func TestEscalationTellsEachPersonOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		e := newNotifyEnv(t, s)
		e.escalate(t, "2026-10-21")
		e.wantLevels(t, "sponsor", "approval:2", "lead:2", "project:2")
		e.wantLevels(t, "director", "approval:3", "lead:3", "project:3")
		e.wantLevels(t, "agent", "approval:1")
		if res := e.escalate(t, "2026-10-22"); res.Notifications != 0 {
			t.Fatalf("the next day told %d more", res.Notifications)
		}
		e.wantLevels(t, "sponsor", "approval:2", "lead:2", "project:2")
	})
}
