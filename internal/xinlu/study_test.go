package xinlu

import (
	"strings"
	"testing"
	"time"
)

func studyDay(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCampaignValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		c      Campaign
		fields []string // every field reported, in order
	}{
		{"zone-wide", Campaign{Title: " 学习省委全会精神 ", Audience: AudienceZone, OpensOn: "2026-12-01", ClosesOn: "2026-12-15"}, nil},
		{"everything wrong at once", Campaign{Title: "", Audience: AudienceDepartments, OpensOn: "12/01", ClosesOn: "", MinLength: -5},
			[]string{"campaign_title", "department_ids", "min_length", "opens_on", "closes_on"}},
		{"closes before opens", Campaign{Title: "甲", Audience: AudienceMembers, MemberIDs: []int64{3}, OpensOn: "2026-12-10", ClosesOn: "2026-12-09"},
			[]string{"closes_on"}},
		{"members without members", Campaign{Title: "甲", Audience: AudienceMembers, OpensOn: "2026-12-10", ClosesOn: "2026-12-19"},
			[]string{"member_ids"}},
		{"teams without teams", Campaign{Title: "甲", Audience: AudienceTeams, MemberIDs: []int64{3}, OpensOn: "2026-12-10", ClosesOn: "2026-12-19"},
			[]string{"team_ids"}},
		{"teams", Campaign{Title: "甲", Audience: AudienceTeams, TeamIDs: []int64{4, 4}, OpensOn: "2026-12-10", ClosesOn: "2026-12-19"}, nil},
		{"unknown audience", Campaign{Title: "甲", Audience: "team", OpensOn: "2026-12-10", ClosesOn: "2026-12-19"}, []string{"audience"}},
		{"title too long", Campaign{Title: strings.Repeat("学", MaxCampaignTitle+1), Audience: AudienceZone, OpensOn: "2026-12-10", ClosesOn: "2026-12-19"},
			[]string{"campaign_title"}},
	} {
		c := tc.c
		err := c.Validate()
		var got []string
		for _, e := range ErrorsOf(err) {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%s: fields %v, want %v (%v)", tc.name, got, tc.fields, err)
		}
		if err == nil && (c.MinLength != DefaultMinReflection || c.Title != strings.TrimSpace(tc.c.Title)) {
			t.Errorf("%s: not cleaned: %+v", tc.name, c)
		}
	}
}

func TestCampaignAsksAndActions(t *testing.T) {
	office := &User{ID: 1, MemberID: 10, DepartmentID: 1, Roles: []Role{RoleDiscipline}}
	member := &User{ID: 2, MemberID: 20, DepartmentID: 2, Roles: []Role{RoleMember}}
	c := &Campaign{Audience: AudienceDepartments, DepartmentIDs: []int64{2}, Status: CampaignDraft, Theme: "解放思想"}
	if !c.Asks(20, 2) || c.Asks(10, 1) {
		t.Fatal("departments audience")
	}
	// A team campaign asks whoever is in its teams as they stand.
	for _, tc := range []struct {
		c      Campaign
		member int64
		want   bool
	}{
		{Campaign{Audience: AudienceTeams, TeamIDs: []int64{7}, TeamMemberIDs: []int64{10, 11}}, 10, true},
		{Campaign{Audience: AudienceTeams, TeamIDs: []int64{7}, TeamMemberIDs: []int64{10, 11}}, 12, false},
		{Campaign{Audience: AudienceTeams, TeamIDs: []int64{7}}, 10, false},
		{Campaign{Audience: AudienceTeams, TeamIDs: []int64{7}, TeamMemberIDs: []int64{10}}, 0, false},
		// Stale team members of another audience do not count.
		{Campaign{Audience: AudienceMembers, MemberIDs: []int64{11}, TeamMemberIDs: []int64{10}}, 10, false},
	} {
		if got := tc.c.Asks(tc.member, 1); got != tc.want {
			t.Errorf("%+v asks %d: %v", tc.c, tc.member, got)
		}
	}
	tc := Campaign{Title: "甲", Audience: AudienceTeams, TeamIDs: []int64{5, 4, 4}, DepartmentIDs: []int64{1}, OpensOn: "2026-12-10", ClosesOn: "2026-12-19"}
	if err := tc.Validate(); err != nil || len(tc.TeamIDs) != 2 || tc.DepartmentIDs != nil {
		t.Errorf("team campaign cleaned to %+v, %v", tc, err)
	}
	c2 := &Campaign{Audience: AudienceMembers, MemberIDs: []int64{10}}
	if !c2.Asks(10, 1) || c2.Asks(20, 2) {
		t.Fatal("members audience")
	}
	for _, tc := range []struct {
		u      *User
		status CampaignStatus
		action CampaignAction
		want   CampaignStatus
		code   Code
	}{
		{office, CampaignDraft, CampaignOpenAction, CampaignOpen, ""},
		{office, CampaignOpen, CampaignCloseAction, CampaignClosed, ""},
		{office, CampaignClosed, CampaignArchiveAction, CampaignArchived, ""},
		{office, CampaignDraft, CampaignCloseAction, "", ECONFLICT},
		{office, CampaignArchived, CampaignOpenAction, "", ECONFLICT},
		{office, CampaignOpen, "publish", "", ENOTFOUND},
		{member, CampaignDraft, CampaignOpenAction, "", EFORBIDDEN},
	} {
		c.Status = tc.status
		got, err := CheckCampaignAction(tc.u, c, tc.action)
		if got != tc.want || ErrorCode(err) != tc.code {
			t.Errorf("%s %s by %v: %s %v", tc.action, tc.status, tc.u.Roles, got, err)
		}
	}
	empty := &Campaign{Status: CampaignDraft}
	if _, err := CheckCampaignAction(office, empty, CampaignOpenAction); errKey(err) != "study.open_needs_material" {
		t.Errorf("opening without material: %v", err)
	}
	open := &Campaign{Status: CampaignOpen, Graded: true}
	if err := CheckCampaignEdit(office, open, &Campaign{Graded: false}); errKey(err) != "study.graded_fixed" {
		t.Errorf("grading changed once open: %v", err)
	}
	if err := CheckCampaignEdit(member, nil, &Campaign{}); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("member creates a campaign: %v", err)
	}
}

func TestReflectionLifecycle(t *testing.T) {
	author := &User{ID: 2, MemberID: 20, DepartmentID: 2, Roles: []Role{RoleMember}}
	other := &User{ID: 3, MemberID: 30, DepartmentID: 2, Roles: []Role{RoleMember}}
	head := &User{ID: 4, MemberID: 40, DepartmentID: 2, Roles: []Role{RoleMember, RoleHead}}
	otherHead := &User{ID: 5, MemberID: 50, DepartmentID: 3, Roles: []Role{RoleMember, RoleHead}}
	named := &User{ID: 6, MemberID: 60, DepartmentID: 4, Roles: []Role{RoleMember}}
	selfHead := &User{ID: 7, MemberID: 20, DepartmentID: 2, Roles: []Role{RoleMember, RoleHead}}
	c := &Campaign{ID: 1, Audience: AudienceZone, ClosesOn: "2026-12-15", MinLength: 10, Status: CampaignOpen, Graded: true, ReviewerIDs: []int64{60}}
	long := strings.Repeat("解放思想 ", 3) // 12 characters without the blanks
	short := "解放 思想 实事求是"              // 8

	if _, err := CheckReflectionSave(author, c, nil, long); err != nil {
		t.Fatalf("first draft: %v", err)
	}
	notAsked := &Campaign{Audience: AudienceMembers, MemberIDs: []int64{99}, Status: CampaignOpen}
	if _, err := CheckReflectionSave(author, notAsked, nil, long); ErrorCode(err) != ENOTFOUND {
		t.Errorf("a member not asked writes: %v", err)
	}
	r := &Reflection{ID: 5, CampaignID: 1, MemberID: 20, DepartmentID: 2, Status: ReflectionDraft, Body: short}
	if _, err := CheckReflectionSave(other, c, r, long); ErrorCode(err) != ENOTFOUND {
		t.Errorf("someone else edits the draft: %v", err)
	}
	if _, _, err := CheckReflectionSubmit(author, c, r, studyDay("2026-12-10")); errKey(err) != "study.reflection_short" {
		t.Errorf("short submission: %v", err)
	} else if a := AsError(err).Args; a[0] != 10 || a[1] != 8 {
		t.Errorf("short submission says %v", a)
	}
	r.Body = long
	for _, tc := range []struct {
		day  string
		late bool
	}{{"2026-12-15", false}, {"2026-12-16", true}} {
		st, late, err := CheckReflectionSubmit(author, c, r, studyDay(tc.day))
		if err != nil || st != ReflectionSubmitted || late != tc.late {
			t.Errorf("submitted on %s: %s late=%v %v", tc.day, st, late, err)
		}
	}
	r.Status = ReflectionSubmitted
	if _, err := CheckReflectionSave(author, c, r, long); ErrorCode(err) != ECONFLICT {
		t.Errorf("editing a submitted reflection: %v", err)
	}

	// Review rights: the department's head, a named reviewer; never the
	// author, not another department's head, not a colleague.
	for _, tc := range []struct {
		u    *User
		want bool
	}{{head, true}, {named, true}, {author, false}, {selfHead, false}, {otherHead, false}, {other, false}} {
		if got := CanReview(tc.u, c, r); got != tc.want {
			t.Errorf("CanReview member %d: %v", tc.u.MemberID, got)
		}
	}
	if _, err := CheckReview(selfHead, c, r, &Review{Action: ReviewAccept, Grade: GradeGood}); errKey(err) != "study.review_own" {
		t.Errorf("head reviews own: %v", err)
	}
	if _, err := CheckReview(otherHead, c, r, &Review{Action: ReviewAccept, Grade: GradeGood}); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("other head: %v", err)
	}
	for _, tc := range []struct {
		rv     Review
		graded bool
		want   ReflectionStatus
		key    string
	}{
		{Review{Action: ReviewReturn, Comment: "  "}, true, "", "study.return_comment_required"},
		{Review{Action: ReviewReturn, Comment: "联系本职工作不够"}, true, ReflectionReturned, ""},
		{Review{Action: ReviewAccept}, true, "", "study.grade_required"},
		{Review{Action: ReviewAccept, Grade: "A"}, true, "", "error.invalid_choice"},
		{Review{Action: ReviewAccept, Grade: GradeExcellent}, true, ReflectionAccepted, ""},
		{Review{Action: ReviewAccept, Grade: GradePass}, false, "", "study.grade_not_used"},
		{Review{Action: ReviewAccept}, false, ReflectionAccepted, ""},
		{Review{Action: "reject"}, true, "", "study.unknown_action"},
	} {
		c.Graded = tc.graded
		rv := tc.rv
		got, err := CheckReview(head, c, r, &rv)
		if got != tc.want || errKey(err) != tc.key {
			t.Errorf("%+v graded=%v: %s %v", tc.rv, tc.graded, got, err)
		}
	}
	c.Graded = true

	// Returned, the author edits and resubmits; the late mark stays.
	r.Status, r.Late = ReflectionReturned, true
	if _, err := CheckReflectionSave(author, c, r, long+"补充"); err != nil {
		t.Errorf("editing a returned reflection: %v", err)
	}
	if st, late, err := CheckReflectionSubmit(author, c, r, studyDay("2026-12-11")); st != ReflectionResubmitted || !late || err != nil {
		t.Errorf("resubmission: %s %v %v", st, late, err)
	}
	r.Status = ReflectionResubmitted
	if st, err := CheckReview(named, c, r, &Review{Action: ReviewAccept, Grade: GradeGood}); st != ReflectionAccepted || err != nil {
		t.Errorf("named reviewer accepts: %s %v", st, err)
	}
	r.Status = ReflectionAccepted
	if _, err := CheckReview(head, c, r, &Review{Action: ReviewReturn, Comment: "再改"}); ErrorCode(err) != ECONFLICT {
		t.Errorf("reviewing an accepted reflection: %v", err)
	}
	// A closed campaign takes no more writing, but reviews go on.
	c.Status = CampaignClosed
	r.Status = ReflectionSubmitted
	if _, err := CheckReflectionSave(author, c, &Reflection{MemberID: 20, Status: ReflectionDraft}, long); errKey(err) != "study.campaign_not_open" {
		t.Errorf("writing in a closed campaign: %v", err)
	}
	if _, err := CheckReview(head, c, r, &Review{Action: ReviewAccept, Grade: GradePass}); err != nil {
		t.Errorf("reviewing in a closed campaign: %v", err)
	}
}

func TestStudyCompletion(t *testing.T) {
	c := &Campaign{ID: 1, ClosesOn: "2026-12-15"}
	audience := []StudyMember{
		{MemberID: 1, Name: "甲", DepartmentID: 10, DepartmentName: "招商一局"},
		{MemberID: 2, Name: "乙", DepartmentID: 10, DepartmentName: "招商一局"},
		{MemberID: 3, Name: "丙", DepartmentID: 10, DepartmentName: "招商一局"},
		{MemberID: 4, Name: "丁", DepartmentID: 20, DepartmentName: "综合办"},
		{MemberID: 5, Name: "戊", DepartmentID: 20, DepartmentName: "综合办"},
		{MemberID: 6, Name: "己", DepartmentID: 20, DepartmentName: "综合办"},
	}
	refl := []*Reflection{
		{ID: 1, CampaignID: 1, MemberID: 1, Status: ReflectionAccepted, Grade: GradeExcellent},
		{ID: 2, CampaignID: 1, MemberID: 2, Status: ReflectionSubmitted, Late: true},
		{ID: 3, CampaignID: 1, MemberID: 3, Status: ReflectionDraft},
		{ID: 4, CampaignID: 1, MemberID: 4, Status: ReflectionReturned},
		{ID: 5, CampaignID: 1, MemberID: 5, Status: ReflectionResubmitted},
		{ID: 6, CampaignID: 2, MemberID: 6, Status: ReflectionAccepted},  // another campaign
		{ID: 7, CampaignID: 1, MemberID: 99, Status: ReflectionAccepted}, // not asked
	}
	got := StudyCompletion(c, audience, refl, studyDay("2026-12-16"))
	want := []DepartmentCompletion{
		{DepartmentID: 10, DepartmentName: "招商一局", Asked: 3, OnTime: 1, Late: 1, Missing: 1, Pending: 1, Accepted: 1},
		{DepartmentID: 20, DepartmentName: "综合办", Asked: 3, OnTime: 2, Missing: 1, Returned: 1, Pending: 1},
	}
	if len(got.Departments) != 2 || got.Departments[0] != want[0] || got.Departments[1] != want[1] {
		t.Fatalf("departments %+v", got.Departments)
	}
	total := DepartmentCompletion{Asked: 6, OnTime: 3, Late: 1, Missing: 2, Returned: 1, Pending: 2, Accepted: 1}
	if got.Total != total {
		t.Fatalf("total %+v", got.Total)
	}
	states := ""
	for _, m := range got.Members {
		states += string(m.State[0])
		if m.Overdue {
			states += "!"
		}
	}
	if states != "apm!rpm!" {
		t.Fatalf("members %q", states)
	}
	if r := got.Departments[0].Rate(); r < 0.66 || r > 0.67 {
		t.Fatalf("rate %v", r)
	}
	// Before the closing date nobody is overdue.
	if early := StudyCompletion(c, audience, refl, studyDay("2026-12-15")); early.Members[2].Overdue {
		t.Fatal("overdue before the closing date")
	}
}
