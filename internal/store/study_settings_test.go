package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

func TestStudySettingsStore(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStudy(t, s)
		st, err := s.StudySettings(ctx, f.zone.ID)
		if err != nil || st != xinlu.DefaultStudySettings(f.zone.ID) {
			t.Fatalf("defaults: %+v %v", st, err)
		}
		in := st
		in.FlagPercent = 50
		if err := s.SaveStudySettings(ctx, f.actor("head1"), f.users["head1"], &in); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("a head saves: %v", err)
		}
		bad := st
		bad.WarnPercent, bad.FlagPercent = 70, 40
		if err := s.SaveStudySettings(ctx, f.actor("office"), f.users["office"], &bad); xinlu.AsError(err).Key != "study.flag_below_warn" {
			t.Fatalf("flag below warn: %v", err)
		}
		if err := s.SaveStudySettings(ctx, f.actor("office"), f.users["office"], &in); err != nil || in.Version != 2 {
			t.Fatalf("save: %+v %v", in, err)
		}
		same := in
		if err := s.SaveStudySettings(ctx, f.actor("office"), f.users["office"], &same); err != nil || same.Version != 2 {
			t.Fatalf("unchanged: %+v %v", same, err)
		}
		stale := st
		if err := s.SaveStudySettings(ctx, f.actor("office"), f.users["office"], &stale); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("stale: %v", err)
		}
		if got, _ := s.StudySettings(ctx, f.zone.ID); got.FlagPercent != 50 || got.WarnPercent != xinlu.DefaultWarnPercent {
			t.Fatalf("stored: %+v", got)
		}
	})
}

// TestExcellentPointsInTheLedger: picking an excellent reflection proposes
// the zone's points for its author; taking the pick back withdraws the
// proposal, or reverses the reward once approved; a pick never counts
// twice.
func TestExcellentPointsInTheLedger(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := seedStudy(t, s)
		s.SetClock(func() time.Time { return time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC) })
		st, _ := s.StudySettings(ctx, f.zone.ID)
		st.ExcellentPoints = 300
		if err := s.SaveStudySettings(ctx, f.actor("office"), f.users["office"], &st); err != nil {
			t.Fatal(err)
		}
		director := &xinlu.User{ZoneID: f.zone.ID, Username: "director", Name: "主任", Roles: []xinlu.Role{xinlu.RoleDirector}, PasswordHash: "x"}
		if err := s.CreateUser(ctx, f.sys, director); err != nil {
			t.Fatal(err)
		}
		c := f.openCampaign(t, "2026-12-11")
		r, err := s.SaveReflection(ctx, f.actor("lixm"), f.users["lixm"], c.ID, 0, studyText("我在学习中反复思考开发区改革的意义。", 80))
		if err == nil {
			r, err = s.SubmitReflection(ctx, f.actor("lixm"), f.users["lixm"], r.ID, r.Version)
		}
		if err == nil {
			r, err = s.ReviewReflection(ctx, f.actor("head1"), f.users["head1"], r.ID, r.Version, xinlu.Review{Action: xinlu.ReviewAccept})
		}
		if err != nil {
			t.Fatal(err)
		}
		ledger := func() []*xinlu.Incentive {
			t.Helper()
			list, _, err := s.ListIncentives(ctx, store.IncentiveFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: f.zone.ID},
				MemberID: f.users["lixm"].MemberID, Page: xinlu.Page{Page: 1, PerPage: 50}})
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		points := func() int64 {
			var n int64
			for _, i := range ledger() {
				n += i.EffectivePoints(false)
			}
			return n
		}
		pick := func(on bool) {
			t.Helper()
			x, _, err := s.Reflection(ctx, f.users["office"], r.ID)
			if err == nil {
				_, err = s.PickExcellent(ctx, f.actor("office"), f.users["office"], r.ID, x.Version, on)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		pick(true)
		pick(true) // unchanged: nothing more
		list := ledger()
		if len(list) != 1 || list[0].Points != 300 || list[0].Status != xinlu.IncentiveProposed || list[0].Auto != fmt.Sprintf("study:%d:1", r.ID) ||
			list[0].EvidenceText != c.Title || list[0].AutoKind() != "study" {
			t.Fatalf("after the pick: %+v", list)
		}
		pick(false)
		if list = ledger(); len(list) != 1 || list[0].Status != xinlu.IncentiveRejected {
			t.Fatalf("withdrawn: %+v", list)
		}
		pick(true)
		var second *xinlu.Incentive
		for _, i := range ledger() {
			if i.Status == xinlu.IncentiveProposed {
				second = i
			}
		}
		if second == nil || second.Auto != fmt.Sprintf("study:%d:2", r.ID) {
			t.Fatalf("second pick: %+v", ledger())
		}
		if _, err := s.StepIncentive(ctx, xinlu.Actor{ZoneID: f.zone.ID, UserID: director.ID, Name: "主任"}, director, second.ID, second.Version, xinlu.IncentiveApprove, ""); err != nil {
			t.Fatal(err)
		}
		if got := points(); got != 300 {
			t.Fatalf("points once approved: %d", got)
		}
		pick(false)
		if got := points(); got != 0 {
			t.Fatalf("points after taking it back: %d (%+v)", got, ledger())
		}
		pick(false)
		if n := len(ledger()); n != 3 {
			t.Fatalf("%d entries", n)
		}
		for action, want := range map[string]int{"incentive.propose": 2, "incentive.withdraw": 1, "incentive.reverse": 1} {
			rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: f.zone.ID, Action: action, Page: xinlu.Page{Page: 1, PerPage: 10}})
			if err != nil || len(rows) != want {
				t.Errorf("%s: %d rows, want %d (%v)", action, len(rows), want, err)
			}
		}
		// No points configured: a pick adds nothing.
		st.ExcellentPoints = 0
		if err := s.SaveStudySettings(ctx, f.actor("office"), f.users["office"], &st); err != nil {
			t.Fatal(err)
		}
		pick(true)
		if n := len(ledger()); n != 3 {
			t.Fatalf("a pick without points added an entry: %d", n)
		}
	})
}
