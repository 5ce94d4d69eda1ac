package xinlu

import "testing"

func TestCastingPlanRules(t *testing.T) {
	retired := CastingCapacity{Enterprise: "老铸造厂", Tonnes: 6000, Status: CastingRetired, RetiredOn: "2026-03-01", Verified: true, VerifyNote: "拆除验收 2026-03"}
	running := CastingCapacity{Enterprise: "冲天炉厂", Tonnes: 8000, Status: CastingActive}
	plan := func(st PlanStatus, ratio float64, claimed ...CastingCapacity) *ReplacementPlan {
		return &ReplacementPlan{NewTonnes: 10000, Ratio: ratio, Status: st, Claimed: claimed}
	}
	for _, c := range []struct {
		name string
		p    *ReplacementPlan
		to   PlanStatus
		key  string // "" allowed
	}{
		{"submit with the ratio held", plan(PlanDraft, 1, retired, running), PlanSubmitted, ""},
		{"submit at 1.25:1", plan(PlanDraft, 1.25, retired, running), PlanSubmitted, ""},
		{"submit short of 1.5:1", plan(PlanDraft, 1.5, retired, running), PlanSubmitted, "casting.ratio_short"},
		{"skip publicity", plan(PlanSubmitted, 1, retired, running), PlanAnnounced, "casting.move_not_allowed"},
		{"publicity", plan(PlanSubmitted, 1, retired, running), PlanPublicity, ""},
		{"announce", plan(PlanPublicity, 1, retired, running), PlanAnnounced, ""},
		{"verify with capacity still running", plan(PlanAnnounced, 1, retired, running), PlanVerified, "casting.not_verified"},
		{"verify", plan(PlanAnnounced, 1, retired, retired), PlanVerified, ""},
		{"done", plan(PlanVerified, 1, retired, retired), PlanDone, ""},
		{"reject an open plan", plan(PlanPublicity, 1), PlanRejected, ""},
		{"reject a done plan", plan(PlanDone, 1), PlanRejected, "casting.move_not_allowed"},
		{"back to draft", plan(PlanSubmitted, 1), PlanDraft, "casting.move_not_allowed"},
	} {
		err := CheckPlanMove(c.p, c.to)
		if got := ""; err != nil {
			got = AsError(err).Key
			if got != c.key {
				t.Errorf("%s: %q, want %q", c.name, got, c.key)
			}
		} else if c.key != "" {
			t.Errorf("%s: allowed, want %q", c.name, c.key)
		}
	}
	if e := AsError(CheckPlanMove(plan(PlanDraft, 1.5, retired, running), PlanSubmitted)); e == nil || e.Args[0] != "14,000" || e.Args[1] != "15,000" {
		t.Fatalf("ratio refusal names claimed and required tonnes: %+v", e)
	}

	for _, c := range []struct {
		name  string
		plans []*ReplacementPlan
		key   string
	}{
		{"no plan", nil, "casting.start_no_plan"},
		{"in publicity", []*ReplacementPlan{plan(PlanPublicity, 1, retired, running)}, "casting.start_not_announced"},
		{"announced but short", []*ReplacementPlan{plan(PlanAnnounced, 1, retired)}, "casting.start_ratio"},
		{"announced and held", []*ReplacementPlan{plan(PlanRejected, 1), plan(PlanAnnounced, 1, retired, running)}, ""},
	} {
		err := CheckCastingStart(c.plans)
		if (err == nil) != (c.key == "") || err != nil && AsError(err).Key != c.key {
			t.Errorf("%s: %v, want %q", c.name, err, c.key)
		}
	}
	bad := CastingCapacity{Enterprise: "x", Process: "cupola", Tonnes: 100, Status: CastingActive, Verified: true, VerifyNote: "y"}
	if AsError(bad.Validate()).Key != "casting.active_not_retired" {
		t.Fatal("running capacity cannot be verified as retired")
	}
	if ValidateRatio(0.8) == nil || ValidateRatio(1.25) != nil {
		t.Fatal("ratio bounds")
	}
}
