package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// incentiveEnv is the appraisal zone with the people of the ledger: the
// appraisal office records (e.office), the director approves (e.director),
// the discipline office handles consequences and claims, a member of
// department A and its head.
type incentiveEnv struct {
	*appraisalEnv
	discipline *xinlu.User
	staff      *xinlu.User // member big[1], department A
	head       *xinlu.User // member big[0], head of department A
}

func newIncentiveEnv(t *testing.T, s *store.Store) *incentiveEnv {
	t.Helper()
	e := &incentiveEnv{appraisalEnv: newAppraisalEnv(t, s)}
	z := e.zone.ID
	e.discipline = &xinlu.User{ID: 903, ZoneID: z, Username: "discipline", Name: "纪检", Roles: []xinlu.Role{xinlu.RoleDiscipline}}
	e.staff = &xinlu.User{ID: 910, ZoneID: z, Username: "staff", Name: e.big[1].Name, Roles: []xinlu.Role{xinlu.RoleMember},
		MemberID: e.big[1].ID, DepartmentID: e.big[1].DepartmentID}
	e.head = &xinlu.User{ID: 911, ZoneID: z, Username: "head", Name: e.big[0].Name, Roles: []xinlu.Role{xinlu.RoleHead},
		MemberID: e.big[0].ID, DepartmentID: e.big[0].DepartmentID}
	return e
}

func act(u *xinlu.User) xinlu.Actor { return xinlu.ActorOf(u, "127.0.0.1") }

// record has the office propose a record and, when approve, the director approve it.
func (e *incentiveEnv) record(t *testing.T, i *xinlu.Incentive, approve bool) *xinlu.Incentive {
	t.Helper()
	ctx := context.Background()
	if i.EvidenceType == "" {
		i.EvidenceType, i.EvidenceText = xinlu.EvidenceEvent, "党工委例会通报"
	}
	if err := e.s.CreateIncentive(ctx, act(e.office), e.office, i); err != nil {
		t.Fatal(err)
	}
	if approve {
		out, err := e.s.StepIncentive(ctx, act(e.director), e.director, i.ID, i.Version, xinlu.IncentiveApprove, "")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	return i
}

func incentiveIDs(is []*xinlu.Incentive) []int64 {
	out := make([]int64, len(is))
	for i, x := range is {
		out[i] = x.ID
	}
	slices.Sort(out)
	return out
}

func wantIDs(is ...*xinlu.Incentive) []int64 { return incentiveIDs(is) }

func TestIncentiveLedger(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newIncentiveEnv(t, s)
		pen := e.record(t, &xinlu.Incentive{MemberID: e.big[1].ID, Kind: xinlu.IncentivePenalty, Points: -300,
			Reason: "未按期报送线索台账", EvidenceType: xinlu.EvidenceEvent, EvidenceText: "10月例会通报", OccurredOn: "2026-10-15"}, false)
		if pen.Status != xinlu.IncentiveProposed || pen.ProposedBy != e.office.ID || pen.MemberName != e.big[1].Name || pen.Version != 1 {
			t.Fatalf("created %+v", pen)
		}
		rew := e.record(t, &xinlu.Incentive{MemberID: e.small[0].ID, Kind: xinlu.IncentiveReward, AmountYuan: 5000,
			Reason: "引进重点项目", OccurredOn: "2026-10-20"}, false)

		t.Run("only the offices record, for members of the zone", func(t *testing.T) {
			for _, u := range []*xinlu.User{e.staff, e.director, e.head} {
				err := s.CreateIncentive(ctx, act(u), u, &xinlu.Incentive{MemberID: e.big[2].ID, Kind: xinlu.IncentiveReward, AmountYuan: 100,
					Reason: "x", EvidenceType: xinlu.EvidenceEvent, EvidenceText: "x", OccurredOn: "2026-10-01"})
				if xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
					t.Errorf("%s recorded: %v", u.Username, err)
				}
			}
			other, oa := seedZone(t, s, "AX")
			far := &xinlu.Member{ZoneID: other.ID, StaffNo: "F1", Name: "外区人员"}
			if err := s.CreateMember(ctx, oa, far); err != nil {
				t.Fatal(err)
			}
			err := s.CreateIncentive(ctx, act(e.office), e.office, &xinlu.Incentive{MemberID: far.ID, Kind: xinlu.IncentiveReward, AmountYuan: 100,
				Reason: "x", EvidenceType: xinlu.EvidenceEvent, EvidenceText: "x", OccurredOn: "2026-10-01"})
			if ee := xinlu.AsError(err); ee.Code != xinlu.EINVALID || ee.Field != "member_id" {
				t.Errorf("another zone's member: %v", err)
			}
			err = s.CreateIncentive(ctx, act(e.office), e.office, &xinlu.Incentive{MemberID: e.big[2].ID, Kind: xinlu.IncentiveReward, AmountYuan: 100,
				Reason: "x", EvidenceType: xinlu.EvidenceProject, EvidenceID: 999999, OccurredOn: "2026-10-01"})
			if ee := xinlu.AsError(err); ee.Code != xinlu.EINVALID || ee.Field != "evidence_id" {
				t.Errorf("missing evidence: %v", err)
			}
			err = s.CreateIncentive(ctx, act(e.office), e.office, &xinlu.Incentive{MemberID: e.big[2].ID, Kind: xinlu.IncentivePenalty, Points: 100,
				Reason: "x", EvidenceType: xinlu.EvidenceEvent, EvidenceText: "x", OccurredOn: "2026-10-01"})
			if ee := xinlu.AsError(err); ee.Code != xinlu.EINVALID || ee.Field != "points" {
				t.Errorf("a penalty adding points: %v", err)
			}
		})
		t.Run("a member sees their own records, a head the department's", func(t *testing.T) {
			list := func(u *xinlu.User, f store.IncentiveFilter) []int64 {
				t.Helper()
				f.Scope = u.Filter(xinlu.PermIncentiveView)
				items, total, err := s.ListIncentives(ctx, f)
				if err != nil || total != len(items) {
					t.Fatalf("%s: %v (%d of %d)", u.Username, err, len(items), total)
				}
				return incentiveIDs(items)
			}
			if got := list(e.staff, store.IncentiveFilter{}); !slices.Equal(got, wantIDs(pen)) {
				t.Errorf("member sees %v", got)
			}
			if got := list(e.head, store.IncentiveFilter{}); !slices.Equal(got, wantIDs(pen)) {
				t.Errorf("head of A sees %v", got)
			}
			if got := list(e.office, store.IncentiveFilter{}); !slices.Equal(got, wantIDs(pen, rew)) {
				t.Errorf("office sees %v", got)
			}
			if _, err := s.IncentiveByID(ctx, e.staff.Filter(xinlu.PermIncentiveView), rew.ID); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Errorf("member reads another's record: %v", err)
			}
			if got, err := s.IncentiveByID(ctx, e.staff.Filter(xinlu.PermIncentiveView), pen.ID); err != nil || got.Reason != pen.Reason {
				t.Errorf("member reads own record: %v %v", got, err)
			}
			for _, tc := range []struct {
				f    store.IncentiveFilter
				want []int64
			}{
				{store.IncentiveFilter{Kind: xinlu.IncentiveReward}, wantIDs(rew)},
				{store.IncentiveFilter{Status: xinlu.IncentiveProposed}, wantIDs(pen, rew)},
				{store.IncentiveFilter{Source: store.SourceAuto}, wantIDs()},
				{store.IncentiveFilter{Source: store.SourceManual}, wantIDs(pen, rew)},
				{store.IncentiveFilter{From: "2026-10-16"}, wantIDs(rew)},
				{store.IncentiveFilter{To: "2026-10-15"}, wantIDs(pen)},
				{store.IncentiveFilter{Query: "报送"}, wantIDs(pen)},
				{store.IncentiveFilter{Query: "10月例会"}, wantIDs(pen)},
				{store.IncentiveFilter{Query: e.small[0].Name}, wantIDs(rew)},
				{store.IncentiveFilter{MemberID: e.big[1].ID}, wantIDs(pen)},
			} {
				if got := list(e.office, tc.f); !slices.Equal(got, tc.want) {
					t.Errorf("%+v: %v, want %v", tc.f, got, tc.want)
				}
			}
			if _, _, err := s.ListIncentives(ctx, store.IncentiveFilter{Scope: e.office.Filter(xinlu.PermIncentiveView), Kind: "bonus"}); xinlu.AsError(err).Field != "kind" {
				t.Errorf("unknown kind: %v", err)
			}
			if _, _, err := s.ListIncentives(ctx, store.IncentiveFilter{Scope: e.office.Filter(xinlu.PermIncentiveView), From: "10/1"}); xinlu.AsError(err).Field != "from" {
				t.Errorf("bad date: %v", err)
			}
		})
		t.Run("approve and reject", func(t *testing.T) {
			if _, err := s.StepIncentive(ctx, act(e.office), e.office, pen.ID, 1, xinlu.IncentiveApprove, ""); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
				t.Fatalf("office approved: %v", err)
			}
			both := &xinlu.User{ID: 920, ZoneID: e.zone.ID, Username: "both", Roles: []xinlu.Role{xinlu.RoleAppraiser, xinlu.RoleDirector}}
			own := &xinlu.Incentive{MemberID: e.big[2].ID, Kind: xinlu.IncentiveReward, AmountYuan: 800, Reason: "协调要素保障",
				EvidenceType: xinlu.EvidenceEvent, EvidenceText: "专题会议", OccurredOn: "2026-10-08"}
			if err := s.CreateIncentive(ctx, act(both), both, own); err != nil {
				t.Fatal(err)
			}
			if _, err := s.StepIncentive(ctx, act(both), both, own.ID, 1, xinlu.IncentiveApprove, ""); xinlu.AsError(err).Key != "incentive.own_proposal" || xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
				t.Fatalf("approved own proposal: %v", err)
			}
			if _, err := s.StepIncentive(ctx, act(e.director), e.director, pen.ID, 7, xinlu.IncentiveApprove, ""); xinlu.AsError(err).Field != "version" || xinlu.ErrorCode(err) != xinlu.ECONFLICT {
				t.Fatalf("stale approve: %v", err)
			}
			got, err := s.StepIncentive(ctx, act(e.director), e.director, pen.ID, 1, xinlu.IncentiveApprove, "  属实 ")
			if err != nil || got.Status != xinlu.IncentiveApproved || got.Version != 2 || got.DecidedBy != e.director.ID || got.DecisionNote != "属实" {
				t.Fatalf("approve: %+v %v", got, err)
			}
			_, err = s.StepIncentive(ctx, act(e.director), e.director, pen.ID, 2, xinlu.IncentiveReject, "重复")
			if ee := xinlu.AsError(err); ee.Code != xinlu.ECONFLICT || ee.Field != "status" || ee.Key != "incentive.status_not_allowed" {
				t.Fatalf("decide twice: %v", err)
			}
			if _, err := s.StepIncentive(ctx, act(e.director), e.director, rew.ID, 1, xinlu.IncentiveReject, " "); xinlu.AsError(err).Field != "note" {
				t.Fatalf("reject without a note: %v", err)
			}
			if _, err := s.StepIncentive(ctx, act(e.director), e.director, rew.ID, 1, "neutralise", ""); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
				t.Fatalf("a person neutralised: %v", err)
			}
			if _, err := s.StepIncentive(ctx, act(e.director), e.director, rew.ID, 1, "promote", ""); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("unknown action: %v", err)
			}
			got, err = s.StepIncentive(ctx, act(e.director), e.director, rew.ID, 1, xinlu.IncentiveReject, "证据不足")
			if err != nil || got.Status != xinlu.IncentiveRejected {
				t.Fatalf("reject: %+v %v", got, err)
			}
			if _, err := s.StepIncentive(ctx, act(e.director), e.director, 999999, 1, xinlu.IncentiveApprove, ""); xinlu.ErrorCode(err) != xinlu.ENOTFOUND {
				t.Fatalf("missing record: %v", err)
			}
			rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Entity: "incentive", EntityID: pen.ID})
			if err != nil || len(rows) != 2 || rows[0].Action != "incentive.approve" || rows[0].Before == "" || rows[1].Action != "incentive.create" {
				t.Fatalf("audit %+v %v", rows, err)
			}
		})
	})
}

func TestAutomaticProposalsAndSettings(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newIncentiveEnv(t, s)
		p := &store.ProjectRecord{Project: xinlu.Project{ZoneID: e.zone.ID, Name: "智能装备项目", Company: "某某装备有限公司",
			Industry: "equipment", Stage: xinlu.StagePackaging}}
		if err := s.CreateProject(ctx, e.sys, p); err != nil {
			t.Fatal(err)
		}
		st, err := s.AppraisalSettings(ctx, e.zone.ID)
		if err != nil || !reflect.DeepEqual(st, store.DefaultSettings(e.zone.ID)) || st.SignRewardYuan != 2000 || st.FundsPermille != 1 || st.MissedPoints != 200 {
			t.Fatalf("defaults %+v %v", st, err)
		}
		reward := func() *xinlu.Incentive {
			return xinlu.SigningReward(p.ID, e.big[0].ID, p.Name, "2026-10-12", st.SignRewardYuan)
		}
		first := reward()
		created, err := s.ProposeIncentive(ctx, e.sys, e.zone.ID, first)
		if err != nil || !created || first.ID == 0 || first.ProposedBy != 0 || first.Status != xinlu.IncentiveProposed {
			t.Fatalf("first proposal: %v %v %+v", created, err, first)
		}
		if created, err := s.ProposeIncentive(ctx, e.sys, e.zone.ID, reward()); err != nil || created {
			t.Fatalf("second proposal: %v %v", created, err)
		}
		if created, err := s.ProposeIncentive(ctx, e.sys, e.zone.ID, nil); err != nil || created {
			t.Fatalf("nothing to propose: %v %v", created, err)
		}
		missed := xinlu.MilestonePenalty(p.ID, e.big[0].ID, "start", "2026-10-30", st.MissedPoints)
		if created, err := s.ProposeIncentive(ctx, e.sys, e.zone.ID, missed); err != nil || !created || missed.Points != -200 {
			t.Fatalf("missed milestone: %v %v %+v", created, err, missed)
		}
		items, total, err := s.ListIncentives(ctx, store.IncentiveFilter{Scope: e.office.Filter(xinlu.PermIncentiveView), Source: store.SourceAuto})
		if err != nil || total != 2 || len(items) != 2 {
			t.Fatalf("automatic proposals: %d %v", total, err)
		}
		// Any approver may decide the system's proposals.
		if got, err := s.StepIncentive(ctx, act(e.director), e.director, first.ID, 1, xinlu.IncentiveApprove, ""); err != nil || got.Status != xinlu.IncentiveApproved {
			t.Fatalf("approve automatic: %v", err)
		}
		rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "incentive.propose"})
		if err != nil || len(rows) != 2 {
			t.Fatalf("proposals audited %d times: %v", len(rows), err)
		}

		t.Run("settings", func(t *testing.T) {
			if err := s.SaveAppraisalSettings(ctx, act(e.staff), e.staff, &store.Settings{SignRewardYuan: 1, Version: 1}); xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
				t.Fatalf("member saved settings: %v", err)
			}
			if err := s.SaveAppraisalSettings(ctx, act(e.office), e.office, &store.Settings{SignRewardYuan: -1, Version: 1}); xinlu.AsError(err).Field != "sign_reward_yuan" {
				t.Fatalf("negative reward: %v", err)
			}
			if err := s.SaveAppraisalSettings(ctx, act(e.office), e.office, &store.Settings{FundsPermille: 1001, Version: 1}); xinlu.AsError(err).Field != "funds_permille" {
				t.Fatalf("per-mille over 1000: %v", err)
			}
			save := &store.Settings{SignRewardYuan: 3000, FundsPermille: 2, MissedPoints: 150, Version: 1}
			if err := s.SaveAppraisalSettings(ctx, act(e.office), e.office, save); err != nil || save.Version != 2 {
				t.Fatalf("first save: %v %+v", err, save)
			}
			if err := s.SaveAppraisalSettings(ctx, act(e.office), e.office, &store.Settings{SignRewardYuan: 1, Version: 1}); xinlu.AsError(err).Field != "version" {
				t.Fatalf("stale save: %v", err)
			}
			save.MissedPoints = 300
			if err := s.SaveAppraisalSettings(ctx, act(e.discipline), e.discipline, save); err != nil || save.Version != 3 {
				t.Fatalf("second save: %v", err)
			}
			got, err := s.AppraisalSettings(ctx, e.zone.ID)
			if err != nil || got.SignRewardYuan != 3000 || got.FundsPermille != 2 || got.MissedPoints != 300 || got.Version != 3 {
				t.Fatalf("saved %+v %v", got, err)
			}
			rows, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Action: "incentive.settings"})
			if err != nil || len(rows) != 2 || rows[1].Before == "" || rows[1].After == "" {
				t.Fatalf("settings audit %+v %v", rows, err)
			}
		})
	})
}

func TestConsequences(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newIncentiveEnv(t, s)
		c := &store.Consequence{ZoneID: e.zone.ID, MemberID: e.big[4].ID, PeriodID: e.period.ID, Action: xinlu.ConsequenceReminderTalk}
		if err := s.ProposeConsequence(ctx, e.sys, c); err != nil || c.Status != xinlu.ConsequenceProposed || c.PeriodLabel != "2026-10" {
			t.Fatalf("propose: %v %+v", err, c)
		}
		if err := s.ProposeConsequence(ctx, e.sys, &store.Consequence{ZoneID: e.zone.ID, MemberID: e.big[4].ID, PeriodID: e.period.ID,
			Action: xinlu.ConsequenceReminderTalk}); xinlu.ErrorCode(err) != xinlu.ECONFLICT {
			t.Fatalf("proposed twice: %v", err)
		}
		if err := s.ProposeConsequence(ctx, e.sys, &store.Consequence{ZoneID: e.zone.ID, MemberID: e.big[4].ID, PeriodID: e.period.ID,
			Action: "dismissal"}); xinlu.AsError(err).Field != "action" {
			t.Fatalf("unknown action: %v", err)
		}
		list := func(u *xinlu.User) int {
			_, total, err := s.ListConsequences(ctx, store.ConsequenceFilter{Scope: u.Filter(xinlu.PermConsequenceDecide)})
			if err != nil {
				t.Fatal(err)
			}
			return total
		}
		if list(e.discipline) != 1 || list(e.office) != 0 || list(e.staff) != 0 {
			t.Fatalf("scope: discipline %d, office %d, member %d", list(e.discipline), list(e.office), list(e.staff))
		}
		if mine, err := s.ConsequencesOf(ctx, e.zone.ID, e.big[4].ID); err != nil || len(mine) != 1 || mine[0].Action != xinlu.ConsequenceReminderTalk {
			t.Fatalf("of the member: %v %v", mine, err)
		}
		if _, err := s.DecideConsequence(ctx, act(e.office), e.office, c.ID, 1, true, ""); xinlu.ErrorCode(err) != xinlu.ENOTFOUND && xinlu.ErrorCode(err) != xinlu.EFORBIDDEN {
			t.Fatalf("office decided: %v", err)
		}
		if _, err := s.DecideConsequence(ctx, act(e.discipline), e.discipline, c.ID, 1, false, " "); xinlu.AsError(err).Field != "reason" {
			t.Fatalf("dismiss without reason: %v", err)
		}
		if _, err := s.DecideConsequence(ctx, act(e.discipline), e.discipline, c.ID, 3, true, ""); xinlu.AsError(err).Field != "version" {
			t.Fatalf("stale: %v", err)
		}
		got, err := s.DecideConsequence(ctx, act(e.discipline), e.discipline, c.ID, 1, true, "已安排谈话")
		if err != nil || got.Status != xinlu.ConsequenceConfirmed || got.Version != 2 || got.DecidedAt == nil || got.Reason != "已安排谈话" {
			t.Fatalf("confirm: %+v %v", got, err)
		}
		_, err = s.DecideConsequence(ctx, act(e.discipline), e.discipline, c.ID, 2, false, "撤销")
		if ee := xinlu.AsError(err); ee.Code != xinlu.ECONFLICT || ee.Key != "consequence.status_not_allowed" {
			t.Fatalf("decide twice: %v", err)
		}
		stored, err := s.ConsequenceByID(ctx, e.discipline.Filter(xinlu.PermConsequenceDecide), c.ID)
		if err != nil || stored.Status != xinlu.ConsequenceConfirmed || stored.DecidedBy != e.discipline.ID || stored.DecidedAt == nil {
			t.Fatalf("stored %+v %v", stored, err)
		}
	})
}
