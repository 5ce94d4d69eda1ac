package xinlu

import "testing"

// TestFundsChange: a correction or reversal needs the right and a reason.
func TestFundsChange(t *testing.T) {
	agent := &User{ID: 1, ZoneID: 1, Roles: []Role{RoleAgent}}
	sponsor := &User{ID: 2, ZoneID: 1, Roles: []Role{RoleSponsor}}
	member := &User{ID: 3, ZoneID: 1, Roles: []Role{RoleMember}}
	for _, u := range []*User{agent, sponsor} {
		for _, a := range []FundsAction{FundsCorrect, FundsReverse} {
			if reason, err := CheckFundsChange(u, a, " 多录了两个零 "); err != nil || reason != "多录了两个零" {
				t.Errorf("%v %s: %q %v", u.Roles, a, reason, err)
			}
		}
	}
	if _, err := CheckFundsChange(member, FundsReverse, "错录"); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("member: %v", err)
	}
	if _, err := CheckFundsChange(agent, "delete", "错录"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown action: %v", err)
	}
	_, err := CheckFundsChange(agent, FundsReverse, "  ")
	wantAmountError(t, "no reason", err, "reason", "projects.funds_reason_required")
	_, err = CheckFundsChange(agent, FundsCorrect, string(make([]rune, MaxFundsReason+1)))
	wantAmountError(t, "long reason", err, "reason", "error.too_long")
}

// TestSettleFundsReward: the reward proposed from a corrected or reversed
// entry follows it while proposed, and is kept once decided.
func TestSettleFundsReward(t *testing.T) {
	proposed := func() *Incentive {
		return FundsReward(7, 30, 9, 100_000_000, 1, "2026-09-28") // 100,000 yuan
	}
	i := proposed()
	if got := SettleFundsReward(i, nil, 5, " 录入错误 "); got != RewardWithdrawn ||
		i.Status != IncentiveRejected || i.DecidedBy != 5 || i.DecisionNote != "录入错误" {
		t.Errorf("reversed: %s %+v", got, i)
	}
	i = proposed()
	next := FundsReward(7, 30, 9, 10_000_000, 1, "2026-09-20")
	if got := SettleFundsReward(i, next, 5, "多录一个零"); got != RewardRevised ||
		i.Status != IncentiveProposed || i.AmountYuan != 10_000 || i.OccurredOn != "2026-09-20" || i.DecidedBy != 0 {
		t.Errorf("corrected: %s %+v", got, i)
	}
	i = proposed()
	if got := SettleFundsReward(i, proposed(), 5, "备注更正"); got != RewardUnchanged || i.AmountYuan != 100_000 {
		t.Errorf("note corrected: %s %+v", got, i)
	}
	// Corrected to an amount that earns nothing: withdrawn.
	i = proposed()
	if got := SettleFundsReward(i, FundsReward(7, 30, 9, 400, 1, "2026-09-28"), 5, "金额更正"); got != RewardWithdrawn || i.Status != IncentiveRejected {
		t.Errorf("corrected to nothing: %s %+v", got, i)
	}
	for _, st := range []IncentiveStatus{IncentiveApproved, IncentiveRejected} {
		i = proposed()
		i.Status, i.DecidedBy = st, 8
		if got := SettleFundsReward(i, nil, 5, "冲销"); got != RewardKept || i.Status != st || i.DecidedBy != 8 || i.AmountYuan != 100_000 {
			t.Errorf("%s: %s %+v", st, got, i)
		}
	}
}
