package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"xinlu/internal/store"
	"xinlu/internal/xinlu"
)

// leadProject creates a project from a lead reported by a member of the
// zone, and signs it: funds recorded on it propose a reward to the reporter.
func leadProject(t *testing.T, e *projectEnv) *store.ProjectRecord {
	t.Helper()
	ctx := context.Background()
	reporter := &xinlu.Member{ZoneID: e.zone.ID, StaffNo: "R1", Name: "李报告"}
	if err := e.s.CreateMember(ctx, e.sys, reporter); err != nil {
		t.Fatal(err)
	}
	l := &xinlu.Lead{ZoneID: e.zone.ID, ReporterID: reporter.ID, Company: "晋中重工装备有限公司", ProjectName: "盾构机总装项目",
		Industry: "equipment", InvestmentYuan: new(int64(8e8)), Channel: "personal"}
	if _, err := e.s.ReportLead(ctx, e.sys, l); err != nil {
		t.Fatal(err)
	}
	p := &store.ProjectRecord{}
	p.ZoneID, p.LeadID, p.Name, p.Company, p.Industry, p.Stage = e.zone.ID, l.ID, "盾构机总装项目", "晋中重工装备有限公司", "equipment", xinlu.StagePromotion
	p.Plan.TotalYuan = new(int64(8e8))
	if err := e.s.CreateProject(ctx, e.sys, p); err != nil {
		t.Fatal(err)
	}
	signed, err := e.step(p, xinlu.RoleSponsor, xinlu.ProjectSign, store.StepInput{Signing: goodSigning()})
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// fundsRewards returns the zone's automatic funds rewards by their Auto key.
func fundsRewards(t *testing.T, s *store.Store, zoneID int64) map[string]*xinlu.Incentive {
	t.Helper()
	list, _, err := s.ListIncentives(context.Background(), store.IncentiveFilter{Scope: xinlu.ScopeFilter{Scope: xinlu.ScopeZone, ZoneID: zoneID},
		Page: xinlu.Page{PerPage: 50}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*xinlu.Incentive{}
	for _, i := range list {
		if i.AutoKind() == xinlu.AutoFunds {
			out[i.Auto] = i
		}
	}
	return out
}

// TestFundsAboveTheBoundAreRefused: the probe's entries of 9×10¹⁸ and
// 9×10¹⁷ yuan are refused, with no reward proposed; a project created or
// imported with an amount above its bound too.
func TestFundsAboveTheBoundAreRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		p := leadProject(t, e)
		agent := e.users[xinlu.RoleAgent]
		for _, yuan := range []int64{9_000_000_000_000_000_000, 900_000_000_000_000_000, xinlu.MaxInvestmentYuan + 1} {
			err := s.RecordFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, store.Funds{OnDate: "2026-09-28", Yuan: yuan})
			if ferr := wantCode(t, err, xinlu.EINVALID); ferr.Field != "amount_yuan" || ferr.Key != "amount.investment_range" {
				t.Fatalf("%d: %+v", yuan, ferr)
			}
		}
		if err := s.RecordFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, store.Funds{OnDate: "2026-09-28", Yuan: xinlu.MaxInvestmentYuan}); err != nil {
			t.Fatal(err)
		}
		// The reward on 10 trillion at 1‰ is capped at the bound of a reward.
		rewards := fundsRewards(t, s, e.zone.ID)
		if len(rewards) != 1 {
			t.Fatalf("rewards %+v", rewards)
		}
		for _, r := range rewards {
			if r.AmountYuan != xinlu.MaxPayYuan {
				t.Fatalf("reward %+v", r)
			}
		}

		q := &store.ProjectRecord{}
		q.ZoneID, q.Name, q.Company, q.Industry, q.Stage = e.zone.ID, "巨额项目", "巨额有限公司", "materials", xinlu.StagePackaging
		q.Plan.TotalYuan = new(int64(9_000_000_000_000_000_000))
		err := s.CreateProject(ctx, e.sys, q)
		if ferr := wantCode(t, err, xinlu.EINVALID); ferr.Field != "total_yuan" || ferr.Key != "amount.investment_range" {
			t.Fatalf("create: %+v", ferr)
		}
		q.Plan.TotalYuan, q.Signing.ContractYuan = new(int64(1e8)), 9_000_000_000_000_000_000
		_, err = s.ImportProjects(ctx, e.sys, e.zone.ID, []*store.ProjectRecord{q}, true)
		if ferr := wantCode(t, err, xinlu.EINVALID); ferr.Key != "projects.import_row_error" || xinlu.AsError(ferr.Err).Key != "amount.investment_range" {
			t.Fatalf("import: %+v", ferr)
		}
	})
}

// TestFundsCorrectionAndReversal: a mistaken entry of funds in place is
// corrected or reversed with a reason, on the timeline and in the audit
// log; the reward proposed from it follows while proposed and is kept once
// approved.
func TestFundsCorrectionAndReversal(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := newProjectEnv(t, s)
		p := leadProject(t, e)
		agent, sponsor := e.users[xinlu.RoleAgent], e.users[xinlu.RoleSponsor]
		for _, f := range []store.Funds{{OnDate: "2026-09-20", Yuan: 500_000_000_000, Note: "一期"}, {OnDate: "2026-09-25", Yuan: 50_000_000, Note: "二期"}} {
			if err := s.RecordFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, f); err != nil {
				t.Fatal(err)
			}
		}
		funds, err := s.ProjectFunds(ctx, p.ID)
		if err != nil || len(funds) != 2 || funds[0].Version != 1 {
			t.Fatalf("funds %+v %v", funds, err)
		}
		wrong, right := funds[0], funds[1]
		// The reward on the second entry is approved; on the first it is proposed (capped).
		rewards := fundsRewards(t, s, e.zone.ID)
		approved := rewards["funds:"+itoa64(right.ID)]
		director := &xinlu.User{ID: 500, ZoneID: e.zone.ID, Name: "主任", Roles: []xinlu.Role{xinlu.RoleDirector}}
		if _, err := s.StepIncentive(ctx, xinlu.ActorOf(director, ""), director, approved.ID, approved.Version, xinlu.IncentiveApprove, ""); err != nil {
			t.Fatal(err)
		}
		if r := rewards["funds:"+itoa64(wrong.ID)]; r == nil || r.AmountYuan != xinlu.MaxPayYuan {
			t.Fatalf("reward on the wrong entry %+v", r)
		}

		// Refusals: a member; no reason; an amount above the bound; no change; a stale version; another project's entry.
		member := e.users[xinlu.RoleMember]
		_, err = s.ChangeFunds(ctx, e.actor(xinlu.RoleMember), member, p.ID, wrong.ID, 1, xinlu.FundsReverse, store.Funds{}, "错录")
		wantCode(t, err, xinlu.EFORBIDDEN)
		_, err = s.ChangeFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, wrong.ID, 1, xinlu.FundsReverse, store.Funds{}, " ")
		if ferr := wantCode(t, err, xinlu.EINVALID); ferr.Field != "reason" {
			t.Fatalf("no reason: %+v", ferr)
		}
		_, err = s.ChangeFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, wrong.ID, 1, xinlu.FundsCorrect,
			store.Funds{OnDate: "2026-09-20", Yuan: 9_000_000_000_000_000_000}, "错录")
		if ferr := wantCode(t, err, xinlu.EINVALID); ferr.Key != "amount.investment_range" {
			t.Fatalf("huge correction: %+v", ferr)
		}
		_, err = s.ChangeFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, wrong.ID, 1, xinlu.FundsCorrect,
			store.Funds{OnDate: wrong.OnDate, Yuan: wrong.Yuan, Note: " 一期 "}, "错录")
		wantCode(t, err, xinlu.EINVALID)
		_, err = s.ChangeFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, wrong.ID, 2, xinlu.FundsReverse, store.Funds{}, "错录")
		wantCode(t, err, xinlu.ECONFLICT)
		other := e.create(t, "另一项目", xinlu.StagePromotion, "materials", 1e8)
		_, err = s.ChangeFunds(ctx, e.actor(xinlu.RoleAgent), agent, other.ID, wrong.ID, 1, xinlu.FundsReverse, store.Funds{}, "错录")
		wantCode(t, err, xinlu.ENOTFOUND)

		// Corrected: 5,000 亿 was 5 亿; the proposed reward follows (1‰).
		ch, err := s.ChangeFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, wrong.ID, 1, xinlu.FundsCorrect,
			store.Funds{OnDate: "2026-09-21", Yuan: 500_000_000, Note: " 一期（更正） "}, " 多录了三个零 ")
		if err != nil {
			t.Fatal(err)
		}
		if ch.Funds.Yuan != 500_000_000 || ch.Funds.Version != 2 || ch.Funds.Note != "一期（更正）" || ch.RewardOutcome != xinlu.RewardRevised ||
			ch.Reward.AmountYuan != 500_000 || ch.Reward.OccurredOn != "2026-09-21" || ch.Reward.Status != xinlu.IncentiveProposed {
			t.Fatalf("corrected %+v %+v", ch, ch.Reward)
		}
		got, _ := s.ProjectByID(ctx, e.zone.ID, p.ID)
		if got.FundsYuan != 550_000_000 {
			t.Fatalf("funds in place %d", got.FundsYuan)
		}
		// Reversed: the entry leaves the sums; the proposal is withdrawn with the reason.
		ch, err = s.ChangeFunds(ctx, e.actor(xinlu.RoleSponsor), sponsor, p.ID, wrong.ID, 2, xinlu.FundsReverse, store.Funds{}, "投资方退回该笔资金")
		if err != nil {
			t.Fatal(err)
		}
		if ch.RewardOutcome != xinlu.RewardWithdrawn || ch.Reward.Status != xinlu.IncentiveRejected || ch.Reward.DecisionNote != "投资方退回该笔资金" ||
			ch.Reward.DecidedBy != sponsor.ID || ch.Funds.Yuan != 500_000_000 {
			t.Fatalf("reversed %+v %+v", ch, ch.Reward)
		}
		// Reversing the approved one keeps its reward, approved.
		ch, err = s.ChangeFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, right.ID, 1, xinlu.FundsReverse, store.Funds{}, "重复登记")
		if err != nil || ch.RewardOutcome != xinlu.RewardKept || ch.Reward.Status != xinlu.IncentiveApproved || ch.Reward.AmountYuan != 50_000 {
			t.Fatalf("reversed the approved one: %+v %v", ch, err)
		}
		funds, _ = s.ProjectFunds(ctx, p.ID)
		got, _ = s.ProjectByID(ctx, e.zone.ID, p.ID)
		if len(funds) != 0 || got.FundsYuan != 0 {
			t.Fatalf("after reversals %+v %d", funds, got.FundsYuan)
		}
		_, err = s.ChangeFunds(ctx, e.actor(xinlu.RoleAgent), agent, p.ID, right.ID, 1, xinlu.FundsReverse, store.Funds{}, "重复登记")
		wantCode(t, err, xinlu.ENOTFOUND)

		// The timeline and the audit log keep what was changed and why.
		evs, err := s.ProjectEvents(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, ev := range evs {
			kinds = append(kinds, ev.Kind)
		}
		joined := strings.Join(kinds, " ")
		if !strings.HasSuffix(joined, "funds funds funds_correct funds_reverse funds_reverse") {
			t.Fatalf("timeline %s", joined)
		}
		corr := evs[len(evs)-3]
		if corr.Detail["old_amount_yuan"] != float64(500_000_000_000) || corr.Detail["amount_yuan"] != float64(500_000_000) || corr.Detail["reason"] != "多录了三个零" {
			t.Fatalf("correction event %+v", corr.Detail)
		}
		for action, want := range map[string][]string{
			"project.funds_correct": {`"amount_yuan":500000000000`, `"amount_yuan":500000000`, `"reason":"多录了三个零"`, `"reward_outcome":"revised"`},
			"project.funds_reverse": {`"reason":"投资方退回该笔资金"`, `"reward_outcome":"withdrawn"`, `"reward_outcome":"kept"`},
			"incentive.revise":      {`"amount_yuan":100000000`, `"amount_yuan":500000`},
			"incentive.withdraw":    {`"status":"rejected"`, `"decision_note":"投资方退回该笔资金"`},
		} {
			entries, _, err := s.ListAudit(ctx, xinlu.AuditFilter{ZoneID: e.zone.ID, Action: action})
			if err != nil || len(entries) == 0 {
				t.Fatalf("audit %s: %v", action, err)
			}
			var all string
			for _, en := range entries {
				all += en.Before + en.After
			}
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("audit %s lacks %s: %s", action, w, all)
				}
			}
		}
	})
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
