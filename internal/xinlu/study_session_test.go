package xinlu

import (
	"strings"
	"testing"
)

func TestStudySessionValidate(t *testing.T) {
	members := []StudyMember{{MemberID: 1, Name: "李小明"}, {MemberID: 2, Name: "王芳"}, {MemberID: 3, Name: "赵强"}}
	good := func() StudySession {
		return StudySession{HeldOn: "2026-12-09", Place: " 三楼会议室 ", ChairID: 9, Minutes: "围绕解放思想开展讨论。",
			SpeakerIDs: []int64{1, 1}, Attendance: []Attendance{{MemberID: 1, Status: AttendPresent, Reason: "x"},
				{MemberID: 2, Status: AttendLeave, Reason: " 出差 "}}}
	}
	for _, tc := range []struct {
		name   string
		edit   func(*StudySession)
		fields []string
	}{
		{"good", func(*StudySession) {}, nil},
		{"everything missing at once", func(s *StudySession) { s.HeldOn, s.Place, s.ChairID = "", "", 0 },
			[]string{"held_on", "place", "chair_id"}},
		{"bad date", func(s *StudySession) { s.HeldOn = "12/09" }, []string{"held_on"}},
		{"leave without a reason", func(s *StudySession) { s.Attendance[1].Reason = "  " }, []string{"reason_2"}},
		{"unknown attendance", func(s *StudySession) { s.Attendance[1].Status = "late" }, []string{"attendance_2"}},
		{"a speaker on leave", func(s *StudySession) { s.SpeakerIDs = []int64{2} }, []string{"speaker_ids"}},
		{"a speaker not listed is absent", func(s *StudySession) { s.SpeakerIDs = []int64{3} }, []string{"speaker_ids"}},
		{"someone outside the department", func(s *StudySession) {
			s.Attendance = append(s.Attendance, Attendance{MemberID: 77, Status: AttendPresent})
		}, []string{"attendance"}},
		{"minutes too long", func(s *StudySession) { s.Minutes = strings.Repeat("记", MaxSessionMinutes+1) }, []string{"minutes"}},
		{"place too long", func(s *StudySession) { s.Place = strings.Repeat("楼", MaxSessionPlace+1) }, []string{"place"}},
	} {
		s := good()
		tc.edit(&s)
		err := s.Validate(members)
		var got []string
		for _, e := range ErrorsOf(err) {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%s: fields %v, want %v", tc.name, got, tc.fields)
		}
	}
	s := good()
	if err := s.Validate(members); err != nil {
		t.Fatal(err)
	}
	// Cleaned: every member once in order, the unlisted absent, reasons
	// only for a leave, speakers once.
	if len(s.Attendance) != 3 || s.Attendance[2].Status != AttendAbsent || s.Attendance[0].Reason != "" ||
		s.Attendance[1].Reason != "出差" || s.Place != "三楼会议室" || len(s.SpeakerIDs) != 1 || s.Attendance[1].Name != "王芳" {
		t.Fatalf("cleaned to %+v", s)
	}
	if s.Count(AttendPresent) != 1 || s.Count(AttendLeave) != 1 || s.Count(AttendAbsent) != 1 || len(s.Speakers()) != 1 {
		t.Fatalf("counts %d %d %d", s.Count(AttendPresent), s.Count(AttendLeave), s.Count(AttendAbsent))
	}
}

func TestCheckSessionEdit(t *testing.T) {
	office := &User{ID: 1, MemberID: 11, DepartmentID: 5, Roles: []Role{RoleMember, RoleDiscipline}}
	head := &User{ID: 2, MemberID: 12, DepartmentID: 6, Roles: []Role{RoleMember, RoleHead}}
	member := &User{ID: 3, MemberID: 13, DepartmentID: 6, Roles: []Role{RoleMember}}
	open, closed := &Campaign{Status: CampaignOpen}, &Campaign{Status: CampaignClosed}
	draft, archived := &Campaign{Status: CampaignDraft}, &Campaign{Status: CampaignArchived}
	for _, tc := range []struct {
		name string
		u    *User
		c    *Campaign
		dept int64
		want Code
	}{
		{"office, any department", office, open, 6, ""},
		{"office, closed campaign", office, closed, 7, ""},
		{"head, own department", head, open, 6, ""},
		{"head, another department", head, open, 7, EFORBIDDEN},
		{"member", member, open, 6, EFORBIDDEN},
		{"nobody", nil, open, 6, EFORBIDDEN},
		{"draft campaign", office, draft, 6, ECONFLICT},
		{"archived campaign", head, archived, 6, ECONFLICT},
	} {
		if got := ErrorCode(CheckSessionEdit(tc.u, tc.c, tc.dept)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
