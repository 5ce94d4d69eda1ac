package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestSigningStoresTheFundsSchedule(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s) // today 2026-09-28
		p := e.create(t, "铝材项目", xinlu.StagePromotion, "materials", 2_000_000_000)
		sg := goodSigning()
		sg.FundsSchedule = "分三期到位"
		sg.Instalments = []xinlu.Instalment{ // out of order: stored by date
			{DueOn: "2027-06-30", Yuan: 500_000_000, Note: " 二期 "},
			{DueOn: "2026-12-31", Yuan: 300_000_000, Note: "首期"},
			{DueOn: "2027-12-31", Yuan: 200_000_000},
		}
		signed, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: sg})
		if err != nil {
			t.Fatal(err)
		}
		if signed.Signing.FundsSchedule != "分三期到位" || signed.Stage != xinlu.StageAgency {
			t.Fatalf("signed %+v", signed.Signing)
		}
		items, err := s.FundsSchedule(ctx, p.ID)
		want := []xinlu.Instalment{{DueOn: "2026-12-31", Yuan: 300_000_000, Note: "首期"}, {DueOn: "2027-06-30", Yuan: 500_000_000, Note: "二期"},
			{DueOn: "2027-12-31", Yuan: 200_000_000}}
		if err != nil || !slices.Equal(items, want) {
			t.Fatalf("schedule %+v %v", items, err)
		}
		// The timeline and the audit row carry it.
		evs, err := s.ProjectEvents(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if last.Kind != "sign" || last.Detail["schedule_count"] != float64(3) || last.Detail["schedule_yuan"] != float64(1_000_000_000) {
			t.Fatalf("event %+v", last)
		}
		entries, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "project.sign"})
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].After, `"funds_schedule_items":[{"amount_yuan":300000000,"due_on":"2026-12-31","note":"首期"}`) {
			t.Fatalf("audit %+v %v", entries, err)
		}

		// Nothing is due yet: no rate, not lagging, the next instalment.
		tr, err := s.FundsTracking(ctx, signed, projectToday)
		if err != nil || tr.Rate.Known() || tr.Lagging || tr.NextDueOn != "2026-12-31" || tr.NextYuan != 300_000_000 || len(tr.Items) != 3 {
			t.Fatalf("tracking %+v %v", tr, err)
		}
		// As of next spring with 100 million in: behind since the first.
		if err := s.RecordFunds(ctx, e.actor(xinlu.RoleAgent), e.users[xinlu.RoleAgent], p.ID, store.Funds{OnDate: "2026-09-28", Yuan: 100_000_000}); err != nil {
			t.Fatal(err)
		}
		tr, err = s.FundsTracking(ctx, signed, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || tr.Rate != (xinlu.Rate{Num: 100_000_000, Den: 300_000_000}) || !tr.Lagging || tr.ShortfallYuan != 200_000_000 ||
			tr.OverdueSince != "2026-12-31" || tr.Items[0].CoveredYuan != 100_000_000 {
			t.Fatalf("tracking in spring %+v %v", tr, err)
		}
		// Funds recorded after the as-of day do not count.
		tr, err = s.FundsTracking(ctx, signed, time.Date(2026, 9, 27, 0, 0, 0, 0, time.UTC))
		if err != nil || tr.FundsYuan != 0 {
			t.Fatalf("tracking before the funds %+v %v", tr, err)
		}

		// A project signed without instalments keeps an empty schedule.
		q := e.create(t, "镁合金项目", xinlu.StagePromotion, "materials", 1_000_000)
		sg = goodSigning()
		sg.FundsSchedule = "签约后一年内到位"
		if _, err := e.step(q, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: sg}); err != nil {
			t.Fatal(err)
		}
		if items, err := s.FundsSchedule(ctx, q.ID); err != nil || len(items) != 0 {
			t.Fatalf("no schedule: %+v %v", items, err)
		}
		// Another project's schedule is its own.
		if items, _ := s.FundsSchedule(ctx, p.ID); len(items) != 3 {
			t.Fatalf("first project's schedule %+v", items)
		}
	})
}

func TestBadFundsScheduleIsRefusedAndNothingWritten(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		p := e.create(t, "铝材项目", xinlu.StagePromotion, "materials", 2_000_000_000)
		for _, tc := range []struct {
			items []xinlu.Instalment
			field string
			key   string
		}{
			{[]xinlu.Instalment{{DueOn: "2026-10-30", Yuan: 100}, {DueOn: "2026-09-01", Yuan: 100}}, "funds_schedule_items[1].due_on", "project.schedule_before_signing"},
			{[]xinlu.Instalment{{DueOn: "2026-10-30", Yuan: 600_000_000}, {DueOn: "2027-10-30", Yuan: 400_000_000}, {DueOn: "2028-01-01", Yuan: 1}},
				"funds_schedule_items[2].amount_yuan", "project.schedule_over_contract"},
			{[]xinlu.Instalment{{DueOn: "2026-10-30", Yuan: 0}}, "funds_schedule_items[0].amount_yuan", "project.schedule_amount_positive"},
		} {
			sg := goodSigning()
			sg.Instalments = tc.items
			_, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: sg})
			ve := wantCode(t, err, xinlu.EINVALID)
			if ve.Field != tc.field || ve.Key != tc.key {
				t.Fatalf("refusal %+v, want %s %s", ve, tc.field, tc.key)
			}
		}
		again, err := s.ProjectByID(ctx, e.zone.ID, p.ID)
		if err != nil || again.Stage != xinlu.StagePromotion || again.Version != p.Version || again.Code != "" || again.Signing.SignedOn != "" {
			t.Fatalf("project changed: %v %+v", err, again)
		}
		if items, err := s.FundsSchedule(ctx, p.ID); err != nil || len(items) != 0 {
			t.Fatalf("schedule written: %+v %v", items, err)
		}
		if approvals, err := s.Approvals(ctx, e.zone.ID, p.ID); err != nil || len(approvals) != 0 {
			t.Fatalf("checklist written: %d %v", len(approvals), err)
		}
		if entries, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "project.sign"}); err != nil || len(entries) != 0 {
			t.Fatalf("audit written: %+v %v", entries, err)
		}
	})
}

func TestPerformanceTracksFundsSchedules(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s) // today 2026-09-28
		other := &xinlu.Member{ZoneID: e.zone.ID, StaffNo: "L2", Name: "李书记"}
		if err := s.CreateMember(ctx, e.sys, other); err != nil {
			t.Fatal(err)
		}
		// Signing goes through StepProject, which checks the signing day
		// against the store's today: sign on past days by moving the clock.
		sign := func(name, industry string, sponsor int64, signedOn string, contract int64, items ...xinlu.Instalment) *store.ProjectRecord {
			t.Helper()
			d, _ := xinlu.ParseDate(signedOn)
			s.SetClock(func() time.Time { return d.Add(4 * time.Hour) })
			defer s.SetClock(func() time.Time { return projectToday })
			p := e.create(t, name, xinlu.StagePromotion, industry, contract)
			if sponsor != 0 {
				var err error
				if p, err = e.step(p, xinlu.RoleSponsor, xinlu.ProjectAssignSponsor, store.StepInput{SponsorID: sponsor}); err != nil {
					t.Fatal(err)
				}
			}
			p, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: &xinlu.Signing{SignedOn: signedOn,
				ContractYuan: contract, PromisedStart: "2027-06-01", PromisedProduce: "2028-06-01", Instalments: items}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		funds := func(p *store.ProjectRecord, day string, yuan int64) {
			t.Helper()
			if err := s.RecordFunds(ctx, e.actor(xinlu.RoleAgent), e.users[xinlu.RoleAgent], p.ID, store.Funds{OnDate: day, Yuan: yuan}); err != nil {
				t.Fatal(err)
			}
		}
		// Materials, 王主任: 300 due 04-01, 200 due 08-01, 500 next year; 400 in: behind.
		a := sign("铝材", "materials", e.sponsor.ID, "2026-03-01", 1000,
			xinlu.Instalment{DueOn: "2026-04-01", Yuan: 300}, xinlu.Instalment{DueOn: "2026-08-01", Yuan: 200}, xinlu.Instalment{DueOn: "2027-01-01", Yuan: 500})
		funds(a, "2026-05-01", 400)
		// Equipment, 李书记: 1000 due 09-01, paid 1200 (ahead).
		b := sign("装备", "equipment", other.ID, "2026-08-20", 2000, xinlu.Instalment{DueOn: "2026-09-01", Yuan: 1000})
		funds(b, "2026-09-10", 1200)
		// Materials, no sponsor, no schedule (free text only).
		c := sign("旧项目", "materials", 0, "2026-02-01", 5000)
		funds(c, "2026-03-01", 100)
		// Lost with a schedule behind: left out.
		lost := sign("流失", "materials", e.sponsor.ID, "2026-02-01", 900, xinlu.Instalment{DueOn: "2026-03-01", Yuan: 900})
		if _, err := e.step(lost, xinlu.RoleSponsor, xinlu.ProjectLose, store.StepInput{Reason: "investor_withdrew"}); err != nil {
			t.Fatal(err)
		}

		rep, err := s.Performance(ctx, e.zone.ID, projectToday)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Projects) != 3 {
			t.Fatalf("projects %d", len(rep.Projects))
		}
		tot := rep.Total
		if tot.Scheduled != 2 || tot.ScheduleDue != 1500 || tot.ScheduleFunds != 1600 || tot.FundsLagging != 1 ||
			tot.ScheduleRate() != (xinlu.Rate{Num: 1600, Den: 1500}) {
			t.Fatalf("total %+v", tot)
		}
		for _, p := range rep.Projects {
			sc := p.Schedule
			switch p.ID {
			case a.ID:
				if !sc.Lagging || sc.DueYuan != 500 || sc.ShortfallYuan != 100 || sc.Rate != (xinlu.Rate{Num: 400, Den: 500}) ||
					sc.NextDueOn != "2027-01-01" || sc.NextYuan != 500 || sc.OverdueSince != "2026-08-01" {
					t.Fatalf("铝材 %+v", sc)
				}
			case b.ID:
				if sc.Lagging || sc.Rate != (xinlu.Rate{Num: 1200, Den: 1000}) || sc.ShortfallYuan != 0 {
					t.Fatalf("装备 %+v", sc)
				}
			case c.ID:
				if sc.HasSchedule() || sc.Rate.Known() || sc.Lagging {
					t.Fatalf("旧项目 %+v", sc)
				}
			}
		}
		// Per industry (equipment, materials) and per sponsor (by name: 李书记, 王主任; none last).
		if m := rep.ByIndustry[1]; m.Key != "materials" || m.ScheduleDue != 500 || m.ScheduleFunds != 400 || m.FundsLagging != 1 || m.Scheduled != 1 {
			t.Fatalf("materials %+v", m)
		}
		if q := rep.ByIndustry[0]; q.Key != "equipment" || q.ScheduleRate() != (xinlu.Rate{Num: 1200, Den: 1000}) || q.FundsLagging != 0 {
			t.Fatalf("equipment %+v", q)
		}
		if len(rep.BySponsor) != 3 || rep.BySponsor[1].ID != e.sponsor.ID || rep.BySponsor[1].FundsLagging != 1 ||
			rep.BySponsor[2].ID != 0 || rep.BySponsor[2].ScheduleRate().Known() {
			t.Fatalf("sponsors %+v", rep.BySponsor)
		}

		// As of 04-15: only 铝材's first instalment is due and nothing is in.
		rep, err = s.Performance(ctx, e.zone.ID, time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if tot := rep.Total; tot.ScheduleDue != 300 || tot.ScheduleFunds != 0 || tot.FundsLagging != 1 || !tot.ScheduleRate().Known() {
			t.Fatalf("04-15 total %+v", tot)
		}
		// As of 03-15 nothing is due: the rate is unknown, not 0.
		rep, err = s.Performance(ctx, e.zone.ID, time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if tot := rep.Total; tot.Scheduled != 1 || tot.ScheduleRate().Known() || tot.FundsLagging != 0 {
			t.Fatalf("03-15 total %+v", tot)
		}
		// Every zone (the viewer role) reads the same schedules.
		rep, err = s.Performance(ctx, 0, projectToday)
		if err != nil || rep.Total.ScheduleDue != 1500 || rep.Total.FundsLagging != 1 {
			t.Fatalf("all zones: %v %+v", err, rep.Total)
		}
	})
}

// After signing, the leadership group revises the funds schedule with a
// reason: the new instalments replace the old, the timeline and the audit
// keep both, the tracking follows the new one, and the rules hold.
func TestRevisingTheFundsSchedule(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s) // today 2026-09-28
		p := e.create(t, "碳纤维项目", xinlu.StagePromotion, "materials", 2_000_000_000)
		sg := goodSigning()
		sg.Instalments = []xinlu.Instalment{{DueOn: "2026-12-31", Yuan: 300_000_000, Note: "首期"}, {DueOn: "2027-06-30", Yuan: 500_000_000}}
		signed, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: sg})
		if err != nil {
			t.Fatal(err)
		}
		revise := func(role xinlu.Role, version int, reason string, items ...xinlu.Instalment) (*store.ProjectRecord, error) {
			return s.StepProject(ctx, e.actor(role), e.users[role], p.ID, version, xinlu.ProjectReviseSchedule,
				store.StepInput{Note: reason, Schedule: items})
		}
		later := []xinlu.Instalment{{DueOn: "2026-12-31", Yuan: 300_000_000, Note: "首期"}, {DueOn: "2027-12-31", Yuan: 400_000_000, Note: "推迟"},
			{DueOn: "2028-03-31", Yuan: 100_000_000}}
		// Refused: no reason; over the contract; the agent; a stale version.
		if _, err := revise(xinlu.RoleSponsor, signed.Version, " ", later...); xinlu.AsError(err).Key != "project.schedule_reason_required" {
			t.Fatalf("no reason: %v", err)
		}
		if _, err := revise(xinlu.RoleSponsor, signed.Version, "补充协议", xinlu.Instalment{DueOn: "2027-01-31", Yuan: sg.ContractYuan + 1}); xinlu.AsError(err).Key != "project.schedule_over_contract" {
			t.Fatalf("over the contract: %v", err)
		}
		if _, err := revise(xinlu.RoleSponsor, signed.Version, "补充协议"); xinlu.AsError(err).Key != "project.schedule_revision_empty" {
			t.Fatalf("an emptied schedule: %v", err)
		}
		if _, err := revise(xinlu.RoleAgent, signed.Version, "补充协议", later...); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("the agent: %v", err)
		}
		if _, err := revise(xinlu.RoleSponsor, signed.Version-1, "补充协议", later...); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("stale: %v", err)
		}
		if items, _ := s.FundsSchedule(ctx, p.ID); len(items) != 2 {
			t.Fatalf("a refused revision changed the schedule: %+v", items)
		}
		revised, err := revise(xinlu.RoleSponsor, signed.Version, "2026年11月补充协议：二期推迟", later...)
		if err != nil {
			t.Fatal(err)
		}
		if revised.Version != signed.Version+1 || revised.Stage != xinlu.StageAgency {
			t.Fatalf("revised %+v", revised)
		}
		if items, err := s.FundsSchedule(ctx, p.ID); err != nil || !slices.Equal(items, later) {
			t.Fatalf("schedule after revision %+v %v", items, err)
		}
		tr, err := s.FundsTracking(ctx, revised, time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || tr.DueYuan != 300_000_000 || tr.ScheduledYuan != 800_000_000 {
			t.Fatalf("tracking follows the revision: %+v %v", tr, err)
		}
		evs, _ := s.ProjectEvents(ctx, p.ID)
		last := evs[len(evs)-1]
		if last.Kind != "revise-schedule" || last.Detail["note"] != "2026年11月补充协议：二期推迟" || last.Detail["previous_yuan"] != float64(800_000_000) ||
			last.Detail["schedule_count"] != float64(3) {
			t.Fatalf("event %+v", last)
		}
		entries, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "project.revise-schedule"})
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Before, `"due_on":"2027-06-30"`) || !strings.Contains(entries[0].After, `"due_on":"2028-03-31"`) ||
			!strings.Contains(entries[0].After, `"reason":"2026年11月补充协议：二期推迟"`) {
			t.Fatalf("audit %+v %v", entries, err)
		}
		// Not before signing.
		q := e.create(t, "镁合金项目", xinlu.StagePromotion, "materials", 1_000_000)
		if _, err := s.StepProject(ctx, e.actor(xinlu.RoleSponsor), e.users[xinlu.RoleSponsor], q.ID, q.Version, xinlu.ProjectReviseSchedule,
			store.StepInput{Note: "补充协议"}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("before signing: %v", err)
		}
	})
}
