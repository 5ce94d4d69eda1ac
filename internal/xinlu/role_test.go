package xinlu

import "testing"

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
