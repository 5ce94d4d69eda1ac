package xinlu_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"xinlu/internal/xinlu"
)

// TestInventoryComplete: every entry says what it is, why, on what basis
// and for how long; masked and encrypted fields are consistent.
func TestInventoryComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range xinlu.PersonalFields {
		name := f.Name()
		if seen[name] {
			t.Errorf("%s listed twice", name)
		}
		seen[name] = true
		if f.Table == "" || f.Column == "" || f.Label == "" || f.Purpose == "" || f.LegalBasis == "" || f.Retention == "" {
			t.Errorf("%s: incomplete entry %+v", name, f)
		}
		if !strings.HasPrefix(f.Purpose, "personal.") || !strings.HasPrefix(f.LegalBasis, "personal.") {
			t.Errorf("%s: purpose and basis are personal.* i18n keys", name)
		}
		if f.Sensitive && (!f.Encrypted || f.Mask == xinlu.MaskNone) {
			t.Errorf("%s: sensitive data must be encrypted and masked", name)
		}
		if f.HashColumn != "" && !f.Encrypted {
			t.Errorf("%s: a blind index is for encrypted fields", name)
		}
		if f.Encrypted && f.Retention != xinlu.RetainUntilLeftYears && f.Retention != xinlu.RetainArchive && f.Retention != xinlu.RetainLeadClosedYears {
			t.Errorf("%s: unknown retention %q", name, f.Retention)
		}
		if f.Table == "members" && (&xinlu.Member{}).PersonalValue(f.Column) == nil {
			t.Errorf("%s: Member.PersonalValue does not know it", name)
		}
	}
	for _, want := range []string{"members.phone", "members.id_number"} {
		if !seen[want] {
			t.Errorf("%s is not in the inventory", want)
		}
	}
	enc := xinlu.EncryptedFields()
	if len(enc) != 6 || enc[0].HashColumn != "phone_hash" || enc[1].HashColumn != "id_number_hash" || enc[2].Name() != "leads.contact_phone" {
		t.Fatalf("encrypted fields %+v", enc)
	}
	// Pay amounts are encrypted at rest, without a blind index.
	for i, want := range []string{"member_pay.base_sealed", "appraisal_results.base_sealed", "appraisal_results.pay_sealed"} {
		if f := enc[3+i]; f.Name() != want || f.HashColumn != "" {
			t.Errorf("encrypted field %d: %+v, want %s", 3+i, f, want)
		}
	}
}

func TestMaskRules(t *testing.T) {
	for _, tc := range []struct {
		rule     xinlu.MaskRule
		in, want string
	}{
		{xinlu.MaskMobile, "13812341234", "138****1234"},
		{xinlu.MaskIdentity, "11010519491231002X", "1101**********002X"},
		{xinlu.MaskLast4, "6222021234567890123", "***************0123"},
		{xinlu.MaskLast4, "123", "***"},
		{xinlu.MaskNone, "张三", "张三"},
		{xinlu.MaskMobile, "", ""},
	} {
		if got := tc.rule.Apply(tc.in); got != tc.want {
			t.Errorf("%q %q: %q, want %q", tc.rule, tc.in, got, tc.want)
		}
	}
}

func TestMaskForFollowsTheInventory(t *testing.T) {
	full := xinlu.Member{ID: 7, Name: "张三", Gender: "m", Phone: "13812341234", IDNumber: "11010519491231002X"}
	for _, tc := range []struct {
		name   string
		u      *xinlu.User
		masked bool
	}{
		{"nobody", nil, true},
		{"the member themself", &xinlu.User{MemberID: 7, Roles: []xinlu.Role{xinlu.RoleMember}}, false},
		{"a colleague", &xinlu.User{MemberID: 8, Roles: []xinlu.Role{xinlu.RoleMember}}, true},
		{"a director", &xinlu.User{MemberID: 8, Roles: []xinlu.Role{xinlu.RoleDirector}}, true},
		{"a head with reveal: still masked until a reveal", &xinlu.User{MemberID: 8, Roles: []xinlu.Role{xinlu.RoleHead}}, true},
	} {
		m := full
		if got := m.MaskFor(tc.u); got != tc.masked {
			t.Errorf("%s: masked %v", tc.name, got)
		}
		if tc.masked && (m.Phone != "138****1234" || m.IDNumber != "1101**********002X" || m.Name != "张三" || m.Gender != "m") {
			t.Errorf("%s: %+v", tc.name, m)
		}
		if !tc.masked && m != full {
			t.Errorf("%s: changed %+v", tc.name, m)
		}
	}
	m := full
	if got := m.RevealedFields(); !slices.Equal(got, []string{"phone", "id_number"}) {
		t.Fatalf("revealed %v", got)
	}
	m.IDNumber = ""
	if got := m.RevealedFields(); !slices.Equal(got, []string{"phone"}) {
		t.Fatalf("revealed without ID number %v", got)
	}
}

func TestRevealReason(t *testing.T) {
	for in, key := range map[string]string{"": "personal.reason_required", "  ": "personal.reason_required",
		"核对": "personal.reason_too_short", "abc": "personal.reason_too_short", strings.Repeat("字", 201): "personal.reason_too_long"} {
		if _, err := xinlu.CheckRevealReason(in); xinlu.AsError(err).Key != key || xinlu.AsError(err).Field != "reason" {
			t.Errorf("%q: %v, want %s", in, err, key)
		}
	}
	if s, err := xinlu.CheckRevealReason("  核对社保信息 "); err != nil || s != "核对社保信息" {
		t.Fatalf("%q %v", s, err)
	}
	if _, err := xinlu.CheckRevealReason("核对身份"); err != nil {
		t.Fatalf("four characters: %v", err)
	}
}

func TestLeftOnAndCutoff(t *testing.T) {
	const today = "2026-11-27"
	for _, tc := range []struct {
		from, to xinlu.MemberStatus
		old      string
		want     string
	}{
		{xinlu.MemberActive, xinlu.MemberLeft, "", today},
		{xinlu.MemberLeft, xinlu.MemberLeft, "2020-01-02", "2020-01-02"},
		{xinlu.MemberLeft, xinlu.MemberLeft, "", today},
		{xinlu.MemberLeft, xinlu.MemberActive, "2020-01-02", ""},
		{xinlu.MemberActive, xinlu.MemberProbation, "", ""},
		{"", xinlu.MemberLeft, "", today},
	} {
		if got := xinlu.LeftOn(tc.from, tc.to, tc.old, today); got != tc.want {
			t.Errorf("%s→%s (%q): %q, want %q", tc.from, tc.to, tc.old, got, tc.want)
		}
	}
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	if got := xinlu.RetentionCutoff(now, 5); got != "2021-11-27" {
		t.Fatalf("cutoff %s", got)
	}
	if got := xinlu.RetentionCutoff(now, 0); got != "" {
		t.Fatalf("0 years: %q", got)
	}
}
