package xinlu

import (
	"errors"
	"testing"
)

// TestNameAndText: the one rule for typed characters, with hostile input.
func TestNameAndText(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		key      string // "" when accepted
		text     string // Text's verdict when it differs from Name's: "ok" or a key
	}{
		{in: "招商局", want: "招商局"},
		{in: "  山西某某新材料有限公司 ", want: "山西某某新材料有限公司"},
		{in: "Zhang San-Li (张三)", want: "Zhang San-Li (张三)"},
		{in: "", want: ""},
		{in: "   ", want: ""},
		{in: "招\u200b商局\ufeff", want: "招商局"}, // pasted zero-width characters go
		{in: "\u00ad招商局", want: "招商局"},
		{in: "👨\u200d👩\u200d👧", want: "👨\u200d👩\u200d👧"}, // a joiner between visible characters stays
		{in: "招商\x00局", key: "error.text_control"},
		{in: "\x00", key: "error.text_control"},
		{in: "招商\x1b[31m局", key: "error.text_control"},
		{in: "招商\x7f局", key: "error.text_control"},
		{in: "招商\u0085局", key: "error.text_control"},
		{in: "第一行\n第二行", key: "error.text_control", text: "ok"},
		{in: "甲\t乙", key: "error.text_control", text: "ok"},
		{in: "甲\r\n乙", key: "error.text_control", text: "ok"},
		{in: "甲\u2028乙", key: "error.text_control", text: "ok"},
		{in: "invoice\u202efdp.exe", key: "error.text_control"},
		{in: "\u202d招商局\u202c", key: "error.text_control"},
		{in: "甲\u2067乙\u2069", key: "error.text_control"},
		{in: "甲\u200f乙", key: "error.text_control"},
		{in: "甲\u061c乙", key: "error.text_control"},
		{in: "\u200b", want: ""}, // nothing left: the caller's required rule answers
		{in: "\u200c\u200d", key: "error.text_invisible"},
		{in: "\u2063", key: "error.text_invisible"},
		{in: "\u3164\u3164", key: "error.text_invisible"},
		{in: "\u2800", key: "error.text_invisible"},
		{in: "\u3000\u200d\u3000", key: "error.text_invisible"},
		{in: "\xff\xfe", key: "error.text_control"},
	} {
		got, err := Name("name", tc.in)
		if key := errKey(err); key != tc.key || (err == nil && got != tc.want) {
			t.Errorf("Name(%q) = %q, %v; want %q, %q", tc.in, got, err, tc.want, tc.key)
		}
		if err != nil && (ErrorCode(err) != EINVALID || err.(*Error).Field != "name") {
			t.Errorf("Name(%q): %v names no field", tc.in, err)
		}
		wantText := tc.key
		switch tc.text {
		case "ok":
			wantText = ""
		case "":
		default:
			wantText = tc.text
		}
		if _, err := Text("description", tc.in); errKey(err) != wantText {
			t.Errorf("Text(%q): %v, want %q", tc.in, err, wantText)
		}
	}
}

func errKey(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Key
	}
	if err != nil {
		return "?"
	}
	return ""
}

// TestValidatorsUseTheTextRule: every record's names and texts go through
// Name and Text.
func TestValidatorsUseTheTextRule(t *testing.T) {
	const nul, rlo, zw = "招商\x00局", "招商\u202e局", "\u200c\u200d"
	for _, tc := range []struct {
		what  string
		check func(bad string) error
		field string
	}{
		{"department", func(s string) error { return (&Department{Code: "D", Name: s}).Validate() }, "name"},
		{"member", func(s string) error { return (&Member{StaffNo: "S1", Name: s}).Validate() }, "name"},
		{"position", func(s string) error { return (&Position{Name: s}).Validate() }, "name"},
		{"position grade", func(s string) error { return (&Position{Name: "科员", Grade: s}).Validate() }, "grade"},
		{"team", func(s string) error { return (&Team{Name: s, Kind: TeamKinds[0]}).Validate() }, "name"},
		{"team description", func(s string) error { return (&Team{Name: "专班", Kind: TeamKinds[0], Description: s}).Validate() }, "description"},
		{"park", func(s string) error { return (&Park{Name: s}).Validate() }, "name"},
		{"park description", func(s string) error { return (&Park{Name: "园区", Description: s}).Validate() }, "description"},
		{"holiday", func(s string) error { return (&CalendarDay{Date: "2026-10-01", Kind: DayHoliday, Name: s}).Validate() }, "name"},
		{"user", func(s string) error { return (&User{Username: "zhang", Name: s, Roles: []Role{RoleMember}}).Validate() }, "name"},
		{"lead company", func(s string) error {
			return (&Lead{Company: s, ProjectName: "项目", Industry: Industries[0]}).Validate()
		}, "company"},
		{"lead project", func(s string) error {
			return (&Lead{Company: "公司", ProjectName: s, Industry: Industries[0]}).Validate()
		}, "project_name"},
		{"lead contact", func(s string) error {
			return (&Lead{Company: "公司", ProjectName: "项目", Industry: Industries[0], ContactName: s}).Validate()
		}, "contact_name"},
		{"lead description", func(s string) error {
			return (&Lead{Company: "公司", ProjectName: "项目", Industry: Industries[0], Description: s}).Validate()
		}, "description"},
		{"scheme", func(s string) error { return (&Scheme{Name: s, PositionKind: PositionKinds[0]}).Validate() }, "name"},
		{"term", func(s string) error { return (&Term{Title: s, StartDate: "2026-01-01"}).Validate() }, "title"},
		{"term targets", func(s string) error { return (&Term{Title: "局长", StartDate: "2026-01-01", Targets: s}).Validate() }, "targets"},
		{"contract note", func(s string) error {
			return (&Contract{StartDate: "2026-01-01", EndDate: "2027-01-01", Note: s}).Validate()
		}, "note"},
	} {
		for _, bad := range []string{nul, rlo, zw} {
			err := tc.check(bad)
			var e *Error
			if !errors.As(err, &e) || e.Field != tc.field || (e.Key != "error.text_control" && e.Key != "error.text_invisible") {
				t.Errorf("%s %q: %v", tc.what, bad, err)
			}
		}
	}
}

// TestFreeTextChecksUseTheTextRule: reasons, notes and other free text go
// through Text (and a deciding body, a name, through Name).
func TestFreeTextChecksUseTheTextRule(t *testing.T) {
	screener := &User{ID: 1, ZoneID: 1, Roles: []Role{RoleScreener}}
	lead := &Lead{ID: 1, ZoneID: 1, ReporterID: 9, Status: LeadScreening}
	for _, tc := range []struct {
		what  string
		check func(bad string) error
		field string
	}{
		{"lead step reason", func(s string) error {
			_, err := CheckLeadStep(screener, lead, LeadStep{Action: LeadReject, Reason: s})
			return err
		}, "reason"},
		{"dispute reason", func(s string) error { _, err := CheckDisputeReason(s); return err }, "reason"},
		{"reveal reason", func(s string) error { _, err := CheckRevealReason(s); return err }, "reason"},
		{"tolerance facts", func(s string) error { return (&ToleranceClaim{Facts: s}).Validate() }, "facts"},
		{"incentive reason", func(s string) error { return (&Incentive{Reason: s}).Validate() }, "reason"},
		{"incentive evidence", func(s string) error { return (&Incentive{Reason: "奖励", EvidenceText: s}).Validate() }, "evidence_text"},
		{"plan content", func(s string) error { return (&Plan{Content: s}).Validate() }, "content"},
		{"schedule reason", func(s string) error {
			_, err := Signing{SignedOn: "2026-01-01"}.ReviseSchedule(nil, s)
			return err
		}, "note"},
	} {
		for _, bad := range []string{"理由\x00", "理由\u202e", "\u200c\u200d"} {
			err := tc.check(bad)
			var e *Error
			if !errors.As(err, &e) || e.Field != tc.field || (e.Key != "error.text_control" && e.Key != "error.text_invisible") {
				t.Errorf("%s %q: %v", tc.what, bad, err)
			}
		}
	}
}

// TestDatesArePlausible: ParseDate, which every date goes through, takes
// the years 1900 to 2100 only.
func TestDatesArePlausible(t *testing.T) {
	for _, s := range []string{"1900-01-01", "2026-02-28", "2100-12-31", " 2026-05-18 "} {
		if _, err := ParseDate(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31", "0000-01-01", "2026-02-30", "26-01-01"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if err := (&Member{StaffNo: "S1", Name: "张三", JoinedOn: "0001-01-01"}).Validate(); errKey(err) != "error.date_format" {
		t.Errorf("joined in year 1: %v", err)
	}
	if err := (&Contract{StartDate: "2026-01-01", EndDate: "9999-12-31"}).Validate(); errKey(err) != "error.date_format" {
		t.Errorf("contract to 9999: %v", err)
	}
	if err := (&CalendarDay{Date: "9999-01-01", Kind: DayHoliday, Name: "元旦"}).Validate(); errKey(err) != "error.date_format" {
		t.Errorf("holiday in 9999: %v", err)
	}
}
