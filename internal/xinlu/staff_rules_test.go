package xinlu_test

import (
	"strings"
	"testing"
	"time"

	"xinlu/internal/xinlu"
)

func TestPositionValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		p     xinlu.Position
		field string
	}{
		{"ok", xinlu.Position{Name: " 招商专员 ", Kind: xinlu.PositionStaff}, ""},
		{"empty kind is staff", xinlu.Position{Name: "科员"}, ""},
		{"name required", xinlu.Position{Name: "  "}, "name"},
		{"name too long", xinlu.Position{Name: string(make([]rune, 65))}, "name"},
		{"unknown kind", xinlu.Position{Name: "x", Kind: "boss"}, "kind"},
		{"grade too long", xinlu.Position{Name: "x", Grade: "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三"}, "grade"},
		{"sort order", xinlu.Position{Name: "x", SortOrder: -1}, "sort_order"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tc.p.Kind == "" || tc.p.Name[0] == ' ' {
					t.Fatalf("not normalised: %+v", tc.p)
				}
				return
			}
			if e := xinlu.AsError(err); e.Code != xinlu.EINVALID || e.Field != tc.field {
				t.Fatalf("got %v, want invalid %s", err, tc.field)
			}
		})
	}
}

func TestContractValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		c     xinlu.Contract
		field string
		key   string
	}{
		{"ok", xinlu.Contract{StartDate: "2024-01-01", EndDate: "2026-12-31"}, "", ""},
		{"start required", xinlu.Contract{EndDate: "2026-12-31"}, "start_date", "error.required"},
		{"bad start", xinlu.Contract{StartDate: "2024/01/01", EndDate: "2026-12-31"}, "start_date", "error.date_format"},
		{"end required", xinlu.Contract{StartDate: "2024-01-01"}, "end_date", "error.required"},
		{"end before start", xinlu.Contract{StartDate: "2024-01-01", EndDate: "2023-12-31"}, "end_date", "contract.end_before_start"},
		{"end equal to start", xinlu.Contract{StartDate: "2024-01-01", EndDate: "2024-01-01"}, "end_date", "contract.end_before_start"},
		{"bad status", xinlu.Contract{StartDate: "2024-01-01", EndDate: "2025-01-01", Status: "void"}, "status", "error.invalid_choice"},
		{"long note", xinlu.Contract{StartDate: "2024-01-01", EndDate: "2025-01-01", Note: strings.Repeat("x", 501)}, "note", "error.too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate()
			if tc.field == "" {
				if err != nil || tc.c.Status != xinlu.ContractActive {
					t.Fatalf("got %v, status %q", err, tc.c.Status)
				}
				return
			}
			if e := xinlu.AsError(err); e.Field != tc.field || e.Key != tc.key {
				t.Fatalf("got %v, want %s %s", err, tc.field, tc.key)
			}
		})
	}
}

func TestTermValidateDefaultsEnd(t *testing.T) {
	tm := xinlu.Term{Title: "管委会主任", StartDate: "2024-03-01"}
	if err := tm.Validate(); err != nil || tm.EndDate != "2027-02-28" {
		t.Fatalf("got %v %q", err, tm.EndDate)
	}
	leap := xinlu.Term{Title: "副主任", StartDate: "2024-02-29"}
	if err := leap.Validate(); err != nil || leap.EndDate != "2027-02-28" {
		t.Fatalf("leap start: %v %q", err, leap.EndDate)
	}
	bad := xinlu.Term{Title: "x", StartDate: "2024-03-01", EndDate: "2024-01-01"}
	if e := xinlu.AsError(bad.Validate()); e.Field != "end_date" || e.Key != "term.end_before_start" {
		t.Fatalf("got %v", e)
	}
	if e := xinlu.AsError((&xinlu.Term{StartDate: "2024-03-01"}).Validate()); e.Field != "title" {
		t.Fatalf("got %v", e)
	}
	if e := xinlu.AsError((&xinlu.Term{Title: "x"}).Validate()); e.Field != "start_date" {
		t.Fatalf("got %v", e)
	}
}

func TestMaskFor(t *testing.T) {
	member := func() *xinlu.Member {
		return &xinlu.Member{ID: 7, Phone: "13812345678", IDNumber: "11010519491231002X"}
	}
	for _, tc := range []struct {
		name   string
		u      *xinlu.User
		masked bool
	}{
		{"nobody", nil, true},
		{"self", &xinlu.User{MemberID: 7, Roles: []xinlu.Role{xinlu.RoleMember}}, false},
		{"colleague", &xinlu.User{MemberID: 8, Roles: []xinlu.Role{xinlu.RoleMember}}, true},
		{"head", &xinlu.User{MemberID: 9, Roles: []xinlu.Role{xinlu.RoleHead}}, true},
		{"director", &xinlu.User{Roles: []xinlu.Role{xinlu.RoleDirector}}, true},
		{"administrators see masked values too", &xinlu.User{Roles: []xinlu.Role{xinlu.RoleSysAdmin}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := member()
			got := m.MaskFor(tc.u)
			if got != tc.masked {
				t.Fatalf("masked = %v", got)
			}
			if tc.masked && (m.Phone != "138****5678" || m.IDNumber != "1101**********002X") {
				t.Fatalf("masked as %q %q", m.Phone, m.IDNumber)
			}
			if !tc.masked && m.Phone != "13812345678" {
				t.Fatalf("unmasked as %q", m.Phone)
			}
		})
	}
}

func TestDaysLeftAndTone(t *testing.T) {
	today := time.Date(2026, 5, 18, 15, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		end  string
		days int
		tone string
	}{
		{"2026-05-18", 0, "red"},
		{"2026-05-17", -1, "red"},
		{"2026-06-17", 30, "red"},
		{"2026-06-18", 31, "orange"},
		{"2026-07-17", 60, "orange"},
		{"2026-07-18", 61, "green"},
	} {
		if d := xinlu.DaysLeft(today, tc.end); d != tc.days || xinlu.ExpiryTone(d) != tc.tone {
			t.Errorf("%s: %d %s, want %d %s", tc.end, d, xinlu.ExpiryTone(d), tc.days, tc.tone)
		}
	}
}
