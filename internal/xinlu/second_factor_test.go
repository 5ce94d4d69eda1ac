package xinlu_test

import (
	"testing"

	"xinlu/internal/xinlu"
)

// Whoever sees the pay of others must sign in with a second factor, like
// the administrators and those who may reveal personal data.
func TestPayReadersNeedASecondFactor(t *testing.T) {
	for _, r := range xinlu.Roles {
		u := &xinlu.User{ID: 1, MemberID: 1, Roles: []xinlu.Role{r}}
		if xinlu.SeesPay(u, 2) && !xinlu.NeedsSecondFactor(u.Roles) {
			t.Errorf("%s sees others' pay without a second factor", r)
		}
	}
}
