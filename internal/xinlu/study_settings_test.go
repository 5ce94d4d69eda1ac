package xinlu

import (
	"strings"
	"testing"
)

func TestStudySettingsValidateAndLevel(t *testing.T) {
	for _, tc := range []struct {
		name   string
		st     StudySettings
		fields []string
	}{
		{"defaults", DefaultStudySettings(1), nil},
		{"equal thresholds", StudySettings{WarnPercent: 50, FlagPercent: 50}, nil},
		{"flag below warn", StudySettings{WarnPercent: 50, FlagPercent: 40}, []string{"flag_percent"}},
		{"everything out of range", StudySettings{WarnPercent: 0, FlagPercent: 101, ExcellentPoints: MaxExcellentPoints + 1},
			[]string{"warn_percent", "flag_percent", "excellent_points"}},
		{"negative points", StudySettings{WarnPercent: 30, FlagPercent: 60, ExcellentPoints: -1}, []string{"excellent_points"}},
	} {
		var got []string
		for _, e := range ErrorsOf(tc.st.Validate()) {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.fields)
		}
	}
	st := StudySettings{WarnPercent: 30, FlagPercent: 60}
	for score, want := range map[float64]SimilarLevel{0.0: SimilarNone, 0.294: SimilarNone, 0.296: SimilarWarn, 0.599: SimilarFlag, 0.62: SimilarFlag, 1: SimilarFlag, 0.45: SimilarWarn} {
		if got := st.Level(score); got != want {
			t.Errorf("level of %.3f: %q, want %q", score, got, want)
		}
	}
}

func TestCheckStudySettingsEdit(t *testing.T) {
	for role, want := range map[Role]bool{RoleDiscipline: true, RoleAppraiser: true, RoleDirector: true, RoleHead: false, RoleMember: false, RoleFinance: false} {
		u := &User{ID: 1, Roles: []Role{role}}
		if got := CheckStudySettingsEdit(u) == nil; got != want {
			t.Errorf("%s edits the study settings: %v", role, got)
		}
	}
	if CheckStudySettingsEdit(nil) == nil {
		t.Error("nobody edits")
	}
}

func TestExcellentEntries(t *testing.T) {
	r := &Reflection{ID: 7, MemberID: 3, CampaignID: 2}
	reward := func(n string, st IncentiveStatus) *Incentive {
		return &Incentive{Auto: "study:7:" + n, Kind: IncentiveReward, Points: 200, Status: st}
	}
	back := func(n string) *Incentive {
		return &Incentive{Auto: "study-back:7:" + n, Kind: IncentivePenalty, Points: -200, Status: IncentiveApproved}
	}
	other := &Incentive{Auto: "study:8:1", Kind: IncentiveReward, Points: 200, Status: IncentiveProposed}
	for _, tc := range []struct {
		name         string
		on           bool
		points       int64
		entries      []*Incentive
		add          string // Auto of the entry added, "" none
		addStatus    IncentiveStatus
		addPoints    int64
		withdrawAuto string
	}{
		{"first pick", true, 200, nil, "study:7:1", IncentiveProposed, 200, ""},
		{"another reflection's entry is not this one's", true, 200, []*Incentive{other}, "study:7:1", IncentiveProposed, 200, ""},
		{"picked again while proposed: nothing", true, 200, []*Incentive{reward("1", IncentiveProposed)}, "", "", 0, ""},
		{"picked again while approved: nothing", true, 200, []*Incentive{reward("1", IncentiveApproved)}, "", "", 0, ""},
		{"no points, no entry", true, 0, nil, "", "", 0, ""},
		{"taken back while proposed: withdrawn", false, 200, []*Incentive{reward("1", IncentiveProposed)}, "", "", 0, "study:7:1"},
		{"taken back once approved: reversed", false, 300, []*Incentive{reward("1", IncentiveApproved)}, "study-back:7:1", IncentiveApproved, -200, ""},
		{"taken back twice: nothing", false, 200, []*Incentive{reward("1", IncentiveApproved), back("1")}, "", "", 0, ""},
		{"taken back with nothing standing", false, 200, nil, "", "", 0, ""},
		{"picked after a reversal: a second reward", true, 200, []*Incentive{reward("1", IncentiveApproved), back("1")}, "study:7:2", IncentiveProposed, 200, ""},
		{"picked after a rejection: a second reward", true, 200, []*Incentive{reward("1", IncentiveRejected)}, "study:7:2", IncentiveProposed, 200, ""},
		{"the latest standing reward is the one taken back", false, 200, []*Incentive{reward("1", IncentiveApproved), back("1"), reward("2", IncentiveProposed)}, "", "", 0, "study:7:2"},
	} {
		add, withdraw := ExcellentEntries(r, "学习讲话", tc.on, tc.points, "2026-12-07", tc.entries)
		gotAdd, gotW := "", ""
		if add != nil {
			gotAdd = add.Auto
			if add.Status != tc.addStatus || add.Points != tc.addPoints || add.MemberID != 3 || add.Validate() != nil {
				t.Errorf("%s: added %+v (%v)", tc.name, add, add.Validate())
			}
		}
		if withdraw != nil {
			gotW = withdraw.Auto
		}
		if gotAdd != tc.add || gotW != tc.withdrawAuto {
			t.Errorf("%s: add %q withdraw %q, want %q %q", tc.name, gotAdd, gotW, tc.add, tc.withdrawAuto)
		}
	}
}
