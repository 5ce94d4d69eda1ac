package store_test

import (
	"context"
	"slices"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// TestZoneLightRulesSetLights: every light the store computes (the ledger
// and a project's page, the ledger's light filter, approval items) follows
// the zone's yellow_within_days; another zone keeps the default. On Monday
// 28 September, with the National Day holiday, a deadline on 30 September
// has 2 working days left, 9 October 4 (29, 30 Sep, 8, 9 Oct) and 13
// October 7.
func TestZoneLightRulesSetLights(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		admin := pipelineAdmin(e.zone.ID)
		near := e.create(t, "两日项目", xinlu.StagePackaging, "equipment", 0)
		mid := e.create(t, "四日项目", xinlu.StagePackaging, "equipment", 0)
		far := e.create(t, "七日项目", xinlu.StagePackaging, "equipment", 0)
		late := e.create(t, "逾期项目", xinlu.StagePackaging, "equipment", 0)
		for id, due := range map[int64]string{near.ID: "2026-09-30", mid.ID: "2026-10-09", far.ID: "2026-10-13", late.ID: "2026-09-25"} {
			setDue(t, s, id, due)
		}
		// A signed project whose approval item of 4 working days is due 9 October.
		signed := &store.ProjectRecord{}
		signed.ZoneID, signed.Name, signed.Company, signed.Industry, signed.Stage = e.zone.ID, "签约项目", "签约公司", "other", xinlu.StageAgency
		signed.Signing = *goodSigning()
		if err := s.CreateProject(ctx, e.sys, signed); err != nil {
			t.Fatal(err)
		}
		setDue(t, s, signed.ID, "2026-12-31")
		item := &store.ApprovalItem{Name: "立项备案", LimitDays: 4}
		if err := s.AddApproval(ctx, e.actor(xinlu.RoleAgent), e.users[xinlu.RoleAgent], signed.ID, item); err != nil || item.DueOn != "2026-10-09" {
			t.Fatalf("approval: %v due %s", err, item.DueOn)
		}
		// Another zone, no holidays: 2 October has 4 working days left.
		other, otherProject := z2(t, s)
		setDue(t, s, otherProject.ID, "2026-10-02")

		check := func(yellow int, want map[string]xinlu.Light, approval xinlu.Light) {
			t.Helper()
			items, _, err := s.ListProjects(ctx, store.ProjectFilter{ZoneID: e.zone.ID, Stage: xinlu.StagePackaging})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range items {
				if p.Light != want[p.Name] {
					t.Errorf("yellow within %d: %s is %q, want %q", yellow, p.Name, p.Light, want[p.Name])
				}
			}
			if p, err := s.ProjectByID(ctx, e.zone.ID, mid.ID); err != nil || p.Light != want[mid.Name] {
				t.Errorf("yellow within %d: project page %v %q", yellow, err, p.Light)
			}
			for _, l := range []xinlu.Light{xinlu.LightGreen, xinlu.LightYellow, xinlu.LightRed} {
				items, total, err := s.ListProjects(ctx, store.ProjectFilter{ZoneID: e.zone.ID, Stage: xinlu.StagePackaging, Light: l})
				if err != nil {
					t.Fatal(err)
				}
				var got, names []string
				for _, p := range items {
					got = append(got, p.Name)
				}
				for name, wl := range want {
					if wl == l {
						names = append(names, name)
					}
				}
				slices.Sort(got)
				slices.Sort(names)
				if !slices.Equal(got, names) || total != len(names) {
					t.Errorf("yellow within %d: the %s filter gives %v (%d), want %v", yellow, l, got, total, names)
				}
			}
			approvals, err := s.Approvals(ctx, e.zone.ID, signed.ID)
			if err != nil || len(approvals) != 1 || approvals[0].Light != approval {
				t.Errorf("yellow within %d: approval light %v %+v, want %q", yellow, err, approvals, approval)
			}
			if p, err := s.ProjectByID(ctx, other.ID, otherProject.ID); err != nil || p.Light != xinlu.LightGreen {
				t.Errorf("yellow within %d: the other zone's project %v %q", yellow, err, p.Light)
			}
		}
		save := func(yellow int) {
			t.Helper()
			st, err := s.PipelineSettings(ctx, e.zone.ID)
			if err != nil {
				t.Fatal(err)
			}
			st.Light.YellowWithin = yellow
			if err := s.SavePipelineSettings(ctx, xinlu.ActorOf(admin, ""), admin, &st); err != nil {
				t.Fatal(err)
			}
		}

		green, yellow, red := xinlu.LightGreen, xinlu.LightYellow, xinlu.LightRed
		check(2, map[string]xinlu.Light{near.Name: yellow, mid.Name: green, far.Name: green, late.Name: red}, green)
		save(5)
		check(5, map[string]xinlu.Light{near.Name: yellow, mid.Name: yellow, far.Name: green, late.Name: red}, yellow)
		// The light a step of the item answers with follows the rules too.
		it, err := s.StepApproval(ctx, e.actor(xinlu.RoleAgent), e.users[xinlu.RoleAgent], signed.ID, item.ID, item.Version, "submit", store.ApprovalInput{})
		if err != nil || it.Light != yellow {
			t.Fatalf("submit: %v %q", err, it.Light)
		}
		save(0)
		check(0, map[string]xinlu.Light{near.Name: green, mid.Name: green, far.Name: green, late.Name: red}, green)
	})
}
