package xinlu

import (
	"strings"
	"testing"
)

func TestIncentiveValidate(t *testing.T) {
	reward := func(change func(*Incentive)) Incentive {
		i := Incentive{MemberID: 30, Kind: IncentiveReward, AmountYuan: 2000, Points: 150, Reason: " 引进项目签约 ",
			EvidenceType: EvidenceProject, EvidenceID: 12, OccurredOn: "2026-05-20"}
		if change != nil {
			change(&i)
		}
		return i
	}
	ok := reward(nil)
	if err := ok.Validate(); err != nil || ok.Reason != "引进项目签约" {
		t.Fatalf("%v %q", err, ok.Reason)
	}
	for _, tc := range []struct {
		name  string
		i     Incentive
		field string
		key   string
	}{
		{"reward", reward(nil), "", ""},
		{"reward money only", reward(func(i *Incentive) { i.Points = 0 }), "", ""},
		{"reward points only", reward(func(i *Incentive) { i.AmountYuan = 0 }), "", ""},
		{"penalty deduction", reward(func(i *Incentive) { i.Kind, i.AmountYuan, i.Points = IncentivePenalty, 0, -200 }), "", ""},
		{"penalty withholds money", reward(func(i *Incentive) { i.Kind, i.AmountYuan, i.Points = IncentivePenalty, 500, 0 }), "", ""},
		{"disciplinary with nothing", reward(func(i *Incentive) { i.Kind, i.AmountYuan, i.Points = IncentiveDisciplinary, 0, 0 }), "", ""},
		{"disciplinary deduction", reward(func(i *Incentive) { i.Kind, i.AmountYuan, i.Points = IncentiveDisciplinary, 0, -500 }), "", ""},
		{"event", reward(func(i *Incentive) {
			i.EvidenceType, i.EvidenceID, i.EvidenceText = EvidenceEvent, 0, "抗洪抢险表现突出"
		}), "", ""},
		{"lead", reward(func(i *Incentive) { i.EvidenceType = EvidenceLead }), "", ""},
		{"approval", reward(func(i *Incentive) { i.EvidenceType = EvidenceApproval }), "", ""},
		{"automatic without reason", reward(func(i *Incentive) { i.Reason, i.Auto = "", "funds:3" }), "", ""},

		{"no member", reward(func(i *Incentive) { i.MemberID = 0 }), "member_id", "error.required"},
		{"no kind", reward(func(i *Incentive) { i.Kind = "" }), "kind", "error.required"},
		{"unknown kind", reward(func(i *Incentive) { i.Kind = "bonus" }), "kind", "error.invalid_choice"},
		{"negative amount", reward(func(i *Incentive) { i.AmountYuan = -1 }), "amount_yuan", "amount.pay_range"},
		{"reward deducts", reward(func(i *Incentive) { i.Points = -100 }), "points", "incentive.reward_points_negative"},
		{"penalty adds", reward(func(i *Incentive) { i.Kind = IncentivePenalty }), "points", "incentive.penalty_points_positive"},
		{"disciplinary adds", reward(func(i *Incentive) { i.Kind, i.AmountYuan = IncentiveDisciplinary, 0 }), "points", "incentive.penalty_points_positive"},
		{"empty reward", reward(func(i *Incentive) { i.AmountYuan, i.Points = 0, 0 }), "amount_yuan", "incentive.empty"},
		{"empty penalty", reward(func(i *Incentive) { i.Kind, i.AmountYuan, i.Points = IncentivePenalty, 0, 0 }), "amount_yuan", "incentive.empty"},
		{"no reason", reward(func(i *Incentive) { i.Reason = "  " }), "reason", "error.required"},
		{"reason too long", reward(func(i *Incentive) { i.Reason = strings.Repeat("字", 1001) }), "reason", "error.too_long"},
		{"no evidence type", reward(func(i *Incentive) { i.EvidenceType = "" }), "evidence_type", "error.required"},
		{"unknown evidence type", reward(func(i *Incentive) { i.EvidenceType = "rumour" }), "evidence_type", "error.invalid_choice"},
		{"project without id", reward(func(i *Incentive) { i.EvidenceID = 0 }), "evidence_id", "error.required"},
		{"event without text", reward(func(i *Incentive) { i.EvidenceType, i.EvidenceText = EvidenceEvent, " " }), "evidence_text", "error.required"},
		{"event text too long", reward(func(i *Incentive) { i.EvidenceType, i.EvidenceText = EvidenceEvent, strings.Repeat("字", 1001) }), "evidence_text", "error.too_long"},
		{"no date", reward(func(i *Incentive) { i.OccurredOn = "" }), "occurred_on", "error.date_format"},
		{"bad date", reward(func(i *Incentive) { i.OccurredOn = "2026-02-30" }), "occurred_on", "error.date_format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.i.Validate()
			if tc.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e := AsError(err); err == nil || e.Code != EINVALID || e.Field != tc.field || e.Key != tc.key {
				t.Fatalf("%v, want %s %s", err, tc.field, tc.key)
			}
		})
	}
	event := reward(func(i *Incentive) { i.EvidenceType, i.EvidenceID, i.EvidenceText = EvidenceEvent, 99, "抗洪抢险" })
	if err := event.Validate(); err != nil || event.EvidenceID != 0 {
		t.Fatalf("event keeps a record id: %v %d", err, event.EvidenceID)
	}
}

func TestIncentiveSteps(t *testing.T) {
	director := &User{ID: 2, MemberID: 2, ZoneID: 1, DepartmentID: 1, Roles: []Role{RoleMember, RoleDirector}}
	officer := &User{ID: 5, MemberID: 9, ZoneID: 1, DepartmentID: 3, Roles: []Role{RoleMember, RoleDiscipline}}
	appraiser := &User{ID: 6, MemberID: 10, ZoneID: 1, DepartmentID: 3, Roles: []Role{RoleMember, RoleAppraiser}}
	for _, tc := range []struct {
		name   string
		u      *User
		status IncentiveStatus
		by     int64
		action IncentiveAction
		note   string
		want   IncentiveStatus
		code   Code
		key    string
	}{
		{"director approves", director, IncentiveProposed, 6, IncentiveApprove, "", IncentiveApproved, "", ""},
		{"approve with a note", director, IncentiveProposed, 6, IncentiveApprove, "同意", IncentiveApproved, "", ""},
		{"director rejects", director, IncentiveProposed, 6, IncentiveReject, "依据不足", IncentiveRejected, "", ""},
		{"automatic proposal", director, IncentiveProposed, 0, IncentiveApprove, "", IncentiveApproved, "", ""},
		{"reject needs a note", director, IncentiveProposed, 6, IncentiveReject, "  ", "", EINVALID, "error.required"},
		{"note too long", director, IncentiveProposed, 6, IncentiveReject, strings.Repeat("字", 1001), "", EINVALID, "error.too_long"},
		{"own proposal", director, IncentiveProposed, 2, IncentiveApprove, "", "", EFORBIDDEN, "incentive.own_proposal"},
		{"own proposal rejected", director, IncentiveProposed, 2, IncentiveReject, "撤回", "", EFORBIDDEN, "incentive.own_proposal"},
		{"proposer cannot approve", appraiser, IncentiveProposed, 6, IncentiveApprove, "", "", EFORBIDDEN, "error.forbidden"},
		{"officer cannot approve", officer, IncentiveProposed, 6, IncentiveApprove, "", "", EFORBIDDEN, "error.forbidden"},
		{"nobody", nil, IncentiveProposed, 6, IncentiveApprove, "", "", EFORBIDDEN, "error.forbidden"},
		{"approve twice", director, IncentiveApproved, 6, IncentiveApprove, "", "", ECONFLICT, "incentive.status_not_allowed"},
		{"reject an approved record", director, IncentiveApproved, 6, IncentiveReject, "依据不足", "", ECONFLICT, "incentive.status_not_allowed"},
		{"approve a rejected one", director, IncentiveRejected, 6, IncentiveApprove, "", "", ECONFLICT, "incentive.status_not_allowed"},
		{"nobody neutralises by hand", director, IncentiveApproved, 6, IncentiveNeutralise, "", "", EFORBIDDEN, "error.forbidden"},
		{"nobody restores by hand", officer, IncentiveApproved, 6, IncentiveRestore, "", "", EFORBIDDEN, "error.forbidden"},
		{"unknown action", director, IncentiveProposed, 6, "pay", "", "", ENOTFOUND, "incentive.unknown_action"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := &Incentive{ID: 1, MemberID: 30, Kind: IncentiveReward, Status: tc.status, ProposedBy: tc.by}
			got, err := CheckIncentiveStep(tc.u, i, tc.action, tc.note)
			if ErrorCode(err) != tc.code || got != tc.want {
				t.Fatalf("got %q %v, want %q %q", got, err, tc.want, tc.code)
			}
			if err != nil && AsError(err).Key != tc.key {
				t.Fatalf("key %q, want %q", AsError(err).Key, tc.key)
			}
			if tc.key == "incentive.status_not_allowed" && AsError(err).Args[0] != LabelKey("incentive.status."+string(tc.status)) {
				t.Fatal("the conflict does not name the status")
			}
		})
	}
}

func TestIncentiveEffect(t *testing.T) {
	for _, tc := range []struct {
		name      string
		i         Incentive
		effective bool
		points    int64 // not reduced
		reduced   int64
		bottom    bool
	}{
		{"approved deduction", Incentive{Kind: IncentivePenalty, Status: IncentiveApproved, Points: -301}, true, -301, -150, false},
		{"proposed deduction", Incentive{Kind: IncentivePenalty, Status: IncentiveProposed, Points: -300}, false, 0, 0, false},
		{"rejected deduction", Incentive{Kind: IncentivePenalty, Status: IncentiveRejected, Points: -300}, false, 0, 0, false},
		{"neutralised deduction", Incentive{Kind: IncentivePenalty, Status: IncentiveApproved, Points: -300, NeutralisedBy: 4}, false, 0, 0, false},
		{"bonus is never reduced", Incentive{Kind: IncentiveReward, Status: IncentiveApproved, Points: 200}, true, 200, 200, false},
		{"disciplinary", Incentive{Kind: IncentiveDisciplinary, Status: IncentiveApproved, Points: -500}, true, -500, -250, true},
		{"disciplinary proposed", Incentive{Kind: IncentiveDisciplinary, Status: IncentiveProposed}, false, 0, 0, false},
		{"disciplinary exempted", Incentive{Kind: IncentiveDisciplinary, Status: IncentiveApproved, NeutralisedBy: 4}, false, 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := tc.i
			if i.Effective() != tc.effective || i.EffectivePoints(false) != tc.points || i.EffectivePoints(true) != tc.reduced || i.ForcesBottom() != tc.bottom {
				t.Fatalf("effective %v points %d reduced %d bottom %v", i.Effective(), i.EffectivePoints(false), i.EffectivePoints(true), i.ForcesBottom())
			}
		})
	}
}

func TestIncentiveNeutralise(t *testing.T) {
	i := &Incentive{Kind: IncentivePenalty, Status: IncentiveApproved, Points: -300}
	if err := i.Neutralise(4); err != nil || i.NeutralisedBy != 4 || i.Effective() {
		t.Fatalf("%v %+v", err, i)
	}
	if err := i.Neutralise(4); err != nil {
		t.Fatalf("again by the same claim: %v", err)
	}
	if err := i.Neutralise(5); AsError(err).Key != "incentive.already_neutralised" {
		t.Fatalf("by another claim: %v", err)
	}
	if i.Restore(5); i.NeutralisedBy != 4 {
		t.Fatal("another claim restored it")
	}
	if i.Restore(4); i.NeutralisedBy != 0 || !i.Effective() {
		t.Fatal("not restored")
	}
	for name, bad := range map[string]*Incentive{
		"reward":   {Kind: IncentiveReward, Status: IncentiveApproved, Points: 100},
		"proposal": {Kind: IncentivePenalty, Status: IncentiveProposed, Points: -100},
	} {
		if err := bad.Neutralise(4); err == nil || bad.NeutralisedBy != 0 {
			t.Errorf("%s neutralised", name)
		}
	}
	if err := (&Incentive{Kind: IncentivePenalty, Status: IncentiveApproved}).Neutralise(0); ErrorCode(err) != EINVALID {
		t.Errorf("no claim: %v", err)
	}
}

func TestAutoProposals(t *testing.T) {
	s := SigningReward(12, 30, " 碳纤维项目 ", "2026-05-20", 5000)
	if s.Auto != "sign:12" || s.Kind != IncentiveReward || s.AmountYuan != 5000 || s.MemberID != 30 || s.Reason != "碳纤维项目" ||
		s.EvidenceType != EvidenceProject || s.EvidenceID != 12 || s.Status != IncentiveProposed || s.AutoKind() != AutoSigning {
		t.Fatalf("%+v", s)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if SigningReward(12, 30, "碳纤维项目", "2026-05-20", 0) != nil {
		t.Fatal("a signing reward of nothing")
	}

	for _, tc := range []struct {
		funds, perMille, want int64
	}{
		{1_000_000, 5, 5000},
		{999, 1, 1},          // 0.999 rounds up
		{500, 1, 1},          // 0.5 rounds half up
		{499, 1, 0},          // 0.499 rounds down: no proposal
		{1_234_567, 3, 3704}, // 3703.701
		{2_500, 3, 8},        // 7.5
		{100_000_000, 1000, 100_000_000},
		{0, 5, 0},
		{1_000_000, 0, 0},
		{-1_000, 5, 0},
	} {
		f := FundsReward(12, 30, 8, tc.funds, tc.perMille, "2026-06-01")
		if tc.want == 0 {
			if f != nil {
				t.Errorf("%d‰ of %d: %+v, want none", tc.perMille, tc.funds, f)
			}
			continue
		}
		if f == nil || f.AmountYuan != tc.want || f.Auto != "funds:8" || f.EvidenceID != 12 || f.OccurredOn != "2026-06-01" || f.AutoKind() != AutoFunds {
			t.Errorf("%d‰ of %d: %+v, want %d", tc.perMille, tc.funds, f, tc.want)
			continue
		}
		if err := f.Validate(); err != nil {
			t.Errorf("%d‰ of %d: %v", tc.perMille, tc.funds, err)
		}
	}

	for _, points := range []int64{200, -200} {
		m := MilestonePenalty(12, 31, "start", "2026-04-30", points)
		if m.Auto != "missed:12:start:2026-04-30" || m.Kind != IncentivePenalty || m.Points != -200 || m.MemberID != 31 ||
			m.OccurredOn != "2026-04-30" || m.Reason != "start" || m.AutoKind() != AutoMissed {
			t.Fatalf("%+v", m)
		}
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if MilestonePenalty(12, 31, "start", "2026-04-30", 0) != nil {
		t.Fatal("a penalty of nothing")
	}
	if (&Incentive{}).AutoKind() != "" {
		t.Fatal("manual record has an auto kind")
	}
}

func TestLadder(t *testing.T) {
	B, M, T, X := BandBottom, BandMiddle, BandTop, BandExcluded
	l := DefaultLadder()
	for _, tc := range []struct {
		name   string
		bands  []Band
		annual bool
		want   ConsequenceAction
	}{
		{"none", nil, false, ""},
		{"middle", []Band{M}, false, ""},
		{"one bottom", []Band{B}, false, ConsequenceReminderTalk},
		{"two bottoms", []Band{B, B}, false, ConsequenceAdmonitionTalk},
		{"three after a middle", []Band{M, B, B, B}, false, ConsequencePostAdjustment},
		{"five bottoms", []Band{B, B, B, B, B}, false, ConsequencePostAdjustment},
		{"a middle breaks the run", []Band{B, B, M, B}, false, ConsequenceReminderTalk},
		{"a top breaks the run", []Band{B, T, B}, false, ConsequenceReminderTalk},
		{"excluded is skipped", []Band{B, X, B}, false, ConsequenceAdmonitionTalk},
		{"several excluded", []Band{B, X, X, B, X, B}, false, ConsequencePostAdjustment},
		{"last excluded: nothing new", []Band{B, B, X}, false, ""},
		{"recovered", []Band{B, B, M}, false, ""},
		{"bottom year", []Band{B}, true, ConsequencePostAdjustment},
		{"bottom year after a middle one", []Band{M, B}, true, ConsequencePostAdjustment},
		{"two bottom years", []Band{B, B}, true, ConsequenceNonRenewal},
		{"three bottom years", []Band{B, B, B}, true, ConsequenceNonRenewal},
		{"two bottom years around an excluded one", []Band{B, X, B}, true, ConsequenceNonRenewal},
		{"good year", []Band{B, T}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := l.NextConsequence(tc.bands, tc.annual)
			if got != tc.want || ok != (tc.want != "") {
				t.Fatalf("got %q %v, want %q", got, ok, tc.want)
			}
		})
	}
	// A zone's own ladder: unordered steps, and no annual rule.
	own := Ladder{Periodic: []LadderStep{{3, ConsequencePostAdjustment}, {2, ConsequenceReminderTalk}}}
	for k, want := range map[int]ConsequenceAction{1: "", 2: ConsequenceReminderTalk, 3: ConsequencePostAdjustment, 4: ConsequencePostAdjustment} {
		bands := make([]Band, k)
		for j := range bands {
			bands[j] = BandBottom
		}
		if got, ok := own.NextConsequence(bands, false); got != want || ok != (want != "") {
			t.Errorf("%d bottoms: %q %v, want %q", k, got, ok, want)
		}
	}
	if got, ok := own.NextConsequence([]Band{B}, true); ok || got != "" {
		t.Errorf("annual without a rule: %q", got)
	}
}

func TestConsequenceDecision(t *testing.T) {
	officer := &User{ID: 5, MemberID: 9, ZoneID: 1, DepartmentID: 3, Roles: []Role{RoleMember, RoleDiscipline}}
	director := &User{ID: 2, MemberID: 2, ZoneID: 1, DepartmentID: 1, Roles: []Role{RoleMember, RoleDirector}}
	for _, tc := range []struct {
		name    string
		u       *User
		status  string
		reason  string
		confirm bool
		code    Code
		key     string
	}{
		{"confirm", officer, ConsequenceProposed, "", true, "", ""},
		{"confirm with a reason", officer, ConsequenceProposed, "谈话已安排", true, "", ""},
		{"dismiss", officer, ConsequenceProposed, "末位系病假所致", false, "", ""},
		{"dismiss needs a reason", officer, ConsequenceProposed, " ", false, EINVALID, "error.required"},
		{"reason too long", officer, ConsequenceProposed, strings.Repeat("字", 1001), false, EINVALID, "error.too_long"},
		{"confirmed already", officer, ConsequenceConfirmed, "", true, ECONFLICT, "consequence.status_not_allowed"},
		{"dismissed already", officer, ConsequenceDismissed, "x", false, ECONFLICT, "consequence.status_not_allowed"},
		{"director may not", director, ConsequenceProposed, "", true, EFORBIDDEN, "error.forbidden"},
		{"nobody", nil, ConsequenceProposed, "", true, EFORBIDDEN, "error.forbidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckConsequenceDecision(tc.u, tc.status, tc.reason, tc.confirm)
			if ErrorCode(err) != tc.code || (err != nil && AsError(err).Key != tc.key) {
				t.Fatalf("%v, want %q %q", err, tc.code, tc.key)
			}
			if tc.code == ECONFLICT && AsError(err).Args[0] != LabelKey("consequence.status."+tc.status) {
				t.Fatal("the conflict does not name the status")
			}
		})
	}
}

func TestLadderParseAndValidate(t *testing.T) {
	d := DefaultLadder()
	if d.Steps() != "1:reminder_talk,2:admonition_talk,3:post_adjustment" {
		t.Fatalf("default steps %q", d.Steps())
	}
	l, err := ParseLadder(" 2:post_adjustment , 1:admonition_talk", "", "non_renewal")
	if err != nil || len(l.Periodic) != 2 || l.Steps() != "1:admonition_talk,2:post_adjustment" || l.AnnualBottom != "" {
		t.Fatalf("%+v %v", l, err)
	}
	if a, ok := l.NextConsequence([]Band{BandBottom}, true); ok {
		t.Fatalf("no annual action configured, got %q", a)
	}
	if a, _ := l.NextConsequence([]Band{BandBottom, BandBottom}, false); a != ConsequencePostAdjustment {
		t.Fatalf("two in a row: %q", a)
	}
	for _, bad := range []struct{ steps, annual, two, field string }{
		{"0:reminder_talk", "", "", "ladder"},
		{"7:reminder_talk", "", "", "ladder"},
		{"1:reminder_talk,1:admonition_talk", "", "", "ladder"},
		{"1:promotion", "", "", "ladder"},
		{"x", "", "", "ladder"},
		{"1:reminder_talk", "dismissal", "", "annual_bottom"},
		{"1:reminder_talk", "", "dismissal", "two_years_bottom"},
	} {
		if _, err := ParseLadder(bad.steps, bad.annual, bad.two); AsError(err).Field != bad.field {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if l, err := ParseLadder("", "", ""); err != nil || len(l.Periodic) != 0 {
		t.Fatalf("an empty ladder proposes nothing: %+v %v", l, err)
	}
}

func TestConsequenceDecisionNamed(t *testing.T) {
	for action, want := range map[string]bool{"confirm": true, "dismiss": false} {
		if got, err := ConsequenceDecision(action); err != nil || got != want {
			t.Errorf("%s: %v %v", action, got, err)
		}
	}
	if _, err := ConsequenceDecision("approve"); AsError(err).Key != "consequences.unknown_action" {
		t.Errorf("an unknown decision: %v", err)
	}
}
