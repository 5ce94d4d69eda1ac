package xinlu

import (
	"testing"
	"time"
)

func userWith(member int64, roles ...Role) *User {
	return &User{ID: 1, ZoneID: 1, MemberID: member, Roles: roles}
}

func TestLeadSteps(t *testing.T) {
	screener := userWith(2, RoleMember, RoleScreener)
	reporter := userWith(7, RoleMember)
	other := userWith(8, RoleMember)
	sponsor := userWith(3, RoleMember, RoleSponsor)
	for _, tc := range []struct {
		name   string
		u      *User
		status LeadStatus
		veto   string
		step   LeadStep
		want   LeadStatus
		code   Code
	}{
		{"screener starts", screener, LeadReported, "", LeadStep{Action: LeadStartScreening}, LeadScreening, ""},
		{"member cannot screen", reporter, LeadReported, "", LeadStep{Action: LeadStartScreening}, "", EFORBIDDEN},
		{"accept from screening", screener, LeadScreening, "", LeadStep{Action: LeadAccept}, LeadAccepted, ""},
		{"accept twice", screener, LeadAccepted, "", LeadStep{Action: LeadAccept}, "", ECONFLICT},
		{"accept a vetoed lead", screener, LeadScreening, "safety", LeadStep{Action: LeadAccept}, "", ECONFLICT},
		{"reject needs a reason", screener, LeadScreening, "", LeadStep{Action: LeadReject}, "", EINVALID},
		{"reject", screener, LeadScreening, "", LeadStep{Action: LeadReject, Reason: "不符合产业定位"}, LeadRejected, ""},
		{"request info", screener, LeadReported, "", LeadStep{Action: LeadRequestInfo, Reason: "请补充投资方联系人"}, LeadInfoRequested, ""},
		{"reporter provides info", reporter, LeadInfoRequested, "", LeadStep{Action: LeadProvideInfo}, LeadScreening, ""},
		{"another member cannot", other, LeadInfoRequested, "", LeadStep{Action: LeadProvideInfo}, "", EFORBIDDEN},
		{"veto needs a ground", screener, LeadScreening, "", LeadStep{Action: LeadVeto, Reason: "高耗能"}, "", EINVALID},
		{"veto", screener, LeadScreening, "", LeadStep{Action: LeadVeto, Reason: "高耗能", VetoGround: "energy"}, LeadScreening, ""},
		{"screener cannot override", screener, LeadScreening, "energy", LeadStep{Action: LeadOverrideVeto, Reason: "已整改"}, "", EFORBIDDEN},
		{"leadership overrides", sponsor, LeadScreening, "energy", LeadStep{Action: LeadOverrideVeto, Reason: "已整改"}, LeadScreening, ""},
		{"override without veto", sponsor, LeadScreening, "", LeadStep{Action: LeadOverrideVeto, Reason: "x x"}, "", ECONFLICT},
		{"merge into itself", screener, LeadScreening, "", LeadStep{Action: LeadMerge, MergeInto: 10}, "", EINVALID},
		{"merge", screener, LeadScreening, "", LeadStep{Action: LeadMerge, MergeInto: 11}, LeadMerged, ""},
		{"shelve", screener, LeadScreening, "", LeadStep{Action: LeadShelve}, LeadDormant, ""},
		{"reopen", screener, LeadDormant, "", LeadStep{Action: LeadReopen}, LeadScreening, ""},
		{"reopen a rejected lead", screener, LeadRejected, "", LeadStep{Action: LeadReopen}, "", ECONFLICT},
		{"unknown action", screener, LeadScreening, "", LeadStep{Action: "fly"}, "", ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &Lead{ID: 10, ReporterID: 7, Status: tc.status, VetoGround: tc.veto}
			got, err := CheckLeadStep(tc.u, l, tc.step)
			if ErrorCode(err) != tc.code || got != tc.want {
				t.Fatalf("got %q %v, want %q %q", got, err, tc.want, tc.code)
			}
			if tc.code == ECONFLICT && AsError(err).Key == "lead.step_not_allowed" && AsError(err).Args[0] != LabelKey("lead.status."+string(tc.status)) {
				t.Fatal("the conflict does not name the status")
			}
		})
	}
}

func TestLeadValidate(t *testing.T) {
	ok := Lead{Company: " 山西华晋新材料股份有限公司 ", ProjectName: "碳纤维", Industry: "materials", InvestmentYuan: new(int64(5e8)), ContactPhone: "0351-7654321"}
	if err := ok.Validate(); err != nil || ok.CompanyKey != "华晋新材料" {
		t.Fatalf("%v %q", err, ok.CompanyKey)
	}
	for field, l := range map[string]Lead{
		"company":       {ProjectName: "x", Industry: "other"},
		"project_name":  {Company: "x", Industry: "other"},
		"industry":      {Company: "x", ProjectName: "x", Industry: "steel"},
		"investment":    {Company: "x", ProjectName: "x", Industry: "other", InvestmentYuan: new(int64(-1))},
		"contact_phone": {Company: "x", ProjectName: "x", Industry: "other", ContactPhone: "call me"},
		"channel":       {Company: "x", ProjectName: "x", Industry: "other", Channel: "tv"},
	} {
		if err := l.Validate(); AsError(err).Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	a := &Lead{ID: 2, ReportedAt: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	b := &Lead{ID: 1, ReportedAt: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}
	if EarlierReporter(a, b) != a || EarlierReporter(b, a) != a {
		t.Fatal("the earlier report must keep the credit")
	}
	c := &Lead{ID: 1, ReportedAt: a.ReportedAt}
	if EarlierReporter(a, c) != c {
		t.Fatal("on the same instant the smaller id keeps the credit")
	}
}

func TestProjectSteps(t *testing.T) {
	planner := userWith(1, RoleMember, RolePlanner)
	sponsor := userWith(2, RoleMember, RoleSponsor)
	agent := userWith(3, RoleMember, RoleAgent)
	member := userWith(4, RoleMember)
	for _, tc := range []struct {
		name       string
		u          *User
		stage      Stage
		status     ProjectStatus
		action     ProjectAction
		wantStage  Stage
		wantStatus ProjectStatus
		code       Code
	}{
		{"planner submits", planner, StagePackaging, ProjectActive, ProjectSubmitPlan, StagePromotion, ProjectActive, ""},
		{"member cannot", member, StagePackaging, ProjectActive, ProjectSubmitPlan, "", "", EFORBIDDEN},
		{"sign from packaging", sponsor, StagePackaging, ProjectActive, ProjectSign, "", "", ECONFLICT},
		{"sign", sponsor, StagePromotion, ProjectActive, ProjectSign, StageAgency, ProjectActive, ""},
		{"agent cannot sign", agent, StagePromotion, ProjectActive, ProjectSign, "", "", EFORBIDDEN},
		{"start construction", agent, StageAgency, ProjectActive, ProjectStartBuilding, StageConstruction, ProjectActive, ""},
		{"start production", agent, StageConstruction, ProjectActive, ProjectStartProducing, StageProduction, ProjectActive, ""},
		{"full production", agent, StageProduction, ProjectActive, ProjectFullProduction, StageFullProduction, ProjectActive, ""},
		{"hold", sponsor, StageAgency, ProjectActive, ProjectHold, StageAgency, ProjectOnHold, ""},
		{"no step while on hold", agent, StageAgency, ProjectOnHold, ProjectStartBuilding, "", "", ECONFLICT},
		{"resume", sponsor, StageAgency, ProjectOnHold, ProjectResume, StageAgency, ProjectActive, ""},
		{"lose from hold", sponsor, StagePromotion, ProjectOnHold, ProjectLose, StagePromotion, ProjectLost, ""},
		{"nothing after lost", sponsor, StagePromotion, ProjectLost, ProjectResume, "", "", ECONFLICT},
		{"no hold at full production", sponsor, StageFullProduction, ProjectActive, ProjectHold, "", "", ECONFLICT},
		{"revise the schedule in agency", sponsor, StageAgency, ProjectActive, ProjectReviseSchedule, StageAgency, ProjectActive, ""},
		{"revise the schedule on hold", sponsor, StageConstruction, ProjectOnHold, ProjectReviseSchedule, StageConstruction, ProjectOnHold, ""},
		{"revise the schedule at full production", sponsor, StageFullProduction, ProjectActive, ProjectReviseSchedule, StageFullProduction, ProjectActive, ""},
		{"no schedule before signing", sponsor, StagePromotion, ProjectActive, ProjectReviseSchedule, "", "", ECONFLICT},
		{"no revision once lost", sponsor, StageAgency, ProjectLost, ProjectReviseSchedule, "", "", ECONFLICT},
		{"the agent cannot revise", agent, StageAgency, ProjectActive, ProjectReviseSchedule, "", "", EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Project{Stage: tc.stage, Status: tc.status}
			st, status, err := CheckProjectStep(tc.u, p, tc.action)
			if ErrorCode(err) != tc.code || st != tc.wantStage || status != tc.wantStatus {
				t.Fatalf("got %q %q %v", st, status, err)
			}
		})
	}
	if got := ProjectCode("demo", 2026, 7); got != "DEMO-2026-0007" {
		t.Fatal(got)
	}
}

func TestPlanAndSigning(t *testing.T) {
	p := Plan{Content: "年产 5 万台减速机", TotalYuan: new(int64(6e8)), FixedAssetYuan: new(int64(4e8)), LandMu: 120, SixNew: []string{"new_equipment"}, ChainPosition: "supplier"}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := p
	bad.FixedAssetYuan = new(int64(7e8))
	if err := bad.Validate(); AsError(err).Field != "fixed_asset_yuan" {
		t.Fatalf("fixed above total: %v", err)
	}
	bad = p
	bad.SixNew = []string{"new_magic"}
	if err := bad.Validate(); AsError(err).Field != "six_new" {
		t.Fatalf("six-new tag: %v", err)
	}
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	s := Signing{SignedOn: "2026-11-20", ContractYuan: 6e8, PromisedStart: "2027-03-01", PromisedProduce: "2028-06-30"}
	if err := s.Validate(today); err != nil {
		t.Fatal(err)
	}
	s.PromisedProduce = "2027-01-01"
	if err := s.Validate(today); AsError(err).Field != "promised_produce" {
		t.Fatalf("produce before start: %v", err)
	}
	s.SignedOn = "2026-12-01"
	if err := s.Validate(today); AsError(err).Field != "signed_on" {
		t.Fatalf("signed in the future: %v", err)
	}
}
