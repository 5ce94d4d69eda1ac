package store_test

import (
	"context"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// briefingData seeds a small November 2026 by hand, with records just
// outside the month and records that must not count beside each that must,
// and answers the director and a department head.
func briefingData(t *testing.T, s *store.Store) (z *xinlu.Zone, director, head *xinlu.User) {
	t.Helper()
	ctx := context.Background()
	z, a := seedZone(t, s, "BR")
	li := seedTeamMember(t, s, a, z.ID, "B1", "李明", "招商一局", xinlu.MemberActive)
	wang := seedTeamMember(t, s, a, z.ID, "B2", "王芳", "招商一局", xinlu.MemberActive)
	zhao := seedTeamMember(t, s, a, z.ID, "B3", "赵强", "综合办", xinlu.MemberActive)
	director = &xinlu.User{ZoneID: z.ID, Username: "br-director", Name: "主任", Roles: []xinlu.Role{xinlu.RoleDirector}, PasswordHash: "x"}
	head = &xinlu.User{ZoneID: z.ID, Username: "br-head", Name: "局长", Roles: []xinlu.Role{xinlu.RoleHead}, PasswordHash: "x"}
	for _, u := range []*xinlu.User{director, head} {
		if err := s.CreateUser(ctx, a, u); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	sh := time.FixedZone("CST", 8*3600)
	exec := func(q string, args ...any) {
		t.Helper()
		if err := s.ExecArgsForTest(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	lead := func(id int64, reporter int64, reported time.Time, status, due string) {
		exec(`INSERT INTO leads (id, zone_id, reporter_id, company, company_key, project_name, industry, status, reported_at, screening_due, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, id, z.ID, reporter, "公司", "key", "线索项目", "other", status, reported.UTC(), due, at, at)
	}
	lead(9001, li.ID, time.Date(2026, 11, 3, 10, 0, 0, 0, sh), "accepted", "")
	lead(9002, li.ID, time.Date(2026, 11, 20, 9, 0, 0, 0, sh), "screening", "2026-11-25")    // red, 3 working days on 11-30
	lead(9003, zhao.ID, time.Date(2026, 11, 30, 23, 30, 0, 0, sh), "reported", "2026-12-03") // November in Shanghai, not red
	lead(9004, wang.ID, time.Date(2026, 12, 1, 0, 30, 0, 0, sh), "reported", "2026-12-08")   // December in Shanghai (still November in UTC)
	lead(9005, wang.ID, time.Date(2026, 11, 10, 9, 0, 0, 0, sh), "merged", "")               // a duplicate merged away

	project := func(id int64, name string, sponsor int64, stage, status, signed, started, produced, due string, yuan int64) {
		var sp any
		if sponsor != 0 {
			sp = sponsor
		}
		exec(`INSERT INTO projects (id, zone_id, name, company, company_key, industry, stage, status, sponsor_id, signed_on, started_on, produced_on, stage_due, contract_yuan, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, id, z.ID, name, name+"公司", name, "other", stage, status, sp, signed, started, produced, due, yuan, at, at)
	}
	project(9101, "甲项目", wang.ID, "agency", "active", "2026-11-05", "", "", "2026-11-27", 300_000_000) // signed, red 1 day
	project(9102, "乙项目", zhao.ID, "construction", "active", "2026-10-20", "2026-11-12", "", "2026-12-20", 100_000_000)
	project(9103, "丙项目", 0, "production", "active", "2026-11-18", "2026-11-19", "2026-11-28", "", 50_000_000)
	project(9104, "丁项目", li.ID, "promotion", "lost", "", "", "", "2026-11-01", 0) // lost: never red

	for _, f := range []struct {
		project int64
		on      string
		yuan    int64
	}{{9101, "2026-11-10", 20_000_000}, {9101, "2026-11-30", 5_000_000}, {9102, "2026-11-15", 10_000_000}, {9102, "2026-12-01", 99}, {9103, "2026-10-31", 7}} {
		exec(`INSERT INTO funds_in_place (zone_id, project_id, on_date, amount_yuan, created_at) VALUES (?,?,?,?,?)`, z.ID, f.project, f.on, f.yuan, at)
	}
	approval := func(project int64, name string, agent int64, status, due string) {
		var ag any
		if agent != 0 {
			ag = agent
		}
		exec(`INSERT INTO approval_items (zone_id, project_id, name, agent_id, status, due_on, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
			z.ID, project, name, ag, status, due, at, at)
	}
	approval(9102, "施工许可", li.ID, "submitted", "2026-11-20") // red, 6 working days
	approval(9102, "规划许可", li.ID, "approved", "2026-11-01")
	approval(9104, "环评", li.ID, "preparing", "2026-11-02") // of a lost project
	approval(9101, "立项备案", 0, "preparing", "2026-11-30")   // due on the day itself
	exec(`INSERT INTO supervision_orders (zone_id, project_id, task, assignee_id, due_on, closed_on, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
		z.ID, 9101, "落实用地", zhao.ID, "2026-11-16", "", at, at) // red, 10 working days
	exec(`INSERT INTO supervision_orders (zone_id, project_id, task, assignee_id, due_on, closed_on, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
		z.ID, 9101, "签订协议", li.ID, "2026-11-05", "2026-11-10", at, at)

	incentive := func(member int64, kind, status, on string, yuan int64, neutralised int64) {
		exec(`INSERT INTO incentives (zone_id, member_id, kind, amount_yuan, points, reason, evidence_type, occurred_on, status, neutralised_by, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, z.ID, member, kind, yuan, 0, "理由", "text", on, status, neutralised, at, at)
	}
	incentive(li.ID, "reward", "approved", "2026-11-08", 5000, 0)
	incentive(wang.ID, "penalty", "approved", "2026-11-12", 1000, 0)
	incentive(zhao.ID, "reward", "proposed", "2026-11-09", 800, 0)
	incentive(li.ID, "reward", "approved", "2026-12-02", 300, 0)
	incentive(wang.ID, "reward", "approved", "2026-11-15", 200, 9)

	exec(`INSERT INTO appraisal_periods (id, zone_id, kind, label, starts_on, ends_on, state, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)`,
		9201, z.ID, "month", "2026-11", "2026-11-01", "2026-11-30", "publication", at, at)
	for _, r := range []struct {
		member int64
		band   string
		rank   int
		score  int64
	}{{li.ID, "top", 1, 9500}, {wang.ID, "middle", 2, 8800}, {zhao.ID, "bottom", 3, 7000}} {
		exec(`INSERT INTO appraisal_results (period_id, zone_id, member_id, group_key, band, rule, rank, ord, score) VALUES (?,?,?,?,?,?,?,?,?)`,
			9201, z.ID, r.member, "zone", r.band, "", r.rank, r.rank, r.score)
	}

	campaign := func(id int64, status, opens, closes string) {
		exec(`INSERT INTO study_campaigns (id, zone_id, title, audience, opens_on, closes_on, min_length, status, created_by, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)`, id, z.ID, "学习活动", "zone", opens, closes, 10, status, director.ID, at, at)
	}
	campaign(9301, "closed", "2026-11-02", "2026-11-13")
	campaign(9302, "draft", "2026-11-02", "2026-11-13")
	campaign(9303, "closed", "2026-10-01", "2026-10-31")
	reflection := func(member, dept int64, status string, late bool, on string) {
		exec(`INSERT INTO study_reflections (zone_id, campaign_id, member_id, department_id, body, status, late, submitted_on, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?)`, z.ID, 9301, member, dept, "心得", status, late, on, at, at)
	}
	reflection(li.ID, li.DepartmentID, "accepted", false, "2026-11-10")
	reflection(wang.ID, wang.DepartmentID, "submitted", true, "2026-11-15")
	return z, director, head
}

func TestBriefingFigures(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, director, head := briefingData(t, s)
		s.SetClock(func() time.Time { return time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC) })

		f, err := s.BriefingFigures(ctx, z.ID, "2026-11")
		if err != nil {
			t.Fatal(err)
		}
		if f.From != "2026-11-01" || f.To != "2026-11-30" || f.AsOf != "2026-11-30" {
			t.Fatalf("range %s..%s as of %s", f.From, f.To, f.AsOf)
		}
		if f.LeadsTotal != 3 || len(f.Leads) != 2 || f.Leads[0] != (xinlu.DepartmentCount{Department: "招商一局", Count: 2}) ||
			f.Leads[1] != (xinlu.DepartmentCount{Department: "综合办", Count: 1}) {
			t.Fatalf("leads %d %+v", f.LeadsTotal, f.Leads)
		}
		if len(f.Signed) != 2 || f.SignedYuan != 350_000_000 || f.Signed[0].Name != "甲项目" || f.Signed[0].Sponsor != "王芳" || f.Signed[1].Sponsor != "" {
			t.Fatalf("signed %d %+v", f.SignedYuan, f.Signed)
		}
		if f.FundsYuan != 35_000_000 || f.FundsCount != 2 {
			t.Fatalf("funds %d in %d projects", f.FundsYuan, f.FundsCount)
		}
		if len(f.Started) != 2 || f.Started[0].Name != "乙项目" || f.Started[1].Name != "丙项目" || len(f.Producing) != 1 || f.Producing[0].On != "2026-11-28" {
			t.Fatalf("started %+v producing %+v", f.Started, f.Producing)
		}
		type red struct {
			kind, name, owner, dept string
			late                    int
		}
		want := []red{{"project", "甲项目", "王芳", "招商一局", 1}, {"approval", "施工许可", "李明", "招商一局", 6},
			{"order", "落实用地", "赵强", "综合办", 10}, {"lead", "线索项目", "", "", 3}}
		if len(f.Red) != len(want) {
			t.Fatalf("red %+v", f.Red)
		}
		for i, w := range want {
			r := f.Red[i]
			if (red{r.Kind, r.Name, r.Owner, r.Department, r.DaysLate}) != w {
				t.Fatalf("red %d: %+v, want %+v", i, r, w)
			}
		}
		if f.RedByKind["project"] != 1 || f.RedByKind["lead"] != 1 || len(f.RedByOwner) != 2 || f.RedByOwner[0] != (xinlu.DepartmentCount{Department: "招商一局", Count: 2}) ||
			f.RedByOwner[1] != (xinlu.DepartmentCount{Department: "综合办", Count: 1}) {
			t.Fatalf("red by kind %v by owner %+v", f.RedByKind, f.RedByOwner)
		}
		if f.Ranking == nil || f.Ranking.Label != "2026-11" || f.Ranking.Bands[xinlu.BandMiddle] != 1 || len(f.Ranking.Top) != 1 || f.Ranking.Top[0].Name != "李明" ||
			len(f.Ranking.Bottom) != 1 || f.Ranking.Bottom[0].Score != 7000 {
			t.Fatalf("ranking %+v", f.Ranking)
		}
		if len(f.Incentives) != 2 || f.RewardYuan != 5000 || f.PenaltyYuan != 1000 || f.Incentives[0].Kind != xinlu.IncentiveReward {
			t.Fatalf("incentives %d/%d %+v", f.RewardYuan, f.PenaltyYuan, f.Incentives)
		}
		if len(f.Study) != 1 || f.Study[0].Total != (xinlu.StudyDeptSummary{Asked: 3, OnTime: 1, Late: 1, Missing: 1}) {
			t.Fatalf("study %+v", f.Study)
		}
		for _, d := range f.Study[0].Departments {
			if w := map[string]xinlu.StudyDeptSummary{"招商一局": {Department: "招商一局", Asked: 2, OnTime: 1, Late: 1},
				"综合办": {Department: "综合办", Asked: 1, Missing: 1}}[d.Department]; d != w {
				t.Fatalf("study department %+v, want %+v", d, w)
			}
		}

		// December runs: its red items are reckoned on today.
		if dec, err := s.BriefingFigures(ctx, z.ID, "2026-12"); err != nil || dec.AsOf != "2026-12-07" || dec.LeadsTotal != 1 || dec.FundsYuan != 99 {
			t.Fatalf("december %+v %v", dec, err)
		}
		if _, err := s.BriefingFigures(ctx, z.ID, "2027-01"); xinlu.AsError(err).Key != "briefing.month_future" {
			t.Fatalf("future month: %v", err)
		}

		// Only the director issues; a comment is required; the figures are kept as issued.
		da := xinlu.ActorOf(director, "127.0.0.1")
		if _, err := s.IssueBriefing(ctx, xinlu.ActorOf(head, ""), head, "2026-11", "好"); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("head issues: %v", err)
		}
		if _, err := s.IssueBriefing(ctx, da, director, "11月", " "); len(xinlu.ErrorsOf(err)) != 2 {
			t.Fatalf("bad month and comment: %v", err)
		}
		b, err := s.IssueBriefing(ctx, da, director, "2026-11", "各部门要加快推进红灯事项。")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.IssueBriefing(ctx, da, director, "2026-11", "再发一次"); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("issued twice: %v", err)
		}
		if err := s.ExecArgsForTest(ctx, `UPDATE projects SET contract_yuan = 1 WHERE id = 9101`); err != nil {
			t.Fatal(err)
		}
		got, err := s.BriefingByID(ctx, z.ID, b.ID)
		if err != nil || got.Figures.SignedYuan != 350_000_000 || got.Comment != "各部门要加快推进红灯事项。" || got.IssuedBy != "主任" || len(got.Figures.Red) != 4 {
			t.Fatalf("issued %+v %v", got, err)
		}
		if live, _ := s.BriefingFigures(ctx, z.ID, "2026-11"); live.SignedYuan != 50_000_001 {
			t.Fatalf("live figures follow the records: %d", live.SignedYuan)
		}
		if list, err := s.Briefings(ctx, z.ID); err != nil || len(list) != 1 || list[0].ID != b.ID {
			t.Fatalf("list %v %v", list, err)
		}
		other, _ := seedZone(t, s, "BR2")
		if _, err := s.BriefingByID(ctx, other.ID, b.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
			t.Fatalf("another zone reads it: %v", err)
		}
	})
}
