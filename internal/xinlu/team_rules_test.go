package xinlu

import (
	"strings"
	"testing"
)

func TestTeamValidate(t *testing.T) {
	long := strings.Repeat("专", 65)
	tests := []struct {
		name      string
		team      Team
		wantField string
		wantKey   string
	}{
		{"valid taskforce", Team{Name: "甄别专班", Kind: TeamTaskforce}, "", ""},
		{"valid leadership with description", Team{Name: "招商领导组", Kind: TeamLeadership, Description: "推进签约"}, "", ""},
		{"name trimmed to empty", Team{Name: "   ", Kind: TeamPlanning}, "name", "error.required"},
		{"name too long", Team{Name: long, Kind: TeamPlanning}, "name", "error.too_long"},
		{"name of 64 characters is fine", Team{Name: long[:len(long)-len("专")], Kind: TeamPlanning}, "", ""},
		{"kind missing", Team{Name: "专业组"}, "kind", "error.required"},
		{"kind unknown", Team{Name: "专业组", Kind: "committee"}, "kind", "error.invalid_choice"},
		{"description too long", Team{Name: "代办专班", Kind: TeamTaskforce, Description: strings.Repeat("x", 2001)}, "description", "error.too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.team.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("want nil, got %v", err)
				}
				return
			}
			e := AsError(err)
			if e.Code != EINVALID || e.Field != tt.wantField || e.Key != tt.wantKey {
				t.Fatalf("want %s %s, got %v", tt.wantField, tt.wantKey, err)
			}
		})
	}
}

func TestTeamValidateTrims(t *testing.T) {
	tm := Team{Name: "  甄别专班 ", Kind: " taskforce ", Description: " 说明 "}
	if err := tm.Validate(); err != nil {
		t.Fatal(err)
	}
	if tm.Name != "甄别专班" || tm.Kind != TeamTaskforce || tm.Description != "说明" {
		t.Fatalf("not trimmed: %+v", tm)
	}
}

func TestTeamKindValid(t *testing.T) {
	for _, k := range TeamKinds {
		if !k.Valid() {
			t.Errorf("%s should be valid", k)
		}
	}
	for _, k := range []TeamKind{"", "Taskforce", "group"} {
		if k.Valid() {
			t.Errorf("%q should be invalid", k)
		}
	}
}

func TestTeamMemberCheckJoin(t *testing.T) {
	tests := []struct {
		name       string
		memberID   int64
		memberZone int64
		status     MemberStatus
		already    bool
		wantCode   Code
		wantKey    string
	}{
		{"active member of the zone joins", 7, 1, MemberActive, false, "", ""},
		{"member on probation joins", 7, 1, MemberProbation, false, "", ""},
		{"no member named", 0, 0, "", false, EINVALID, "error.required"},
		{"no such member", 7, 0, "", false, EINVALID, "error.reference_missing"},
		{"member of another zone", 7, 2, MemberActive, false, EINVALID, "error.reference_missing"},
		{"member who left", 7, 1, MemberLeft, false, EINVALID, "team.member_left"},
		{"member already in the team", 7, 1, MemberActive, true, ECONFLICT, "team.member_exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := TeamMember{TeamID: 3, MemberID: tt.memberID}
			err := tm.CheckJoin(1, tt.memberZone, tt.status, tt.already)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("want nil, got %v", err)
				}
				return
			}
			e := AsError(err)
			if e.Code != tt.wantCode || e.Field != "member_id" || e.Key != tt.wantKey {
				t.Fatalf("want %s %s on member_id, got %v", tt.wantCode, tt.wantKey, err)
			}
		})
	}
}
