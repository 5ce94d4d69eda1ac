package xinlu

import (
	"strings"
	"testing"
	"time"
)

func TestPasswords(t *testing.T) {
	h, err := HashPassword("Xin!lu2026")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || !CheckPassword(h, "Xin!lu2026") || CheckPassword(h, "Xin!lu2027") {
		t.Fatalf("hash %q does not check", h)
	}
	if !CheckPassword(dummyHash, "xinlu-dummy-password") {
		t.Fatal("dummy hash is not a valid argon2id hash: unknown users would answer faster")
	}
	if CheckPasswordOrDummy("", "xinlu-dummy-password") {
		t.Fatal("an unknown user signed in")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=x", "plain"} {
		if CheckPassword(bad, "") {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
	tests := []struct {
		pw, user, key string
	}{
		{"Ab1!", "", "password.too_short"},
		{"abcdefgh", "", "password.classes"},
		{"abcdefg1", "", "password.classes"},
		{"abcdefG1", "", ""},
		{"Zhangsan1!", "zhangsan", "password.contains_username"},
		{"密码Abc12345", "", ""},
		{strings.Repeat("Aa1!", 40), "", "error.too_long"},
	}
	for _, tt := range tests {
		err := ValidatePassword(tt.pw, tt.user)
		got := ""
		if err != nil {
			got = AsError(err).Key
		}
		if got != tt.key {
			t.Errorf("ValidatePassword(%q, %q) = %q, want %q", tt.pw, tt.user, got, tt.key)
		}
	}
	for i := 0; i < 20; i++ {
		if err := ValidatePassword(RandomPassword(), "admin"); err != nil {
			t.Fatalf("random password fails the policy: %v", err)
		}
	}
}

func TestRolesAndScopes(t *testing.T) {
	rs, err := ParseRoles(" member,screener ,member")
	if err != nil || len(rs) != 2 || rs[1] != RoleScreener {
		t.Fatalf("ParseRoles: %v %v", rs, err)
	}
	for _, bad := range []string{"", ",", "member,king"} {
		if _, err := ParseRoles(bad); err == nil {
			t.Errorf("ParseRoles(%q) accepted", bad)
		}
	}
	u := &User{ID: 7, ZoneID: 1, DepartmentID: 3, MemberID: 9, Roles: []Role{RoleMember, RoleHead}}
	if f := u.Filter(PermStaffView); f.Scope != ScopeDepartment || f.DepartmentID != 3 || f.ZoneID != 1 {
		t.Fatalf("the widest scope should win: %+v", f)
	}
	if u.Can(PermUserManage) || !u.Can(PermSignedIn) || !u.Can(PermPublic) {
		t.Fatal("Can is wrong")
	}
	var nobody *User
	if nobody.Can(PermSignedIn) || !nobody.Can(PermPublic) {
		t.Fatal("anonymous Can is wrong")
	}
	for _, r := range Roles {
		if len(grants[r]) == 0 {
			t.Errorf("role %s grants nothing", r)
		}
		for p := range grants[r] {
			found := false
			for _, q := range Permissions {
				found = found || p == q
			}
			if !found {
				t.Errorf("role %s grants unknown permission %s", r, p)
			}
		}
	}
}

func TestUserValidateAndSelfEdit(t *testing.T) {
	u := &User{Username: " WangLei ", Name: "王磊", Roles: []Role{RoleMember}}
	if err := u.Validate(); err != nil || u.Username != "wanglei" {
		t.Fatalf("%v %q", err, u.Username)
	}
	for _, tc := range []struct {
		u     User
		field string
	}{
		{User{Username: "1abc", Name: "x", Roles: []Role{RoleMember}}, "username"},
		{User{Username: "abc", Name: " ", Roles: []Role{RoleMember}}, "name"},
		{User{Username: "abc", Name: "x"}, "roles"},
		{User{Username: "abc", Name: "x", Roles: []Role{"king"}}, "roles"},
		{User{Username: "abc", Name: "x", Roles: []Role{RoleMember}, Lang: "fr"}, "lang"},
	} {
		if err := tc.u.Validate(); err == nil || AsError(err).Field != tc.field {
			t.Errorf("%+v: %v, want field %s", tc.u, err, tc.field)
		}
	}
	old := &User{ID: 1, Roles: []Role{RoleAdmin}}
	if err := (&User{ID: 1, Roles: []Role{RoleMember}}).CheckSelfEdit(1, old); err == nil {
		t.Error("an admin dropped their own admin role")
	}
	if err := (&User{ID: 1, Roles: []Role{RoleAdmin}, Disabled: true}).CheckSelfEdit(1, old); err == nil {
		t.Error("an admin disabled themselves")
	}
	if err := (&User{ID: 1, Roles: []Role{RoleMember}}).CheckSelfEdit(2, old); err != nil {
		t.Errorf("another admin may change them: %v", err)
	}
}

func TestDepartmentRules(t *testing.T) {
	d := &Department{ID: 5, Code: " INV-1 ", Name: " 招商一部 "}
	if err := d.Validate(); err != nil || d.Code != "INV-1" || d.Name != "招商一部" {
		t.Fatalf("%v %+v", err, d)
	}
	if err := d.CheckParent([]int64{7, 5, 1}); err == nil {
		t.Error("a cycle through itself was accepted")
	}
	if err := d.CheckParent([]int64{7, 1}); err != nil {
		t.Error(err)
	}
	for _, bad := range []Department{{Code: "a b", Name: "x"}, {Code: "A", Name: ""}, {ID: 2, ParentID: 2, Code: "A", Name: "x"}, {Code: "A", Name: "x", SortOrder: -1}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if p := (Page{Page: 0, PerPage: 1000}).Normalize(); p.Page != 1 || p.PerPage != MaxPerPage || p.Offset() != 0 {
		t.Errorf("normalize: %+v", p)
	}
}

func TestAuditHashCoversEveryField(t *testing.T) {
	e := AuditEntry{ID: 1, ZoneID: 2, At: time.Date(2026, 11, 27, 1, 2, 3, 4000, time.UTC), ActorID: 3, ActorName: "admin",
		Action: "x.y", Entity: "x", EntityID: 4, Before: "{}", After: `{"a":1}`, IP: "127.0.0.1", PrevHash: "abc"}
	base := e.ComputeHash(nil)
	keyed := e.ComputeHash([]byte("k1"))
	if keyed == base || keyed == e.ComputeHash([]byte("k2")) {
		t.Fatal("the key does not change the hash")
	}
	mutations := []func(*AuditEntry){
		func(e *AuditEntry) { e.ID++ }, func(e *AuditEntry) { e.ZoneID++ }, func(e *AuditEntry) { e.At = e.At.Add(time.Microsecond) },
		func(e *AuditEntry) { e.ActorID++ }, func(e *AuditEntry) { e.ActorName += "x" }, func(e *AuditEntry) { e.Action += "x" },
		func(e *AuditEntry) { e.Entity += "x" }, func(e *AuditEntry) { e.EntityID++ }, func(e *AuditEntry) { e.Before = "" },
		func(e *AuditEntry) { e.After = `{"a":2}` }, func(e *AuditEntry) { e.IP = "" }, func(e *AuditEntry) { e.PrevHash = "abd" },
		// Moving a character between adjacent fields must change the hash too.
		func(e *AuditEntry) { e.Entity, e.Action = "yx", "x." },
	}
	for i, m := range mutations {
		c := e
		m(&c)
		if c.ComputeHash(nil) == base {
			t.Errorf("mutation %d leaves the hash unchanged", i)
		}
	}
}

func TestMasking(t *testing.T) {
	if got := MaskPhone("13812341234"); got != "138****1234" {
		t.Error(got)
	}
	if got := MaskIDNumber("14070219900101123X"); got != "1407**********123X" {
		t.Error(got)
	}
	if !ValidIDNumber("11010519491231002X") || ValidIDNumber("110105194912310021") {
		t.Error("ID check digit")
	}
	if !ValidMobile("13812341234") || ValidMobile("12812341234") || ValidMobile("1381234123") {
		t.Error("mobile")
	}
}
