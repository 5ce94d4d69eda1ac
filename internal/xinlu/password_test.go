package xinlu

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordPolicyDefaults(t *testing.T) {
	p := DefaultPasswordPolicy()
	if p.MinLength != 8 || p.MinClasses != 3 || !p.BlockWeak || p.History != 5 || p.MaxAge != 90*24*time.Hour {
		t.Fatalf("defaults %+v", p)
	}
	l := DefaultLockoutPolicy()
	if l.Threshold != 5 || l.Duration != 30*time.Minute {
		t.Fatalf("lockout defaults %+v", l)
	}
}

func TestPasswordPolicyValidate(t *testing.T) {
	p := DefaultPasswordPolicy()
	for _, tc := range []struct {
		pw, user string
		context  []string
		key      string
	}{
		{"Ab1!", "", nil, "password.too_short"},
		{"abcdefgh", "", nil, "password.classes"},
		{"Kq7!mZ2x", "", nil, ""},
		{"Wang.li2026", "wangli", nil, ""},
		{"Wangli.2026", "wangli", nil, "password.contains_username"},
		// The block-list, as typed and at the core of a longer password.
		{"Admin@123", "", nil, "identity.password_weak"},
		{"P@ssw0rd", "", nil, "identity.password_weak"},
		{"p@SSW0RD", "", nil, "identity.password_weak"},
		{"Aa123456", "", nil, "identity.password_weak"},
		{"1qaz@WSX", "", nil, "identity.password_weak"},
		{"Woaini@1314", "", nil, "identity.password_weak"},
		{"Admin@2026", "", nil, "identity.password_weak"},
		{"P@ssw0rd2026!", "", nil, "identity.password_weak"},
		{"#Welcome2026", "", nil, "identity.password_weak"},
		{"Zhongguo@88", "", nil, "identity.password_weak"},
		{"Qwer@1234", "", nil, "identity.password_weak"},
		// Too short anyway, but on the list too.
		{"123456", "", nil, "password.too_short"},
		// Context words: the product, the zone code; short codes are ignored.
		{"Xinlu@2026", "", nil, "identity.password_context"},
		{"My-X1nlu-pw", "", nil, "identity.password_context"},
		{"Hzkfq#2026a", "", []string{"HZKFQ"}, "identity.password_context"},
		{"Tiger#2026a", "", []string{"T"}, ""},
		// Passwords other tests of this module rely on stay valid.
		{"Test@2026x", "", nil, ""},
		{"Xin!lu2026", "zhangsan", nil, ""},
		{"Trial@2026", "", nil, ""},
		{"Demo@2026", "", nil, ""},
		{"N3w!password", "wanglei", nil, ""},
	} {
		err := p.Validate(tc.pw, tc.user, tc.context...)
		got := ""
		if err != nil {
			got = AsError(err).Key
		}
		if got != tc.key {
			t.Errorf("Validate(%q, %q, %v) = %q, want %q", tc.pw, tc.user, tc.context, got, tc.key)
		}
	}
	// A policy with the block-list off lets a listed password through.
	lax := p
	lax.BlockWeak = false
	if err := lax.Validate("Admin@123", ""); err != nil {
		t.Fatalf("block-list off: %v", err)
	}
	long := p
	long.MinLength = 12
	if err := long.Validate("Kq7!mZ2x", ""); AsError(err).Key != "password.too_short" || AsError(err).Args[0] != 12 {
		t.Fatalf("configured length: %v", err)
	}
	if err := ValidatePassword("Admin@123", ""); err == nil {
		t.Fatal("ValidatePassword does not apply the block-list")
	}
}

func TestWeakListIsLoaded(t *testing.T) {
	n := 0
	for _, line := range strings.Split(weakPasswordList, "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
			n++
		}
	}
	if n < 300 {
		t.Fatalf("only %d weak passwords listed", n)
	}
	for _, pw := range []string{"123456", "a123456", "qwe123", "woaini1314", "Admin@123", "P@ssw0rd"} {
		if !IsWeakPassword(pw) {
			t.Errorf("%q is not on the block-list", pw)
		}
	}
}

func TestPasswordHistory(t *testing.T) {
	p := DefaultPasswordPolicy()
	var hashes []string // newest first
	for _, pw := range []string{"Kq7!mZ2x-6", "Kq7!mZ2x-5", "Kq7!mZ2x-4", "Kq7!mZ2x-3", "Kq7!mZ2x-2", "Kq7!mZ2x-1"} {
		h, err := HashPassword(pw)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	for _, pw := range []string{"Kq7!mZ2x-6", "Kq7!mZ2x-2"} {
		if err := p.CheckHistory(pw, hashes); AsError(err).Key != "identity.password_reused" || AsError(err).Args[0] != 5 {
			t.Errorf("%s reused: %v", pw, err)
		}
	}
	// The sixth newest is beyond a history of five.
	if err := p.CheckHistory("Kq7!mZ2x-1", hashes); err != nil {
		t.Errorf("sixth newest refused: %v", err)
	}
	if err := p.CheckHistory("Kq7!mZ2x-7", hashes); err != nil {
		t.Errorf("new password refused: %v", err)
	}
}

func TestPasswordExpiry(t *testing.T) {
	p := DefaultPasswordPolicy()
	set := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if p.Expired(set, set.Add(90*24*time.Hour)) {
		t.Error("expired on day 90")
	}
	if !p.Expired(set, set.Add(90*24*time.Hour+time.Minute)) {
		t.Error("not expired after 90 days")
	}
	p.MaxAge = 0
	if p.Expired(set, set.AddDate(10, 0, 0)) {
		t.Error("MaxAge 0 expired")
	}
}
