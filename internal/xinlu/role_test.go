package xinlu

import "testing"

func TestRolesBeyondTheZoneComeFromTheTable(t *testing.T) {
	for _, r := range Roles {
		want := false
		for _, p := range Permissions {
			if ScopeOf([]Role{r}, p) == ScopeAllZones {
				want = true
			}
		}
		if got := r.ReachesBeyondZone(); got != want {
			t.Errorf("%s reaches beyond the zone: %v, want %v", r, got, want)
		}
	}
	if !RoleViewer.ReachesBeyondZone() || RoleDirector.ReachesBeyondZone() {
		t.Fatal("viewer must and director must not reach beyond the zone")
	}
}

func TestZoneRoleChanges(t *testing.T) {
	for _, tc := range []struct {
		old, roles []Role
		key        string
	}{
		{[]Role{RoleMember}, []Role{RoleMember, RoleFinance}, ""},
		{[]Role{RoleMember}, []Role{RoleViewer}, "user.role_beyond_zone_operator_only"},
		{[]Role{RoleViewer}, []Role{RoleViewer, RoleMember}, ""}, // kept, not given
		{[]Role{RoleViewer}, []Role{RoleMember}, ""},             // taken away
		{[]Role{RoleMember}, []Role{RoleSecAdmin}, "user.admin_roles_operator_only"},
		{[]Role{RoleAuditAdmin}, []Role{RoleMember}, "user.admin_roles_operator_only"},
		{[]Role{RoleSysAdmin}, []Role{RoleSysAdmin}, "user.admin_roles_operator_only"},
		{[]Role{RoleMember}, []Role{RoleAdmin}, "user.admin_roles_operator_only"},
	} {
		err := CheckZoneRoleChange(tc.old, tc.roles)
		if tc.key == "" && err != nil || tc.key != "" && (ErrorCode(err) != EFORBIDDEN || AsError(err).Key != tc.key) {
			t.Errorf("%v → %v: %v", tc.old, tc.roles, err)
		}
	}
	if err := CheckDemoOnly(&Zone{}, []Role{RoleAdmin}); AsError(err).Key != "user.admin_demo_only" {
		t.Errorf("admin outside the demo: %v", err)
	}
	if err := CheckDemoOnly(&Zone{Demo: true}, []Role{RoleAdmin}); err != nil {
		t.Errorf("admin in the demo: %v", err)
	}
}

func TestPayReadersArePrivileged(t *testing.T) {
	for r, want := range map[Role]bool{
		RoleFinance: true, RoleDirector: true, RoleAppraiser: true, RoleHead: true, RoleSecAdmin: true,
		RoleMember: false, RoleAuditor: false, RoleDiscipline: false, RoleViewer: false,
	} {
		if got := NeedsSecondFactor([]Role{r}); got != want {
			t.Errorf("%s needs a second factor: %v, want %v", r, got, want)
		}
	}
}
