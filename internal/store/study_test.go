package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

type studyFixture struct {
	s     *store.Store
	zone  *xinlu.Zone
	sys   xinlu.Actor
	users map[string]*xinlu.User
	depts map[string]int64
}

func (f *studyFixture) actor(who string) xinlu.Actor {
	u := f.users[who]
	return xinlu.Actor{ZoneID: u.ZoneID, UserID: u.ID, Name: u.Name}
}

func seedStudy(t *testing.T, s *store.Store) *studyFixture {
	t.Helper()
	ctx := context.Background()
	z, a := seedZone(t, s, "ST")
	f := &studyFixture{s: s, zone: z, sys: a, users: map[string]*xinlu.User{}, depts: map[string]int64{}}
	for _, p := range []struct {
		name, dept string
		roles      []xinlu.Role
	}{
		{"office", "组织人事部", []xinlu.Role{xinlu.RoleMember, xinlu.RoleDiscipline}},
		{"lixm", "招商一局", []xinlu.Role{xinlu.RoleMember}},
		{"wangf", "招商一局", []xinlu.Role{xinlu.RoleMember}},
		{"head1", "招商一局", []xinlu.Role{xinlu.RoleMember, xinlu.RoleHead}},
		{"zhao", "综合办", []xinlu.Role{xinlu.RoleMember}},
		{"head2", "综合办", []xinlu.Role{xinlu.RoleMember, xinlu.RoleHead}},
	} {
		m := seedTeamMember(t, s, a, z.ID, "S"+p.name, "成员"+p.name, p.dept, xinlu.MemberActive)
		u := &xinlu.User{ZoneID: z.ID, Username: p.name, Name: "成员" + p.name, Roles: p.roles, PasswordHash: "x",
			MemberID: m.ID, DepartmentID: m.DepartmentID}
		if err := s.CreateUser(ctx, a, u); err != nil {
			t.Fatal(err)
		}
		f.users[p.name], f.depts[p.dept] = u, m.DepartmentID
	}
	return f
}

const studyMaterial = "解放思想是推动开发区改革的总开关。只有把思想从条条框框中解放出来，才能在招商引资、项目建设和营商环境上闯出新路子。我们必须敢于打破部门壁垒，用市场化的办法配置资源，用专业化的队伍服务企业。"

func studyText(seed string, n int) string {
	var b strings.Builder
	for b.Len() < n*3 {
		b.WriteString(seed)
	}
	return string([]rune(b.String())[:n])
}

func TestStudyCampaignFlow(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStudy(t, s)
		day := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return day })

		// Only the office creates; every bad field at once; nothing written.
		if _, err := s.SaveCampaign(ctx, f.actor("lixm"), f.users["lixm"], &xinlu.Campaign{Title: "甲"}, 0); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("member creates: %v", err)
		}
		_, err := s.SaveCampaign(ctx, f.actor("office"), f.users["office"], &xinlu.Campaign{Audience: xinlu.AudienceDepartments, OpensOn: "2026-12-07"}, 0)
		if n := len(xinlu.ErrorsOf(err)); n != 3 {
			t.Fatalf("bad campaign: %d errors %v", n, err)
		}
		c, err := s.SaveCampaign(ctx, f.actor("office"), f.users["office"], &xinlu.Campaign{Title: "学习改革讲话", SourceText: studyMaterial,
			Audience: xinlu.AudienceDepartments, DepartmentIDs: []int64{f.depts["招商一局"], f.depts["综合办"]},
			OpensOn: "2026-12-07", ClosesOn: "2026-12-11", MinLength: 50, Graded: true}, 0)
		if err != nil || c.Status != xinlu.CampaignDraft || c.Version != 1 {
			t.Fatalf("create: %+v %v", c, err)
		}
		// An unchanged save writes nothing.
		again, err := s.SaveCampaign(ctx, f.actor("office"), f.users["office"], c, c.Version)
		if err != nil || again.Version != 1 {
			t.Fatalf("unchanged save: %+v %v", again, err)
		}
		// A draft is the office's alone.
		if _, err := s.Campaign(ctx, f.users["lixm"], c.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("member sees a draft: %v", err)
		}
		if c, err = s.CampaignAction(ctx, f.actor("office"), f.users["office"], c.ID, c.Version, xinlu.CampaignOpenAction); err != nil || c.Status != xinlu.CampaignOpen {
			t.Fatalf("open: %v", err)
		}
		if list, _ := s.Campaigns(ctx, f.users["lixm"]); len(list) != 1 {
			t.Fatalf("member's campaigns: %d", len(list))
		}
		if list, _ := s.Campaigns(ctx, f.users["office"]); len(list) != 1 {
			t.Fatalf("office's campaigns: %d", len(list))
		}

		// Li writes a draft, a long copy of the material; Wang copies Li.
		own := "我在学习中反复思考，开发区的体制机制改革归根到底是为了让企业办事更方便。我所在的部门负责企业服务，过去一件事要跑好几个窗口，群众意见很大。"
		body := studyMaterial + own
		r, err := s.SaveReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, 0, "太短")
		if err != nil || r.Status != xinlu.ReflectionDraft {
			t.Fatalf("draft: %v", err)
		}
		// Nobody but Li sees a draft, not even the head.
		if _, _, err := s.Reflection(ctx, f.users["head1"], r.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("head sees a draft: %v", err)
		}
		if _, err := s.SubmitReflection(ctx, f.actor("lixm"), f.users["lixm"], r.ID, r.Version); xinlu.AsError(err).Key != "study.reflection_short" {
			t.Fatalf("short submission: %v", err)
		}
		if r, err = s.SaveReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, r.Version, body); err != nil || r.Version != 2 {
			t.Fatalf("save: %v", err)
		}
		if _, err := s.SaveReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, 1, body+"。"); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("stale save: %v", err)
		}
		if r, err = s.SubmitReflection(ctx, f.actor("lixm"), f.users["lixm"], r.ID, r.Version); err != nil || r.Status != xinlu.ReflectionSubmitted || r.Late {
			t.Fatalf("submit: %+v %v", r, err)
		}
		// After the closing date Wang's submission is late.
		day = time.Date(2026, 12, 14, 2, 0, 0, 0, time.UTC)
		w, err := s.SaveReflection(ctx, f.actor("wangf"), f.users["wangf"], c.ID, 0, strings.Replace(body, "，", ",", -1))
		if err != nil {
			t.Fatal(err)
		}
		if w, err = s.SubmitReflection(ctx, f.actor("wangf"), f.users["wangf"], w.ID, w.Version); err != nil || !w.Late {
			t.Fatalf("late submit: %+v %v", w, err)
		}

		// The copying check: Wang's text against Li's and the material.
		rep, err := s.SimilarReflections(ctx, f.users["head1"], w.ID)
		if err != nil || len(rep.Matches) != 2 {
			t.Fatalf("similar: %+v %v", rep, err)
		}
		if m := rep.Matches[0]; m.Kind != xinlu.SimilarReflection || m.ID != r.ID || m.Score < 0.99 || m.Label != "成员lixm" || rep.Texts[store.SimilarKey(m.Kind, m.ID)] != body {
			t.Fatalf("first match %+v", m.SimilarDoc)
		}
		if m := rep.Matches[1]; m.Kind != xinlu.SimilarSource || m.Score < 0.5 || m.Score > 0.75 {
			t.Fatalf("material match %+v %.2f", m.SimilarDoc, m.Score)
		}
		// The other department's head reaches neither reflection.
		if _, err := s.SimilarReflections(ctx, f.users["head2"], w.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("other head: %v", err)
		}

		// The head returns Li's, Li resubmits, the head accepts with a grade.
		if _, err := s.ReviewReflection(ctx, f.actor("head1"), f.users["head1"], r.ID, r.Version, xinlu.Review{Action: xinlu.ReviewReturn}); xinlu.AsError(err).Key != "study.return_comment_required" {
			t.Fatalf("return without comment: %v", err)
		}
		if r, err = s.ReviewReflection(ctx, f.actor("head1"), f.users["head1"], r.ID, r.Version, xinlu.Review{Action: xinlu.ReviewReturn, Comment: "照抄材料过多"}); err != nil || r.Status != xinlu.ReflectionReturned {
			t.Fatalf("return: %v", err)
		}
		if r, err = s.SaveReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, r.Version, own+own+"今后我要继续钻研业务。"); err != nil {
			t.Fatalf("rewrite: %v", err)
		}
		if r, err = s.SubmitReflection(ctx, f.actor("lixm"), f.users["lixm"], r.ID, r.Version); err != nil || r.Status != xinlu.ReflectionResubmitted || r.Late {
			t.Fatalf("resubmit: %+v %v", r, err)
		}
		// The index follows the rewrite: Wang's copy now matches less.
		rep, err = s.SimilarReflections(ctx, f.users["head1"], w.ID)
		if err != nil || rep.Matches[0].Kind != xinlu.SimilarSource {
			t.Fatalf("after the rewrite: %+v %v", rep.Matches, err)
		}
		if r, err = s.ReviewReflection(ctx, f.actor("head1"), f.users["head1"], r.ID, r.Version, xinlu.Review{Action: xinlu.ReviewAccept, Grade: xinlu.GradeExcellent}); err != nil || r.Status != xinlu.ReflectionAccepted || r.Grade != xinlu.GradeExcellent {
			t.Fatalf("accept: %+v %v", r, err)
		}

		// Completion: the office sees both departments, a head their own.
		_, comp, err := s.StudyCompletion(ctx, f.users["office"], c.ID)
		if err != nil || len(comp.Departments) != 2 || comp.Total.Asked != 5 || comp.Total.Accepted != 1 || comp.Total.Late != 1 || comp.Total.Missing != 3 {
			t.Fatalf("completion %+v %v", comp, err)
		}
		_, comp, err = s.StudyCompletion(ctx, f.users["head2"], c.ID)
		if err != nil || len(comp.Departments) != 1 || comp.Total.Asked != 2 {
			t.Fatalf("head's completion %+v %v", comp, err)
		}
		if _, _, err := s.StudyCompletion(ctx, f.users["lixm"], c.ID); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("member's completion: %v", err)
		}

		// Every step was audited.
		entries, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Action: "study.", Page: xinlu.Page{Page: 1, PerPage: 100}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, e := range entries {
			got[e.Action]++
		}
		want := map[string]int{"study.campaign.create": 1, "study.campaign.open": 1, "study.reflection.save": 4,
			"study.reflection.submit": 3, "study.reflection.return": 1, "study.reflection.accept": 1}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%s audited %d times, want %d (%v)", k, got[k], n, got)
			}
		}
	})
}

// TestStudyReminders: two working days before a campaign closes, its
// members who have not submitted are told once; after it closes, those
// still missing are told once more; a member who submitted is never told.
func TestStudyReminders(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStudy(t, s)
		day := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC) // Monday
		s.SetClock(func() time.Time { return day })
		c := f.openCampaign(t, "2026-12-11")
		r, err := s.SaveReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, 0, studyText("我在学习中反复思考开发区改革的意义。", 80))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitReflection(ctx, f.actor("lixm"), f.users["lixm"], r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		told := func(who string) []string {
			t.Helper()
			ns, _, err := s.ListNotifications(ctx, store.NotificationFilter{UserID: f.users[who].ID})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range ns {
				if n.Kind == store.NotifyStudy {
					out = append(out, n.MessageKey)
				}
			}
			return out
		}
		// Monday: four working days left, nobody is told.
		if n, err := s.StudyReminders(ctx, day); err != nil || n != 0 {
			t.Fatalf("Monday: %d %v", n, err)
		}
		// Wednesday: two working days left; wangf and head1 are told, Li submitted, 综合办 is not asked.
		wed := day.AddDate(0, 0, 2)
		if n, err := s.StudyReminders(ctx, wed); err != nil || n != 2 {
			t.Fatalf("Wednesday: %d %v", n, err)
		}
		if n, _ := s.StudyReminders(ctx, wed); n != 0 {
			t.Fatalf("told twice: %d", n)
		}
		if got := told("wangf"); len(got) != 1 || got[0] != "study.remind_due" || len(told("lixm")) != 0 || len(told("zhao")) != 0 {
			t.Fatalf("told: wangf %v lixm %v zhao %v", got, told("lixm"), told("zhao"))
		}
		// The next Monday, closed: the missing are told it is overdue, once.
		if n, err := s.StudyReminders(ctx, day.AddDate(0, 0, 7)); err != nil || n != 2 {
			t.Fatalf("overdue: %d %v", n, err)
		}
		if got := told("wangf"); len(got) != 2 || len(told("lixm")) != 0 {
			t.Fatalf("after closing: wangf %v lixm %v", got, told("lixm"))
		}
	})
}

// TestPickExcellent: the organisation office picks an accepted reflection
// as excellent and takes the pick back; an unchanged pick writes nothing;
// nobody else picks, and a reflection not accepted cannot be picked.
func TestPickExcellent(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStudy(t, s)
		day := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return day })
		c := f.openCampaign(t, "2026-12-11")
		r, err := s.SaveReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, 0, studyText("我在学习中反复思考开发区改革的意义。", 80))
		if err != nil {
			t.Fatal(err)
		}
		if r, err = s.SubmitReflection(ctx, f.actor("lixm"), f.users["lixm"], r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PickExcellent(ctx, f.actor("office"), f.users["office"], r.ID, r.Version, true); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("a reflection awaiting review picked: %v", err)
		}
		if r, err = s.ReviewReflection(ctx, f.actor("head1"), f.users["head1"], r.ID, r.Version, xinlu.Review{Action: xinlu.ReviewAccept}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PickExcellent(ctx, f.actor("head1"), f.users["head1"], r.ID, r.Version, true); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("the head picks: %v", err)
		}
		picked, err := s.PickExcellent(ctx, f.actor("office"), f.users["office"], r.ID, r.Version, true)
		if err != nil || !picked.Excellent || picked.Version != r.Version+1 {
			t.Fatalf("pick: %+v %v", picked, err)
		}
		again, err := s.PickExcellent(ctx, f.actor("office"), f.users["office"], r.ID, picked.Version, true)
		if err != nil || again.Version != picked.Version {
			t.Fatalf("an unchanged pick wrote: %+v %v", again, err)
		}
		rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Action: "study.reflection.excellent", Page: xinlu.Page{Page: 1, PerPage: 10}})
		if err != nil || len(rows) != 1 {
			t.Fatalf("audit rows %d %v", len(rows), err)
		}
		back, err := s.PickExcellent(ctx, f.actor("office"), f.users["office"], r.ID, picked.Version, false)
		if err != nil || back.Excellent {
			t.Fatalf("take back: %+v %v", back, err)
		}
		if got, _, err := s.Reflection(ctx, f.users["office"], r.ID); err != nil || got.Excellent {
			t.Fatalf("stored: %+v %v", got, err)
		}
	})
}

// TestStudyCompletionMetric: the computed indicator study_completion counts
// the campaigns closing in the period whose reflection the member
// submitted on time and had accepted, and lists them as its records.
func TestStudyCompletionMetric(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStudy(t, s)
		day := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return day })
		c := f.openCampaign(t, "2026-12-11")
		submit := func(who string) *xinlu.Reflection {
			r, err := s.SaveReflection(ctx, f.actor(who), f.users[who], c.ID, 0, studyText("我在学习中反复思考开发区改革的意义"+who+"。", 80))
			if err != nil {
				t.Fatal(err)
			}
			if r, err = s.SubmitReflection(ctx, f.actor(who), f.users[who], r.ID, r.Version); err != nil {
				t.Fatal(err)
			}
			return r
		}
		li := submit("lixm")
		if _, err := s.ReviewReflection(ctx, f.actor("head1"), f.users["head1"], li.ID, li.Version, xinlu.Review{Action: xinlu.ReviewAccept}); err != nil {
			t.Fatal(err)
		}
		submit("wangf") // on time, not yet accepted: does not count
		p := &xinlu.Period{ZoneID: f.zone.ID, Kind: xinlu.PeriodMonth, Label: "2026-12", StartsOn: "2026-12-01", EndsOn: "2026-12-31"}
		m, err := s.MetricsForTest(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if got := m[f.users["lixm"].MemberID]["study_completion"]; got != 1 {
			t.Errorf("lixm: %d", got)
		}
		if got := m[f.users["wangf"].MemberID]["study_completion"]; got != 0 {
			t.Errorf("wangf: %d", got)
		}
		recs, err := s.MetricRecords(ctx, p, f.users["lixm"].MemberID, "study_completion", 10)
		if err != nil || len(recs) != 1 || recs[0].Kind != "study" || recs[0].ID != li.ID || recs[0].Label != "学习改革讲话" || recs[0].Date != "2026-12-11" {
			t.Fatalf("records: %+v %v", recs, err)
		}
		// A period the campaign does not close in counts nothing.
		nov := &xinlu.Period{ZoneID: f.zone.ID, Kind: xinlu.PeriodMonth, Label: "2026-11", StartsOn: "2026-11-01", EndsOn: "2026-11-30"}
		if m, _ := s.MetricsForTest(ctx, nov); m[f.users["lixm"].MemberID]["study_completion"] != 0 {
			t.Errorf("November counts the December campaign")
		}
	})
}

// openCampaign has the office open a campaign asking 招商一局, from
// 2026-12-07 to closes.
func (f *studyFixture) openCampaign(t *testing.T, closes string) *xinlu.Campaign {
	t.Helper()
	ctx := context.Background()
	c, err := f.s.SaveCampaign(ctx, f.actor("office"), f.users["office"], &xinlu.Campaign{Title: "学习改革讲话", SourceText: studyMaterial,
		Audience: xinlu.AudienceDepartments, DepartmentIDs: []int64{f.depts["招商一局"]},
		OpensOn: "2026-12-07", ClosesOn: closes, MinLength: 50}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = f.s.CampaignAction(ctx, f.actor("office"), f.users["office"], c.ID, c.Version, xinlu.CampaignOpenAction); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestStudyTeamAudience: a campaign may ask the members of a team (专班),
// across departments, as the team stands: a member who joins is asked
// from then on, one who leaves no longer.
func TestStudyTeamAudience(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStudy(t, s)
		s.SetClock(func() time.Time { return time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC) })
		team := &xinlu.Team{ZoneID: f.zone.ID, Kind: xinlu.TeamTaskforce, Name: "招商专班"}
		if err := s.CreateTeam(ctx, f.sys, team); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"lixm", "zhao"} {
			if err := s.AddTeamMember(ctx, f.sys, f.zone.ID, &xinlu.TeamMember{TeamID: team.ID, MemberID: f.users[who].MemberID}); err != nil {
				t.Fatal(err)
			}
		}
		office := f.users["office"]
		if _, err := s.SaveCampaign(ctx, f.actor("office"), office, &xinlu.Campaign{Title: "专班学习", Theme: "解放思想", Audience: xinlu.AudienceTeams,
			TeamIDs: []int64{team.ID + 100}, OpensOn: "2026-12-07", ClosesOn: "2026-12-11"}, 0); xinlu.AsError(err).Key != "study.unknown_ref" {
			t.Fatalf("an unknown team: %v", err)
		}
		c, err := s.SaveCampaign(ctx, f.actor("office"), office, &xinlu.Campaign{Title: "专班学习", Theme: "解放思想", Audience: xinlu.AudienceTeams,
			TeamIDs: []int64{team.ID}, OpensOn: "2026-12-07", ClosesOn: "2026-12-11", MinLength: 20}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if c, err = s.CampaignAction(ctx, f.actor("office"), office, c.ID, c.Version, xinlu.CampaignOpenAction); err != nil {
			t.Fatal(err)
		}
		_, comp, err := s.StudyCompletion(ctx, office, c.ID)
		if err != nil || comp.Total.Asked != 2 || len(comp.Departments) != 2 {
			t.Fatalf("completion of the team: %+v %v", comp, err)
		}
		if _, err := s.SaveReflection(ctx, f.actor("zhao"), f.users["zhao"], c.ID, 0, "专班成员的心得"); err != nil {
			t.Fatalf("a team member of another department writes: %v", err)
		}
		if _, err := s.SaveReflection(ctx, f.actor("wangf"), f.users["wangf"], c.ID, 0, "不在专班"); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("a member outside the team writes: %v", err)
		}
		if err := s.AddTeamMember(ctx, f.sys, f.zone.ID, &xinlu.TeamMember{TeamID: team.ID, MemberID: f.users["wangf"].MemberID}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveReflection(ctx, f.actor("wangf"), f.users["wangf"], c.ID, 0, "加入专班后"); err != nil {
			t.Fatalf("a member who joined writes: %v", err)
		}
		if err := s.RemoveTeamMember(ctx, f.sys, f.zone.ID, team.ID, f.users["lixm"].MemberID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Campaign(ctx, f.users["lixm"], c.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("a member who left still sees the campaign: %v", err)
		}
	})
}
