package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// defaultLights are the light thresholds of a zone that saved none.
var defaultLights = xinlu.DefaultLightRules()

// pipelineAdmin is a system administrator of zone z (PermOrgManage).
func pipelineAdmin(zoneID int64) *xinlu.User {
	return &xinlu.User{ID: 900, ZoneID: zoneID, Username: "sysadmin", Name: "系统管理员", Roles: []xinlu.Role{xinlu.RoleSysAdmin}}
}

// nationalDay gives zone z the 2026 National Day holidays and make-up
// Saturday: from Monday 28 September the working days are 29, 30 Sep, 8,
// 9, 10 (Saturday), 12, 13 Oct.
func nationalDay(t *testing.T, s *store.Store, sys xinlu.Actor, zoneID int64) {
	t.Helper()
	ctx := context.Background()
	for _, d := range []string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"} {
		if err := s.CreateCalendarDay(ctx, sys, &xinlu.CalendarDay{ZoneID: zoneID, Date: d, Kind: xinlu.DayHoliday, Name: "国庆节"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateCalendarDay(ctx, sys, &xinlu.CalendarDay{ZoneID: zoneID, Date: "2026-10-10", Kind: xinlu.DayWorkday, Name: "国庆调休"}); err != nil {
		t.Fatal(err)
	}
}

func TestPipelineSettingsDefaultsSaveAndValidation(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, _ := seedZone(t, s, "PS")
		other, _ := seedZone(t, s, "PS2")
		admin := pipelineAdmin(z.ID)
		act := xinlu.ActorOf(admin, "127.0.0.1")

		st, err := s.PipelineSettings(ctx, z.ID)
		if err != nil || st.ScreeningDays != 5 || st.PackagingDays != 15 || st.ProgressDays != 20 || st.Light != defaultLights ||
			st.Version != 1 || !st.UpdatedAt.IsZero() {
			t.Fatalf("defaults: %+v %v", st, err)
		}

		t.Run("only the system administrator saves", func(t *testing.T) {
			for _, r := range []xinlu.Role{xinlu.RoleMember, xinlu.RoleDirector, xinlu.RoleSecAdmin, xinlu.RoleViewer} {
				u := &xinlu.User{ID: 901, ZoneID: z.ID, Roles: []xinlu.Role{r}}
				in := store.PipelineSettings{ScreeningDays: 3, PackagingDays: 10, ProgressDays: 10, Light: defaultLights, Version: 1}
				wantCode(t, s.SavePipelineSettings(ctx, xinlu.ActorOf(u, ""), u, &in), xinlu.EFORBIDDEN)
			}
		})
		t.Run("bad values name the field", func(t *testing.T) {
			lights := func(yellow, sponsor, director int) store.PipelineSettings {
				return store.PipelineSettings{ScreeningDays: 5, PackagingDays: 15, ProgressDays: 20,
					Light: xinlu.LightRules{YellowWithin: yellow, SponsorAfter: sponsor, DirectorAfter: director}}
			}
			for _, tc := range []struct {
				in         store.PipelineSettings
				field, key string
			}{
				{store.PipelineSettings{ScreeningDays: 0, PackagingDays: 15, ProgressDays: 20, Light: defaultLights}, "screening_days", ""},
				{store.PipelineSettings{ScreeningDays: 61, PackagingDays: 15, ProgressDays: 20, Light: defaultLights}, "screening_days", ""},
				{store.PipelineSettings{ScreeningDays: 5, PackagingDays: -1, ProgressDays: 20, Light: defaultLights}, "packaging_days", ""},
				{store.PipelineSettings{ScreeningDays: 5, PackagingDays: 15, ProgressDays: 100, Light: defaultLights}, "progress_days", ""},
				{lights(11, 5, 10), "yellow_within_days", ""},
				{lights(-1, 5, 10), "yellow_within_days", ""},
				{lights(2, 0, 10), "sponsor_after_days", ""},
				{lights(2, 5, 61), "director_after_days", ""},
				{lights(2, 5, 5), "director_after_days", "pipeline_settings.director_after_sponsor"},
				{lights(2, 8, 6), "director_after_days", "pipeline_settings.director_after_sponsor"},
			} {
				in := tc.in
				in.Version = 1
				if tc.key == "" {
					tc.key = "pipeline_settings.days_range"
				}
				e := wantCode(t, s.SavePipelineSettings(ctx, act, admin, &in), xinlu.EINVALID)
				if e.Field != tc.field || e.Key != tc.key {
					t.Errorf("%+v: %v on %s", tc.in, e, e.Field)
				}
			}
			if st, _ := s.PipelineSettings(ctx, z.ID); st.Version != 1 {
				t.Fatalf("a refused save landed: %+v", st)
			}
		})
		t.Run("save with the version; a stale one is a conflict", func(t *testing.T) {
			in := store.PipelineSettings{ScreeningDays: 3, PackagingDays: 10, ProgressDays: 12, Light: defaultLights, Version: 1}
			if err := s.SavePipelineSettings(ctx, act, admin, &in); err != nil || in.Version != 2 || in.ZoneID != z.ID {
				t.Fatalf("first save: %v %+v", err, in)
			}
			stale := store.PipelineSettings{ScreeningDays: 9, PackagingDays: 9, ProgressDays: 9, Light: defaultLights, Version: 1}
			wantCode(t, s.SavePipelineSettings(ctx, act, admin, &stale), xinlu.ECONFLICT)
			if got, err := s.LightRules(ctx, z.ID); err != nil || got != defaultLights {
				t.Fatalf("light rules after the first save: %+v %v", got, err)
			}
			lights := xinlu.LightRules{YellowWithin: 5, SponsorAfter: 3, DirectorAfter: 8}
			in = store.PipelineSettings{ScreeningDays: 4, PackagingDays: 10, ProgressDays: 60, Light: lights, Version: 2}
			if err := s.SavePipelineSettings(ctx, act, admin, &in); err != nil || in.Version != 3 {
				t.Fatalf("second save: %v %+v", err, in)
			}
			got, err := s.PipelineSettings(ctx, z.ID)
			if err != nil || got.ScreeningDays != 4 || got.PackagingDays != 10 || got.ProgressDays != 60 || got.Light != lights ||
				got.Version != 3 || got.UpdatedAt.IsZero() {
				t.Fatalf("read back: %+v %v", got, err)
			}
			if r, err := s.LightRules(ctx, z.ID); err != nil || r != lights {
				t.Fatalf("light rules: %+v %v", r, err)
			}
			if o, _ := s.PipelineSettings(ctx, other.ID); o.ScreeningDays != 5 || o.Light != defaultLights || o.Version != 1 {
				t.Fatalf("another zone changed: %+v", o)
			}
			if r, err := s.LightRules(ctx, other.ID); err != nil || r != defaultLights {
				t.Fatalf("another zone's light rules: %+v %v", r, err)
			}
		})
		t.Run("saves are audited with before and after", func(t *testing.T) {
			rows, total, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Entity: "pipeline_settings"})
			if err != nil || total != 2 {
				t.Fatalf("%d rows: %v", total, err)
			}
			if rows[0].Action != "pipeline_settings.update" || !strings.Contains(rows[0].Before, `"screening_days":3`) ||
				!strings.Contains(rows[0].After, `"screening_days":4`) || !strings.Contains(rows[1].Before, `"screening_days":5`) {
				t.Fatalf("rows %+v", rows)
			}
			for _, w := range []string{`"yellow_within_days":2`, `"sponsor_after_days":5`, `"director_after_days":10`} {
				if !strings.Contains(rows[0].Before, w) || !strings.Contains(rows[1].After, w) {
					t.Errorf("audit lacks %s: %+v", w, rows)
				}
			}
			for _, w := range []string{`"yellow_within_days":5`, `"sponsor_after_days":3`, `"director_after_days":8`} {
				if !strings.Contains(rows[0].After, w) {
					t.Errorf("audit after lacks %s: %s", w, rows[0].After)
				}
			}
		})
	})
}

// TestZoneDeadlinesSetDueDates: a lead reported after a change of
// screening_days is due that many working days later by the zone's
// calendar; acceptance, plan submission and progress entries use the
// packaging and progress days; due dates set before the change stay.
func TestZoneDeadlinesSetDueDates(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.SetClock(func() time.Time { return projectToday }) // Monday 28 Sep 2026, noon in Shanghai
		f := seedLeads(t, s)
		nationalDay(t, s, f.sys, f.zone.ID)
		admin := f.users["admin"]

		before, _ := f.report(t, "reporter", "太原重工股份有限公司", "矿山装备")
		if before.ScreeningDue != "2026-10-10" { // 5 working days: the make-up Saturday
			t.Fatalf("default screening due %s", before.ScreeningDue)
		}
		in := store.PipelineSettings{ScreeningDays: 3, PackagingDays: 7, ProgressDays: 2, Light: defaultLights, Version: 1}
		if err := s.SavePipelineSettings(ctx, f.actor("admin"), admin, &in); err != nil {
			t.Fatal(err)
		}
		after, _ := f.report(t, "reporter", "山西建龙实业", "高端板材")
		if after.ScreeningDue != "2026-10-08" { // 29, 30 Sep, then 8 Oct after the holiday
			t.Fatalf("screening due after the change %s", after.ScreeningDue)
		}
		var due string
		if err := rawRow(s, `SELECT screening_due FROM leads WHERE id = `+itoa(before.ID), &due); err != nil || due != "2026-10-10" {
			t.Fatalf("an earlier lead's due date moved: %s %v", due, err)
		}

		// Acceptance: packaging due 7 working days later.
		if _, err := f.step("screener", after, xinlu.LeadStep{Action: xinlu.LeadStartScreening}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.step("screener", after, xinlu.LeadStep{Action: xinlu.LeadAccept}); err != nil || after.ProjectID == 0 {
			t.Fatalf("accept: %v", err)
		}
		p, err := s.ProjectByID(ctx, f.zone.ID, after.ProjectID)
		if err != nil || p.StageDue != "2026-10-13" {
			t.Fatalf("packaging due: %v %+v", err, p.StageDue)
		}
	})
}

func TestZoneProgressDaysSetPromotionDue(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		admin := pipelineAdmin(e.zone.ID)
		in := store.PipelineSettings{ScreeningDays: 5, PackagingDays: 4, ProgressDays: 3, Light: defaultLights, Version: 1}
		if err := s.SavePipelineSettings(ctx, xinlu.ActorOf(admin, ""), admin, &in); err != nil {
			t.Fatal(err)
		}
		p := e.create(t, "铝材项目", xinlu.StagePackaging, "materials", 0)
		p, err := e.step(p, xinlu.RolePlanner, xinlu.ProjectSubmitPlan, store.StepInput{Plan: goodPlan()})
		if err != nil || p.Stage != xinlu.StagePromotion || p.StageDue != "2026-10-08" {
			t.Fatalf("submit plan: %v %+v", err, p.StageDue)
		}
		// Hold and resume in packaging: due 4 working days from today.
		q := e.create(t, "装备项目", xinlu.StagePackaging, "equipment", 0)
		if q, err = e.step(q, xinlu.RoleSponsor, xinlu.ProjectHold, store.StepInput{}); err != nil {
			t.Fatal(err)
		}
		if q, err = e.step(q, xinlu.RoleSponsor, xinlu.ProjectResume, store.StepInput{}); err != nil || q.StageDue != "2026-10-09" {
			t.Fatalf("resume in packaging: %v %+v", err, q.StageDue)
		}
		// A negotiation renews the progress deadline by the zone's progress days.
		in = store.PipelineSettings{ScreeningDays: 5, PackagingDays: 4, ProgressDays: 1, Light: defaultLights, Version: 2}
		if err := s.SavePipelineSettings(ctx, xinlu.ActorOf(admin, ""), admin, &in); err != nil {
			t.Fatal(err)
		}
		if err := s.AddNegotiation(ctx, e.actor(xinlu.RoleSponsor), e.users[xinlu.RoleSponsor], p.ID,
			store.Negotiation{Date: "2026-09-28", Participants: "王主任、企业", Outcome: "初步达成意向"}); err != nil {
			t.Fatal(err)
		}
		if p, _ = s.ProjectByID(ctx, e.zone.ID, p.ID); p.StageDue != "2026-09-29" {
			t.Fatalf("renewed due %s", p.StageDue)
		}
	})
}

func TestApprovalTemplatePerZone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		admin := pipelineAdmin(e.zone.ID)
		act := xinlu.ActorOf(admin, "127.0.0.1")
		other, _ := seedZone(t, s, "OT")

		// The built-in template, numbered by position.
		list, err := s.ApprovalTemplates(ctx, e.zone.ID)
		if err != nil || list.Custom || len(list.Items) != len(store.DefaultApprovalTemplate) || list.Items[0].ID != 1 ||
			list.Items[0].Name != "立项备案" || list.Items[0].LimitDays != 5 || list.Items[7].ID != 8 {
			t.Fatalf("defaults: %+v %v", list, err)
		}

		// A project signed before any change gets the built-in checklist.
		early := e.create(t, "早签项目", xinlu.StagePromotion, "equipment", 5)
		if early, err = e.step(early, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()}); err != nil {
			t.Fatal(err)
		}

		t.Run("members cannot change the template", func(t *testing.T) {
			u := e.users[xinlu.RoleSponsor]
			wantCode(t, s.AddApprovalTemplate(ctx, e.actor(xinlu.RoleSponsor), u, &store.ApprovalTemplate{Name: "消防审查", LimitDays: 10}), xinlu.EFORBIDDEN)
			wantCode(t, s.DeleteApprovalTemplate(ctx, e.actor(xinlu.RoleSponsor), u, 1, 1), xinlu.EFORBIDDEN)
			if l, _ := s.ApprovalTemplates(ctx, e.zone.ID); l.Custom {
				t.Fatal("a refused change copied the template")
			}
		})
		t.Run("bad items name the field and change nothing", func(t *testing.T) {
			for _, tc := range []struct {
				t     store.ApprovalTemplate
				field string
			}{
				{store.ApprovalTemplate{Name: "  ", LimitDays: 5}, "name"},
				{store.ApprovalTemplate{Name: strings.Repeat("审", 51), LimitDays: 5}, "name"},
				{store.ApprovalTemplate{Name: "消防审查", LimitDays: 0}, "limit_days"},
				{store.ApprovalTemplate{Name: "消防审查", LimitDays: 366}, "limit_days"},
			} {
				it := tc.t
				if e := wantCode(t, s.AddApprovalTemplate(ctx, act, admin, &it), xinlu.EINVALID); e.Field != tc.field {
					t.Errorf("%+v: field %s", tc.t, e.Field)
				}
			}
			dup := store.ApprovalTemplate{Name: "环评", LimitDays: 5}
			if e := wantCode(t, s.AddApprovalTemplate(ctx, act, admin, &dup), xinlu.ECONFLICT); e.Field != "name" {
				t.Fatalf("duplicate name: %v", e)
			}
			if l, _ := s.ApprovalTemplates(ctx, e.zone.ID); l.Custom {
				t.Fatal("a refused change copied the template")
			}
		})

		// The first change, on an item named by its position, copies the template.
		third := store.ApprovalTemplate{ID: 3, Name: "用地规划许可（含红线）", LimitDays: 12, Version: 1}
		if err := s.UpdateApprovalTemplate(ctx, act, admin, &third, 0); err != nil || third.Version != 2 || third.LimitDays != 12 {
			t.Fatalf("update the third default item: %v %+v", err, third)
		}
		list, _ = s.ApprovalTemplates(ctx, e.zone.ID)
		if !list.Custom || len(list.Items) != 8 || list.Items[2].ID != third.ID || list.Items[2].LimitDays != 12 || list.Items[0].Name != "立项备案" {
			t.Fatalf("after the first change: %+v", list)
		}
		if o, _ := s.ApprovalTemplates(ctx, other.ID); o.Custom || o.Items[2].Name != "用地规划许可" {
			t.Fatalf("another zone's template changed: %+v", o)
		}

		t.Run("stale versions are conflicts", func(t *testing.T) {
			stale := store.ApprovalTemplate{ID: third.ID, Name: "过期", LimitDays: 3, Version: 1}
			wantCode(t, s.UpdateApprovalTemplate(ctx, act, admin, &stale, 0), xinlu.ECONFLICT)
			wantCode(t, s.DeleteApprovalTemplate(ctx, act, admin, third.ID, 1), xinlu.ECONFLICT)
			_, err := s.MoveApprovalTemplate(ctx, act, admin, third.ID, 1, "up")
			wantCode(t, err, xinlu.ECONFLICT)
		})
		t.Run("another zone's administrator cannot reach the items", func(t *testing.T) {
			oa := pipelineAdmin(other.ID)
			if err := s.AddApprovalTemplate(ctx, xinlu.ActorOf(oa, ""), oa, &store.ApprovalTemplate{Name: "外区事项", LimitDays: 3}); err != nil {
				t.Fatal(err)
			}
			it := store.ApprovalTemplate{ID: third.ID, Name: "越权", LimitDays: 3, Version: 2}
			wantCode(t, s.UpdateApprovalTemplate(ctx, xinlu.ActorOf(oa, ""), oa, &it, 0), xinlu.ENOTFOUND)
			wantCode(t, s.DeleteApprovalTemplate(ctx, xinlu.ActorOf(oa, ""), oa, third.ID, 0), xinlu.ENOTFOUND)
			if l, _ := s.ApprovalTemplates(ctx, other.ID); len(l.Items) != 9 || l.Items[8].Name != "外区事项" {
				t.Fatalf("the other zone's template: %+v", l)
			}
		})

		// Add, move, delete: the zone's template becomes 立项备案, 消防审查 (3),
		// 用地规划许可（含红线）, … without 环评.
		fire := store.ApprovalTemplate{Name: "消防审查", LimitDays: 3}
		if err := s.AddApprovalTemplate(ctx, act, admin, &fire); err != nil || fire.SortOrder != 9 {
			t.Fatalf("add: %v %+v", err, fire)
		}
		for range 7 {
			if _, err := s.MoveApprovalTemplate(ctx, act, admin, fire.ID, 0, "up"); err != nil {
				t.Fatal(err)
			}
		}
		if m, err := s.MoveApprovalTemplate(ctx, act, admin, fire.ID, 0, "nowhere"); err == nil {
			t.Fatalf("moved nowhere: %+v", m)
		}
		list, _ = s.ApprovalTemplates(ctx, e.zone.ID)
		var env store.ApprovalTemplate
		for _, it := range list.Items {
			if it.Name == "环评" {
				env = it
			}
		}
		if err := s.DeleteApprovalTemplate(ctx, act, admin, env.ID, env.Version); err != nil {
			t.Fatal(err)
		}
		list, _ = s.ApprovalTemplates(ctx, e.zone.ID)
		var names []string
		for _, it := range list.Items {
			names = append(names, it.Name)
		}
		if got := strings.Join(names, ","); got != "立项备案,消防审查,用地预审与选址,用地规划许可（含红线）,工程规划许可,施工许可,节能审查,水电气热报装" {
			t.Fatalf("template order: %s", got)
		}
		// A move through the update's position, then back.
		first := list.Items[0]
		first.LimitDays = 6
		if err := s.UpdateApprovalTemplate(ctx, act, admin, &first, 8); err != nil || first.SortOrder != 8 {
			t.Fatalf("update with position: %v %+v", err, first)
		}
		if err := s.UpdateApprovalTemplate(ctx, act, admin, &first, 1); err != nil || first.SortOrder != 1 || first.LimitDays != 6 {
			t.Fatalf("update back to the top: %v %+v", err, first)
		}

		// A project signed now gets the zone's items with their limits; the
		// earlier checklist is untouched.
		late := e.create(t, "晚签项目", xinlu.StagePromotion, "materials", 5)
		if late, err = e.step(late, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()}); err != nil {
			t.Fatal(err)
		}
		items, err := s.Approvals(ctx, e.zone.ID, late.ID)
		if err != nil || len(items) != 8 {
			t.Fatalf("checklist: %v %d", err, len(items))
		}
		if items[0].Name != "立项备案" || items[0].LimitDays != 6 || items[0].DueOn != "2026-10-12" ||
			items[1].Name != "消防审查" || items[1].LimitDays != 3 || items[1].DueOn != "2026-10-08" || items[1].SortOrder != 2 ||
			items[3].Name != "用地规划许可（含红线）" || items[3].LimitDays != 12 {
			t.Fatalf("checklist items %+v %+v %+v", items[0], items[1], items[3])
		}
		old, _ := s.Approvals(ctx, e.zone.ID, early.ID)
		if len(old) != len(store.DefaultApprovalTemplate) || old[0].LimitDays != 5 || old[0].DueOn != "2026-10-10" || old[5].Name != "环评" {
			t.Fatalf("the earlier checklist changed: %+v", old)
		}

		t.Run("deleting the items keeps checklists and the last item", func(t *testing.T) {
			list, _ := s.ApprovalTemplates(ctx, e.zone.ID)
			for _, it := range list.Items[1:] {
				if err := s.DeleteApprovalTemplate(ctx, act, admin, it.ID, 0); err != nil {
					t.Fatal(err)
				}
			}
			last := list.Items[0]
			if e := wantCode(t, s.DeleteApprovalTemplate(ctx, act, admin, last.ID, 0), xinlu.ECONFLICT); e.Key != "pipeline_settings.approval_last_item" {
				t.Fatalf("last item: %v", e)
			}
			if items, _ := s.Approvals(ctx, e.zone.ID, late.ID); len(items) != 8 {
				t.Fatalf("a checklist lost items: %d", len(items))
			}
		})
		t.Run("every change is audited and the chain holds", func(t *testing.T) {
			rows, total, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Entity: "approval_template"})
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, r := range rows {
				count[r.Action]++
			}
			// one copy, 3 updates, 1 create, 7 moves, 1 + 7 deletes; refused changes leave no row
			if count["approval_template.copy_defaults"] != 1 || count["approval_template.update"] != 3 || count["approval_template.create"] != 1 ||
				count["approval_template.move"] != 7 || count["approval_template.delete"] != 8 || total != 20 {
				t.Fatalf("audit %v (%d rows)", count, total)
			}
			n, brk, err := s.VerifyAudit(ctx)
			if err != nil || brk != nil || n == 0 {
				t.Fatalf("verify: %d %v %v", n, brk, err)
			}
		})
	})
}

// TestApprovalTemplateConcurrentFirstChanges: two administrators changing
// a zone's built-in template at once both succeed, and the template is
// copied once.
func TestApprovalTemplateConcurrentFirstChanges(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		z, _ := seedZone(t, s, "CC")
		admin := pipelineAdmin(z.ID)
		names := []string{"消防审查", "人防审查", "防雷审查", "水土保持"}
		errs := make(chan error, len(names))
		for _, n := range names {
			go func() {
				errs <- s.AddApprovalTemplate(ctx, xinlu.ActorOf(admin, ""), admin, &store.ApprovalTemplate{Name: n, LimitDays: 10})
			}()
		}
		for range names {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		l, err := s.ApprovalTemplates(ctx, z.ID)
		if err != nil || !l.Custom || len(l.Items) != len(store.DefaultApprovalTemplate)+len(names) {
			t.Fatalf("template: %v %d items", err, len(l.Items))
		}
		for i, it := range l.Items {
			if i > 0 && it.SortOrder <= l.Items[i-1].SortOrder {
				t.Fatalf("order: %+v", l.Items)
			}
		}
		if _, total, _ := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: z.ID, Action: "approval_template.copy_defaults"}); total != 1 {
			t.Fatalf("copied %d times", total)
		}
	})
}
